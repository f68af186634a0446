"""The organiser's judging pages and the judge's onboarding, through HTTP."""

from datetime import date, time

import pytest

from compmgr.auth.models import Role, User
from compmgr.judging.models import Assignment, Conflict, ConflictStatus, Judge
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    SchoolFactory,
    UserFactory,
    grant,
)
from tests.forms import FormError, submit
from tests.judging_admin.test_assignment import _judges, _projects


@pytest.fixture
def setup(db):
    comp = CompetitionFactory(
        min_judges_per_project=2,
        starts_on=date(2027, 2, 25),
        judging_starts_at=time(9, 0),
        judging_breaks="12:30-13:15",
    )
    school = SchoolFactory(competition_id=comp.id, name="Goethe-Gymnasium")
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    projects = _projects(comp, school, bio, 4)
    judges = _judges(comp, jury, 3)
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    other_org = grant(
        UserFactory(email="fremd@example.org"), CompetitionFactory(name="Anders"), Role.ORGANISER
    )
    judge_user = UserFactory(email="jury@example.org")
    me = JudgeFactory(
        competition=comp, user=judge_user, jury=jury, first_name="Jutta", last_name="Jurorin"
    )
    db.session.commit()
    return dict(
        comp=comp,
        school=school,
        jury=jury,
        projects=projects,
        judges=judges,
        org=org,
        other_org=other_org,
        judge_user=judge_user,
        me=me,
    )


def test_organiser_invites_a_judge_who_gets_a_profile_and_account(db, setup, login_as):
    comp = setup["comp"]
    web = login_as(setup["org"])
    url = f"/c/{comp.id}/org/judging/judges"
    response = submit(
        web.get(url),
        first_name="Björn",
        last_name="Weiß",
        email="Bjoern@Uni.example",
        affiliation="Universität",
        school_id=setup["school"].id,
        subjects=[comp.subjects[1].id],
        divisions=[comp.divisions[0].id],
        availability="nur vormittags",
        jury_id=setup["jury"].id,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Einladung an bjoern@uni.example verschickt" in html and "/invite/" in html
    judge = db.session.scalars(db.select(Judge).filter_by(email="bjoern@uni.example")).one()
    assert judge.user.email == "bjoern@uni.example"
    assert any(gr.role == Role.JUDGE and gr.competition_id == comp.id for gr in judge.user.grants)
    assert [m.jury_id for m in judge.memberships] == [setup["jury"].id]
    # the school is a derived conflict straight away
    assert (
        db.session.scalars(db.select(Conflict).filter_by(judge_id=judge.id)).one().school_id
        == setup["school"].id
    )
    form = {
        "first_name": "B",
        "last_name": "W",
        "email": "bjoern@uni.example",
        "school_id": 0,
        "jury_id": 0,
    }
    again = submit(
        web.get(url), **form
    )  # not joined yet: the invitation goes out again, no second profile
    assert again.status_code == 200 and "erneut verschickt" in again.get_data(as_text=True)
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Judge).filter_by(email="bjoern@uni.example")
        )
        == 1
    )
    judge.user.set_password("Das-eigene-Passwort-1")
    db.session.commit()
    joined = submit(web.get(url), **form)
    assert joined.status_code == 422
    assert "bereits Juror(in) in diesem Wettbewerb" in joined.get_data(as_text=True)


def test_judge_must_accept_confidentiality_and_declares_conflicts(db, setup, login_as):
    comp, me, projects = setup["comp"], setup["me"], setup["projects"]
    web = login_as(setup["judge_user"])
    url = f"/c/{comp.id}/jury/welcome"
    page = web.get(url)
    assert page.status_code == 200 and "Vertraulichkeitserklärung" in page.get_data(as_text=True)
    refused = submit(page, projects=[projects[0].id])
    assert refused.status_code == 422
    assert "Ohne Zustimmung" in refused.get_data(as_text=True)
    db.session.refresh(me)
    assert me.confidentiality_accepted_at is None
    ok = submit(
        refused,
        accept=True,
        projects=[projects[0].id],
        participants=[projects[1].participants[0].id],
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/c/{comp.id}/jury/")
    db.session.refresh(me)
    assert me.confidentiality_accepted_at is not None and me.conflicts_declared_at is not None
    declared = db.session.scalars(
        db.select(Conflict).filter_by(judge_id=me.id, source="declared")
    ).all()
    assert {(c.project_id, c.participant_id) for c in declared} == {
        (projects[0].id, None),
        (None, projects[1].participants[0].id),
    }
    assert all(c.status == ConflictStatus.CONFIRMED for c in declared)


def test_welcome_page_offers_checkbox_lists_a_phone_can_use(db, setup, login_as):
    """Conflicts are ticked in lists per kind (projects by Fachgebiet, people by school)."""
    comp, projects = setup["comp"], setup["projects"]
    long_name = "Carl-Friedrich-Gauß-Schule, Gymnasium mit naturwissenschaftlichem Schwerpunkt"
    far = SchoolFactory(competition_id=comp.id, name=long_name, city="Braunschweig")
    db.session.commit()
    web = login_as(setup["judge_user"])
    url = f"/c/{comp.id}/jury/welcome"
    page = web.get(url)
    html = page.get_data(as_text=True)
    assert "<select" not in html and "Strg" not in html
    for kind, ids in (
        ("schools", [setup["school"].id, far.id]),
        ("projects", [p.id for p in projects]),
        ("participants", [p.participants[0].id for p in projects]),
    ):
        for i in ids:
            assert f'type="checkbox" name="{kind}" value="{i}" id="{kind}-{i}"' in html
    assert f"{long_name}, Braunschweig</label>" in html  # the whole name, never cut off
    assert "2 Schulen</summary>" in html and "4 Projekte, nach Fachgebiet</summary>" in html
    assert f'<summary class="py-1">{projects[0].subject.name} <span' in html  # grouped
    assert '<summary class="py-1">Goethe-Gymnasium, ' in html
    assert " angekreuzt<" not in html and '<details class="py-1" open>' not in html

    person = projects[1].participants[0]
    ok = submit(page, accept=True, schools=[far.id], participants=[person.id])
    assert ok.status_code == 302
    again = web.get(url).get_data(as_text=True)
    assert f'value="{far.id}" id="schools-{far.id}" checked' in again
    assert f'value="{person.id}" id="participants-{person.id}" checked' in again
    assert "1 angekreuzt<" in again and '<details class="py-1" open>' in again  # its school opens


def test_declaring_an_object_of_another_competition_is_refused(db, setup, login_as):
    other = CompetitionFactory(name="Fremd")
    foreign = SchoolFactory(competition_id=other.id, name="Fremde Schule")
    db.session.commit()
    web = login_as(setup["judge_user"])
    url = f"/c/{setup['comp'].id}/jury/welcome"
    with pytest.raises(FormError, match="offers"):
        submit(web.get(url), accept=True, schools=[foreign.id])
    response = web.post_raw(url, {"accept": "y", "schools": [foreign.id]})  # forged
    assert response.status_code == 422  # not among the choices
    assert not db.session.scalars(db.select(Conflict).filter_by(judge_id=setup["me"].id)).all()


def test_organiser_runs_assignment_builds_timetable_and_prints_it(db, setup, login_as):
    comp = setup["comp"]
    web = login_as(setup["org"])
    assignments = f"/c/{comp.id}/org/judging/assignments"
    response = submit(web.get(assignments), action=assignments + "/run")
    assert response.status_code == 302
    page = web.get(f"/c/{comp.id}/org/judging/assignments").get_data(as_text=True)
    assert "nachweislich optimal" in page and "Jedes Projekt hat genug" in page
    assert len(db.session.scalars(db.select(Assignment)).all()) == 8
    timetable = f"/c/{comp.id}/org/judging/timetable"
    assert submit(web.get(timetable), action=timetable + "/build").status_code == 302
    page = web.get(f"/c/{comp.id}/org/judging/timetable").get_data(as_text=True)
    assert "Zeitplan: 0 Besuche verschoben, 4 neu eingeplant, 0 ohne Zeit" in page
    assert "09:00" in page
    pdf = web.get(f"/c/{comp.id}/org/judging/timetable.pdf")
    assert (
        pdf.status_code == 200
        and pdf.mimetype == "application/pdf"
        and pdf.data.startswith(b"%PDF")
    )


def test_absent_judge_page_shows_what_changed(db, setup, login_as):
    comp, gone = setup["comp"], setup["judges"][0]
    web = login_as(setup["org"])
    assignments = f"/c/{comp.id}/org/judging/assignments"
    submit(web.get(assignments), action=assignments + "/run")
    judges = f"/c/{comp.id}/org/judging/judges"
    response = submit(web.get(judges), action=f"{judges}/{gone.id}/absent")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Was sich geändert hat" in html
    assert "hatte den Vorsitz" in html  # judges[0] chaired the jury
    assert not db.session.scalars(db.select(Assignment).filter_by(judge_id=gone.id)).all()


def test_organiser_dismisses_a_flagged_conflict(db, setup, login_as):
    comp, judge = setup["comp"], setup["judges"][1]
    judge.last_name = setup["projects"][0].participants[0].last_name
    db.session.commit()
    web = login_as(setup["org"])
    conflicts = f"/c/{comp.id}/org/judging/conflicts"
    submit(web.get(conflicts), action=conflicts + "/derive")
    conflict = db.session.scalars(db.select(Conflict).filter_by(judge_id=judge.id)).one()
    assert conflict.status == ConflictStatus.FLAGGED
    assert "bitte prüfen" in web.get(f"/c/{comp.id}/org/judging/conflicts").get_data(as_text=True)
    submit(web.get(conflicts), action=f"{conflicts}/{conflict.id}/decide", button="Verwerfen")
    db.session.refresh(conflict)
    assert conflict.status == ConflictStatus.DISMISSED
    assert conflict.decided_by_id == setup["org"].id


def test_manual_assignment_refuses_a_conflicted_judge_next_to_the_field(db, setup, login_as):
    comp, project = setup["comp"], setup["projects"][0]
    teacher = JudgeFactory(
        competition=comp,
        first_name="Lehr",
        last_name="Kraft",
        email="l@example.org",
        school_id=setup["school"].id,
    )
    db.session.commit()
    web = login_as(setup["org"])
    page = web.get(f"/c/{comp.id}/org/judging/assignments/{project.id}")
    response = submit(page, judge_id=teacher.id)
    assert response.status_code == 422
    assert "befangen" in response.get_data(as_text=True)
    ok = submit(response, judge_id=setup["judges"][1].id)
    assert ok.status_code == 302
    row = db.session.scalars(db.select(Assignment).filter_by(project_id=project.id)).one()
    assert row.manual and row.judge_id == setup["judges"][1].id


def test_pages_refuse_other_organisers_and_foreign_objects(db, setup, login_as):
    comp = setup["comp"]
    other_comp = CompetitionFactory(name="Dritter")
    foreign_jury = JuryFactory(competition=other_comp)
    db.session.commit()
    web = login_as(setup["other_org"])
    assert web.get(f"/c/{comp.id}/org/judging/assignments").status_code == 403
    web.logout()
    web = login_as(setup["org"])
    assert web.get(f"/c/{comp.id}/org/judging/juries/{foreign_jury.id}").status_code == 404
    web.logout()
    web = login_as(setup["judge_user"])
    assert web.get(f"/c/{comp.id}/org/judging/judges").status_code == 403
    assert db.session.get(User, setup["judge_user"].id) is not None


def test_assignment_of_a_competition_without_projects_is_no_server_error(db, login_as):
    comp = CompetitionFactory(name="Neu und leer")
    web = login_as(grant(UserFactory(email="leer@example.org"), comp, Role.ORGANISER))
    response = submit(
        web.get(f"/c/{comp.id}/org/judging/assignments"),
        action=f"/c/{comp.id}/org/judging/assignments/run",
    )
    assert response.status_code == 302
    assert "0 neu, 0 entfernt" in web.get(f"/c/{comp.id}/org/judging/assignments").get_data(
        as_text=True
    )
