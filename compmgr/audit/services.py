"""Record changes in the audit trail."""

from functools import cache

from flask_login import current_user

from compmgr.audit.labels import NAMED_OBJECTS, action_label, describe, register_labels
from compmgr.audit.models import AuditEntry
from compmgr.competitions.models import Division
from compmgr.extensions import db

register_labels(names={"Division": (Division, lambda d: d.name)})


def record(action, obj, before=None, after=None, competition_id=None, user=None):
    """Add an audit entry for obj to the current transaction.

    ``obj`` is a model instance, or ``(model class, id)`` for a row written without loading
    it (the judge's autosave writes scores with single statements).
    """
    entry = AuditEntry(**_entry(action, obj, before, after, competition_id, user))
    db.session.add(entry)
    return entry


def record_now(action, obj, before=None, after=None, competition_id=None, user=None):
    """Insert an audit entry at once, in one statement without the unit of work.

    For writes that are single statements themselves (the judge's autosave): flushing an
    entry through the session cost more than the whole save's other writes.
    """
    db.session.execute(_insert_entry(), _entry(action, obj, before, after, competition_id, user))


@cache
def _insert_entry():
    return db.insert(AuditEntry.__table__)


def _entry(action, obj, before, after, competition_id, user):
    if user is None and current_user and getattr(current_user, "is_authenticated", False):
        user = current_user
    if isinstance(obj, tuple):
        model, object_id = obj
        object_type, obj = model.__name__, None
    else:
        object_type, object_id = type(obj).__name__, getattr(obj, "id", None)
    return {
        "competition_id": competition_id
        if competition_id is not None
        else getattr(obj, "competition_id", None),
        "user_id": user.id if user is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
    }


def _names(entries):
    """Look up the titles an entry refers to by id only (projects, schools, divisions)."""
    wanted = {kind: set() for kind in NAMED_OBJECTS}
    for e in entries:
        after = e.after if isinstance(e.after, dict) else {}
        before = e.before if isinstance(e.before, dict) else {}
        if e.object_type in wanted and e.object_id is not None:
            wanted[e.object_type].add(e.object_id)
        if isinstance(after.get("project_id"), int) and "Project" in wanted:
            wanted["Project"].add(after["project_id"])
        for state in (before, after):
            if isinstance(state.get("division_id"), int):
                wanted["Division"].add(state["division_id"])
    names = {}
    for kind, ids in wanted.items():
        model, title = NAMED_OBJECTS[kind]
        if ids:
            for row in db.session.scalars(db.select(model).where(model.id.in_(ids))):
                names[(kind, row.id)] = title(row)
    return names


def describe_entries(entries):
    """Return (entry, description in words) for each entry of the audit page."""
    names = _names(entries)
    return [(e, describe(e, names)) for e in entries]


def action_choices(codes):
    """Return (code, label) for the action filter, sorted by label."""
    return sorted(((c, action_label(c)) for c in codes), key=lambda pair: str(pair[1]).casefold())
