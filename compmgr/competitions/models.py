"""Competitions with their divisions (Sparten) and subject areas (Fachgebiete)."""

import re
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from compmgr.database import TimestampMixin, UTCDateTime
from compmgr.extensions import db


class Level(StrEnum):
    REGIONAL = "regional"
    STATE = "state"
    FEDERAL = "federal"

    @property
    def label(self):
        return {
            "regional": _l("Regionalwettbewerb"),
            "state": _l("Landeswettbewerb"),
            "federal": _l("Bundesfinale"),
        }[self.value]


class Status(StrEnum):
    """The life of a competition; each step only moves forward, except by the organiser."""

    SETUP = "setup"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    JUDGING = "judging"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self):
        return {
            "setup": _l("In Vorbereitung"),
            "registration_open": _l("Anmeldung offen"),
            "registration_closed": _l("Anmeldung geschlossen"),
            "judging": _l("Bewertung"),
            "published": _l("Ergebnisse veröffentlicht"),
            "archived": _l("Archiviert"),
        }[self.value]


STATUS_ORDER = list(Status)


class Competition(TimestampMixin, db.Model):
    __tablename__ = "competitions"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    level = db.Column(db.String(20), nullable=False, default=Level.REGIONAL)
    round_year = db.Column(db.Integer, nullable=False)  # the round, e.g. 2027
    host = db.Column(db.String(200), nullable=False, default="")  # Patenunternehmen
    host_contact = db.Column(db.String(200), nullable=False, default="")  # Patenbeauftragte(r)
    venue = db.Column(db.String(300), nullable=False, default="")
    starts_on = db.Column(db.Date)
    ends_on = db.Column(db.Date)
    registration_deadline = db.Column(db.Date)
    paper_deadline = db.Column(db.Date)
    status = db.Column(db.String(30), nullable=False, default=Status.SETUP)
    copied_from_id = db.Column(db.Integer, db.ForeignKey("competitions.id", ondelete="SET NULL"))

    # Rules that vary between competitions, with the defaults of DOMAIN.md.
    age_cutoff = db.Column(db.Date, nullable=False)  # 31 Dec of the registration year
    max_team_size = db.Column(db.Integer, nullable=False, default=3)
    max_projects_per_participant = db.Column(db.Integer, nullable=False, default=1)
    abstract_max_chars = db.Column(db.Integer, nullable=False, default=1500)
    paper_max_mb = db.Column(db.Integer, nullable=False, default=30)
    paper_max_pages = db.Column(db.Integer, nullable=False, default=15)
    min_judges_per_project = db.Column(db.Integer, nullable=False, default=3)
    first_prizes = db.Column(db.Integer, nullable=False, default=1)
    second_prizes = db.Column(db.Integer, nullable=False, default=1)
    third_prizes = db.Column(db.Integer, nullable=False, default=1)
    slot_minutes = db.Column(db.Integer, nullable=False, default=20)
    judging_starts_at = db.Column(db.Time)
    judging_breaks = db.Column(
        db.String(200), nullable=False, default=""
    )  # "10:30-10:45, 12:30-13:15"
    retention_until = db.Column(db.Date)
    results_published_at = db.Column(UTCDateTime)

    divisions = db.relationship(
        "Division",
        back_populates="competition",
        order_by="Division.position",
        cascade="all, delete-orphan",
    )
    subjects = db.relationship(
        "Subject",
        back_populates="competition",
        order_by="Subject.position",
        cascade="all, delete-orphan",
    )

    @property
    def level_enum(self):
        return Level(self.level)

    @property
    def status_enum(self):
        return Status(self.status)

    def status_at_least(self, status):
        return STATUS_ORDER.index(Status(self.status)) >= STATUS_ORDER.index(Status(status))

    @property
    def title(self):
        """The name with the round's year, unless the name holds that year already."""
        if re.search(rf"(?<!\d){self.round_year}(?!\d)", self.name):
            return self.name
        return f"{self.name} {self.round_year}"

    @staticmethod
    def default_cutoff(round_year):
        """Age counts on 31 December of the registration year, the year before the round."""
        return date(round_year - 1, 12, 31)

    def __repr__(self):
        return f"<Competition {self.id} {self.name!r}>"


class Division(db.Model):
    """A Sparte with its age and grade limits (None means no limit)."""

    __tablename__ = "divisions"
    __table_args__ = (db.UniqueConstraint("competition_id", "code"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code = db.Column(db.String(20), nullable=False)  # "jf", "junior"
    name = db.Column(db.String(100), nullable=False)
    former_name = db.Column(db.String(100), nullable=False, default="")
    min_age = db.Column(db.Integer)
    max_age = db.Column(db.Integer)
    min_grade = db.Column(db.Integer)
    position = db.Column(db.Integer, nullable=False, default=0)

    competition = db.relationship("Competition", back_populates="divisions")

    def __repr__(self):
        return f"<Division {self.code}>"


class Subject(db.Model):
    """A Fachgebiet."""

    __tablename__ = "subjects"
    __table_args__ = (db.UniqueConstraint("competition_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(100), nullable=False)
    code = db.Column(db.String(10), nullable=False, default="")  # stand prefix, e.g. "B"
    position = db.Column(db.Integer, nullable=False, default=0)

    competition = db.relationship("Competition", back_populates="subjects")

    def __repr__(self):
        return f"<Subject {self.name}>"
