"""The access log: who looked at or exported whose personal data (DSGVO Art. 30/32)."""

from flask import has_request_context, request

from compmgr.audit.models import AccessAction, AccessLogEntry
from compmgr.database import utcnow, writing
from compmgr.extensions import db


def _ids(participants):
    """Return the sorted ids of one participant, one id, or a list of either."""
    if participants is None:
        return []
    if isinstance(participants, int) or hasattr(participants, "id"):
        participants = [participants]
    return sorted({p if isinstance(p, int) else p.id for p in participants})


def log_access(user, action, participants, competition_id=None, endpoint=None, commit=True):
    """Record that user viewed, exported, downloaded or deleted participants' personal data.

    ``participants`` is one participant (or id) or a list; an empty list records nothing.
    The entry is committed at once, in a short write transaction of its own after the page's
    reads (see database.writing: a read never fails because another write committed meanwhile),
    unless ``commit`` is False (then it goes with the caller's transaction, e.g. a deletion
    that must be logged only if it happens).
    """
    ids = _ids(participants)
    if not ids:
        return None
    if endpoint is None:
        endpoint = (request.endpoint or "") if has_request_context() else "cli"
    entry = AccessLogEntry(
        at=utcnow(),
        user_id=getattr(user, "id", None),
        competition_id=competition_id,
        action=AccessAction(action).value,
        endpoint=endpoint[:100],
        participant_id=ids[0] if len(ids) == 1 else None,
        participant_ids=None if len(ids) == 1 else ids,
    )
    if not commit:
        db.session.add(entry)
        return entry
    with writing():
        db.session.add(entry)
        db.session.commit()
    return entry
