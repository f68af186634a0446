"""Judges, juries, conflicts of interest, assignments, the rubric and scores."""

from enum import StrEnum

from compmgr.database import TimestampMixin, UTCDateTime, utcnow
from compmgr.extensions import db

judge_subjects = db.Table(
    "judge_subjects",
    db.Column("judge_id", db.ForeignKey("judges.id", ondelete="CASCADE"), primary_key=True),
    db.Column("subject_id", db.ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True),
)

judge_divisions = db.Table(
    "judge_divisions",
    db.Column("judge_id", db.ForeignKey("judges.id", ondelete="CASCADE"), primary_key=True),
    db.Column("division_id", db.ForeignKey("divisions.id", ondelete="CASCADE"), primary_key=True),
)


class Judge(TimestampMixin, db.Model):
    """A juror's profile in one competition; the account is linked once the invitation is used."""

    __tablename__ = "judges"
    __table_args__ = (db.UniqueConstraint("competition_id", "email"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    email = db.Column(db.String(254), nullable=False)
    affiliation = db.Column(db.String(200), nullable=False, default="")
    # The school the judge works at, if any: a derived conflict with its projects.
    school_id = db.Column(db.Integer, db.ForeignKey("schools.id", ondelete="SET NULL"))
    availability = db.Column(db.String(300), nullable=False, default="")
    confidentiality_accepted_at = db.Column(UTCDateTime)
    conflicts_declared_at = db.Column(UTCDateTime)

    user = db.relationship("User")
    school = db.relationship("School")
    subjects = db.relationship("Subject", secondary=judge_subjects)
    divisions = db.relationship("Division", secondary=judge_divisions)
    memberships = db.relationship(
        "JuryMember", back_populates="judge", cascade="all, delete-orphan"
    )

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def __repr__(self):
        return f"<Judge {self.full_name!r}>"


class Jury(db.Model):
    """One jury per Fachgebiet, optionally per division or team."""

    __tablename__ = "juries"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    subject_id = db.Column(db.Integer, db.ForeignKey("subjects.id"), nullable=False, index=True)
    division_id = db.Column(db.Integer, db.ForeignKey("divisions.id"))  # None: all divisions
    team = db.Column(db.Integer, nullable=False, default=1)
    name = db.Column(db.String(200), nullable=False)
    locked_at = db.Column(UTCDateTime)
    locked_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    subject = db.relationship("Subject")
    division = db.relationship("Division")
    locked_by = db.relationship("User")
    members = db.relationship(
        "JuryMember", back_populates="jury", cascade="all, delete-orphan",
        order_by="JuryMember.id",
    )

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def chair(self):
        return next((m.judge for m in self.members if m.is_chair), None)

    def __repr__(self):
        return f"<Jury {self.name!r}>"


class JuryMember(db.Model):
    __tablename__ = "jury_members"
    __table_args__ = (db.UniqueConstraint("jury_id", "judge_id"),)

    id = db.Column(db.Integer, primary_key=True)
    jury_id = db.Column(
        db.Integer, db.ForeignKey("juries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    is_chair = db.Column(db.Boolean, nullable=False, default=False)

    jury = db.relationship("Jury", back_populates="members")
    judge = db.relationship("Judge", back_populates="memberships")


class ConflictStatus(StrEnum):
    FLAGGED = "flagged"  # derived but uncertain: the organiser decides
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Conflict(db.Model):
    """A conflict of interest between a judge and a project or a whole school."""

    __tablename__ = "conflicts"

    id = db.Column(db.Integer, primary_key=True)
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    project_id = db.Column(db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    school_id = db.Column(db.Integer, db.ForeignKey("schools.id", ondelete="CASCADE"))
    participant_id = db.Column(db.Integer, db.ForeignKey("participants.id", ondelete="CASCADE"))
    source = db.Column(db.String(20), nullable=False)  # "declared" or "derived"
    reason = db.Column(db.String(300), nullable=False)
    status = db.Column(db.String(20), nullable=False, default=ConflictStatus.CONFIRMED)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    judge = db.relationship("Judge")
    project = db.relationship("Project")
    school = db.relationship("School")
    participant = db.relationship("Participant")


class Assignment(db.Model):
    """A judge is to score a project; the slot is the planned stand visit."""

    __tablename__ = "assignments"
    __table_args__ = (db.UniqueConstraint("judge_id", "project_id"),)

    id = db.Column(db.Integer, primary_key=True)
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    manual = db.Column(db.Boolean, nullable=False, default=False)
    slot_start = db.Column(UTCDateTime)
    slot_end = db.Column(UTCDateTime)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    judge = db.relationship("Judge")
    project = db.relationship("Project")


class Criterion(db.Model):
    """One rubric item; division None means it applies to every division."""

    __tablename__ = "criteria"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    division_id = db.Column(db.Integer, db.ForeignKey("divisions.id", ondelete="CASCADE"))
    group = db.Column(db.String(100), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.String(500), nullable=False, default="")
    weight = db.Column(db.Float, nullable=False, default=1.0)
    scale_min = db.Column(db.Integer, nullable=False, default=0)
    scale_max = db.Column(db.Integer, nullable=False, default=10)
    position = db.Column(db.Integer, nullable=False, default=0)

    division = db.relationship("Division")


class Score(db.Model):
    """One judge's value for one criterion of one project; the last save wins."""

    __tablename__ = "scores"
    __table_args__ = (db.UniqueConstraint("judge_id", "project_id", "criterion_id"),)

    id = db.Column(db.Integer, primary_key=True)
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    criterion_id = db.Column(
        db.Integer, db.ForeignKey("criteria.id", ondelete="CASCADE"), nullable=False
    )
    value = db.Column(db.Integer, nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Review(db.Model):
    """A judge's note on a project and whether the score sheet was submitted."""

    __tablename__ = "reviews"
    __table_args__ = (db.UniqueConstraint("judge_id", "project_id"),)

    id = db.Column(db.Integer, primary_key=True)
    judge_id = db.Column(
        db.Integer, db.ForeignKey("judges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    note = db.Column(db.Text, nullable=False, default="")
    submitted_at = db.Column(UTCDateTime)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
