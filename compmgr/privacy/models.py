"""The configurable notices (privacy notice, imprint)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db
from compmgr.statistics.models import CompetitionStatistics  # noqa: F401  (moved; old import)


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
