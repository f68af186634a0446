"""Judges, juries, conflicts, assignment, the rubric and scoring."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from compmgr.audit.labels import register_labels

bp = Blueprint("judging", __name__, url_prefix="/c/<int:cid>")

register_labels(
    actions={
        "score.set": _l("Bewertung geändert"),
        "review.note": _l("Notiz zur Bewertung geändert"),
        "review.submit": _l("Bewertung abgeschlossen"),
        "review.reopen": _l("Bewertung wieder offen (ein Wert wurde gelöscht)"),
        "scores.reset": _l("Alle Bewertungen zurückgesetzt"),
        "criterion.save": _l("Bewertungskriterium gespeichert"),
        "criterion.delete": _l("Bewertungskriterium gelöscht"),
    }
)

from compmgr.judging import (  # noqa: E402,F401  (routes on bp, imported last; juries and rubric receive signals)
    agreement_views,
    judge_views,
    judges_views,
    juries,
    jury_views,
    offline_views,
    rubric,
    rubric_views,
)
