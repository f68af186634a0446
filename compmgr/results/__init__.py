"""Results: the jury decisions, special prizes and publishing."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from compmgr.audit.labels import register_labels
from compmgr.competitions.models import Status
from compmgr.competitions.phases import register_check
from compmgr.results.publishing import prize_label, publish_check

bp = Blueprint("results", __name__)

register_labels(
    actions={
        "decision.set": _l("Entscheidung der Jury geändert"),
        "jury.lock": _l("Jury abgeschlossen"),
        "jury.unlock": _l("Jury wieder geöffnet"),
    },
    values={"prize": prize_label},
)
register_check(Status.JUDGING, Status.PUBLISHED, publish_check)

from compmgr.results import (  # noqa: E402,F401  (routes on bp, imported last)
    decision_views,
    prize_views,
    views,
)
