"""The access log: every view or export of personal data is recorded and shown to admins."""

from compmgr.audit.access_log import log_access
from compmgr.audit.models import AccessLogEntry
from compmgr.competitions.models import Status
from tests.factories import UserFactory
from tests.privacy.scene import published_competition


def _entries(db, **filters):
    return db.session.scalars(
        db.select(AccessLogEntry).filter_by(**filters).order_by(AccessLogEntry.id)
    ).all()


def _ids(entry):
    return [entry.participant_id] if entry.participant_id else entry.participant_ids


def test_log_access_records_who_whose_what_and_when(db):
    s = published_competition()
    entry = log_access(
        s.org, "view", [s.lena, s.joerg.id], competition_id=s.comp.id, endpoint="test"
    )
    assert entry.user_id == s.org.id and entry.action == "view" and entry.at is not None
    assert entry.participant_id is None and entry.participant_ids == sorted([s.lena.id, s.joerg.id])
    assert log_access(s.org, "view", [], competition_id=s.comp.id) is None  # nobody, no entry


def test_organiser_project_page_and_exports_are_logged(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    assert web.get(f"/c/{s.comp.id}/org/entries/projects/{s.winner.id}").status_code == 200
    (view,) = _entries(db, action="view")
    assert view.user_id == s.org.id and sorted(_ids(view)) == sorted([s.lena.id, s.joerg.id])
    assert view.endpoint == "registration.entry" and view.competition_id == s.comp.id
    web.get(f"/c/{s.comp.id}/org/entries/export?table=participants&format=csv")
    (export,) = _entries(db, action="export")
    assert len(_ids(export)) == 4 and export.endpoint == "registration.export"
    web.get(f"/c/{s.comp.id}/print/participants.pdf")
    assert _entries(db, endpoint="certificates.participant_list")


def test_school_pages_are_logged(login_as, db):
    s = published_competition()
    s.comp.status = Status.REGISTRATION_OPEN
    db.session.commit()
    web = login_as(s.school_user)
    assert web.get(f"/c/{s.comp.id}/school/").status_code == 200
    assert web.get(f"/c/{s.comp.id}/school/participants/{s.lena.id}").status_code == 200
    dashboard, form = _entries(db, user_id=s.school_user.id)
    assert sorted(_ids(dashboard)) == sorted([s.lena.id, s.joerg.id])  # own school only
    assert form.participant_id == s.lena.id and form.endpoint == "registration.edit_participant"


def test_certificate_download_is_logged(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    response = web.get(f"/c/{s.comp.id}/print/participants/{s.oemer.id}/certificate.pdf")
    assert response.status_code == 200
    (entry,) = _entries(db, action="download")
    assert entry.participant_id == s.oemer.id and entry.user_id == s.org.id


def test_subject_access_views_are_logged(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.anna.id}")
    web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.anna.id}/export.pdf")
    assert [(e.action, e.participant_id) for e in _entries(db, user_id=s.org.id)] == [
        ("view", s.anna.id),
        ("export", s.anna.id),
    ]


def test_only_instance_admins_see_the_access_log(login_as, client, db):
    s = published_competition()
    log_access(s.org, "export", s.lena, competition_id=s.comp.id, endpoint="review.export")
    web = login_as(s.org)
    assert web.get("/admin/access-log").status_code == 403
    web.logout()
    admin = UserFactory(email="admin@example.org", name="Ada Admin", is_admin=True)
    html = login_as(admin).get(f"/admin/access-log?participant={s.lena.id}").get_data(as_text=True)
    assert "Olga Orga" in html and "exportiert" in html and f"Person Nr. {s.lena.id}" in html
    assert "Weiß" not in html  # the log names ids, never the person


def test_application_logs_carry_no_personal_data(login_as, db, caplog):
    s = published_competition()
    web = login_as(s.org)
    with caplog.at_level("DEBUG"):
        web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.lena.id}/export.json")
        web.get(f"/c/{s.comp.id}/org/entries/projects/{s.winner.id}")
        web.get(f"/c/{s.comp.id}/print/participants/{s.lena.id}/certificate.pdf")
    text = caplog.text
    for secret in ("Lena", "Weiß", "lena@example.org", "2003"):
        assert secret not in text
