"""A small judged competition for the results tests."""

from dataclasses import dataclass
from datetime import date

from compmgr.auth.models import Role
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.registration.models import ConsentRecord
from compmgr.results.models import Decision
from tests.factories import (
    CompetitionFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
)


@dataclass
class Judged:
    comp: object
    org: object
    jury: object
    open_jury: object
    winner: object  # 1st prize, qualified, team with consent from Lena only
    second: object  # 2nd prize, single participant without consent
    unlocked: object  # 1st prize in a jury that is not locked
    lena: object
    joerg: object


def consent(participant, granted, when=None):
    record = ConsentRecord(
        participant=participant,
        kind="publication",
        granted=granted,
        given_by="parent",
        given_at=when or utcnow(),
    )
    db.session.add(record)
    return record


def judged_competition(name="Regionalwettbewerb Süd", org_email="orga@example.org"):
    """Build a competition with a locked Biologie jury and an open Chemie jury, with decisions."""
    comp = CompetitionFactory(name=name)
    org = grant(UserFactory(email=org_email), comp, Role.ORGANISER)
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg", city="Görlitz")
    other = SchoolFactory(competition_id=comp.id, name="Gesamtschule Süd", city="Zittau")
    lena = ParticipantFactory(
        competition_id=comp.id,
        school=school,
        first_name="Lena",
        last_name="Weiß",
        birth_date=date(2009, 3, 1),
        grade=11,
    )
    joerg = ParticipantFactory(
        competition_id=comp.id,
        school=school,
        first_name="Jörg",
        last_name="Groß",
        birth_date=date(2010, 4, 2),
        grade=10,
    )
    oemer = ParticipantFactory(
        competition_id=comp.id,
        school=other,
        first_name="Ömer",
        last_name="Öztürk",
        birth_date=date(2009, 7, 7),
        grade=11,
    )
    anna = ParticipantFactory(
        competition_id=comp.id,
        school=other,
        first_name="Anna",
        last_name="Schäfer",
        birth_date=date(2009, 1, 1),
        grade=11,
    )
    bio, chem = comp.subjects[1], comp.subjects[2]
    winner = ProjectFactory(
        competition=comp,
        school=school,
        participants=[lena, joerg],
        subject=bio,
        title="=Mikroplastik in der Neiße",
        abstract="Wir zählen Partikel – ß, ä.",
        supervisor_name="Frau Müller",
        supervisor_email="mueller@schule.example",
    )
    second = ProjectFactory(
        competition=comp,
        school=other,
        participants=[oemer],
        subject=bio,
        title="Bienen im Stadtpark",
    )
    unlocked = ProjectFactory(
        competition=comp, school=other, participants=[anna], subject=chem, title="Geheime Chemie"
    )
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    open_jury = JuryFactory(competition=comp, subject=chem, name="Chemie")
    jury.locked_at = utcnow()
    db.session.add_all(
        [
            Decision(project=winner, jury=jury, place=1, prize=1, qualified=True),
            Decision(project=second, jury=jury, place=2, prize=2, qualified=False),
            Decision(project=unlocked, jury=open_jury, place=1, prize=1, qualified=True),
        ]
    )
    consent(lena, True)
    consent(anna, True)
    db.session.commit()
    return Judged(comp, org, jury, open_jury, winner, second, unlocked, lena, joerg)
