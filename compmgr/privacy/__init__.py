"""Privacy (DSGVO): retention purge, subject access, deletion on request, notices, press export."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from compmgr.competitions.models import Status
from compmgr.competitions.phases import register_check

bp = Blueprint("privacy", __name__, cli_group=None)


def _unarchive_check(competition):
    """Refuse to un-archive a competition whose personal data is already purged."""
    from compmgr.privacy.purge import is_purged

    if is_purged(competition):
        return _l(
            "Die Daten dieses Wettbewerbs sind gelöscht: die Archivierung lässt sich nicht mehr "
            "aufheben."
        ), []
    return None, []


register_check(Status.ARCHIVED, Status.PUBLISHED, _unarchive_check)

from compmgr.privacy import (  # noqa: E402,F401  (routes and commands on bp, imported last)
    commands,
    participant_views,
    views,
)
