"""The transactional outbox: mails are rows written with the action; a worker delivers them.

``compmgr.mail.send_mail`` adds a row in the caller's transaction: a rolled-back action sends
nothing, a committed one is never lost. Delivery claims rows atomically, so any number of
workers (the in-process thread of each app process, ``flask worker``) never send a mail twice:
on PostgreSQL with ``SELECT … FOR UPDATE SKIP LOCKED``, on SQLite through the single writer.
A refused or unreachable server leaves the row queued with a growing delay; a permanent
refusal (5xx) or too many attempts mark it failed with the server's reason.
"""

import smtplib
import threading
import uuid
from datetime import timedelta
from email.policy import SMTP
from email.utils import parseaddr
from pathlib import Path

from flask import after_this_request, current_app, has_request_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, or_
from sqlalchemy.exc import IntegrityError

from compmgr.database import UTCDateTime, utcnow, writing
from compmgr.extensions import db

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUSES = (QUEUED, SENDING, SENT, FAILED)
LEASE = timedelta(minutes=5)  # a worker that died while sending: the row is retried after this
#: Mails whose body holds a secret link for the recipient alone: nobody else reads it in the
#: app, and the body is dropped once delivered.
SECRET_KINDS = frozenset({"invitation", "offer", "reset"})


class OutboxMail(db.Model):
    """One mail to one address, as sent (RFC 5322 bytes), with its delivery state."""

    __tablename__ = "outbox_mails"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(300), nullable=False, default="")
    kind = db.Column(db.String(40), nullable=False, default="mail")
    essential = db.Column(db.Boolean, nullable=False, default=True)
    batch = db.Column(db.String(40), index=True)  # e.g. "message:12": one organiser message
    dedupe_key = db.Column(db.String(200), unique=True)  # a reminder is queued once
    message = db.Column(db.LargeBinary, nullable=False)
    status = db.Column(db.String(10), nullable=False, default=QUEUED, index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    locked_until = db.Column(UTCDateTime)
    claim = db.Column(db.String(32), index=True)
    last_error = db.Column(db.String(500), nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    sent_at = db.Column(UTCDateTime)

    @property
    def secret(self):
        return self.kind in SECRET_KINDS

    def __repr__(self):
        return f"<OutboxMail {self.id} {self.kind} {self.status}>"


def enqueue(msg, *, dedupe_key=None, **fields):
    """Add msg (an EmailMessage) to the outbox in the current transaction; return the row.

    With a dedupe_key that is queued already, add nothing and return None.
    """
    row = OutboxMail(
        recipient=str(msg["To"]),
        subject=str(msg["Subject"] or "")[:300],
        message=msg.as_bytes(policy=SMTP),  # CRLF line ends, as the wire wants them
        dedupe_key=dedupe_key,
        **fields,
    )
    if dedupe_key is not None:
        if db.session.scalar(db.select(OutboxMail.id).filter_by(dedupe_key=dedupe_key)):
            return None
        try:
            with db.session.begin_nested():  # two schedulers at once: one row wins
                db.session.add(row)
        except IntegrityError:
            return None
    else:
        db.session.add(row)
        db.session.flush()
    db.session.info.setdefault("outbox_new", []).append(row.id)
    return row


def retry(row):
    """Queue a sent or failed mail again, now (the organiser's "send again")."""
    if row.secret and not row.message:
        raise ValueError("a secret link once delivered is not sent again")
    row.status, row.attempts, row.next_attempt_at = QUEUED, 0, utcnow()
    row.last_error, row.claim, row.locked_until = "", None, None
    db.session.info.setdefault("outbox_new", []).append(row.id)


# Delivery ------------------------------------------------------------------------------------


def _due(now):
    return or_(
        (OutboxMail.status == QUEUED) & (OutboxMail.next_attempt_at <= now),
        (OutboxMail.status == SENDING) & (OutboxMail.locked_until < now),
    )


def claim(limit=50, ids=None):
    """Claim up to limit due mails for this worker and commit; return (claim token, ids)."""
    now = utcnow()
    token = uuid.uuid4().hex
    due = db.select(OutboxMail.id).where(_due(now)).order_by(OutboxMail.id).limit(limit)
    if ids is not None:
        due = due.where(OutboxMail.id.in_(ids))
    values = {"status": SENDING, "claim": token, "locked_until": now + LEASE}
    with writing():
        if db.engine.dialect.name == "postgresql":
            # Rows another worker holds are skipped, not waited for.
            chosen = db.session.scalars(due.with_for_update(skip_locked=True)).all()
            if chosen:
                db.session.execute(
                    db.update(OutboxMail).where(OutboxMail.id.in_(chosen)).values(**values)
                )
        else:  # SQLite: one writer at a time, and the WHERE is asked again under its lock
            db.session.execute(
                db.update(OutboxMail)
                .where(OutboxMail.id.in_(due.scalar_subquery()), _due(now))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    ids = db.session.scalars(
        db.select(OutboxMail.id).filter_by(claim=token).order_by(OutboxMail.id)
    ).all()
    db.session.rollback()
    return token, ids


def deliver_due(limit=50, ids=None):
    """Deliver the due mails (or those of ids) that no other worker holds; return how many went.

    No transaction stays open while the mail server is talking: each outcome is written in a
    short one of its own, and only if this worker still holds the row.
    """
    token, claimed = claim(limit, ids)
    config = current_app.config
    server = config.get("MAIL_SERVER")
    outbox = Path(current_app.instance_path) / "outbox"
    sent = 0
    smtp = None
    try:
        for mail_id in claimed:
            row = db.session.get(OutboxMail, mail_id)
            recipient, message = row.recipient, row.message
            db.session.rollback()
            error = None
            try:
                if server and smtp is None:
                    smtp = smtplib.SMTP(server, config["MAIL_PORT"], timeout=10)
                _send(mail_id, recipient, message, smtp, outbox)
            except (OSError, smtplib.SMTPException) as exc:
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    smtp = _close(smtp)
                error = exc
            sent += _note(mail_id, token, error)
    finally:
        _close(smtp)
    return sent


def _note(mail_id, token, error):
    with writing():
        row = db.session.get(OutboxMail, mail_id)
        if row is None or row.claim != token:  # lease ran out and another worker took it
            db.session.rollback()
            return 0
        if error is not None:
            _failed(row, error)
        else:
            row.status, row.sent_at, row.last_error = SENT, utcnow(), ""
            row.attempts += 1
            if row.secret:
                row.message = b""  # the link was for the mailbox, not for the database
        row.claim = row.locked_until = None
        db.session.commit()
    return error is None


def _close(smtp):
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return None


def _send(mail_id, recipient, message, smtp, outbox):
    if smtp is None:  # no MAIL_SERVER: the mail is kept as a file (and on the outbox page)
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{mail_id:08d}-{uuid.uuid4().hex[:8]}.eml"
        (outbox / name).write_bytes(message.replace(b"\r\n", b"\n"))  # a file: local line ends
        return
    refused = smtp.sendmail(_envelope_sender(), [recipient], message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


def _envelope_sender():
    return parseaddr(current_app.config["MAIL_SENDER"])[1]


def _permanent(exc):
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        return bool(codes) and all(c >= 500 for c in codes)
    return code is not None and code >= 500 and not isinstance(exc, smtplib.SMTPServerDisconnected)


def _reason(exc):
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        exc = next(iter(exc.recipients.values()))
        return (
            f"{exc[0]} {exc[1].decode(errors='replace') if isinstance(exc[1], bytes) else exc[1]}"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def _failed(row, exc):
    config = current_app.config
    row.attempts += 1
    row.last_error = _reason(exc)[:500]
    if _permanent(exc) or row.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        row.status = FAILED
        current_app.logger.error("mail %s to %s failed: %s", row.id, row.recipient, row.last_error)
        return
    delay = min(config["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1), config["MAIL_RETRY_MAX"])
    row.status, row.next_attempt_at = QUEUED, utcnow() + timedelta(seconds=delay)
    current_app.logger.error(
        "mail %s to %s not sent (attempt %s, again in %s s): %s",
        row.id,
        row.recipient,
        row.attempts,
        delay,
        row.last_error,
    )


# Delivering what a transaction queued, once it is committed ----------------------------------


@event.listens_for(FlaskSession, "after_commit")
def _committed(session):
    new = session.info.pop("outbox_new", None)
    if new:
        session.info.setdefault("outbox_committed", []).extend(new)


@event.listens_for(FlaskSession, "after_rollback")
def _rolled_back(session):
    session.info.pop("outbox_new", None)


@event.listens_for(FlaskSession, "after_transaction_end")
def _transaction_ended(session, transaction):
    """Deliver what was committed once the connection is back (SQLite's writer turn is free)."""
    if transaction.parent is not None:
        return
    ids = session.info.pop("outbox_committed", None)
    if not ids or not current_app or not current_app.config.get("MAIL_DELIVER_INLINE", True):
        return
    app = current_app._get_current_object()
    if has_request_context():
        try:

            @after_this_request
            def deliver_after(response):
                response.call_on_close(lambda: deliver_in(app, ids))
                return response

            return
        except (AssertionError, RuntimeError, AttributeError):  # the request is past its views
            pass
        threading.Thread(target=deliver_in, args=(app, ids), daemon=True).start()
        return
    deliver_in(app, ids)


def deliver_in(app, ids=None):
    """Deliver (some of) the due mails in a fresh app context; errors are logged, not raised."""
    with app.app_context():
        try:
            deliver_due(limit=max(50, len(ids or ())), ids=ids)
        except Exception:  # noqa: BLE001 — the worker retries; the caller's action is done
            app.logger.exception("outbox delivery failed")
            db.session.rollback()
        finally:
            db.session.remove()
