"""The rank model on simulated juries with a known truth, and its flags at the lines that matter."""

import numpy as np
import pytest

from compmgr.judging.ranking import SURE, fit, flag_uncertain, rank


def simulate(rng, n_projects=12, n_judges=6, per_project=3, quality_sd=10, harsh_sd=5, noise=6):
    """Return (totals, true quality, true severity) of one jury; judges rotate over projects."""
    quality = {p: rng.normal(60, quality_sd) for p in range(n_projects)}
    severity = {j: rng.normal(0, harsh_sd) for j in range(n_judges)}
    totals = {}
    for p in range(n_projects):
        judges = [(p + k) % n_judges for k in range(per_project)]
        totals[p] = {j: quality[p] + severity[j] + rng.normal(0, noise) for j in judges}
    return totals, quality, severity


def test_the_model_recovers_quality_and_severity_without_noise():
    """Totals built exactly as quality + severity: the fit gives both back, offsets summing to
    zero, and a harsher judge no longer pulls down the projects she drew."""
    quality = {1: 80, 2: 70, 3: 60, 4: 50}
    severity = {"a": -10, "b": 4, "c": 6}
    plan = {1: "ab", 2: "bc", 3: "ca", 4: "ab"}
    totals = {p: {j: quality[p] + severity[j] for j in plan[p]} for p in plan}
    model = fit(totals)
    offset = sum(quality.values()) / 4 - sum(model.quality.values()) / 4
    for p in quality:
        assert model.quality[p] + offset == pytest.approx(quality[p])
    for j in severity:
        assert model.severity[j] - offset == pytest.approx(severity[j])
    assert len(model.groups) == 1
    assert [x.project_id for x in rank(totals)] == [1, 2, 3, 4]


def test_simulated_juries_flag_close_pairs_and_order_the_rest():
    """300 simulated juries (12 projects, 6 judges, 3 sheets a project; quality SD 10, judge
    severity SD 5, noise SD 6 points). For every pair of neighbours in the suggested order:
    a pair is flagged when the model is less than SURE (90 %) sure of its order.

    - flagged pairs really are close: their true gap is within two standard errors of the
      estimated difference (the model's own resolution) in at least 90 %;
    - pairs not flagged are in the true order in at least 90 %.
    """
    rng = np.random.default_rng(2026)
    flagged = close = sure = right = 0
    gaps_flagged, gaps_sure = [], []
    for _ in range(300):
        totals, quality, _severity = simulate(rng)
        lines = rank(totals)
        model = lines.model
        for a, b in zip(lines, lines[1:], strict=False):
            gap = quality[a.project_id] - quality[b.project_id]
            i, k = model.projects.index(a.project_id), model.projects.index(b.project_id)
            se_diff = np.sqrt(model.cov[i, i] + model.cov[k, k] - 2 * model.cov[i, k])
            if a.ahead < SURE:
                flagged += 1
                close += abs(gap) < 2 * se_diff
                gaps_flagged.append(abs(gap))
            else:
                sure += 1
                right += gap > 0
                gaps_sure.append(abs(gap))
    close_rate, right_rate = close / flagged, right / sure
    print(
        f"\nrank model: {flagged} flagged pairs, {close_rate:.1%} really close "
        f"(true gap < 2 SE, median {np.median(gaps_flagged):.1f} points); "
        f"{sure} unflagged pairs, {right_rate:.1%} in the true order "
        f"(median gap {np.median(gaps_sure):.1f} points)"
    )
    assert close_rate >= 0.9
    assert right_rate >= 0.9


def test_only_the_lines_that_matter_are_flagged_with_neighbour_and_probability():
    """Five projects, two near-equal pairs: (1, 2) at 80 and 79 and (3, 4) at 60 and 59.5.
    With one 1st prize (cut after place 1), only the pair at the cut is flagged, naming the
    neighbour and the probability; the equally close pair (3, 4) lies inside the prize-less
    rest and stays unflagged. A cut after place 2 separates 80/79 from 60: sure, no flag."""
    totals = {
        1: {"a": 80, "b": 81, "c": 79},
        2: {"a": 79, "b": 80, "c": 78},
        3: {"a": 60, "b": 61, "c": 59},
        4: {"a": 59.5, "b": 60.5, "c": 58.5},
        5: {"a": 30, "b": 31, "c": 29},
    }
    lines = rank(totals)
    assert [x.project_id for x in lines] == [1, 2, 3, 4, 5]
    flags = flag_uncertain(lines, cuts=[1])
    assert [(u.project_id, lo.project_id) for u, lo, _p in flags] == [(1, 2)]
    (upper, lower, p) = flags[0]
    assert 0.5 < p < SURE
    assert lines[0].uncertain == (lower, p) and lines[1].uncertain == (upper, p)
    assert lines[2].uncertain is None and lines[3].uncertain is None
    assert flag_uncertain(rank(totals), cuts=[2, 4]) == []


def test_unlinked_judges_are_reported_as_separate_groups():
    """Judges a, b share project 1; c and d share project 2 only with each other."""
    model = fit({1: {"a": 70, "b": 60}, 2: {"c": 50, "d": 40}})
    assert sorted(sorted(g) for g in model.groups) == [["a", "b"], ["c", "d"]]
