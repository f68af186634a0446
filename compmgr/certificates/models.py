"""Per-competition certificate template settings."""

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class CertificateTemplate(db.Model):
    """Texts, colours, signatures and positions for a competition's certificates (JSON settings)."""

    __tablename__ = "certificate_templates"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer,
        db.ForeignKey("competitions.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    )
    settings = db.Column(db.JSON, nullable=False, default=dict)
    logo_stored_name = db.Column(db.String(64))
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
