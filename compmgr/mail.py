"""Send mail over SMTP, or write it to <instance>/outbox/; build the links that mails carry."""

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

# Where `flask run` serves by default; used while PUBLIC_URL is unset (see check_public_url).
DEV_PUBLIC_URL = "http://127.0.0.1:5000"


def send_mail(to, subject, body):
    """Send one plain-text mail; without MAIL_SERVER it lands in the outbox folder."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    server = current_app.config.get("MAIL_SERVER")
    if server:
        with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=10) as smtp:
            smtp.send_message(msg)
        return
    outbox = Path(current_app.instance_path) / "outbox"
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
