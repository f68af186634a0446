"""Judges are never a dead end (issue 13): one test per defect."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role, User
from compmgr.judging.models import Conflict, JuryMember
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    SchoolFactory,
    UserFactory,
    assign,
    grant,
)
from tests.forms import submit
from tests.judging_admin.test_assignment import _judges, _projects
from tests.mailbox import links, outbox


@pytest.fixture
def scene(db):
    comp = CompetitionFactory(min_judges_per_project=1, starts_on=date(2027, 2, 25))
    school = SchoolFactory(competition_id=comp.id, name="Goethe-Gymnasium")
    bio, chem = comp.subjects[1], comp.subjects[2]
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    projects = _projects(comp, school, bio, 2)
    chair, other = _judges(comp, jury, 2)
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    return dict(
        comp=comp, school=school, bio=bio, chem=chem, jury=jury, projects=projects,
        chair=chair, other=other, org=org,
    )  # fmt: skip


def judges_url(comp, path=""):
    return f"/c/{comp.id}/org/judging/judges{path}"


def test_the_demo_jurors_all_log_in_with_the_demo_password_and_reach_their_projects(app, db, web):
    from compmgr.demo import DEMO_PASSWORD, find_demo, load_demo
    from compmgr.judging.models import Judge

    load_demo()
    comp = find_demo()
    judges = db.session.scalars(db.select(Judge).filter_by(competition_id=comp.id)).all()
    assert len(judges) == 30
    assert all(j.user is not None and j.user.has_role(Role.JUDGE, comp.id) for j in judges)
    juror = next(j for j in judges if j.email == "juror7@demo.compmgr.de")
    assert web.login(juror.email, DEMO_PASSWORD).status_code == 302
    page = web.get(f"/c/{comp.id}/jury/", follow_redirects=True)
    assert page.status_code == 200 and "Vertraulichkeitserklärung" in page.get_data(as_text=True)


def test_organiser_edits_a_judge_expertise_school_and_availability(db, scene, login_as):
    comp, judge = scene["comp"], scene["other"]
    web = login_as(scene["org"])
    assert f"/judges/{judge.id}/edit" in web.get(judges_url(comp)).get_data(as_text=True)
    page = web.get(judges_url(comp, f"/{judge.id}/edit"))
    assert page.status_code == 200
    response = submit(
        page,
        affiliation="Universität Musterstadt",
        school_id=scene["school"].id,
        subjects=[scene["bio"].id, scene["chem"].id],
        divisions=[comp.divisions[0].id],
        availability="nur vormittags",
    )
    assert response.status_code == 302
    db.session.refresh(judge)
    assert judge.affiliation == "Universität Musterstadt" and judge.availability == "nur vormittags"
    assert {s.name for s in judge.subjects} == {"Biologie", "Chemie"}
    assert judge.school == scene["school"]
    # the school is a conflict straight away
    assert db.session.scalars(
        db.select(Conflict).filter_by(judge_id=judge.id, school_id=scene["school"].id)
    ).first()
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="judge.update")).one()
    assert entry.after["availability"] == "nur vormittags"
    html = web.get(judges_url(comp)).get_data(as_text=True)
    assert "Expertise: Biologie, Chemie" in html


def test_judge_form_shows_its_error_next_to_the_field_and_keeps_the_input(db, scene, login_as):
    comp, judge = scene["comp"], scene["other"]
    web = login_as(scene["org"])
    response = submit(
        web.get(judges_url(comp, f"/{judge.id}/edit")), first_name="", affiliation="Uni X"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "invalid-feedback" in html and 'value="Uni X"' in html


def test_expertise_is_shown_when_building_a_jury(db, scene, login_as):
    comp = scene["comp"]
    chemist = JudgeFactory(
        competition=comp, first_name="Carla", last_name="Chemie", email="carla@example.org"
    )
    chemist.subjects = [scene["chem"]]
    scene["chair"].subjects = [scene["bio"]]
    db.session.commit()
    web = login_as(scene["org"])
    html = web.get(f"/c/{comp.id}/org/judging/juries/{scene['jury'].id}").get_data(as_text=True)
    assert "Chemie, Carla – Chemie" in html  # the picker names the expertise
    assert '<td class="judge-expertise">Biologie</td>' in html  # and so does the member list


def test_an_absent_judge_is_shown_as_absent_and_the_absence_can_be_undone(db, scene, login_as):
    comp, chair, jury = scene["comp"], scene["chair"], scene["jury"]
    assign(chair, scene["projects"][0])
    db.session.commit()
    web = login_as(scene["org"])
    submit(web.get(judges_url(comp)), action=judges_url(comp, f"/{chair.id}/absent"))
    db.session.expire_all()
    assert chair.is_absent and not chair.memberships
    html = web.get(judges_url(comp)).get_data(as_text=True)
    edit = html.index(f"/judges/{chair.id}/edit")
    row = html[html.rindex("<tr>", 0, edit) : html.index("</tr>", edit)]
    assert "fällt aus" in row and "ausgefallen seit" in row and "Ausfall zurücknehmen" in row
    response = submit(web.get(judges_url(comp)), action=judges_url(comp, f"/{chair.id}/present"))
    assert response.status_code == 302
    db.session.expire_all()
    assert not chair.is_absent
    member = db.session.scalars(db.select(JuryMember).filter_by(judge_id=chair.id)).one()
    assert member.jury_id == jury.id
    assert member.is_chair  # the chair again: nobody took it over meanwhile
    assert "fällt aus" not in web.get(judges_url(comp)).get_data(as_text=True)


def test_a_judge_reaches_the_conflict_declaration_after_accepting(db, scene, login_as):
    from compmgr.judging.juries import accept_confidentiality

    comp, project = scene["comp"], scene["projects"][0]
    user = UserFactory(email="richter@example.org")
    judge = JudgeFactory(competition=comp, user=user, jury=scene["jury"], email=user.email)
    accept_confidentiality(judge)
    assign(judge, project)
    db.session.commit()
    web = login_as(user)
    dashboard = web.get(f"/c/{comp.id}/jury/")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    assert f'href="/c/{comp.id}/jury/welcome"' in html and "Befangenheit melden" in html
    page = web.get(f"/c/{comp.id}/jury/welcome")
    assert "Sie haben eine Befangenheit erst jetzt bemerkt?" in page.get_data(as_text=True)
    submit(page, projects=[project.id])
    db.session.expire_all()
    assert not judge.can_score(project)


def test_an_existing_account_gets_a_new_competition_role_without_a_new_password(
    app, db, scene, login_as
):
    other = CompetitionFactory(name="Landeswettbewerb Anderswo")
    user = grant(UserFactory(email="erfahren@example.org"), other, Role.JUDGE)
    db.session.commit()
    before = user.password_hash
    web = login_as(scene["org"])
    comp = scene["comp"]
    submit(
        web.get(judges_url(comp)),
        first_name="Erika",
        last_name="Erfahren",
        email="erfahren@example.org",
        school_id=0,
        jury_id=scene["jury"].id,
    )
    (mail,) = outbox(app)
    assert "Juror(in)" in mail["body"] and comp.title in mail["body"]
    (link,) = [u for u in links(mail) if "/offer/" in u]
    web.logout()
    assert web.login("erfahren@example.org").status_code == 302  # the password they have
    offer = web.get(urlsplit(link).path)
    assert offer.status_code == 200
    submit(offer, button="Annehmen")
    db.session.expire_all()
    user = db.session.execute(db.select(User).filter_by(email="erfahren@example.org")).scalar_one()
    assert user.has_role(Role.JUDGE, comp.id) and user.has_role(Role.JUDGE, other.id)
    assert user.password_hash == before  # never asked to set one again


def test_undoing_an_absence_leaves_a_new_chair_in_place(db, scene, login_as):
    from compmgr.judging.juries import set_chair

    comp, chair, other, jury = scene["comp"], scene["chair"], scene["other"], scene["jury"]
    web = login_as(scene["org"])
    submit(web.get(judges_url(comp)), action=judges_url(comp, f"/{chair.id}/absent"))
    db.session.expire_all()
    set_chair(jury, other)  # the organiser named a new chair meanwhile
    db.session.commit()
    submit(web.get(judges_url(comp)), action=judges_url(comp, f"/{chair.id}/present"))
    db.session.expire_all()
    assert jury.chair == other and chair in [m.judge for m in jury.members]
