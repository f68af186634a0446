"""Results: the jury decisions, special prizes and publishing."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from compmgr.audit.labels import register_labels
from compmgr.results.publishing import prize_label

bp = Blueprint("results", __name__)

register_labels(
    actions={
        "decision.set": _l("Entscheidung der Jury geändert"),
        "jury.lock": _l("Jury abgeschlossen"),
        "jury.unlock": _l("Jury wieder geöffnet"),
    },
    values={"prize": prize_label},
)

from compmgr.results import (  # noqa: E402,F401  (routes on bp, imported last)
    decision_views,
    prize_views,
    views,
)
