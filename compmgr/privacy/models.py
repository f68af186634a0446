"""The access log, the configurable notices and the statistics that outlive a purge."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


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


class PageSlug(StrEnum):
    PRIVACY = "datenschutz"
    IMPRINT = "impressum"

    @property
    def label(self):
        return {"datenschutz": _l("Datenschutzhinweise"), "impressum": _l("Impressum")}[self.value]


class SitePage(db.Model):
    """An instance-wide page the instance admin writes: the privacy notice or the imprint."""

    __tablename__ = "site_pages"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(30), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False, default="")
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))


class CompetitionStatistics(db.Model):
    """Anonymised counts of one competition, kept when its personal data is purged."""

    __tablename__ = "competition_statistics"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False,
        unique=True,
    )
    data = db.Column(db.JSON, nullable=False, default=dict)
    computed_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    purged_at = db.Column(UTCDateTime)
