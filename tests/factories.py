"""factory_boy factories bound to the app's session; competitions, projects, juries and judges
are made through the services the app uses, so their derived data (division, speaker, rubric,
jury name) is what the app would derive."""

from datetime import date, timedelta

import factory
from werkzeug.security import generate_password_hash

from compmgr.auth.models import Role, RoleGrant, User
from compmgr.competitions.models import Competition, Status
from compmgr.competitions.services import create_competition
from compmgr.dates import today
from compmgr.extensions import db
from compmgr.judging.juries import add_member, create_jury, set_chair
from compmgr.judging.models import Assignment, Judge, Jury
from compmgr.registration.models import Participant, Project, School
from compmgr.registration.services import set_team, update_division

PASSWORD = "password123"
_HASH = None


def password_hash():
    """Hash the test password once, with scrypt at a cost of 2**10 instead of the app's 2**15.

    Each login checks the hash at the cost stored in it: at the app's cost that is 0.1 s,
    thousands of times in the suite. Hashes the app itself writes keep the app's cost.
    """
    global _HASH
    if _HASH is None:
        _HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    return _HASH


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password_hash = factory.LazyFunction(password_hash)
    auth_nonce = 1


class CompetitionFactory(Base):
    """A competition seeded as competitions.services creates one (divisions, subjects, rubric)."""

    class Meta:
        model = Competition

    name = "Regionalwettbewerb Teststadt"
    round_year = 2027
    status = Status.REGISTRATION_OPEN
    # Open for a while whenever the suite runs: a fixed date turned every test red once passed.
    registration_deadline = factory.LazyFunction(lambda: today() + timedelta(days=60))

    @classmethod
    def _create(cls, model_class, name, round_year, **fields):
        competition = create_competition(name, round_year, **fields)
        db.session.flush()
        return competition


class SchoolFactory(Base):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Schule {n}")
    city = "Musterstadt"


class ParticipantFactory(Base):
    class Meta:
        model = Participant

    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = "Müller"
    birth_date = date(2010, 5, 17)
    grade = 10
    email = factory.Sequence(lambda n: f"p{n}@schule.example")


def grant(user, competition, role, school=None):
    user.grants.append(
        RoleGrant(
            competition_id=competition.id, role=Role(role), school_id=school.id if school else None
        )
    )
    db.session.flush()
    return user


class ProjectFactory(Base):
    """A project with its team, registered through registration.services: the first participant
    (or ``speaker``) is the Gruppensprecher(in) and the team's oldest member sets the division.
    A ``status`` such as withdrawn is set after that, as it happens in real life."""

    class Meta:
        model = Project

    competition = factory.SubFactory(CompetitionFactory)
    school = factory.SubFactory(
        SchoolFactory, competition_id=factory.SelfAttribute("..competition.id")
    )
    participants = factory.LazyAttribute(
        lambda o: [ParticipantFactory(competition_id=o.competition.id, school=o.school)]
    )
    subject = factory.LazyAttribute(lambda o: o.competition.subjects[0])
    title = "Ein Projekt über Wasser"

    @classmethod
    def _create(cls, model_class, competition, participants, speaker=None, status=None, **fields):
        with db.session.no_autoflush:  # the project is complete only once its team is set
            project = model_class(competition_id=competition.id, **fields)
            db.session.add(project)
            set_team(project, participants, speaker or participants[0])
            update_division(project, competition, participants)
            if status is not None:
                project.status = status
        db.session.flush()
        return project


class JuryFactory(Base):
    """A jury made by judging.juries.create_jury, named after its Fachgebiet unless named."""

    class Meta:
        model = Jury

    competition = factory.SubFactory(CompetitionFactory)
    subject = factory.LazyAttribute(lambda o: o.competition.subjects[0])
    division = None
    team = 1
    name = ""

    @classmethod
    def _create(cls, model_class, competition, subject, division, team, name):
        return create_jury(competition, subject, division=division, team=team, name=name)


class JudgeFactory(Base):
    """A judge; with a ``user`` the account holds the judge role, with a ``jury`` the judge joins
    it through judging.juries.add_member, and ``chair`` makes them its chair (set_chair)."""

    class Meta:
        model = Judge

    competition = factory.SubFactory(CompetitionFactory)
    user = None
    first_name = "Jutta"
    last_name = "Jurorin"
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "jury@example.org")

    @classmethod
    def _create(cls, model_class, competition, user=None, jury=None, chair=False, **fields):
        judge = model_class(competition_id=competition.id, user=user, **fields)
        db.session.add(judge)
        if user is not None:
            grant(user, competition, Role.JUDGE)
        db.session.flush()
        if jury is not None:
            add_member(jury, judge)
            if chair:  # set apart: add_member(chair=True) misses a member not yet flushed
                set_chair(jury, judge)
        return judge


def assign(judge, project):
    a = Assignment(judge_id=judge.id, project_id=project.id)
    db.session.add(a)
    db.session.flush()
    return a


def make_pdf(pages=1, text="Schriftliche Arbeit"):
    """Return the bytes of a small valid PDF with the given number of pages."""
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in range(pages):
        c.drawString(72, 720, f"{text} – Seite {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_document(project, kind="paper", data=None, name="arbeit.pdf"):
    """Store a PDF for a project through compmgr.storage, as an upload would."""
    from compmgr import storage
    from compmgr.registration.models import Document

    data = data or make_pdf()
    stored_name, digest = storage.store_bytes(data)
    doc = Document(
        project_id=project.id,
        kind=kind,
        stored_name=stored_name,
        original_name=name,
        size=len(data),
        page_count=1,
        sha256=digest,
    )
    db.session.add(doc)
    db.session.flush()
    return doc


__all__ = [
    "PASSWORD",
    "UserFactory",
    "CompetitionFactory",
    "SchoolFactory",
    "ParticipantFactory",
    "ProjectFactory",
    "JuryFactory",
    "JudgeFactory",
    "grant",
    "assign",
    "make_pdf",
    "make_document",
]
