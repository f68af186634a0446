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
        "judge.absent": _l("Juror(in) fällt aus"),
        "judge.present": _l("Ausfall zurückgenommen"),
        "judge.update": _l("Angaben zur Juror(in) geändert"),
    },
    fields={
        "first_name": _l("Vorname"),
        "last_name": _l("Nachname"),
        "affiliation": _l("Institution"),
        "school_name": _l("Schule"),
        "expertise": _l("Fachgebiete (Expertise)"),
        "divisions": _l("Sparten"),
        "availability": _l("Verfügbarkeit"),
    },
)

from compmgr.judging import (  # noqa: E402,F401  (routes on bp, imported last; juries and rubric receive signals)
    agreement_views,
    day_views,
    judge_views,
    judges_views,
    juries,
    jury_views,
    offline_views,
    plan_views,
    rubric,
    rubric_views,
)


@bp.app_context_processor
def _planning_helpers():
    """Offer the day plan to templates of lower layers (the school's project page shows its
    patent consultation) without an import upwards."""
    from compmgr.judging.availability import describe_windows
    from compmgr.judging.plan_services import consultation_for

    return {
        "consultation_for": consultation_for,
        "windows_text": lambda rows: describe_windows([(w.starts_at, w.ends_at) for w in rows]),
    }
