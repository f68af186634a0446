"""The organiser reopens a locked jury: reason, confirmation, audit, refusals, then a new lock."""

import re

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role
from compmgr.competitions.models import Status
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.results import services as decisions
from compmgr.results.models import Decision
from compmgr.results.services import DecisionError, Row
from tests.factories import CompetitionFactory, JuryFactory, SchoolFactory, UserFactory, grant
from tests.forms import submit
from tests.judging.scene import build_scene, full_values
from tests.results.helpers import publish, withdraw

REASON = "Platz 2 und 3 beim Eintragen vertauscht"


@pytest.fixture
def locked(db):
    """A scored Biologie jury whose chair saved places 1–3 with a first prize and locked it."""
    scene = build_scene(n_projects=3, n_judges=2)
    for judge in scene.judges:
        for project, v in zip(scene.projects, (8, 6, 4), strict=True):
            scoring.save_sheet(judge, project, full_values(scene, v))
    p1, p2, p3 = scene.projects
    rows = [Row(p1.id, 1, prize=1, qualified=True), Row(p2.id, 2, prize=2), Row(p3.id, 3)]
    decisions.save_decisions(scene.jury, rows, {p1.id: 1, p2.id: 2, p3.id: 3}, scene.users[0])
    decisions.lock_jury(scene.jury, [p.id for p in scene.projects], scene.users[0])
    scene.comp.status = Status.JUDGING
    scene.organiser = grant(
        UserFactory(email="orga@example.org", name="Olga Orga"), scene.comp, Role.ORGANISER
    )
    db.session.commit()
    return scene


def _url(scene, jury=None):
    return f"/c/{scene.comp.id}/org/judging/juries/{(jury or scene.jury).id}/unlock"


def _unlocks(action="jury.unlock"):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def _decided():
    return {
        d.project_id: (d.place, d.prize, d.qualified)
        for d in db.session.scalars(db.select(Decision))
    }


def _autosave(web, scene, project, value):
    return web.post_raw(
        f"/c/{scene.comp.id}/jury/projects/{project.id}/autosave",
        json={"values": {str(scene.criteria[0].id): value}},
    )


def test_organiser_reopens_with_a_reason_and_the_decision_stays_as_a_draft(locked, db, login_as):
    before = _decided()
    web = login_as(locked.organiser)
    overview = web.get(f"/c/{locked.comp.id}/org/judging/juries").get_data(as_text=True)
    assert "abgeschlossen am" in overview and _url(locked) in overview
    page = web.get(_url(locked))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Bisherige Entscheidung" in text and "als Entwurf erhalten" in text
    assert 'name="reason"' in text and 'name="confirm"' in text

    response = submit(page, reason=f"  {REASON} ", confirm=True)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{locked.comp.id}/org/judging/juries")
    db.session.refresh(locked.jury)
    assert not locked.jury.is_locked and locked.jury.locked_by_id is None
    assert _decided() == before  # kept, not deleted
    (entry,) = _unlocks()
    assert entry.user_id == locked.organiser.id and entry.competition_id == locked.comp.id
    assert (entry.object_type, entry.object_id) == ("Jury", locked.jury.id)
    assert entry.after == {"locked": False, "jury": "Biologie", "reason": REASON}
    assert entry.before["locked"] is True and entry.before["locked_by"] == locked.users[0].name
    assert entry.at is not None
    log = web.get(f"/c/{locked.comp.id}/org/audit/?action=jury.unlock").get_data(as_text=True)
    assert REASON in log


def test_instance_admin_counts_as_organiser(locked, db, login_as):
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    web = login_as(admin)
    assert submit(web.get(_url(locked)), reason=REASON, confirm=True).status_code == 302
    db.session.refresh(locked.jury)
    assert not locked.jury.is_locked and _unlocks()[0].user_id == admin.id


def test_chair_judge_school_and_other_organisers_may_not_reopen(locked, db, web):
    school = grant(
        UserFactory(email="schule@example.org"),
        locked.comp,
        Role.SCHOOL,
        SchoolFactory(competition_id=locked.comp.id),
    )
    other = CompetitionFactory(name="Regionalwettbewerb Anderswo")
    other_jury = JuryFactory(competition=other, name="Chemie")
    foreign = grant(UserFactory(email="orga2@example.org"), other, Role.ORGANISER)
    db.session.commit()
    cases = [
        (locked.users[0], _url(locked), 403),  # the chair
        (locked.users[1], _url(locked), 403),  # a judge
        (school, _url(locked), 403),
        (foreign, _url(locked), 403),  # organiser of another competition
        # ... and through their own competition's URL: the jury is not theirs
        (foreign, f"/c/{other.id}/org/judging/juries/{locked.jury.id}/unlock", 404),
    ]
    for user, url, status in cases:
        web.login(user.email)
        assert web.get(url).status_code == status, (user.email, url)
        forged = web.post_raw(
            url, {"reason": REASON, "confirm": "y"}
        )  # no page offers them the form
        assert forged.status_code == status, (user.email, url)
        web.logout()
    db.session.refresh(locked.jury)
    assert locked.jury.is_locked and _unlocks() == []
    web.login(
        locked.organiser.email
    )  # and the organiser of this competition cannot reach the other's
    assert (
        web.get(f"/c/{locked.comp.id}/org/judging/juries/{other_jury.id}/unlock").status_code == 404
    )
    web.logout()
    assert web.get(_url(locked)).status_code == 302  # anonymous: to the login


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_missing_reason_is_shown_next_to_the_field_and_changes_nothing(
    locked, db, login_as, reason
):
    web = login_as(locked.organiser)
    response = submit(web.get(_url(locked)), reason=reason, confirm=True)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'aria-describedby="reason-help reason-error"' in text and 'aria-invalid="true"' in text
    assert (
        '<div id="reason-error" class="invalid-feedback d-block" role="alert">Bitte geben Sie den Grund an'
        in text
    )
    db.session.refresh(locked.jury)
    assert locked.jury.is_locked and _unlocks() == []


def test_the_confirmation_is_required_and_the_typed_reason_survives(locked, db, login_as):
    web = login_as(locked.organiser)
    response = submit(web.get(_url(locked)), reason=REASON)  # the box left unticked
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="confirm-error"' in text and "Bitte bestätigen Sie" in text
    assert REASON in text  # nothing the organiser typed is lost
    db.session.refresh(locked.jury)
    assert locked.jury.is_locked and _unlocks() == []


def test_published_results_refuse_until_the_publication_is_withdrawn(locked, db, login_as):
    web = login_as(locked.organiser)
    stale = web.get(_url(locked))  # opened before the results went out
    assert publish(web, locked.comp).status_code == 302
    page = web.get(_url(locked)).get_data(as_text=True)
    assert "Die Ergebnisse sind veröffentlicht" in page and 'name="reason"' not in page
    assert f"/c/{locked.comp.id}/org/publish" in page

    refused = submit(stale, reason=REASON, confirm=True)
    assert refused.status_code == 409
    assert "die Veröffentlichung zurück" in refused.get_data(as_text=True)
    db.session.refresh(locked.jury)
    assert locked.jury.is_locked and _unlocks() == []
    with pytest.raises(DecisionError):
        decisions.unlock_jury(locked.jury, locked.comp, locked.organiser, REASON)
    db.session.rollback()

    assert withdraw(web, locked.comp).status_code == 302
    assert submit(web.get(_url(locked)), reason=REASON, confirm=True).status_code == 302
    db.session.refresh(locked.jury)
    assert not locked.jury.is_locked and len(_unlocks()) == 1


def test_after_reopening_judges_score_again_and_the_chair_locks_again(locked, db, web):
    chair, member = locked.users
    p1, p2, p3 = locked.projects
    web.login(member.email)
    assert _autosave(web, locked, p3, 9).status_code == 409  # locked
    web.logout()

    web.login(locked.organiser.email)
    assert submit(web.get(_url(locked)), reason=REASON, confirm=True).status_code == 302
    web.logout()

    web.login(member.email)
    saved = _autosave(web, locked, p3, 9)
    assert saved.status_code == 200 and saved.json["ok"] and saved.json["changed"] == 1
    web.logout()

    web.login(chair.email)
    base = f"/c/{locked.comp.id}/jury/chair/{locked.jury.id}/"
    chair_page = web.get(base)
    page = chair_page.get_data(as_text=True)
    assert 'data-testid="reopened"' in page and REASON in page
    assert re.search(rf'name="place_{p2.id}"\s+value="2"', page)  # the old decision is the draft
    form = {f"place_{p.id}": str(n) for p, n in ((p1, 1), (p2, 3), (p3, 2))}
    form.update(
        {
            f"prize_{p1.id}": "1",
            f"prize_{p3.id}": "2",
            f"prize_{p2.id}": "",
            f"qualified_{p1.id}": True,
            f"qualified_{p2.id}": False,
            f"qualified_{p3.id}": False,
            f"reason_{p2.id}": REASON,
            f"reason_{p3.id}": REASON,
        }
    )
    assert submit(chair_page, **form).status_code == 302
    assert submit(web.get(base), button="Jury abschließen").status_code == 302
    db.session.refresh(locked.jury)
    assert locked.jury.is_locked and locked.jury.locked_by_id == chair.id
    assert _decided()[p3.id] == (2, 2, False) and _decided()[p2.id] == (3, None, False)
    assert len(_unlocks("jury.lock")) == 2
    assert 'data-testid="reopened"' not in web.get(base).get_data(as_text=True)


def test_an_open_jury_is_not_reopened(locked, db, login_as):
    web = login_as(locked.organiser)
    open_jury = JuryFactory(competition=locked.comp, subject=locked.comp.subjects[2], name="Chemie")
    db.session.commit()
    assert web.get(_url(locked, open_jury)).status_code == 302  # no form: forged below
    assert (
        web.post_raw(_url(locked, open_jury), {"reason": REASON, "confirm": "y"}).status_code == 302
    )
    assert _unlocks() == []
    with pytest.raises(DecisionError):
        decisions.unlock_jury(open_jury, locked.comp, locked.organiser, REASON)


def test_the_service_refuses_an_empty_reason_and_a_second_unlock(locked, db):
    with pytest.raises(DecisionError):
        decisions.unlock_jury(locked.jury, locked.comp, locked.organiser, "  ")
    assert locked.jury.is_locked
    decisions.unlock_jury(locked.jury, locked.comp, locked.organiser, REASON)
    db.session.commit()
    with pytest.raises(DecisionError):
        decisions.unlock_jury(locked.jury, locked.comp, locked.organiser, REASON)
    assert len(_unlocks()) == 1


def test_the_reason_is_shown_to_the_chair_escaped(locked, db, web):
    web.login(locked.organiser.email)
    submit(web.get(_url(locked)), reason="<script>alert(1)</script>", confirm=True)
    web.logout()
    web.login(locked.users[0].email)
    page = web.get(f"/c/{locked.comp.id}/jury/chair/{locked.jury.id}/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_an_archived_competition_keeps_its_decisions(locked, db):
    from compmgr.competitions.models import Status

    locked.comp.status = Status.ARCHIVED
    db.session.commit()
    assert "archiviert" in decisions.unlock_refusal(locked.jury, locked.comp)
    with pytest.raises(DecisionError):
        decisions.unlock_jury(locked.jury, locked.comp, locked.organiser, REASON)
    assert locked.jury.is_locked and _unlocks() == []
