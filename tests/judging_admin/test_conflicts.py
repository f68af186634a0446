"""Conflicts of interest: the checks, each derived kind, declarations and decisions."""

from datetime import date

import pytest

from compmgr.judging.conflicts import (
    conflict_pairs,
    decide_conflict,
    declare_conflicts,
    derive_conflicts,
    is_conflicted,
)
from compmgr.judging.models import Conflict, ConflictStatus, Judge
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    assign,
)

can_judge = Judge.can_score


@pytest.fixture
def setup(db):
    comp = CompetitionFactory()
    s1 = SchoolFactory(competition_id=comp.id, name="Goethe-Gymnasium")
    s2 = SchoolFactory(competition_id=comp.id, name="Schiller-Schule")
    lena = ParticipantFactory(
        competition_id=comp.id,
        school=s1,
        first_name="Lena",
        last_name="Weiß",
        birth_date=date(2010, 1, 1),
    )
    omer = ParticipantFactory(
        competition_id=comp.id,
        school=s2,
        first_name="Ömer",
        last_name="Öztürk",
        birth_date=date(2010, 1, 2),
    )
    p1 = ProjectFactory(
        competition=comp,
        school=s1,
        participants=[lena],
        title="Algen im Teich",
        supervisor_name="Frau Dr. Erika Sommer",
        supervisor_email="sommer@schule.example",
    )
    p2 = ProjectFactory(
        competition=comp,
        school=s2,
        participants=[omer],
        title="Brücken aus Papier",
        supervisor_name="Herr Kurz",
    )
    judge = JudgeFactory(
        competition=comp, first_name="Hans", last_name="Neutral", email="neutral@example.org"
    )
    db.session.commit()
    return dict(comp=comp, s1=s1, s2=s2, lena=lena, omer=omer, p1=p1, p2=p2, judge=judge)


def _derived(db, judge):
    return db.session.scalars(
        db.select(Conflict).filter_by(judge_id=judge.id, source="derived")
    ).all()


def test_a_neutral_judge_has_no_conflict_and_judges_only_assigned_projects(db, setup):
    judge, p1, p2 = setup["judge"], setup["p1"], setup["p2"]
    assign(judge, p1)
    derive_conflicts(setup["comp"].id)
    assert not is_conflicted(judge, p1)
    assert can_judge(judge, p1)
    assert not can_judge(judge, p2)  # not assigned


def test_judge_working_at_the_school_is_conflicted_with_its_projects(db, setup):
    judge = JudgeFactory(
        competition=setup["comp"],
        first_name="Karl",
        last_name="Lehrer",
        email="k@example.org",
        school_id=setup["s1"].id,
    )
    assign(judge, setup["p1"])
    derive_conflicts(setup["comp"].id)
    [conflict] = _derived(db, judge)
    assert conflict.status == ConflictStatus.CONFIRMED
    assert "Goethe-Gymnasium" in conflict.reason
    assert is_conflicted(judge, setup["p1"])
    assert not can_judge(judge, setup["p1"])  # assigned, but conflicted
    assert not is_conflicted(judge, setup["p2"])


def test_judge_who_supervises_the_project_is_conflicted(db, setup):
    by_email = JudgeFactory(
        competition=setup["comp"],
        first_name="Erika",
        last_name="Anders",
        email="SOMMER@schule.example",
    )
    by_name = JudgeFactory(
        competition=setup["comp"], first_name="Erika", last_name="Sommer", email="e@uni.example"
    )
    surname_only = JudgeFactory(
        competition=setup["comp"], first_name="Fritz", last_name="Kurz", email="f@uni.example"
    )
    derive_conflicts(setup["comp"].id)
    assert [c.status for c in _derived(db, by_email)] == [ConflictStatus.CONFIRMED]
    assert [c.status for c in _derived(db, by_name)] == [ConflictStatus.CONFIRMED]
    assert "Betreuer" in _derived(db, by_name)[0].reason
    # "Herr Kurz" might be Fritz Kurz: flagged for the organiser, and blocking until dismissed
    [flagged] = _derived(db, surname_only)
    assert flagged.status == ConflictStatus.FLAGGED and flagged.project_id == setup["p2"].id
    assert is_conflicted(surname_only, setup["p2"])


def test_shared_surname_is_flagged_and_dismissing_lifts_it(db, setup):
    judge = JudgeFactory(
        competition=setup["comp"], first_name="Maria", last_name="Weiss", email="m@uni.example"
    )
    assign(judge, setup["p1"])
    derive_conflicts(setup["comp"].id)
    [flagged] = _derived(db, judge)
    assert flagged.status == ConflictStatus.FLAGGED
    assert flagged.participant_id == setup["lena"].id
    assert "Lena Weiß" in flagged.reason
    assert not can_judge(judge, setup["p1"])
    decide_conflict(flagged, confirm=False, user=None)
    assert can_judge(judge, setup["p1"])
    # a re-run keeps the organiser's decision instead of flagging again
    assert derive_conflicts(setup["comp"].id) == 0
    assert [c.status for c in _derived(db, judge)] == [ConflictStatus.DISMISSED]


def test_stale_derived_conflicts_are_removed(db, setup):
    judge = JudgeFactory(
        competition=setup["comp"],
        first_name="Karl",
        last_name="Lehrer",
        email="k@example.org",
        school_id=setup["s1"].id,
    )
    derive_conflicts(setup["comp"].id)
    judge.school_id = None
    derive_conflicts(setup["comp"].id)
    assert _derived(db, judge) == []
    assert not is_conflicted(judge, setup["p1"])


def test_declared_conflicts_cover_schools_projects_and_participants(db, setup):
    judge, p1, p2 = setup["judge"], setup["p1"], setup["p2"]
    declare_conflicts(judge, participants=[setup["omer"]])
    assert is_conflicted(judge, p2) and not is_conflicted(judge, p1)
    declare_conflicts(judge, schools=[setup["s1"]])  # replaces the earlier declaration
    assert is_conflicted(judge, p1) and not is_conflicted(judge, p2)
    declare_conflicts(judge, projects=[p2])
    assert is_conflicted(judge, p2) and not is_conflicted(judge, p1)
    assert judge.conflicts_declared_at is not None
    assert conflict_pairs(setup["comp"].id) == {(judge.id, p2.id)}


def test_conflict_pairs_agree_with_is_conflicted(db, setup):
    comp = setup["comp"]
    a = JudgeFactory(
        competition=comp,
        first_name="Karl",
        last_name="Lehrer",
        email="k@example.org",
        school_id=setup["s2"].id,
    )
    b = JudgeFactory(competition=comp, first_name="Maria", last_name="Weiss", email="m@uni.example")
    derive_conflicts(comp.id)
    pairs = conflict_pairs(comp.id)
    for judge in (a, b, setup["judge"]):
        for project in (setup["p1"], setup["p2"]):
            assert ((judge.id, project.id) in pairs) == is_conflicted(judge, project)
    assert pairs == {(a.id, setup["p2"].id), (b.id, setup["p1"].id)}


def test_judge_of_another_competition_can_never_judge(db, setup):
    other = CompetitionFactory(name="Anderer Wettbewerb")
    judge = JudgeFactory(competition=other, email="x@example.org")
    assign(judge, setup["p1"])
    assert not can_judge(judge, setup["p1"])


def test_a_conflict_with_a_team_members_school_blocks_the_whole_team(db, setup):
    """A team from school 1 with one member from school 2: a judge tied to school 2 is out."""
    from compmgr.judging.conflicts import conflict_pairs

    mia = ParticipantFactory(
        competition_id=setup["comp"].id, school=setup["s1"], birth_date=date(2010, 3, 1)
    )
    db.session.flush()
    with db.session.no_autoflush:
        mixed = ProjectFactory(
            competition=setup["comp"],
            school=setup["s1"],
            participants=[mia, setup["omer"]],
            title="Gemischtes Team",
        )
    judge = JudgeFactory(
        competition=setup["comp"], first_name="Sara", last_name="Schiller", email="s@example.org"
    )
    assign(judge, mixed)
    db.session.add(
        Conflict(
            judge_id=judge.id,
            school_id=setup["s2"].id,
            source="declared",
            reason="unterrichtet an der Schiller-Schule",
            status="confirmed",
        )
    )
    db.session.commit()
    assert is_conflicted(judge, mixed) and not can_judge(judge, mixed)
    assert (judge.id, mixed.id) in conflict_pairs(setup["comp"].id)
    assert not is_conflicted(judge, setup["p1"])  # school 1 only: no tie to school 2
