"""Privacy (DSGVO): retention purge, subject access, deletion on request, notices, press export."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, cli_group=None)

from compmgr.privacy import (  # noqa: E402,F401  (routes and commands on bp, imported last)
    commands,
    participant_views,
    views,
)
