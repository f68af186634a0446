"""Administration: the instance (competitions, accounts) and each competition's set-up
(dashboard, settings, divisions and Fachgebiete, people)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from compmgr.audit.labels import register_labels
from compmgr.competitions.models import Status

bp = Blueprint("admin", __name__)

register_labels(
    actions={"competition.phase": _l("Phase des Wettbewerbs geändert")},
    values={"phase": lambda value: Status(value).label},
)

from compmgr.admin import (  # noqa: E402,F401  (routes on bp, imported last)
    competition_views,
    instance_views,
    people_views,
    phase_views,
)
