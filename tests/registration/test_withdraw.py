"""A school withdraws its own project: confirmed, audited, until judging begins."""

from datetime import date

from compmgr.audit.models import AuditEntry
from compmgr.competitions.models import Status
from compmgr.registration.models import Project, ProjectStatus
from tests.registration.conftest import make_project
from tests.registration.test_school_pages import _team, project_data, url


def _withdraw_url(setup, project):
    return url(setup, f"/projects/{project.id}/withdraw")


def test_school_withdraws_a_project_after_confirming_and_the_team_is_free_again(setup, login_as, db):
    team = _team(setup, 2)
    project = make_project(setup.comp, setup.school, team, title="Süßwasser­algen", stand="B7")
    setup.comp.registration_deadline = date(2020, 1, 31)  # late drop-outs are allowed too
    db.session.commit()
    web = login_as(setup.user)
    page = web.get(url(setup, f"/projects/{project.id}")).get_data(as_text=True)
    assert "Projekt zurückziehen …" in page

    unconfirmed = web.post(_withdraw_url(setup, project), {"reason": "Krank"})
    html = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422
    assert "Bitte bestätigen Sie, dass das Projekt zurückgezogen werden soll." in html
    assert "Krank</textarea>" in html  # what the teacher typed survives
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED

    done = web.post(_withdraw_url(setup, project), {"reason": "Krank", "confirm": "y"})
    assert done.status_code == 302
    db.session.refresh(project)
    assert (project.status, project.status_reason, project.stand) == (ProjectStatus.WITHDRAWN, "Krank", None)
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="project.status")).one()
    assert entry.user_id == setup.user.id and entry.after["by_school"] is True
    assert entry.before["status"] == ProjectStatus.SUBMITTED.value

    setup.comp.registration_deadline = date(2099, 1, 31)
    db.session.commit()
    again = web.post(url(setup, "/projects/new"), project_data(setup, team, title="Neues Projekt"))
    assert again.status_code == 302  # the team may join another project now
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 2


def test_no_withdrawal_once_judging_began(setup, login_as, db):
    project = make_project(setup.comp, setup.school, _team(setup, 1))
    setup.comp.status = Status.JUDGING
    db.session.commit()
    web = login_as(setup.user)
    assert "Projekt zurückziehen" not in web.get(url(setup, f"/projects/{project.id}")).get_data(as_text=True)
    page = web.get(_withdraw_url(setup, project)).get_data(as_text=True)
    assert "Die Bewertung hat begonnen" in page and 'name="confirm"' not in page  # said up front
    response = web.post(_withdraw_url(setup, project), {"confirm": "y"})
    assert response.status_code == 409
    assert "Die Bewertung hat begonnen" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED


def test_another_school_cannot_withdraw_the_project(setup, login_as, db):
    project = make_project(setup.comp, setup.school, _team(setup, 1))
    db.session.commit()
    web = login_as(setup.other_user)
    assert web.get(_withdraw_url(setup, project)).status_code == 404
    assert web.post(_withdraw_url(setup, project), {"confirm": "y"}).status_code == 404
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED
