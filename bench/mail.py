"""Benchmark: N queued mails delivered by two workers to a local SMTP server (aiosmtpd).

Usage: .venv/bin/python bench/mail.py [-n 1000] [--workers 2] [--database URL]

1. Builds a throw-away database by migrations (SQLite file by default; pass a PostgreSQL URL
   to measure SKIP LOCKED) and queues N mails with umlauts, not timed.
2. Starts aiosmtpd on a free loopback port and two worker threads, each running the outbox
   delivery of compmgr/outbox.py as ``flask worker`` does, until the outbox is empty.
3. Prints the time, mails per second, and what arrived: the number of distinct Message-IDs
   and of duplicates (must be 0), and the rows left unsent (must be 0).
"""

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", help="e.g. postgresql://postgres@127.0.0.1:5432/bench")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller
    from flask_migrate import upgrade
    from sqlalchemy import text

    from compmgr import create_app, database_uri
    from compmgr.extensions import db
    from compmgr.mail import send_mail
    from compmgr.outbox import SENT, OutboxMail, deliver_due
    from tests.mailbox import free_port

    received = Counter()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            for line in envelope.content.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    received[line.split(b":", 1)[1].strip()] += 1
                    break
            return "250 OK"

    with tempfile.TemporaryDirectory() as tmp:
        url = database_uri(args.database) if args.database else f"sqlite:///{tmp}/bench.sqlite"
        port = free_port()
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_FOLDER": tmp,
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "MAIL_DELIVER_INLINE": False,  # only the workers deliver
                "PUBLIC_URL": "https://jufo.example.org",
            }
        )
        with app.app_context():
            if url.startswith("postgresql"):
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade(directory=str(ROOT / "migrations"), revision="heads")
            for n in range(args.n):
                send_mail(
                    f"schule{n}@example.org",
                    f"Erinnerung Nr. {n}: Anmeldeschluss für Größenmessung",
                    "Grüße aus Würzburg – bitte laden Sie die schriftliche Arbeit hoch.\n" * 5,
                )
            db.session.commit()

        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()

        def work():
            with app.app_context():
                while deliver_due(limit=50):
                    pass
                db.session.remove()

        threads = [threading.Thread(target=work) for _ in range(args.workers)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        controller.stop()

        with app.app_context():
            left = db.session.scalar(
                db.select(db.func.count(OutboxMail.id)).where(OutboxMail.status != SENT)
            )
            db.engine.dispose()
    duplicates = sum(c - 1 for c in received.values())
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{args.n} mails, {args.workers} workers, {backend}, local aiosmtpd")
    print(f"  delivered in {elapsed:.2f} s ({args.n / elapsed:.0f} mails/s)")
    print(f"  distinct Message-IDs received: {len(received)}")
    print(f"  duplicates: {duplicates}")
    print(f"  left unsent: {left}")
    return 0 if (duplicates == 0 and left == 0 and len(received) == args.n) else 1


if __name__ == "__main__":
    sys.exit(main())
