"""The audit trail of score changes, overrides and other decisions."""

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
