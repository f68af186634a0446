"""The organiser's list of judges says what each state column means; status headings say Status."""

import re
from datetime import UTC, datetime

from compmgr.auth.models import Role
from tests.factories import CompetitionFactory, JudgeFactory, JuryFactory, UserFactory, grant
from tests.forms import submit


def _cells(html, name):
    """Return the text of the cells in the row of the judge called NAME."""
    row = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(name)}.*?</tr>", html, re.S).group(0)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_judges_list_names_invitation_and_declaration_states(db, login_as):
    comp = CompetitionFactory()
    jury = JuryFactory(competition=comp, subject=comp.subjects[0], name="Biologie")
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    JudgeFactory(
        competition=comp,
        user=UserFactory(email="neu@example.org", password_hash=None),
        jury=jury,
        first_name="Nora",
        last_name="Neu",
    )
    JudgeFactory(
        competition=comp,
        user=UserFactory(email="dabei@example.org"),
        jury=jury,
        first_name="Dana",
        last_name="Dabei",
    )
    JudgeFactory(
        competition=comp,
        user=UserFactory(email="fertig@example.org"),
        jury=jury,
        first_name="Fritz",
        last_name="Fertig",
        confidentiality_accepted_at=datetime(2027, 2, 24, 23, 30, tzinfo=UTC),
    )
    db.session.commit()

    html = login_as(org).get(f"/c/{comp.id}/org/judging/judges").get_data(as_text=True)
    assert '<th scope="col">Einladung</th><th scope="col">Vertraulichkeitserklärung</th>' in html
    assert ">Erklärung<" not in html and "eingeladen</span>" not in html
    # columns: Institution, Jurys, Projekte, Einladung, Vertraulichkeitserklärung, Aktionen
    assert _cells(html, "Neu, Nora")[3:5] == ["noch offen", "noch offen"]
    assert _cells(html, "Dabei, Dana")[3:5] == ["angenommen", "noch offen"]
    assert _cells(html, "Fertig, Fritz")[3:5] == [
        "angenommen",
        "angenommen am 25.02.2027",
    ]  # Berlin day


def test_invitation_form_is_folded_above_the_list_and_open_on_errors(db, login_as):
    comp = CompetitionFactory()
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    web = login_as(org)
    url = f"/c/{comp.id}/org/judging/judges"
    assert '<details class="invite-judge mb-4" open>' in web.get(url).get_data(
        as_text=True
    )  # none yet
    JudgeFactory(
        competition=comp, user=UserFactory(email="j@example.org"), first_name="Jo", last_name="Jung"
    )
    db.session.commit()
    page = web.get(url)
    html = page.get_data(as_text=True)
    assert '<details class="invite-judge mb-4">' in html
    assert html.index("<details") < html.index("<table")
    refused = submit(page, first_name="", last_name="", email="", school_id=0, jury_id=0)
    assert refused.status_code == 422
    assert '<details class="invite-judge mb-4" open>' in refused.get_data(as_text=True)


def test_status_headings_say_status_not_stand(db, login_as):
    comp = CompetitionFactory()
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    web = login_as(org)
    publish = web.get(f"/c/{comp.id}/org/publish").get_data(as_text=True)
    assert '<h2 class="h5" id="state-h">Status</h2>' in publish
    web.logout()
    listing = login_as(admin).get("/admin/").get_data(as_text=True)
    assert '<th scope="col">Status</th>' in listing and '<th scope="col">Stand</th>' not in listing
