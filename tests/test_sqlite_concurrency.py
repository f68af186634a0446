"""SQLite under concurrent writers: no 'database is locked' reaches a user."""

import threading

import pytest
from sqlalchemy.exc import OperationalError

from compmgr.auth.models import Role
from compmgr.competitions.models import Subject
from tests.conftest import sign_in
from tests.factories import CompetitionFactory, UserFactory, grant


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}  # about concurrency, not CSRF


def test_concurrent_writers_are_queued_not_refused(app, db, backend):
    """Ten threads rename Fachgebiete at once through the real view; every save lands."""
    comp = CompetitionFactory()
    user = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    subjects = [(s.id, s.code) for s in comp.subjects]
    from compmgr.auth.sessions import open_session

    user_id, comp_id = user.get_id(), comp.id
    sids = [open_session(user) for _ in range(10)]
    db.session.commit()
    errors, statuses = [], []

    def worker(n):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"], sess["sid"] = user_id, sids[n]
        for round_ in range(5):
            for sid, code in subjects:
                r = client.post(
                    f"/c/{comp_id}/org/subjects/{sid}",
                    data={f"s{sid}-name": f"Fach {sid} v{n}.{round_}", f"s{sid}-code": code},
                )
                statuses.append(r.status_code)
                if r.status_code != 302:
                    errors.append((r.status_code, r.get_data(as_text=True)[:200]))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(statuses) == 10 * 5 * len(subjects)
    db.session.rollback()  # end the test's own read snapshot before looking
    names = db.session.scalars(db.select(Subject.name).filter_by(competition_id=comp.id)).all()
    assert all(" v" in name for name in names)


def test_lock_error_becomes_a_clear_503(app, client, db, monkeypatch):
    comp = CompetitionFactory()
    user = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    import compmgr.admin.competition_views as views

    monkeypatch.setattr(views.review_services, "entry_counts", locked)
    with client.session_transaction() as sess:
        sign_in(sess, user)
    response = client.get(f"/c/{comp.id}/org/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "nicht gespeichert" in response.get_data(as_text=True)
