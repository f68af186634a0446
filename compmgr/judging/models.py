"""Judges, juries, conflicts of interest, assignments, the rubric and scores."""

from enum import StrEnum

from sqlalchemy.orm import selectinload

from compmgr.auth.models import User
from compmgr.database import TimestampMixin, UTCDateTime, utcnow
from compmgr.extensions import db
from compmgr.registration.models import Participant, Project, ProjectMember

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
    # A judge who dropped out (Ausfall) is out of every jury since then; the juries they were
    # in, [{"jury": id, "chair": bool}], are kept so that the organiser can undo it.
    absent_since = db.Column(UTCDateTime)
    absent_from = db.Column(db.JSON)

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

    @property
    def is_absent(self):
        return self.absent_since is not None

    def can_score(self, project):
        """Tell whether the judge may see and score project: same competition, assigned, not
        conflicted, and the project takes part. The one scoring permission.

        One statement, read from the database even for a loaded project: autosave asks this on
        every change a judge makes, and again under the write lock.
        """
        if project is None or self.competition_id != project.competition_id:
            return False
        allowed = db.session.execute(
            db.select(Project.id)
            .where(Project.id == project.id, Judge.may_score(self.id, self.competition_id))
            .limit(1)
        ).first()
        return allowed is not None

    @staticmethod
    def may_score(judge_id, competition_id):
        """Return ``can_score`` as an SQL condition on the statement's own ``projects`` row.

        The ids are values or bound parameters. The save of a score sheet selects the project
        with this condition, so loading the project and asking the permission under the write
        lock take one statement, built once (``scoring.SHEET_FOR_SAVING``).
        """
        return (
            (Project.competition_id == competition_id)
            & Project.takes_part
            & db.select(Assignment.id)
            .where(Assignment.judge_id == judge_id, Assignment.project_id == Project.id)
            .exists()
            & ~conflict_on(judge_id, Project)
        )

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
        "JuryMember",
        back_populates="jury",
        cascade="all, delete-orphan",
        order_by="JuryMember.id",
    )

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def chair(self):
        return next((m.judge for m in self.members if m.is_chair), None)

    def fits(self, project, juries):
        """Say whether the jury is one the project may be given to: its Fachgebiet, and its own
        division's jury where the Fachgebiet has one, else the jury for every division.

        ``juries`` are all juries of the competition. Several juries fit a project only when
        they are teams of one Fachgebiet and division; covers() then splits them.
        """
        if self.subject_id != project.subject_id or self.competition_id != project.competition_id:
            return False
        if self.division_id is not None:
            return self.division_id == project.division_id
        return not any(
            j.subject_id == project.subject_id
            and j.division_id is not None
            and j.division_id == project.division_id
            for j in juries
        )

    def covers(self, project, juries=None, assigned=None):
        """Say whether this jury judges project: the one jury↔project rule.

        The jury must fit the project (see fits). Of several teams that fit, a team covers the
        project only when one of its members is assigned to it. ``juries`` (all juries of the
        competition) and ``assigned`` (judge ids assigned to project) are read when not given.
        """
        if juries is None:
            juries = db.session.scalars(
                db.select(Jury).filter_by(competition_id=self.competition_id)
            ).all()
        teams = [j for j in juries if j.fits(project, juries)]
        if self not in teams:
            return False
        if len(teams) == 1:
            return True
        if assigned is None:
            assigned = set(
                db.session.scalars(db.select(Assignment.judge_id).filter_by(project_id=project.id))
            )
        return any(m.judge_id in assigned for m in self.members)

    @staticmethod
    def covering(project, juries, assigned=None):
        """Return the juries among ``juries`` (all of the competition) that cover project, by
        the rule of ``covers``: for many juries at once, the fitting teams found once.
        ``assigned`` (judge ids assigned to project) is read, once, when needed and not given."""
        teams = [j for j in juries if j.fits(project, juries)]
        if len(teams) <= 1:
            return teams
        if assigned is None:
            assigned = set(
                db.session.scalars(db.select(Assignment.judge_id).filter_by(project_id=project.id))
            )
        return [j for j in teams if any(m.judge_id in assigned for m in j.members)]

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


# Conflicts that bind: the organiser has not dismissed them.
ACTIVE = (ConflictStatus.CONFIRMED.value, ConflictStatus.FLAGGED.value)


def conflict_on(judge_id, project):
    """Return the condition "an active conflict ties judge_id to project", as one EXISTS.

    ``project`` is a loaded project, or the Project class for a condition on the enclosing
    statement's ``projects`` row.

    A conflict counts when it names the project, the project's school (or a team member's
    school) or one of its participants; only dismissed conflicts are ignored.
    """
    members = (
        db.select(ProjectMember.participant_id)
        .where(ProjectMember.project_id == project.id)
        .correlate(Project)  # to the enclosing statement's projects row, two levels up
        .scalar_subquery()
    )
    member_schools = (
        db.select(Participant.school_id)
        .where(Participant.id.in_(members))
        .correlate(Project)
        .scalar_subquery()
    )
    return (
        db.select(Conflict.id)
        .where(
            Conflict.judge_id == judge_id,
            Conflict.status.in_(ACTIVE),
            (Conflict.project_id == project.id)
            | (Conflict.school_id == project.school_id)
            | Conflict.school_id.in_(member_schools)
            | Conflict.participant_id.in_(members),
        )
        .exists()
    )


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


# Loader options for pages that list juries, judges or assignments: what each row shows comes in
# one statement per relationship, however many rows there are.
def jury_options():
    """Options for a list of juries: Fachgebiet, division, members with their judges."""
    return (
        selectinload(Jury.subject),
        selectinload(Jury.division),
        selectinload(Jury.members).selectinload(JuryMember.judge),
    )


def judge_options():
    """Options for a list of judges: account with its grants, juries, school, Fachgebiete."""
    return (
        selectinload(Judge.user).selectinload(User.grants),
        selectinload(Judge.memberships).selectinload(JuryMember.jury),
        selectinload(Judge.school),
        selectinload(Judge.subjects),
        selectinload(Judge.divisions),
    )
