"""The phases of a competition: a state machine no click sequence can trap anyone in."""

from datetime import date

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role
from compmgr.competitions import phases
from compmgr.competitions.models import STATUS_ORDER, Status
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.privacy.models import CompetitionStatistics
from compmgr.registration.services import registration_open
from tests.factories import CompetitionFactory, SchoolFactory, UserFactory, grant
from tests.forms import post_raw, submit
from tests.results.helpers import change_phase, judged_competition


@pytest.fixture
def scene(db):
    comp = CompetitionFactory(status=Status.SETUP, registration_deadline=date(2099, 11, 30))
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
    school_user = grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, school)
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    return comp, school, school_user, org, admin


def _status(comp):
    db.session.expire_all()
    return db.session.get(type(comp), comp.id).status


def test_every_phase_has_a_way_on_and_a_way_back_to_where_it_came_from():
    for status in STATUS_ORDER:
        steps = {(t.source, t.target) for t in phases.TRANSITIONS if t.source == status}
        assert steps, f"{status} traps the competition"
        for source, target in steps:  # each step can be undone by the step the other way
            assert (target, source) in {(t.source, t.target) for t in phases.TRANSITIONS}
    for status in Status:  # every phase has its words for every role
        p = phases.PHASES[status]
        assert all(str(text) for text in (p.summary, p.school, p.judge, p.public))


def test_publishing_during_registration_is_not_a_step_and_freezes_nobody(scene, login_as):
    comp, school, _school_user, org, _admin = scene
    comp.status = Status.REGISTRATION_OPEN
    db.session.commit()
    web = login_as(org)
    page = web.get(f"/c/{comp.id}/org/phase?to=published", follow_redirects=True)
    assert "nicht möglich" in page.get_data(as_text=True)
    assert _status(comp) == Status.REGISTRATION_OPEN
    assert registration_open(db.session.get(type(comp), comp.id), school)
    # the publish page offers no button that would jump there either
    html = web.get(f"/c/{comp.id}/org/publish").get_data(as_text=True)
    assert "to=published" not in html


def test_the_dashboard_asks_before_each_step_and_says_what_it_changes(scene, login_as):
    comp, _school, _school_user, org, _admin = scene
    web = login_as(org)
    dashboard = web.get(f"/c/{comp.id}/org/").get_data(as_text=True)
    assert 'data-testid="phase"' in dashboard and "to=registration_open" in dashboard
    assert 'name="status"' not in dashboard  # no one-click phase buttons any more
    page = web.get(f"/c/{comp.id}/org/phase?to=registration_open")
    html = page.get_data(as_text=True)
    assert "Schulen" in html and "können Personen und Projekte anmelden" in html
    refused = submit(page)  # the box left unticked
    assert refused.status_code == 422 and 'id="confirm-error"' in refused.get_data(as_text=True)
    assert _status(comp) == Status.SETUP
    assert submit(page, confirm=True).status_code == 302
    assert _status(comp) == Status.REGISTRATION_OPEN
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="competition.phase")).one()
    assert entry.before == {"phase": "setup"} and entry.after == {"phase": "registration_open"}


def test_a_whole_season_forward_and_back_returns_to_each_phase(db, login_as, client):
    w = judged_competition()
    comp = w.comp
    comp.status = Status.SETUP
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    web = login_as(w.org)
    for target in STATUS_ORDER[1:]:
        assert change_phase(web, comp, target.value).status_code == 302, target
        assert _status(comp) == target
    refused = web.get(f"/c/{comp.id}/org/phase?to=published").get_data(as_text=True)
    assert "Nur die Instanz-Administration" in refused and 'name="confirm"' not in refused
    web.logout()
    web = login_as(admin)
    for back in reversed(STATUS_ORDER[:-1]):
        assert change_phase(web, comp, back.value).status_code == 302, back
        assert _status(comp) == back


def test_archiving_is_confirmed_and_only_the_admin_undoes_it_until_purged(db, login_as):
    w = judged_competition()
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    web = login_as(w.org)
    assert change_phase(web, w.comp, "published").status_code == 302
    archive = web.get(f"/c/{w.comp.id}/org/phase?to=archived")
    assert "Instanz-Administration kann das Archivieren" in archive.get_data(as_text=True)
    assert submit(archive).status_code == 422  # not on one click
    assert _status(w.comp) == Status.PUBLISHED
    assert submit(archive, confirm=True).status_code == 302
    assert _status(w.comp) == Status.ARCHIVED
    dashboard = web.get(f"/c/{w.comp.id}/org/").get_data(as_text=True)
    assert "„Archivierung aufheben“ kann nur die Instanz-Administration." in dashboard
    # the results stay public when archived
    web.logout()
    assert web.get(f"/c/{w.comp.id}/results").status_code == 200

    web = login_as(admin)
    assert change_phase(web, w.comp, "published").status_code == 302
    assert _status(w.comp) == Status.PUBLISHED
    assert change_phase(web, w.comp, "archived").status_code == 302
    db.session.add(CompetitionStatistics(competition_id=w.comp.id, data={}, purged_at=utcnow()))
    db.session.commit()
    page = web.get(f"/c/{w.comp.id}/org/phase?to=published")
    assert page.status_code == 200 and "Daten dieses Wettbewerbs sind gelöscht" in page.get_data(
        as_text=True
    )
    with pytest.raises(phases.PhaseError):
        phases.change(db.session.get(type(w.comp), w.comp.id), Status.PUBLISHED, admin)
    db.session.rollback()
    assert _status(w.comp) == Status.ARCHIVED


def test_publishing_names_the_open_juries_and_refuses_with_none_locked(db, login_as):
    w = judged_competition()
    web = login_as(w.org)
    html = web.get(f"/c/{w.comp.id}/org/phase?to=published").get_data(as_text=True)
    assert 'data-testid="phase-warning"' in html and "Chemie" in html
    w.jury.locked_at = None
    db.session.commit()
    page = web.get(f"/c/{w.comp.id}/org/phase?to=published")
    assert "Noch keine Jury hat ihre Entscheidung abgeschlossen" in page.get_data(as_text=True)
    assert 'name="confirm"' not in page.get_data(as_text=True)
    stale = post_raw(
        web.client, f"/c/{w.comp.id}/org/phase", {"target": "published", "confirm": "y"}
    )
    assert stale.status_code == 409
    assert _status(w.comp) == Status.JUDGING


def test_the_school_dashboard_says_one_thing_after_the_deadline(scene, login_as):
    comp, _school, school_user, _org, _admin = scene
    comp.status = Status.REGISTRATION_OPEN
    comp.registration_deadline = date(2020, 11, 30)
    db.session.commit()
    html = login_as(school_user).get(f"/c/{comp.id}/school/").get_data(as_text=True)
    assert "Anmeldefrist ist am 30.11.2020 abgelaufen" in html
    assert "Anmeldung offen" not in html


@pytest.mark.parametrize(
    "status,text,wrong",
    [
        (Status.JUDGING, "Die Bewertung hat begonnen", "archiviert"),
        (Status.PUBLISHED, "Die Ergebnisse sind veröffentlicht", "Die Bewertung hat begonnen"),
        (Status.ARCHIVED, "abgeschlossen und archiviert", "Die Bewertung hat begonnen"),
    ],
)
def test_the_school_reads_the_words_of_the_phase_it_is_in(scene, login_as, status, text, wrong):
    comp, _school, school_user, _org, _admin = scene
    comp.status = status
    db.session.commit()
    html = login_as(school_user).get(f"/c/{comp.id}/school/").get_data(as_text=True)
    assert text in html and wrong not in html


def test_judges_read_the_phase_from_the_same_definition(db, login_as):
    from tests.results.helpers import mixed_jury

    comp, _jury, _projects, users, _org = mixed_jury()
    web = login_as(users[1])
    assert "Die Bewertung läuft." in web.get(f"/c/{comp.id}/jury/").get_data(as_text=True)
    comp.status = Status.ARCHIVED
    db.session.commit()
    page = web.get(f"/c/{comp.id}/jury/").get_data(as_text=True)
    assert "Der Wettbewerb ist abgeschlossen und archiviert." in page
