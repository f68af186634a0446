"""A finished, published competition with winners, consents, papers and judges."""

from dataclasses import dataclass
from datetime import date

from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role
from compmgr.competitions.models import Status
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.registration.models import ConsentRecord
from compmgr.results.models import Decision
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
    make_document,
)


@dataclass
class Scene:
    comp: object
    org: object
    school_user: object
    judge_user: object
    winner: object  # 1st prize: Lena (consent) and Jörg (no consent)
    second: object  # 2nd prize: Ömer alone, no consent
    loser: object  # no prize: Anna (consent)
    lena: object
    joerg: object
    oemer: object
    anna: object


def consent(person, kind, granted, given_by="parent"):
    db.session.add(
        ConsentRecord(
            participant=person, kind=kind, granted=granted, given_by=given_by, given_at=utcnow()
        )
    )


def published_competition(retention_until=date(2020, 1, 1), published=True):
    comp = CompetitionFactory(
        name="Regionalwettbewerb Nordsee", round_year=2019, retention_until=retention_until
    )
    org = grant(UserFactory(email="orga@example.org", name="Olga Orga"), comp, Role.ORGANISER)
    weiss = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg", city="Görlitz")
    sued = SchoolFactory(competition_id=comp.id, name="Gesamtschule Süd", city="Zittau")
    school_user = grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, weiss)
    lena = ParticipantFactory(
        competition_id=comp.id,
        school=weiss,
        first_name="Lena",
        last_name="Weiß",
        birth_date=date(2003, 3, 1),
        email="lena@example.org",
        phone="0171 1234567",
        gender="w",
    )
    joerg = ParticipantFactory(
        competition_id=comp.id,
        school=weiss,
        first_name="Jörg",
        last_name="Groß",
        birth_date=date(2003, 4, 2),
        email="joerg@example.org",
    )
    oemer = ParticipantFactory(
        competition_id=comp.id,
        school=sued,
        first_name="Ömer",
        last_name="Öztürk",
        birth_date=date(2003, 7, 7),
        email="oemer@example.org",
    )
    anna = ParticipantFactory(
        competition_id=comp.id,
        school=sued,
        first_name="Anna",
        last_name="Schäfer",
        birth_date=date(2003, 1, 1),
        email="anna@example.org",
    )
    bio, chem = comp.subjects[1], comp.subjects[2]
    winner = ProjectFactory(
        competition=comp,
        school=weiss,
        participants=[lena, joerg],
        subject=bio,
        title="Mikroplastik in der Neiße",
        status="admitted",
        supervisor_name="Frau Müller",
        supervisor_email="mueller@schule.example",
    )
    second = ProjectFactory(
        competition=comp,
        school=sued,
        participants=[oemer],
        subject=bio,
        title="Bienen im Stadtpark",
        status="admitted",
    )
    loser = ProjectFactory(
        competition=comp,
        school=sued,
        participants=[anna],
        subject=chem,
        title="Kupfer im Regenwasser",
        status="admitted",
    )
    make_document(winner)
    make_document(loser)
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    judge_user = UserFactory(email="jury@example.org")
    judge = JudgeFactory(competition=comp, user=judge_user, jury=jury, chair=True)
    jury.locked_at = utcnow()
    db.session.add_all(
        [
            Decision(project=winner, jury=jury, place=1, prize=1, qualified=True),
            Decision(project=second, jury=jury, place=2, prize=2, qualified=False),
            AuditEntry(
                competition_id=comp.id,
                action="score",
                object_type="project",
                object_id=winner.id,
                after={"judge": judge.full_name},
            ),
        ]
    )
    for person in (lena, joerg, oemer, anna):
        consent(person, "participation", True)
        consent(person, "photos", True)
    consent(lena, "publication", True)
    consent(anna, "publication", True)
    consent(joerg, "publication", False)
    if published:
        comp.status = Status.PUBLISHED
        comp.results_published_at = utcnow()
    db.session.commit()
    return Scene(
        comp, org, school_user, judge_user, winner, second, loser, lena, joerg, oemer, anna
    )
