"""The anonymised figures of one competition that outlive the purge of its personal data."""

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class CompetitionStatistics(db.Model):
    """Anonymised counts of one competition, kept when its personal data is purged."""

    __tablename__ = "competition_statistics"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer,
        db.ForeignKey("competitions.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    )
    data = db.Column(db.JSON, nullable=False, default=dict)
    computed_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    purged_at = db.Column(UTCDateTime)
