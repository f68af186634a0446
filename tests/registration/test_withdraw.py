"""A school withdraws its own project: confirmed, audited, until judging begins."""

import io
from datetime import date

from compmgr.audit.models import AuditEntry
from compmgr.competitions.models import Status
from compmgr.registration.models import Project, ProjectStatus
from tests.factories import ProjectFactory
from tests.forms import submit
from tests.registration.test_school_pages import _team, new_project, url


def _withdraw_url(setup, project):
    return url(setup, f"/projects/{project.id}/withdraw")


def test_school_withdraws_a_project_after_confirming_and_the_team_is_free_again(
    setup, login_as, db
):
    team = _team(setup, 2)
    project = ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=team,
        title="Süßwasser­algen",
        stand="B7",
    )
    setup.comp.registration_deadline = date(2020, 1, 31)  # late drop-outs are allowed too
    db.session.commit()
    web = login_as(setup.user)
    page = web.get(url(setup, f"/projects/{project.id}")).get_data(as_text=True)
    assert "Projekt zurückziehen …" in page

    unconfirmed = submit(web.get(_withdraw_url(setup, project)), reason="Krank")
    html = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422
    assert "Bitte bestätigen Sie, dass das Projekt zurückgezogen werden soll." in html
    assert "Krank</textarea>" in html  # what the teacher typed survives
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED

    done = submit(unconfirmed, reason="Krank", confirm=True)
    assert done.status_code == 302
    db.session.refresh(project)
    assert (project.status, project.status_reason, project.stand) == (
        ProjectStatus.WITHDRAWN,
        "Krank",
        None,
    )
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="project.status")).one()
    assert entry.user_id == setup.user.id and entry.after["by_school"] is True
    assert entry.before["status"] == ProjectStatus.SUBMITTED.value

    setup.comp.registration_deadline = date(2099, 1, 31)
    db.session.commit()
    again = new_project(web, setup, team, title="Neues Projekt")
    assert again.status_code == 302  # the team may join another project now
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 2


def test_no_withdrawal_once_judging_began(setup, login_as, db):
    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=_team(setup, 1)
    )
    db.session.commit()
    web = login_as(setup.user)
    stale = web.get(_withdraw_url(setup, project))  # opened before judging began
    setup.comp.status = Status.JUDGING
    db.session.commit()
    assert "Projekt zurückziehen" not in web.get(url(setup, f"/projects/{project.id}")).get_data(
        as_text=True
    )
    page = web.get(_withdraw_url(setup, project)).get_data(as_text=True)
    assert "Die Bewertung hat begonnen" in page and 'name="confirm"' not in page  # said up front
    response = submit(stale, confirm=True)
    assert response.status_code == 409
    assert "Die Bewertung hat begonnen" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED


def test_another_school_cannot_withdraw_the_project(setup, login_as, db):
    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=_team(setup, 1)
    )
    db.session.commit()
    web = login_as(setup.other_user)
    assert web.get(_withdraw_url(setup, project)).status_code == 404
    assert (
        web.post_raw(_withdraw_url(setup, project), {"confirm": "y"}).status_code == 404
    )  # forged
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED


def test_a_withdrawn_project_is_read_only_for_the_school(setup, login_as, db):
    from tests.factories import make_pdf

    team = _team(setup, 1)
    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=team, title="Alter Titel"
    )
    db.session.commit()
    web = login_as(setup.user)
    stale = web.get(url(setup, f"/projects/{project.id}"))  # open in another tab
    submit(web.get(_withdraw_url(setup, project)), reason="Team krank", confirm=True)
    page = web.get(url(setup, f"/projects/{project.id}")).get_data(as_text=True)
    assert "nimmt nicht mehr teil" in page and "Grund: Team krank" in page
    assert "Es fehlt noch" not in page and 'type="file"' not in page
    assert "Projekt zurückziehen …" not in page
    again = web.get(_withdraw_url(setup, project)).get_data(as_text=True)
    assert "schon zurückgezogen" in again

    html = submit(stale, title="Neuer Titel").get_data(as_text=True)
    assert "lässt sich nicht mehr ändern" in html
    upload = submit(stale, having={"kind": "paper"}, file=(io.BytesIO(make_pdf()), "arbeit.pdf"))
    assert upload.status_code in (302, 422)
    db.session.refresh(project)
    assert project.title == "Alter Titel" and project.documents == []


def test_editing_a_member_leaves_the_withdrawn_project_as_it_was(setup, login_as, db):
    from compmgr.registration.models import Participant

    team = _team(setup, 1)
    project = ProjectFactory(competition=setup.comp, school=setup.school, participants=team)
    db.session.commit()
    division = project.division_id
    web = login_as(setup.user)
    submit(web.get(_withdraw_url(setup, project)), confirm=True)
    person = db.session.get(Participant, team[0].id)
    page = web.get(url(setup, f"/participants/{person.id}"))
    assert submit(page, birth_date="2014-05-17", grade="5").status_code == 302  # now a junior
    db.session.refresh(project)
    assert project.division_id == division
