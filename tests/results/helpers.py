"""A small judged competition for the results tests."""

from dataclasses import dataclass
from datetime import date

from compmgr.auth.models import Role
from compmgr.competitions.models import Status
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging import scoring
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
    assign,
    grant,
)
from tests.forms import submit


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
    comp = CompetitionFactory(name=name, status=Status.JUDGING)
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


def change_phase(web, comp, target, **kwargs):
    """Take one phase step as an organiser does: open its page, tick the box, confirm."""
    url = f"/c/{comp.id}/org/phase?to={target}"
    return submit(web.get(url), confirm=True, **kwargs)


def publish(web, comp, **kwargs):
    return change_phase(web, comp, "published", **kwargs)


def withdraw(web, comp, **kwargs):
    return change_phase(web, comp, "judging", **kwargs)


def mixed_jury():
    """A Biologie jury with two Jugend forscht and two junior projects, all scored."""
    comp = CompetitionFactory(status=Status.JUDGING)
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    projects = []
    for k, (born, title) in enumerate(
        [
            (date(2009, 1, 1), "Moose als Luftfilter"),
            (date(2009, 2, 1), "Moose als Luftfilter"),
            (date(2014, 3, 1), "Kresse im Dunkeln"),
            (date(2014, 4, 1), "Bienen im Stadtpark"),
        ]
    ):
        person = ParticipantFactory(
            competition_id=comp.id,
            school=school,
            birth_date=born,
            first_name=f"Kind{k + 1}",
            last_name="Öztürk",
        )
        consent(person, True)
        projects.append(
            ProjectFactory(
                competition=comp,
                school=school,
                participants=[person],
                subject=bio,
                title=title,
                stand=f"B{k + 1:02d}",
            )
        )
    users, judges = [], []
    for k in range(2):
        user = UserFactory(email=f"juror{k + 1}@example.org")
        judge = JudgeFactory(
            competition=comp, user=user, jury=jury, chair=k == 0, first_name=f"Juror{k + 1}"
        )
        for p in projects:
            assign(judge, p)
        users.append(user)
        judges.append(judge)
    db.session.flush()
    for judge in judges:
        for project, value in zip(projects, (8, 6, 8, 5), strict=True):
            criteria = scoring.criteria_for(comp.id, project.division_id)
            scoring.save_sheet(judge, project, {c.id: value for c in criteria})
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    for judge in judges:
        judge.confidentiality_accepted_at = utcnow()
    db.session.commit()
    return comp, jury, projects, users, org
