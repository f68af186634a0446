"""A small competition with prizes and a special prize, for the certificate tests."""

from datetime import date

from compmgr.extensions import db as _db
from compmgr.registration.models import ConsentRecord
from compmgr.results.models import Decision, SpecialPrize, SpecialPrizeAward
from tests.factories import (
    CompetitionFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
)


def make_contest():
    """Two schools, three projects (one team of two), a 1st prize with Regionalsieg, a
    3rd prize and a special prize; names with umlauts and ß."""
    comp = CompetitionFactory(
        name="Regionalwettbewerb Großstadt",
        host="IHK Süd",
        venue="Stadthalle Großstadt",
        starts_on=date(2027, 2, 25),
        ends_on=date(2027, 2, 26),
    )
    weiss = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
    sued = SchoolFactory(competition_id=comp.id, name="Gesamtschule Süd")
    chemie, bio = comp.subjects[2], comp.subjects[1]
    people = {
        "jörg": ParticipantFactory(
            competition_id=comp.id,
            school=weiss,
            first_name="Jörg",
            last_name="Weiß",
            birth_date=date(2009, 1, 2),
        ),
        "änne": ParticipantFactory(
            competition_id=comp.id,
            school=weiss,
            first_name="Änne",
            last_name="Groß",
            birth_date=date(2009, 3, 4),
        ),
        "ömer": ParticipantFactory(
            competition_id=comp.id,
            school=sued,
            first_name="Ömer",
            last_name="Öztürk",
            birth_date=date(2010, 5, 6),
        ),
        "zoë": ParticipantFactory(
            competition_id=comp.id,
            school=sued,
            first_name="Zoë",
            last_name="Süßmilch",
            birth_date=date(2010, 7, 8),
        ),
        "rita": ParticipantFactory(
            competition_id=comp.id,
            school=sued,
            first_name="Rita",
            last_name="Rückzug",
            birth_date=date(2010, 9, 9),
        ),
    }
    team = ProjectFactory(
        competition=comp,
        school=weiss,
        participants=[people["jörg"], people["änne"]],
        subject=chemie,
        title="Kupfer „grün“ gemacht",
        stand="C02",
    )
    solo = ProjectFactory(
        competition=comp,
        school=sued,
        participants=[people["ömer"]],
        subject=bio,
        title="Bienen »im« Stadtpark",
        stand="B01",
    )
    plain = ProjectFactory(
        competition=comp,
        school=sued,
        participants=[people["zoë"]],
        subject=bio,
        title="Moose",
        stand="B02",
    )
    ProjectFactory(
        competition=comp,
        school=sued,
        participants=[people["rita"]],
        subject=bio,
        title="Zurückgezogen",
        stand="B03",
        status="withdrawn",
    )
    chemistry = JuryFactory(competition=comp, subject=chemie, name="Chemie")
    biology = JuryFactory(competition=comp, subject=bio, name="Biologie")
    _db.session.add_all(
        [
            Decision(project_id=team.id, jury_id=chemistry.id, place=1, prize=1, qualified=True),
            Decision(project_id=solo.id, jury_id=biology.id, place=3, prize=3, qualified=False),
            Decision(project_id=plain.id, jury_id=biology.id, place=4, prize=None, qualified=False),
        ]
    )
    umwelt = SpecialPrize(
        competition_id=comp.id, name="Umwelttechnik", sponsor="Stadtwerke Großstadt"
    )
    umwelt.awards.append(SpecialPrizeAward(project_id=solo.id))
    _db.session.add(umwelt)
    for person, granted in ((people["jörg"], True), (people["ömer"], False)):
        person.consents.append(
            ConsentRecord(kind="publication", granted=granted, given_by="parent")
        )
    _db.session.commit()
    return {
        "comp": comp,
        "schools": {"weiss": weiss, "sued": sued},
        "people": people,
        "projects": {"team": team, "solo": solo, "plain": plain},
        "juries": {"chemie": chemistry, "bio": biology},
        "umwelt": umwelt,
    }
