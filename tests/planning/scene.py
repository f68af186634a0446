"""A two-day competition to plan: two halls, availability windows, a patent attorney's
consultations and remote presentations."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import count

from compmgr.dates import BERLIN
from compmgr.judging.plan_models import (
    Consultant,
    ConsultantWindow,
    Hall,
    JudgeWindow,
    JudgingDay,
    Stand,
)
from tests.factories import CompetitionFactory, JudgeFactory, JuryFactory, SchoolFactory
from tests.judging_admin.test_assignment import _projects

DAY1, DAY2 = date(2027, 2, 25), date(2027, 2, 26)
_n = count()


def at(day, hh, mm=0):
    return datetime.combine(day, time(hh, mm), BERLIN).astimezone(UTC)


def two_days(db):
    comp = CompetitionFactory(
        min_judges_per_project=3,
        starts_on=DAY1,
        ends_on=DAY2,
        judging_starts_at=time(9, 0),
        slot_minutes=20,
    )
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium Nord")
    for day in (DAY1, DAY2):
        db.session.add(
            JudgingDay(
                competition_id=comp.id,
                day=day,
                starts_at=time(9, 0),
                ends_at=time(13, 0),
                breaks="11:00-11:20",
            )
        )
    halls = [Hall(competition_id=comp.id, name=n, position=i) for i, n in enumerate("AB")]
    db.session.add_all(halls)
    bio, chem = comp.subjects[1], comp.subjects[2]
    juries = {
        "bio": JuryFactory(competition=comp, subject=bio, name="Biologie"),
        "chem": JuryFactory(competition=comp, subject=chem, name="Chemie"),
    }
    projects = {
        "bio": _projects(comp, school, bio, 10),
        "chem": _projects(comp, school, chem, 7),
    }
    for i, p in enumerate(projects["bio"] + projects["chem"]):
        hall = halls[0] if i % 3 else halls[1]  # both juries visit both halls
        hall.stands.append(Stand(number=p.stand, position=i, power=True))
    judges = {}
    for key, jury in juries.items():
        judges[key] = [
            JudgeFactory(
                competition=comp,
                jury=jury,
                chair=k == 0,
                first_name=f"J{k}",
                last_name=f"{key.title()}{next(_n)}",
                email=f"{key}{next(_n)}@example.org",
            )
            for k in range(5)
        ]
    # availability: one only on the first morning, one only on the second day
    morning = judges["bio"][1]
    morning.windows.append(JudgeWindow(starts_at=at(DAY1, 9), ends_at=at(DAY1, 11)))
    second = judges["chem"][1]
    second.windows.append(JudgeWindow(starts_at=at(DAY2, 9), ends_at=at(DAY2, 13)))
    # two remote presentations, one per jury
    projects["bio"][9].remote_link = "https://video.example.org/bio"
    projects["chem"][6].remote_link = "https://video.example.org/chem"
    # a patent attorney, three consultations asked for
    attorney = Consultant(
        competition_id=comp.id, name="Dr. Petra Patent", organisation="Kanzlei", slot_minutes=30
    )
    attorney.windows.append(ConsultantWindow(starts_at=at(DAY1, 9), ends_at=at(DAY1, 11)))
    attorney.windows.append(ConsultantWindow(starts_at=at(DAY2, 11, 30), ends_at=at(DAY2, 13)))
    db.session.add(attorney)
    for p in (projects["bio"][0], projects["bio"][1], projects["chem"][0]):
        p.patent_consultation = True
    db.session.flush()
    return dict(
        comp=comp,
        juries=juries,
        projects=projects,
        judges=judges,
        attorney=attorney,
        morning=morning,
        second=second,
        buffer=timedelta(minutes=5),
    )
