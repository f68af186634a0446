"""The outbox: mails go out once their action is committed, arrive well-formed, survive a
refusing or stopped server, and two workers never send one twice (real aiosmtpd server)."""

import threading
from datetime import timedelta

import pytest

from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.mail import send_mail
from compmgr.outbox import FAILED, QUEUED, SENT, OutboxMail, deliver_due, retry
from tests.mailbox import SmtpSink, free_port, outbox


@pytest.fixture
def app_config():
    return {"MAIL_RETRY_SECONDS": 0}  # a refused mail is due again at once


def _serve(app, sink):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)


def test_a_committed_mail_arrives_well_formed(app, smtp_sink):
    _serve(app, smtp_sink)
    app.config["MAIL_SENDER"] = "Jugend forscht Süd <jufo@example.org>"
    send_mail(
        "lehrerin@example.org",
        "Anmeldung eingegangen: Größenmessung",
        "Grüße aus Würzburg – Ihre Anmeldung ist da.\n",
        attachments=[("Bestätigung.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    assert smtp_sink.received == []  # nothing leaves before the commit
    db.session.commit()
    (mail,) = smtp_sink.received
    raw, msg = mail["raw"], mail["message"]
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n", 1)[0].lower()  # RFC 2047 in the headers
    assert msg["Subject"] == "Anmeldung eingegangen: Größenmessung"
    assert msg["From"].addresses[0].display_name == "Jugend forscht Süd"
    assert "Würzburg" in mail["body"]
    assert msg.get_body(("plain",)).get_content_charset() == "utf-8"
    assert msg["Message-ID"] and msg["Date"] and msg["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in msg  # an essential mail
    (pdf,) = list(msg.iter_attachments())
    assert pdf.get_filename() == "Bestätigung.pdf"
    assert pdf.get_content() == b"%PDF-1.4 test"
    row = db.session.scalar(db.select(OutboxMail))
    assert row.status == SENT and row.sent_at is not None


def test_non_essential_mail_carries_list_unsubscribe(app, smtp_sink):
    _serve(app, smtp_sink)
    send_mail("a@example.org", "Rundbrief", "Text", unsubscribe_url="https://x.example/u/1")
    db.session.commit()
    (mail,) = smtp_sink.received
    assert mail["message"]["List-Unsubscribe"] == "<https://x.example/u/1>"
    assert mail["message"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert db.session.scalar(db.select(OutboxMail.essential)) is False


def test_a_rolled_back_action_sends_nothing(app, smtp_sink):
    _serve(app, smtp_sink)
    send_mail("a@example.org", "Zugelassen", "Text")
    db.session.rollback()
    db.session.commit()
    assert deliver_due() == 0
    assert smtp_sink.received == []
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_without_a_mail_server_the_mail_is_kept_readable(app):
    send_mail("a@example.org", "Zugelassen", "Ihr Projekt ist zugelassen.")
    db.session.commit()
    (mail,) = outbox(app)
    assert mail["subject"] == "Zugelassen"
    assert db.session.scalar(db.select(OutboxMail.status)) == SENT


def test_a_refusing_server_delays_the_mail_with_backoff(app):
    app.config["MAIL_RETRY_SECONDS"] = 60
    with SmtpSink(refuse=2) as sink:
        _serve(app, sink)
        send_mail("a@example.org", "Erinnerung", "Text")
        db.session.commit()  # first attempt: 451
        row = db.session.scalar(db.select(OutboxMail))
        assert (row.status, row.attempts) == (QUEUED, 1)
        assert "451" in row.last_error
        wait = row.next_attempt_at - utcnow()
        assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
        assert deliver_due() == 0  # not due yet
        row.next_attempt_at = utcnow()
        db.session.commit()
        assert deliver_due() == 0  # second attempt: 451 again, now two minutes off
        db.session.expire_all()
        assert row.attempts == 2
        assert timedelta(seconds=110) < row.next_attempt_at - utcnow() <= timedelta(seconds=120)
        row.next_attempt_at = utcnow()
        db.session.commit()
        assert deliver_due() == 1
        assert len(sink.received) == 1
    db.session.expire_all()
    assert (row.status, row.attempts, row.last_error) == (SENT, 3, "")


def test_a_stopped_server_loses_nothing(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    for n in range(5):
        send_mail(f"schule{n}@example.org", "Ergebnisse", "Text")
    db.session.commit()  # nobody listens: every mail stays queued
    assert db.session.scalars(db.select(OutboxMail.status)).all() == [QUEUED] * 5
    with SmtpSink(port=port) as sink:
        assert deliver_due() == 5
    assert sorted(m["to"] for m in sink.received) == [f"schule{n}@example.org" for n in range(5)]


def test_a_server_stopped_in_the_middle_of_a_batch_loses_nothing(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_DELIVER_INLINE=False)
    for n in range(20):
        send_mail(f"schule{n}@example.org", "Ergebnisse", "Text")
    db.session.commit()
    stopping = []

    def stop_after_eight(sink):
        if len(sink.received) == 8:  # the server goes down in the middle of the batch
            stopping.append(threading.Thread(target=sink.__exit__, args=(None, None, None)))
            stopping[0].start()

    sink = SmtpSink(port=port, on_receive=stop_after_eight)
    sink.__enter__()
    deliver_due()
    stopping[0].join()
    first = list(sink.received)
    assert 8 <= len(first) < 20
    with SmtpSink(port=port) as again:
        while deliver_due():
            pass
    got = [m["to"] for m in first + again.received]
    assert set(got) == {f"schule{n}@example.org" for n in range(20)}  # nothing lost
    # At least once: the one mail whose "250 OK" the stop cut off may come twice.
    assert len(got) <= 21


def test_a_permanent_refusal_fails_with_the_reason_and_can_be_sent_again(app):
    with SmtpSink(reply="550 5.1.1 Postfach unbekannt") as sink:
        _serve(app, sink)
        send_mail("weg@example.org", "Zugelassen", "Text")
        db.session.commit()
    row = db.session.scalar(db.select(OutboxMail))
    assert row.status == FAILED and "550" in row.last_error and "unbekannt" in row.last_error
    with SmtpSink() as sink:
        _serve(app, sink)
        retry(row)
        db.session.commit()
        assert len(sink.received) == 1
    db.session.expire_all()
    assert row.status == SENT


def test_two_workers_never_send_a_mail_twice(app):
    app.config["MAIL_DELIVER_INLINE"] = False
    for n in range(300):
        send_mail(f"person{n}@example.org", f"Nachricht {n}", "Text")
    db.session.commit()
    with SmtpSink() as sink:
        _serve(app, sink)
        errors = []

        def work():
            with app.app_context():
                try:
                    while deliver_due(limit=10):
                        pass
                except Exception as exc:  # noqa: BLE001 — reported below
                    errors.append(exc)
                finally:
                    db.session.remove()

        workers = [threading.Thread(target=work) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    assert errors == []
    ids = [m["message"]["Message-ID"] for m in sink.received]
    assert len(ids) == len(set(ids)) == 300
    assert db.session.scalar(db.select(db.func.count()).where(OutboxMail.status != SENT)) == 0
