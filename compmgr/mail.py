"""Build mails and queue them in the outbox (compmgr.outbox); build the links they carry."""

import mimetypes
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from flask import current_app

from compmgr.outbox import enqueue

# Where `flask run` serves by default; used while PUBLIC_URL is unset (see check_public_url).
DEV_PUBLIC_URL = "http://127.0.0.1:5000"


def send_mail(to, subject, body, after_response=False, **options):
    """Queue one mail in the current transaction; it is delivered once that is committed.

    Delivery never happens inside the request: in a request it starts once the answer has been
    sent, and a failure is only logged and retried by the worker (compmgr.outbox). How long the
    mail server takes, or that it is down, must not tell whoever asked for a password reset
    whether the address has an account. ``after_response`` is kept for callers; every mail now
    behaves that way. ``options`` go to build_message and enqueue (kind, competition_id, …).
    Return the outbox row (None when its dedupe_key was queued before).
    """
    queue_fields = {
        key: options.pop(key)
        for key in ("kind", "competition_id", "user_id", "batch", "dedupe_key")
        if key in options
    }
    msg = build_message(to, subject, body, **options)
    return enqueue(msg, essential=options.get("unsubscribe_url") is None, **queue_fields)


def build_message(
    to, subject, body, *, html=None, attachments=(), unsubscribe_url=None, reply_to=None
):
    """Build a well-formed mail: UTF-8, RFC 2047 headers, Message-ID, Date, Auto-Submitted.

    attachments are (filename, bytes) or (filename, bytes, "type/subtype"). Non-essential mail
    (it has an unsubscribe_url) carries List-Unsubscribe with one-click unsubscription.
    """
    config = current_app.config
    msg = EmailMessage()
    name, address = parseaddr(config["MAIL_SENDER"])
    msg["From"] = formataddr((name or config.get("MAIL_SENDER_NAME") or "", address))
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())  # a title with a line break must not break it
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=urlsplit(public_base()).hostname or "localhost")
    # RFC 3834: no vacation replies to a machine; a person may still answer (Reply-To).
    msg["Auto-Submitted"] = "auto-generated"
    if reply_to:
        msg["Reply-To"] = reply_to
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(body, charset="utf-8")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    for attachment in attachments:
        filename, data, *kind = attachment
        mime = kind[0] if kind else mimetypes.guess_type(filename)[0] or "application/octet-stream"
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def mail_configured():
    """Tell whether mails leave the machine (else they stay in the outbox: folder and page)."""
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
