"""The plan of the competition days: days and breaks, availability windows, halls and stands,
patent consultations, and what each judge has seen of their schedule.

Kept apart from ``judging.models`` so the day plan can grow without touching the scoring
tables; ``compmgr.models`` imports both.
"""

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class PlanSettings(db.Model):
    """A competition's planning defaults: the buffer between visits, the safeguarding note."""

    __tablename__ = "plan_settings"

    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    buffer_minutes = db.Column(db.Integer, nullable=False, default=5)
    # shown to judges at every remote presentation, e.g. "Zwei Erwachsene sind anwesend."
    safeguarding_note = db.Column(db.String(1000), nullable=False, default="")


class JudgingDay(db.Model):
    """One competition day with its judging hours and breaks (Berlin wall-clock times)."""

    __tablename__ = "judging_days"
    __table_args__ = (db.UniqueConstraint("competition_id", "day"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    day = db.Column(db.Date, nullable=False)
    starts_at = db.Column(db.Time, nullable=False)
    ends_at = db.Column(db.Time, nullable=False)
    breaks = db.Column(db.String(200), nullable=False, default="")  # "12:00-13:00, 15:00-15:15"


class JuryPlan(db.Model):
    """A jury's own visit length; without one the competition's slot length applies."""

    __tablename__ = "jury_plans"

    jury_id = db.Column(
        db.Integer, db.ForeignKey("juries.id", ondelete="CASCADE"), primary_key=True
    )
    slot_minutes = db.Column(db.Integer, nullable=False, default=20)


class JudgeWindow(db.Model):
    """A time a judge can be there. A judge with no window is there the whole time."""

    __tablename__ = "judge_windows"

    id = db.Column(db.Integer, primary_key=True)
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    starts_at = db.Column(UTCDateTime, nullable=False)
    ends_at = db.Column(UTCDateTime, nullable=False)

    judge = db.relationship(
        "Judge",
        backref=db.backref(
            "windows", cascade="all, delete-orphan", order_by="JudgeWindow.starts_at"
        ),
    )


class Hall(db.Model):
    """A hall or room holding stands."""

    __tablename__ = "halls"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(100), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)

    stands = db.relationship(
        "Stand", back_populates="hall", cascade="all, delete-orphan", order_by="Stand.position"
    )


class Stand(db.Model):
    """A stand in a hall and what it offers; a project's ``stand`` names its number."""

    __tablename__ = "stands"

    id = db.Column(db.Integer, primary_key=True)
    hall_id = db.Column(
        db.Integer, db.ForeignKey("halls.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number = db.Column(db.String(20), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)
    power = db.Column(db.Boolean, nullable=False, default=False)
    water = db.Column(db.Boolean, nullable=False, default=False)
    gas = db.Column(db.Boolean, nullable=False, default=False)
    space = db.Column(db.Boolean, nullable=False, default=False)

    hall = db.relationship("Hall", back_populates="stands")


class Consultant(db.Model):
    """Someone offering patent consultations (Patentberatung), e.g. a patent attorney."""

    __tablename__ = "consultants"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(200), nullable=False)
    organisation = db.Column(db.String(200), nullable=False, default="")
    place = db.Column(db.String(200), nullable=False, default="")  # room of the consultation
    slot_minutes = db.Column(db.Integer, nullable=False, default=20)

    windows = db.relationship(
        "ConsultantWindow",
        back_populates="consultant",
        cascade="all, delete-orphan",
        order_by="ConsultantWindow.starts_at",
    )


class ConsultantWindow(db.Model):
    __tablename__ = "consultant_windows"

    id = db.Column(db.Integer, primary_key=True)
    consultant_id = db.Column(
        db.Integer, db.ForeignKey("consultants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    starts_at = db.Column(UTCDateTime, nullable=False)
    ends_at = db.Column(UTCDateTime, nullable=False)

    consultant = db.relationship("Consultant", back_populates="windows")


class Consultation(db.Model):
    """A project's planned patent consultation; no consultant or time yet means unscheduled."""

    __tablename__ = "consultations"

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    consultant_id = db.Column(db.Integer, db.ForeignKey("consultants.id", ondelete="SET NULL"))
    starts_at = db.Column(UTCDateTime)
    ends_at = db.Column(UTCDateTime)

    project = db.relationship("Project")
    consultant = db.relationship("Consultant")


class ScheduleChange(db.Model):
    """One line of a judge's change report: a visit added, moved or dropped by a re-plan."""

    __tablename__ = "schedule_changes"

    id = db.Column(db.Integer, primary_key=True)
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    message = db.Column(db.String(500), nullable=False)


class ScheduleSeen(db.Model):
    """When the judge last opened their own day: the changes since are shown."""

    __tablename__ = "schedule_seen"

    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
