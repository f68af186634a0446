"""factory_boy factories bound to the app's session."""

from datetime import date

import factory
from werkzeug.security import generate_password_hash

from compmgr.auth.models import Role, RoleGrant, User
from compmgr.competitions.models import Competition, Status
from compmgr.competitions.services import create_competition
from compmgr.extensions import db
from compmgr.judging.models import Assignment, Judge, Jury, JuryMember
from compmgr.registration.models import Participant, Project, ProjectMember, School

PASSWORD = "password123"
_HASH = None


def password_hash():
    """Hash the test password once; scrypt is deliberately slow."""
    global _HASH
    if _HASH is None:
        _HASH = generate_password_hash(PASSWORD, method="scrypt")
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


def CompetitionFactory(name="Regionalwettbewerb Teststadt", round_year=2027, **fields):  # noqa: N802
    """Create a competition seeded like a real one (divisions, subjects, rubric)."""
    fields.setdefault("status", Status.REGISTRATION_OPEN)
    fields.setdefault("registration_deadline", date(2026, 11, 30))
    comp = create_competition(name, round_year, **fields)
    db.session.flush()
    return comp


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
    user.grants.append(RoleGrant(competition_id=competition.id, role=Role(role),
                                 school_id=school.id if school else None))
    db.session.flush()
    return user


def make_project(competition, school, participants, subject=None, **fields):
    """Create a project with its team; the first participant is the Gruppensprecher(in)."""
    from compmgr.competitions.services import division_for

    project = Project(competition_id=competition.id, school=school,
                      subject=subject or competition.subjects[0],
                      title=fields.pop("title", "Ein Projekt über Wasser"), **fields)
    for pos, person in enumerate(participants):
        project.members.append(ProjectMember(participant=person, is_speaker=pos == 0, position=pos))
    project.division = division_for(participants, competition.divisions, competition.age_cutoff).division
    db.session.add(project)
    db.session.flush()
    return project


def make_judge(competition, user=None, jury=None, chair=False, **fields):
    judge = Judge(competition_id=competition.id, user=user,
                  first_name=fields.pop("first_name", "Jutta"),
                  last_name=fields.pop("last_name", "Jurorin"),
                  email=fields.pop("email", user.email if user else "jury@example.org"), **fields)
    db.session.add(judge)
    if user is not None:
        grant(user, competition, Role.JUDGE)
    if jury is not None:
        jury.members.append(JuryMember(judge=judge, is_chair=chair))
    db.session.flush()
    return judge


def make_jury(competition, subject=None, division=None, name=None):
    subject = subject or competition.subjects[0]
    jury = Jury(competition_id=competition.id, subject=subject, division=division,
                name=name or subject.name)
    db.session.add(jury)
    db.session.flush()
    return jury


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
    doc = Document(project_id=project.id, kind=kind, stored_name=stored_name, original_name=name,
                   size=len(data), page_count=1, sha256=digest)
    db.session.add(doc)
    db.session.flush()
    return doc


def competition_with(**fields):
    return CompetitionFactory(**fields)


__all__ = [
    "PASSWORD", "UserFactory", "CompetitionFactory", "SchoolFactory", "ParticipantFactory",
    "grant", "make_project", "make_judge", "make_jury", "assign", "Competition",
    "make_pdf", "make_document",
]
