"""Automatic assignment: jury only, never conflicted, k met where possible, balanced, stable."""

from datetime import date
from itertools import count

import pytest

from compmgr.judging.assignment import (
    add_assignment,
    auto_assign,
    coverage_report,
    loads,
    remove_assignment,
    remove_judge,
)
from compmgr.judging.assignment_solver import Problem, solve
from compmgr.judging.conflicts import conflict_pairs
from compmgr.judging.models import Assignment, ConflictStatus
from compmgr.registration.models import ProjectStatus
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
)

_n = count()


def _projects(comp, school, subject, n, **fields):
    result = []
    for _ in range(n):
        i = next(_n)
        person = ParticipantFactory(
            competition_id=comp.id,
            school=school,
            last_name=f"Kind{i}",
            birth_date=date(2009, 1, 1 + i % 28),
        )
        result.append(
            ProjectFactory(
                competition=comp,
                school=school,
                participants=[person],
                subject=subject,
                title=f"Projekt {i}",
                stand=f"S{i:03d}",
                **fields,
            )
        )
    return result


def _judges(comp, jury, n):
    return [
        JudgeFactory(
            competition=comp,
            jury=jury,
            chair=k == 0,
            first_name=f"J{k}",
            last_name=f"Juror{next(_n)}",
            email=f"j{next(_n)}@example.org",
        )
        for k in range(n)
    ]


def _pairs(db):
    return {(a.judge_id, a.project_id) for a in db.session.scalars(db.select(Assignment))}


@pytest.fixture
def comp(db):
    c = CompetitionFactory(min_judges_per_project=3)
    c.school = SchoolFactory(competition_id=c.id, name="Gymnasium Nord")
    return c


def test_every_project_gets_k_judges_of_its_own_jury_and_loads_are_balanced(db, comp):
    bio, chem = comp.subjects[1], comp.subjects[2]
    bio_jury, chem_jury = (
        JuryFactory(competition=comp, subject=bio),
        JuryFactory(competition=comp, subject=chem),
    )
    bio_projects = _projects(comp, comp.school, bio, 8)
    chem_projects = _projects(comp, comp.school, chem, 3)
    bio_judges, chem_judges = _judges(comp, bio_jury, 6), _judges(comp, chem_jury, 4)
    withdrawn = _projects(comp, comp.school, bio, 1, status=ProjectStatus.WITHDRAWN)[0]
    outcome = auto_assign(comp)
    db.session.commit()
    assert outcome.solution.optimal
    pairs = _pairs(db)
    per_project = {}
    for j, p in pairs:
        per_project.setdefault(p, set()).add(j)
    assert all(len(per_project[p.id]) == 3 for p in bio_projects + chem_projects)
    assert all(per_project[p.id] <= {j.id for j in bio_judges} for p in bio_projects)
    assert all(per_project[p.id] <= {j.id for j in chem_judges} for p in chem_projects)
    assert withdrawn.id not in per_project
    load = loads(comp)
    assert sorted(load[j.id] for j in bio_judges) == [4] * 6  # 8 × 3 / 6
    assert sorted(load[j.id] for j in chem_judges) == [2, 2, 2, 3]  # 3 × 3 over 4: max 3
    assert coverage_report(comp) == []


def test_a_conflicted_judge_is_never_assigned(db, comp):
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio)
    other_school = SchoolFactory(competition_id=comp.id, name="Realschule Süd")
    projects = _projects(comp, comp.school, bio, 4) + _projects(comp, other_school, bio, 2)
    judges = _judges(comp, jury, 4)
    judges[0].school_id = comp.school.id  # derived: works at Gymnasium Nord
    judges[1].last_name = projects[5].participants[0].last_name  # flagged: same surname
    auto_assign(comp)
    db.session.commit()
    blocked = conflict_pairs(comp.id)
    assert (judges[0].id, projects[0].id) in blocked and (judges[1].id, projects[5].id) in blocked
    assert not (_pairs(db) & blocked)
    assert len([p for j, p in _pairs(db) if p == projects[0].id]) == 3  # the other three


def test_unmet_minimum_is_reported_and_as_much_as_possible_is_assigned(db, comp):
    physik, junior = comp.subjects[5], comp.divisions[1]
    jury = JuryFactory(competition=comp, subject=physik, division=junior, name="Physik junior")
    projects = _projects(comp, comp.school, physik, 9)
    for p in projects:
        p.division = junior
    _judges(comp, jury, 2)
    outcome = auto_assign(comp)
    db.session.commit()
    assert len(_pairs(db)) == 18  # both judges on every project
    assert all(v == 1 for v in outcome.solution.shortfall.values())
    assert coverage_report(comp) == [
        "Physik junior: 2 Juror:innen für 9 Projekte, benötigt 3 je Projekt."
    ]


def test_report_names_a_project_without_jury_and_one_short_through_conflicts(db, comp):
    bio, chem = comp.subjects[1], comp.subjects[2]
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    [p] = _projects(comp, comp.school, bio, 1)
    _projects(comp, comp.school, chem, 2)
    judges = _judges(comp, jury, 3)
    judges[2].school_id = comp.school.id
    auto_assign(comp)
    db.session.commit()
    report = coverage_report(comp)
    assert any(
        line.startswith("Chemie – ") and "keine Jury für 2 Projekte" in line for line in report
    )
    assert (
        f"Biologie, Stand {p.stand} „{p.title}“: 2 von 3 Juror:innen – 1 von 3 Jurymitgliedern befangen."
        in report
    )


def test_manual_assignments_survive_a_rerun_and_conflicts_are_refused(db, comp):
    bio, chem = comp.subjects[1], comp.subjects[2]
    jury = JuryFactory(competition=comp, subject=bio)
    projects = _projects(comp, comp.school, bio, 2)
    judges = _judges(comp, jury, 3)
    outsider = JudgeFactory(
        competition=comp,
        first_name="Otto",
        last_name="Extern",
        email="o@example.org",
        school_id=comp.school.id,
    )
    guest = JudgeFactory(
        competition=comp,
        jury=JuryFactory(competition=comp, subject=chem),
        first_name="Gerda",
        last_name="Gast",
        email="g@example.org",
    )
    assert add_assignment(guest, projects[0]) is None
    assert "befangen" in add_assignment(outsider, projects[0])  # works at the project's school
    auto_assign(comp)
    db.session.commit()
    assert (guest.id, projects[0].id) in _pairs(db)
    assert len([1 for j, p in _pairs(db) if p == projects[0].id]) == 3
    assert remove_assignment(guest, projects[0])
    assert (guest.id, projects[0].id) not in _pairs(db)
    assert not {judges[0].id} - {j for j, _p in _pairs(db)}


def test_a_judge_who_does_not_come_is_replaced_with_few_changes(db, comp):
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio)
    _projects(comp, comp.school, bio, 10)
    judges = _judges(comp, jury, 8)
    auto_assign(comp)
    db.session.commit()
    before = _pairs(db)
    gone = judges[3]
    lost = {pair for pair in before if pair[0] == gone.id}
    outcome = remove_judge(comp, gone)
    db.session.commit()
    after = _pairs(db)
    assert not [pair for pair in after if pair[0] == gone.id]
    assert outcome.removed == lost  # nobody else lost a project
    assert len(outcome.added) == len(lost)  # one new judge per lost visit, no reshuffle
    assert after == (before - lost) | outcome.added
    assert coverage_report(comp) == []
    assert gone.memberships == []


def test_solver_reports_optimality_and_prefers_one_team_per_project():
    teams = {p: {1: {10, 11, 12}, 2: {20, 21, 22}} for p in range(4)}
    solution = solve(Problem(list(range(4)), teams, 3))
    assert solution.optimal and solution.gap is not None and solution.gap <= 1e-6
    for p in range(4):
        judges = {j for j, q in solution.pairs if q == p}
        assert judges in ({10, 11, 12}, {20, 21, 22})
    assert (
        sorted(sum(1 for j, _ in solution.pairs if j == jj) for jj in (10, 11, 12, 20, 21, 22))
        == [2] * 6
    )


def test_flagged_conflict_counts_until_dismissed(db, comp):
    from compmgr.judging.conflicts import decide_conflict
    from compmgr.judging.models import Conflict

    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio)
    [p] = _projects(comp, comp.school, bio, 1)
    judges = _judges(comp, jury, 4)
    judges[0].last_name = p.participants[0].last_name
    auto_assign(comp)
    assert judges[0].id not in {j for j, _ in _pairs(db)}
    flagged = db.session.scalars(db.select(Conflict).filter_by(status=ConflictStatus.FLAGGED)).one()
    decide_conflict(flagged, confirm=False, user=None)
    assert add_assignment(judges[0], p) is None
