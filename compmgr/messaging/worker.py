"""The mail worker: delivers the outbox and runs the schedule (reminders, digests).

Every app process runs it in a daemon thread from its first request on (MAIL_WORKER_THREAD),
so `make run` needs nothing else. In production, switch the thread off and run
``flask --app compmgr worker`` beside gunicorn; several workers never send a mail twice
(compmgr.outbox claims rows), and the schedule queues each reminder once (its dedupe key).
"""

import threading
import time

from compmgr.extensions import db
from compmgr.messaging.schedule import run_schedule
from compmgr.outbox import deliver_due

_started = set()
_lock = threading.Lock()


def run_once(app):
    """Queue what the schedule says is due now, then deliver what is due; return mails sent."""
    with app.app_context():
        try:
            run_schedule()
            sent = 0
            while batch := deliver_due(limit=100):
                sent += batch
            return sent
        except Exception:
            db.session.rollback()
            app.logger.exception("mail worker: this round failed, the next one retries")
            return 0
        finally:
            db.session.remove()


def run_forever(app, poll=None, stop=None):
    """Poll the outbox every MAIL_POLL_SECONDS until stop (a threading.Event) is set."""
    poll = poll or app.config["MAIL_POLL_SECONDS"]
    stop = stop or threading.Event()
    while not stop.is_set():
        run_once(app)
        stop.wait(poll)


def start_thread(app):
    """Start this process's worker thread once (first request of an app with the thread on)."""
    if not app.config.get("MAIL_WORKER_THREAD") or app.testing:
        return None
    with _lock:
        if id(app) in _started:
            return None
        _started.add(id(app))
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(app, None, stop), name="compmgr-mail", daemon=True
    )
    thread.start()
    app.extensions["compmgr_mail_worker"] = (thread, stop)
    time.sleep(0)  # let it start
    return thread
