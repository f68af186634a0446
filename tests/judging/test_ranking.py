"""Aggregation, severity normalisation and ties on worked examples computed by hand."""

from types import SimpleNamespace

import pytest
from sqlalchemy import event

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


def test_the_model_corrects_a_severe_judge_on_the_worked_example(db):
    """Three judges, each scoring two of three projects; all criteria alike, so a sheet of
    all v's totals 10·v % (the default rubric's weights cancel out).

    Totals: A: P1 90, P2 70 · B (severe): P2 40, P3 60 · C: P1 60, P3 50.
    Model: total = quality + offset, offsets summing to zero. Going round the one loop
    P1 –A– P2 –B– P3 –C– P1, the differences (90−60) + (40−70) + (50−60) should add up to 0
    but add up to −10: the 6 sheets share that misfit, ±10/6 each, and the rest fits exactly.
    Least squares gives offsets A +20, B −6.67, C −13.33, and each quality is the mean of its
    corrected totals: P1 (90 − 20 + 60 + 13.33)/2 = 71.67, P2 (70 − 20 + 40 + 6.67)/2 = 48.33,
    P3 (60 + 6.67 + 50 + 13.33)/2 = 65.00 (every project seen twice: equal standard errors).
    P2 and P3 tie on the mean (55); the model puts P3 ahead: P1, P3, P2.
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
    assert got[p2.id].mean == pytest.approx(55) and got[p2.id].spread == pytest.approx(30)
    assert got[p3.id].mean == pytest.approx(55) and got[p3.id].spread == pytest.approx(10)
    assert got[p1.id].estimate == pytest.approx(71.667, abs=1e-3)
    assert got[p2.id].estimate == pytest.approx(48.333, abs=1e-3)
    assert got[p3.id].estimate == pytest.approx(65.0, abs=1e-3)
    assert got[p1.id].se == pytest.approx(got[p2.id].se) == pytest.approx(got[p3.id].se)
    severity = lines.model.severity
    assert [severity[j.id] for j in (a, b, c)] == pytest.approx([20, -6.667, -13.333], abs=1e-3)
    assert [line.rank for line in lines] == [1, 2, 3]
    assert 0.5 < lines[0].ahead < lines[1].ahead < 1 and lines[2].ahead is None


def test_equal_totals_and_projects_without_sheets():
    """One judge: 80, 80, 50. Equal totals give equal estimates: even odds (50 %) that the
    first lies ahead of the second. A project without scores comes last without a place."""
    lines = rank({1: {"a": 80}, 2: {"a": 80}, 3: {"a": 50}, 4: {}})
    assert [(x.project_id, x.rank) for x in lines] == [(1, 1), (2, 2), (3, 3), (4, None)]
    assert lines[0].estimate == pytest.approx(80) and lines[0].ahead == pytest.approx(0.5)
    assert lines[1].ahead > 0.99 and lines[3].estimate is None


def test_a_milder_judge_on_one_project_is_corrected():
    """Judge a gives 70 and 70, judge b scores only project 2, with 90. The model reads b as
    20 points milder than a (offsets −10 and +10), so both projects estimate 80; the mean
    (70 vs 80) then puts project 2 first, and the order is a coin toss."""
    lines = rank({1: {"a": 70}, 2: {"a": 70, "b": 90}})
    assert [x.project_id for x in lines] == [2, 1]
    assert [x.estimate for x in lines] == pytest.approx([80, 80])
    assert lines[0].ahead == pytest.approx(0.5)


def test_ranking_every_jury_at_once_agrees_with_each_jury_alone(db):
    """rank_juries (the whole round in six statements) ranks as jury_projects + jury_totals."""
    import random

    from compmgr.judging.models import Jury
    from compmgr.judging.ranking import jury_totals, rank_juries, rank_per_division
    from compmgr.judging.scoring import jury_projects
    from tests.factories import CompetitionFactory
    from tests.round_data import populate

    rng = random.Random(4)
    for n in range(2):
        comp = CompetitionFactory(name=f"Regionalwettbewerb {n}")
        populate(comp, 30, 14, rng=rng, scored=0.8, tag=f"-r{n}", juries_per_subject=1 + n)
    db.session.commit()
    db.session.expunge_all()  # nothing the ranking reads is at hand but the juries
    juries = db.session.scalars(db.select(Jury).order_by(Jury.id)).all()
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        together = rank_juries(juries)
        divisions = {line.project.division for lines in together.values() for line in lines}
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 6  # the Sparten came with the projects, not one load each
    assert len(divisions) > 1
    for jury in juries:
        projects = {p.id: p for p in jury_projects(jury)}
        alone = rank(jury_totals(jury, list(projects.values())))
        for line in alone:
            line.project = projects[line.project_id]
        alone = rank_per_division(alone)

        mine = together[jury.id]
        assert [(x.project_id, x.rank) for x in mine] == [(x.project_id, x.rank) for x in alone]
        assert [x.estimate or 0 for x in mine] == pytest.approx([x.estimate or 0 for x in alone])
    assert sum(len(lines) for lines in together.values()) == 60
