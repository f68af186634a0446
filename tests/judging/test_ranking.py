"""Aggregation, severity normalisation and ties on worked examples computed by hand."""

from types import SimpleNamespace

import pytest

from compmgr.judging import scoring
from compmgr.judging.ranking import rank, rank_jury, sheet_total
from tests.judging.scene import build_scene, full_values


def test_weighted_total_puts_each_value_on_its_scale():
    """Two criteria, weight 1 on 0–10 and weight 3 on 0–20; values 10 and 5.

    By hand: 10 on 0–10 is 1.0, 5 on 0–20 is 0.25; (1·1.0 + 3·0.25) / (1 + 3) = 1.75 / 4
    = 0.4375, i.e. 43.75 %. Values 5 and 10: (1·0.5 + 3·0.5) / 4 = 50 %.
    """
    a = SimpleNamespace(id=1, weight=1.0, scale_min=0, scale_max=10)
    b = SimpleNamespace(id=2, weight=3.0, scale_min=0, scale_max=20)
    assert sheet_total({1: 10, 2: 5}, [a, b]) == pytest.approx(43.75)
    assert sheet_total({1: 5, 2: 10}, [a, b]) == pytest.approx(50.0)
    assert sheet_total({1: 5}, [a, b]) is None  # incomplete sheets do not count


def test_normalisation_corrects_a_severe_judge_on_the_worked_example(db):
    """Three judges, each scoring two of three projects; all criteria alike, so a sheet of
    all v's totals 10·v % (the default rubric's weights cancel out).

    Totals: A: P1 90, P2 70 · B (severe): P2 40, P3 60 · C: P1 60, P3 50.
    Per judge μ, σ (population): A 80, 10 · B 50, 10 · C 55, 5.
    z-scores: A: P1 +1, P2 −1 · B: P2 −1, P3 +1 · C: P1 +1, P3 −1.
    P1: mean (90+60)/2 = 75, spread 30, normalised (+1 +1)/2 = +1.
    P2: mean (70+40)/2 = 55, spread 30, normalised (−1 −1)/2 = −1.
    P3: mean (60+50)/2 = 55, spread 10, normalised (+1 −1)/2 = 0.
    P2 and P3 tie on the mean; the normalised score puts P3 ahead: P1, P3, P2, no tie flag.
    """
    scene = build_scene(n_projects=3, n_judges=3)
    a, b, c = scene.judges
    p1, p2, p3 = scene.projects
    for judge, project, v in (
        (a, p1, 9),
        (a, p2, 7),
        (b, p2, 4),
        (b, p3, 6),
        (c, p1, 6),
        (c, p3, 5),
    ):
        scoring.save_sheet(judge, project, full_values(scene, v))
    scoring.save_sheet(c, p2, {scene.criteria[0].id: 10})  # incomplete: ignored
    lines = rank_jury(scene.jury)
    assert [line.project_id for line in lines] == [p1.id, p3.id, p2.id]
    got = {line.project_id: line for line in lines}
    assert got[p1.id].mean == pytest.approx(75) and got[p1.id].spread == pytest.approx(30)
    assert got[p1.id].normalised == pytest.approx(1)
    assert got[p2.id].mean == pytest.approx(55) and got[p2.id].spread == pytest.approx(30)
    assert got[p2.id].normalised == pytest.approx(-1)
    assert got[p3.id].mean == pytest.approx(55) and got[p3.id].spread == pytest.approx(10)
    assert got[p3.id].normalised == pytest.approx(0)
    assert [line.rank for line in lines] == [1, 2, 3]
    assert not any(line.tie for line in lines)


def test_places_that_cannot_be_told_apart_are_flagged():
    """One judge: 80, 80, 50. μ = 70, σ = √((100+100+400)/3) = √200 ≈ 14.14, so z = +0.707,
    +0.707, −1.414: the first two are equal and flagged, the third is not.

    Then 80, 79, 50: μ ≈ 69.67, σ ≈ 13.91; the first two differ by 1/13.91 ≈ 0.072 < 0.1:
    still flagged. A project without scores comes last without a place.
    """
    lines = rank({1: {"a": 80}, 2: {"a": 80}, 3: {"a": 50}})
    assert [(x.project_id, x.tie) for x in lines] == [(1, True), (2, True), (3, False)]
    assert lines[0].normalised == pytest.approx(0.7071, abs=1e-4)
    lines = rank({1: {"a": 80}, 2: {"a": 79}, 3: {"a": 50}, 4: {}})
    assert [(x.project_id, x.tie, x.rank) for x in lines] == [
        (1, True, 1),
        (2, True, 2),
        (3, False, 3),
        (4, False, None),
    ]
    assert lines[0].normalised - lines[1].normalised == pytest.approx(0.0719, abs=1e-3)


def test_a_judge_with_one_project_or_equal_totals_adds_zero():
    """Judge a gives 70 and 70 (σ = 0), judge b scores only project 2: all z are 0, so the
    order falls back to the mean (70 vs (70+90)/2 = 80) and both are flagged as a tie."""
    lines = rank({1: {"a": 70}, 2: {"a": 70, "b": 90}})
    assert [x.project_id for x in lines] == [2, 1]
    assert all(x.normalised == 0 for x in lines) and all(x.tie for x in lines)


def test_ranking_every_jury_at_once_agrees_with_each_jury_alone(db):
    """rank_juries (the whole round in five statements) ranks as jury_projects + jury_totals."""
    import random

    from compmgr.judging.models import Jury
    from compmgr.judging.ranking import jury_totals, rank_juries
    from compmgr.judging.scoring import jury_projects
    from tests.factories import CompetitionFactory
    from tests.round_data import populate

    rng = random.Random(4)
    for n in range(2):
        comp = CompetitionFactory(name=f"Regionalwettbewerb {n}")
        populate(comp, 30, 14, rng=rng, scored=0.8, tag=f"-r{n}", juries_per_subject=1 + n)
    db.session.commit()
    juries = db.session.scalars(db.select(Jury).order_by(Jury.id)).all()
    together = rank_juries(juries)
    for jury in juries:
        alone = rank(jury_totals(jury, jury_projects(jury)))
        assert [(x.project_id, x.rank, x.tie, x.mean) for x in together[jury.id]] == [
            (x.project_id, x.rank, x.tie, x.mean) for x in alone
        ]
    assert sum(len(lines) for lines in together.values()) == 60
