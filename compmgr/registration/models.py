"""Schools, participants, projects, team memberships, uploaded documents and consents."""

from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import selectinload

from compmgr.database import TimestampMixin, UTCDateTime, utcnow
from compmgr.extensions import db


class ProjectStatus(StrEnum):
    # A legacy value: the app never sets it (projects are registered as submitted); a row that
    # has it is treated like every status outside TAKING_PART.
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return {
            "draft": _l("Entwurf"),
            "submitted": _l("Angemeldet"),
            "admitted": _l("Zugelassen"),
            "rejected": _l("Abgelehnt"),
            "withdrawn": _l("Zurückgezogen"),
        }[self.value]

    @property
    def takes_part(self):
        """Say whether a project with this status takes part (see Project.takes_part)."""
        return self in TAKING_PART


# The one definition of "a project takes part": judged, given a stand and a certificate,
# counted in the statistics. Draft (legacy), rejected and withdrawn projects do not.
TAKING_PART = (ProjectStatus.SUBMITTED, ProjectStatus.ADMITTED)


# The optional gender of a participant, for the statistics only; "" is "keine Angabe".
GENDERS = {"": _l("keine Angabe"), "w": _l("weiblich"), "m": _l("männlich"), "d": _l("divers")}


class School(TimestampMixin, db.Model):
    __tablename__ = "schools"
    __table_args__ = (db.UniqueConstraint("competition_id", "name", "city"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(200), nullable=False)
    city = db.Column(db.String(100), nullable=False, default="")
    registration_extended_until = db.Column(db.Date)  # organiser's extension for this school

    competition = db.relationship("Competition")
    participants = db.relationship("Participant", back_populates="school")
    projects = db.relationship("Project", back_populates="school")

    @property
    def label(self):
        return self.label_of(self.name, self.city)

    @staticmethod
    def label_of(name, city):
        """The school as a list or certificate names it: name and town."""
        return f"{name}, {city}" if city else name

    def __repr__(self):
        return f"<School {self.name!r}>"


class Participant(TimestampMixin, db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        db.UniqueConstraint("competition_id", "first_name", "last_name", "birth_date"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    school_id = db.Column(
        db.Integer, db.ForeignKey("schools.id", ondelete="CASCADE"), nullable=False, index=True
    )
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    birth_date = db.Column(db.Date, nullable=False)
    grade = db.Column(db.Integer, nullable=False)
    email = db.Column(db.String(254), nullable=False, default="")
    phone = db.Column(db.String(50), nullable=False, default="")
    # Optional, for the statistics only (Jugend forscht reports the share of girls): "w", "m",
    # "d", or "" for "keine Angabe". No other output shows it.
    gender = db.Column(db.String(1), nullable=False, default="", server_default="")

    school = db.relationship("School", back_populates="participants")
    memberships = db.relationship(
        "ProjectMember", back_populates="participant", cascade="all, delete-orphan"
    )
    consents = db.relationship(
        "ConsentRecord",
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="ConsentRecord.given_at",
    )

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def consent(self, kind):
        """Return the consent record in force for one kind (the latest), or None."""
        kind = ConsentKind(kind).value
        records = [r for r in self.consents if r.kind == kind]
        if not records:
            return None
        return max(records, key=lambda r: (r.given_at, r.id or 0))

    def has_consent(self, kind):
        """Tell whether the consent in force for kind is a "yes" (no record counts as "no")."""
        record = self.consent(kind)
        return bool(record and record.granted)

    @property
    def public_name(self):
        """The name where publication is allowed, else a description by school."""
        if self.has_consent(ConsentKind.PUBLICATION):
            return self.full_name
        return _("Teilnehmerin/Teilnehmer der Schule „%(school)s“", school=self.school.name)

    def __repr__(self):
        return f"<Participant {self.full_name!r}>"


class Project(TimestampMixin, db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        db.UniqueConstraint("competition_id", "key"),
        db.UniqueConstraint("competition_id", "stand"),
    )

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    school_id = db.Column(
        db.Integer, db.ForeignKey("schools.id", ondelete="CASCADE"), nullable=False, index=True
    )
    subject_id = db.Column(db.Integer, db.ForeignKey("subjects.id"), nullable=False, index=True)
    # Derived from the oldest member by registration.services.division_for; never typed in.
    division_id = db.Column(db.Integer, db.ForeignKey("divisions.id"), index=True)
    key = db.Column(db.String(50))  # the import key, stable across repeated imports
    title = db.Column(db.String(300), nullable=False)
    abstract = db.Column(db.Text, nullable=False, default="")  # Kurzfassung
    supervisor_name = db.Column(db.String(200), nullable=False, default="")
    supervisor_email = db.Column(db.String(254), nullable=False, default="")
    needs_space = db.Column(db.Boolean, nullable=False, default=False)
    needs_power = db.Column(db.Boolean, nullable=False, default=False)
    needs_water = db.Column(db.Boolean, nullable=False, default=False)
    needs_gas = db.Column(db.Boolean, nullable=False, default=False)
    needs_notes = db.Column(db.String(500), nullable=False, default="")
    involves_animals = db.Column(db.Boolean, nullable=False, default=False)
    patent_consultation = db.Column(db.Boolean, nullable=False, default=False)
    remote_link = db.Column(db.String(500), nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default=ProjectStatus.SUBMITTED)
    status_reason = db.Column(db.String(500), nullable=False, default="")
    promoted = db.Column(db.Boolean, nullable=False, default=False)  # Hochstufung
    promoted_reason = db.Column(db.String(500), nullable=False, default="")
    stand = db.Column(db.String(20))

    school = db.relationship("School", back_populates="projects")
    subject = db.relationship("Subject")
    division = db.relationship("Division")
    members = db.relationship(
        "ProjectMember",
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="ProjectMember.position",
    )
    documents = db.relationship("Document", back_populates="project", cascade="all, delete-orphan")

    @property
    def participants(self):
        return [m.participant for m in self.members]

    @property
    def speaker(self):
        return next((m.participant for m in self.members if m.is_speaker), None)

    def __init__(self, **fields):
        # A new project is submitted from the start, not only once it is flushed: the rules
        # (takes_part, the division) ask before the database has filled in the default.
        fields.setdefault("status", ProjectStatus.SUBMITTED)
        super().__init__(**fields)

    @property
    def status_enum(self):
        return ProjectStatus(self.status)

    @property
    def stand_title(self):
        """Name the project by stand and title ("B07 · Moose als Luftfilter"): titles repeat."""
        return f"{self.stand} · {self.title}" if self.stand else self.title

    @hybrid_property
    def takes_part(self):
        """Whether the project takes part; usable in Python and in queries."""
        return ProjectStatus(self.status).takes_part

    @takes_part.inplace.expression
    @classmethod
    def _takes_part_expression(cls):
        return cls.status.in_([s.value for s in TAKING_PART])

    def document(self, kind):
        return next((d for d in self.documents if d.kind == kind), None)

    def __repr__(self):
        return f"<Project {self.id} {self.title[:30]!r}>"


class ProjectMember(db.Model):
    __tablename__ = "project_members"
    __table_args__ = (db.UniqueConstraint("project_id", "participant_id"),)

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    participant_id = db.Column(
        db.Integer, db.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    is_speaker = db.Column(db.Boolean, nullable=False, default=False)  # Gruppensprecher(in)
    position = db.Column(db.Integer, nullable=False, default=0)

    project = db.relationship("Project", back_populates="members")
    participant = db.relationship("Participant", back_populates="memberships")


class DocumentKind(StrEnum):
    PAPER = "paper"  # schriftliche Arbeit
    ANIMAL_FORM = "animal_form"  # Tierschutzformular


class Document(db.Model):
    """An uploaded file, stored under a generated name outside static/."""

    __tablename__ = "documents"
    __table_args__ = (db.UniqueConstraint("project_id", "kind"),)

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = db.Column(db.String(20), nullable=False)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    original_name = db.Column(db.String(255), nullable=False)
    content_type = db.Column(db.String(100), nullable=False, default="application/pdf")
    size = db.Column(db.Integer, nullable=False)
    page_count = db.Column(db.Integer)
    sha256 = db.Column(db.String(64), nullable=False)
    uploaded_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    project = db.relationship("Project", back_populates="documents")


class ConsentKind(StrEnum):
    PARTICIPATION = "participation"  # Teilnahme- und Datenschutzerklärung (required)
    PUBLICATION = "publication"  # name in results and press
    PHOTOS = "photos"


class ConsentRecord(db.Model):
    """One consent given or withdrawn; the latest record per kind is in force."""

    __tablename__ = "consent_records"

    id = db.Column(db.Integer, primary_key=True)
    participant_id = db.Column(
        db.Integer, db.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = db.Column(db.String(20), nullable=False)
    granted = db.Column(db.Boolean, nullable=False)
    given_by = db.Column(db.String(20), nullable=False)  # "participant" or "parent"
    text_version = db.Column(db.String(20), nullable=False, default="1")
    given_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    participant = db.relationship("Participant", back_populates="consents")


# Loader options for pages that list many projects or participants: what their rows show comes
# in a fixed number of statements (one per relationship), however many rows there are.
def project_list_options():
    """Options for a list of projects: school, Fachgebiet, division, documents, and the team
    with each member's school and consents (missing items, public names)."""
    team = selectinload(Project.members).selectinload(ProjectMember.participant)
    return (
        selectinload(Project.school),
        selectinload(Project.subject),
        selectinload(Project.division),
        selectinload(Project.documents),
        team.selectinload(Participant.consents),
        team.selectinload(Participant.school),
    )


def participant_list_options():
    """Options for a list of participants: school, consents, and their projects."""
    return (
        selectinload(Participant.school),
        selectinload(Participant.consents),
        selectinload(Participant.memberships).selectinload(ProjectMember.project),
    )
