"""Send mail over SMTP, or write it to <instance>/outbox/; build the links that mails carry."""

import smtplib
import uuid
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from flask import after_this_request, current_app, has_request_context

# Where `flask run` serves by default; used while PUBLIC_URL is unset (see check_public_url).
DEV_PUBLIC_URL = "http://127.0.0.1:5000"


def send_mail(to, subject, body, after_response=False):
    """Send one plain-text mail; without MAIL_SERVER it lands in the outbox folder.

    With after_response (in a request) the mail goes out once the answer has been sent, and a
    failure is only logged: how long the mail server takes, or that it is down, must not tell
    whoever asked for a password reset whether the address has an account.
    """
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = " ".join(
        subject.split()
    )  # a title with a line break must not break the header
    msg.set_content(body)
    config = current_app.config
    deliver = partial(
        _deliver,
        msg,
        config.get("MAIL_SERVER"),
        config["MAIL_PORT"],
        Path(current_app.instance_path) / "outbox",
    )
    if not (after_response and has_request_context()):
        deliver()
        return
    logger = current_app.logger

    def deliver_logged():
        try:
            deliver()
        except (OSError, smtplib.SMTPException):
            logger.exception("mail to %s not sent", to)

    @after_this_request
    def send_after(response):
        response.call_on_close(deliver_logged)  # the server calls it once the answer is out
        return response


def _deliver(msg, server, port, outbox):
    if server:
        with smtplib.SMTP(server, port, timeout=10) as smtp:
            smtp.send_message(msg)
        return
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(msg))


def mail_configured():
    """Tell whether mails leave the machine (else they land in the outbox folder)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def public_base():
    """Return the configured public address of the app, without a trailing slash."""
    return (current_app.config.get("PUBLIC_URL") or DEV_PUBLIC_URL).rstrip("/")


def public_url_for(endpoint, **values):
    """Build an absolute link for a mail from PUBLIC_URL, never from the request's Host header.

    The request's Host is whatever the sender typed: a reset requested with ``Host:
    evil.example`` must not mail a link to evil.example carrying the victim's token.
    """
    parts = urlsplit(public_base())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def check_public_url(app):
    """Warn at start-up when production runs without PUBLIC_URL (links would point nowhere)."""
    base = app.config.get("PUBLIC_URL")
    if base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RuntimeError(f"PUBLIC_URL must look like https://jufo.example.org, not {base!r}")
        return
    if app.debug or app.testing:
        return
    app.logger.warning(
        "PUBLIC_URL is not set: links in mails (invitations, password resets) point to %s. "
        "Set COMPMGR_PUBLIC_URL (e.g. https://jufo.example.org) to the address people open.",
        DEV_PUBLIC_URL,
    )
