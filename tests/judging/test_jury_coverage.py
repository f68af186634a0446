"""Jury.covers is the one jury↔project rule: assignment, scoring lock, chair list and score
sheets all follow it.

The scene: Biologie has a jury for every division and one of its own for Jugend forscht;
Physik has two teams of one jury. The Jugend forscht project belongs to its own jury only;
a Physik project belongs to the team whose judge is assigned to it, and an unassigned one to
no team.
"""

from datetime import date

from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import Jury
from compmgr.judging.scoring import is_locked, juries_of_project, jury_projects
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    assign,
)


def _scene():
    comp = CompetitionFactory()
    school = SchoolFactory(competition_id=comp.id)
    biologie, physik = comp.subjects[1], comp.subjects[5]
    junior = next(d for d in comp.divisions if d.code == "junior")
    jf = next(d for d in comp.divisions if d.code == "jf")
    every = JuryFactory(competition=comp, subject=biologie, name="Biologie")
    own = JuryFactory(competition=comp, subject=biologie, division=jf, name="Biologie JF")
    team1 = JuryFactory(competition=comp, subject=physik, division=jf, team=1, name="Physik 1")
    team2 = JuryFactory(competition=comp, subject=physik, division=jf, team=2, name="Physik 2")

    def person(year):
        return ParticipantFactory(
            competition_id=comp.id, school=school, birth_date=date(year, 1, 1)
        )

    young = ProjectFactory(
        competition=comp,
        school=school,
        participants=[person(2014)],
        subject=biologie,
        title="Kresse",
        stand="B01",
    )
    old = ProjectFactory(
        competition=comp,
        school=school,
        participants=[person(2008)],
        subject=biologie,
        title="Algen",
        stand="B02",
    )
    visited = ProjectFactory(
        competition=comp,
        school=school,
        participants=[person(2008)],
        subject=physik,
        title="Pendel",
        stand="P01",
    )
    lonely = ProjectFactory(
        competition=comp,
        school=school,
        participants=[person(2008)],
        subject=physik,
        title="Laser",
        stand="P02",
    )
    assert young.division == junior and old.division == jf
    judge = JudgeFactory(competition=comp, jury=team2, email="t2@example.org")
    assign(judge, visited)
    db.session.commit()
    return dict(
        comp=comp,
        every=every,
        own=own,
        team1=team1,
        team2=team2,
        young=young,
        old=old,
        visited=visited,
        lonely=lonely,
    )


def test_a_division_with_its_own_jury_is_not_covered_by_the_jury_for_every_division(db):
    s = _scene()
    juries = db.session.scalars(db.select(Jury)).all()
    assert s["every"].covers(s["young"]) and not s["own"].covers(s["young"])
    assert s["own"].covers(s["old"]) and not s["every"].covers(s["old"])
    assert [j for j in juries if j.fits(s["old"], juries)] == [s["own"]]
    assert juries_of_project(s["old"]) == [s["own"]]
    assert [p.title for p in jury_projects(s["every"])] == ["Kresse"]
    assert [p.title for p in jury_projects(s["own"])] == ["Algen"]


def test_teams_split_their_projects_by_who_is_assigned(db):
    s = _scene()
    assert s["team2"].covers(s["visited"]) and not s["team1"].covers(s["visited"])
    assert not s["team1"].covers(s["lonely"]) and not s["team2"].covers(s["lonely"])
    assert [p.title for p in jury_projects(s["team2"])] == ["Pendel"]
    assert jury_projects(s["team1"]) == []
    assert juries_of_project(s["lonely"]) == []


def test_a_lock_freezes_only_the_projects_the_jury_covers(db):
    s = _scene()
    s["every"].locked_at = utcnow()
    db.session.commit()
    assert is_locked(s["young"]) and not is_locked(s["old"])
    s["team1"].locked_at = utcnow()
    db.session.commit()
    assert not is_locked(s["visited"])
