"""Say in words what an audit entry recorded: the kind of change, what it concerns, old → new."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compmgr.dates import show_date, show_datetime

# Every action code passed to audit.services.record() is named by the feature that records it
# (register_labels in the feature's __init__); a code missing here is shown as it is.
ACTION_LABELS = {}

# Keys of the recorded values; a key missing here is shown as it is.
FIELD_LABELS = {
    "value": _l("Wert"),
    "note": _l("Notiz"),
    "scores": _l("Bewertungen"),
    "group": _l("Gruppe"),
    "name": _l("Name"),
    "description": _l("Beschreibung"),
    "weight": _l("Gewicht"),
    "scale_min": _l("Skala von"),
    "scale_max": _l("Skala bis"),
    "division_id": _l("Sparte"),
    "position": _l("Position"),
    "place": _l("Platz"),
    "prize": _l("Preis"),
    "qualified": _l("Regionalsieg"),
    "suggested": _l("Platz nach den Punkten"),
    "reason": _l("Begründung"),
    "locked_at": _l("Abgeschlossen am"),
    "locked_by": _l("Abgeschlossen von"),
    "status": _l("Status"),
    "by_school": _l("Durch die Schule selbst"),
    "subject": _l("Fachgebiet"),
    "division": _l("Sparte"),
    "count": _l("Nummerierte Stände"),
    "until": _l("Anmeldung verlängert bis"),
}

# What the change concerns, shown once above the values.
CONTEXT_LABELS = {
    "project": _l("Projekt"),
    "school": _l("Schule"),
    "criterion": _l("Kriterium"),
    "judge": _l("Juror(in)"),
    "jury": _l("Jury"),
}

# Ids are for machines; "locked" repeats what the action's label says.
HIDDEN = {"project_id", "judge_id", "criterion_id", "locked"}
MISSING = object()


# Writers of recorded values that only a feature can name, e.g. "status" → "Zugelassen".
VALUE_WRITERS = {}

# The titles of objects an entry refers to by id: {type name: (model, title function)}.
NAMED_OBJECTS = {}


def register_labels(actions=None, values=None, names=None, fields=None):
    """Let a feature name its action codes and value keys, write its values, title its objects."""
    ACTION_LABELS.update(actions or {})
    FIELD_LABELS.update(fields or {})
    VALUE_WRITERS.update(values or {})
    NAMED_OBJECTS.update(names or {})


def action_label(code):
    """Name an action code in the reader's language, e.g. score.set → Bewertung geändert."""
    return ACTION_LABELS.get(code, code)


@dataclass
class Change:
    """One recorded value: before → after, or just one of them."""

    label: str
    before: str | None = None
    after: str | None = None

    @property
    def is_change(self):
        return self.before is not None and self.after is not None


@dataclass
class Description:
    """An audit entry in words, for the organiser's audit page."""

    label: str
    context: list = field(default_factory=list)  # [(label, text)]
    changes: list = field(default_factory=list)  # [Change]


def _value(key, value, names):
    """Write one recorded value in words."""
    if value is None or value == "":
        if key == "prize":
            return _("kein Preis")
        if key == "division_id":
            return _("alle Sparten")
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if key in VALUE_WRITERS:
        try:
            return str(VALUE_WRITERS[key](value))
        except (KeyError, ValueError):
            return str(value)
    if key == "division_id":
        return names.get(("Division", value), str(value))
    if key in ("until", "locked_at") and isinstance(value, str):
        try:
            return (
                show_date(date.fromisoformat(value))
                if len(value) == 10
                else show_datetime(datetime.fromisoformat(value))
            )
        except ValueError:
            return value
    if isinstance(value, float):
        return format_decimal(value)
    return str(value)


def _context(entry, before, after, names):
    found = {}
    for key in CONTEXT_LABELS:
        value = after.get(key) or before.get(key)
        if value:
            found[key] = value
    project_id = after.get("project_id") or (
        entry.object_id if entry.object_type == "Project" else None
    )
    if "project" not in found and project_id is not None:
        found["project"] = names.get(("Project", project_id), f"#{project_id}")
    if entry.object_type == "School" and entry.object_id is not None:
        found["school"] = names.get(("School", entry.object_id), f"#{entry.object_id}")
    if entry.object_type == "Criterion" and (after.get("name") or before.get("name")):
        found["criterion"] = after.get("name") or before.get("name")
    return {key: found[key] for key in CONTEXT_LABELS if key in found}


def _shown(key, value, names):
    return None if value is MISSING else _value(key, value, names)


def describe(entry, names=None):
    """Describe an entry; names maps (type, id) to a title, e.g. ("Project", 3) → "Bioplastik"."""
    names = names or {}
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    context = _context(entry, before, after, names)
    # A score's value is named by its criterion: "Originalität: 7 → 9".
    value_label = (
        context.pop("criterion")
        if "value" in after and "criterion" in context
        else FIELD_LABELS["value"]
    )
    described = Description(
        label=action_label(entry.action),
        context=[(CONTEXT_LABELS[k], v) for k, v in context.items()],
    )
    for key in dict.fromkeys([*before, *after]):
        if key in HIDDEN or key in CONTEXT_LABELS:
            continue
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old == new:
            continue
        if MISSING in (old, new) and (old in (None, "") or new in (None, "")):
            continue  # nothing to say about an empty value that was only created or removed
        if entry.object_type == "Criterion" and key == "name" and MISSING in (old, new):
            continue  # already named above
        label = value_label if key == "value" else FIELD_LABELS.get(key, key)
        described.changes.append(Change(label, _shown(key, old, names), _shown(key, new, names)))
    return described
