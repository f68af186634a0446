"""Reminders and digests go out on their own, once, at the configured time."""

import time
from datetime import datetime, timedelta

from compmgr.auth.models import Role
from compmgr.dates import BERLIN
from compmgr.messaging.models import DigestSubscription
from compmgr.messaging.schedule import run_schedule
from compmgr.messaging.worker import start_thread
from compmgr.outbox import OutboxMail
from compmgr.registration import review_services
from compmgr.registration.models import ProjectStatus
from tests.factories import ProjectFactory, UserFactory, grant
from tests.messaging.conftest import mails_to


def _at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def _missing_paper(scene, db, days_left=7):
    today = datetime.now(BERLIN).date()
    scene.comp.paper_deadline = today + timedelta(days=days_left)
    ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil], title="Wasser"
    )
    db.session.commit()
    return today


def test_the_missing_items_reminder_waits_for_its_hour_and_goes_once(app, scene, db):
    today = _missing_paper(scene, db)
    app.config["MAIL_REMINDER_HOUR"] = 8
    assert run_schedule(_at(today, 7, 59)) == 0
    assert run_schedule(_at(today, 8, 0)) == 2  # both accounts of the school
    assert run_schedule(_at(today, 9, 0)) == 0  # never twice
    (mail,) = mails_to(scene.sink, "lehrerin@example.org")
    assert mail["subject"].startswith("Erinnerung: bis ")
    assert "Wasser:" in mail["body"] and "Schriftliche Arbeit" in mail["body"]
    assert mail["message"]["List-Unsubscribe"]
    assert mails_to(scene.sink, "nord@example.org") == []  # nothing missing there


def test_no_reminder_before_the_window_nor_to_a_school_that_opted_out(app, scene, db):
    from compmgr.messaging.preference_views import set_essential_only

    today = _missing_paper(scene, db, days_left=8)
    app.config.update(MAIL_REMINDER_HOUR=0, MAIL_REMINDER_DAYS=7)
    assert run_schedule(_at(today, 12)) == 0  # eight days ahead: not yet
    set_essential_only(scene.school.id, True)
    db.session.commit()
    assert run_schedule(_at(today + timedelta(days=1), 12)) == 0


def test_the_reminder_fires_on_its_own(app, scene, db):
    """Nobody calls anything: the worker thread of the app finds the reminder due and sends it."""
    _missing_paper(scene, db)
    app.config.update(MAIL_REMINDER_HOUR=0, MAIL_POLL_SECONDS=0.2)
    app.testing = False  # the thread runs in every app process, not in tests by default
    try:
        thread = start_thread(app)
        deadline = time.monotonic() + 20
        while len(scene.sink.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        app.testing = True
        _thread, stop = app.extensions["compmgr_mail_worker"]
        stop.set()
        thread.join(10)
    assert sorted(m["to"] for m in scene.sink.received) == [
        "lehrerin@example.org",
        "teacher@example.org",
    ]


def test_a_judge_who_has_not_accepted_is_reminded_once(app, scene, db):
    app.config.update(MAIL_REMINDER_HOUR=0, MAIL_INVITE_REMINDER_DAYS=5)
    user = grant(
        UserFactory(email="zoegert@example.org", password_hash=None), scene.comp, Role.JUDGE
    )
    user.grants[-1].created_at -= timedelta(days=6)
    db.session.commit()
    now = datetime.now(BERLIN)
    assert run_schedule(now) == 1
    assert run_schedule(now) == 0
    (mail,) = mails_to(scene.sink, "zoegert@example.org")
    assert mail["subject"].startswith("Erinnerung: Einladung")
    assert "/invite/" in mail["body"]


def test_the_organisers_digest(app, scene, db):
    app.config.update(MAIL_DIGEST_HOUR=7)
    db.session.add(DigestSubscription(user_id=scene.organiser.id, competition_id=scene.comp.id))
    project = ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil], title="Wasser"
    )
    review_services.set_status(project, ProjectStatus.WITHDRAWN, "krank")
    db.session.commit()
    tomorrow = datetime.now(BERLIN).date() + timedelta(days=1)
    assert run_schedule(_at(tomorrow, 6)) == 0
    assert run_schedule(_at(tomorrow, 7)) == 1
    assert run_schedule(_at(tomorrow, 8)) == 0
    (mail,) = mails_to(scene.sink, "leitung@example.org")
    assert "Neue Anmeldungen: 1" in mail["body"] and "Rückzüge: 1" in mail["body"]
    assert (
        db.session.scalar(db.select(OutboxMail.kind).filter_by(user_id=scene.organiser.id))
        == "digest"
    )
