"""Messaging: every mail's text, the event mails, reminders, messages and the outbox pages.

Lower layers announce events through compmgr.signals; the receivers here queue the mails in
the sender's transaction (compmgr.outbox). Nothing below imports this package.
"""

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _l

from compmgr.audit.labels import register_labels
from compmgr.messaging.worker import start_thread

bp = Blueprint("messaging", __name__, cli_group=None)

register_labels(
    actions={
        "offer.declined": _l("Einladung abgelehnt"),
        "message.sent": _l("Nachricht verschickt"),
        "mail.resent": _l("E-Mail erneut verschickt"),
        "mail.template": _l("E-Mail-Text geändert"),
    }
)


@bp.before_app_request
def _start_worker():
    """Run the outbox worker in this process from its first request (see worker.py)."""
    app = current_app._get_current_object()
    if "compmgr_mail_worker" not in app.extensions:
        start_thread(app)


from compmgr.messaging import (  # noqa: E402,F401  (receivers, commands on bp, imported last)
    commands,
    events,
    organiser_views,
    preference_views,
)
