"""The audit trail of changes and decisions, and the access log of personal data."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class AuditEntry(db.Model):
    """Who changed what, when, from which value to which."""

    __tablename__ = "audit_entries"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    action = db.Column(db.String(50), nullable=False)
    object_type = db.Column(db.String(50), nullable=False)
    object_id = db.Column(db.Integer)
    before = db.Column(db.JSON)
    after = db.Column(db.JSON)

    user = db.relationship("User")


class AccessAction(StrEnum):
    VIEW = "view"
    EXPORT = "export"
    DOWNLOAD = "download"
    DELETE = "delete"


# The one place that names the access log's action codes (pages and the subject access PDF).
ACCESS_ACTION_LABELS = {
    "view": _l("angesehen"),
    "export": _l("exportiert"),
    "download": _l("heruntergeladen"),
    "delete": _l("gelöscht"),
}


def access_action_label(code):
    """Name an access log action in the reader's language; an unknown code stays as it is."""
    return ACCESS_ACTION_LABELS.get(code, code)


class AccessLogEntry(db.Model):
    """Who looked at or exported whose personal data, when and on which page.

    The participant ids are plain integers, not foreign keys: the entry must outlive the
    data it is about, and ids alone say nothing about a person.
    """

    __tablename__ = "access_log_entries"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="SET NULL"), index=True
    )
    participant_id = db.Column(db.Integer, index=True)  # one person, else None
    participant_ids = db.Column(db.JSON)  # a list or export: every person in it
    action = db.Column(db.String(20), nullable=False)
    endpoint = db.Column(db.String(100), nullable=False, default="")

    user = db.relationship("User")

    @property
    def action_label(self):
        return access_action_label(self.action)

    @property
    def count(self):
        if self.participant_id is not None:
            return 1
        return len(self.participant_ids or [])
