"""Record changes in the audit trail."""

from flask_login import current_user

from compmgr.audit.models import AuditEntry
from compmgr.extensions import db


def record(action, obj, before=None, after=None, competition_id=None, user=None):
    """Add an audit entry for obj to the current transaction."""
    if user is None and current_user and getattr(current_user, "is_authenticated", False):
        user = current_user
    entry = AuditEntry(
        competition_id=competition_id if competition_id is not None else getattr(obj, "competition_id", None),
        user_id=user.id if user is not None else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
