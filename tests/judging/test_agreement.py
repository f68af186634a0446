"""The jury agreement report on simulated juries with a known truth."""

import numpy as np
import pytest

from compmgr.judging.agreement import agreement, icc_oneway


def planted_jury(seed, harsh=-15.0, outlier=-35.0):
    """12 projects, 6 judges, 3 sheets a project. Judge "H" is `harsh` points harsher than
    the others; judge "A" gave project 5 a score `outlier` points off. Noise SD 4."""
    rng = np.random.default_rng(seed)
    judges = ["A", "B", "C", "D", "E", "H"]
    severity = {j: rng.normal(0, 1.5) for j in judges}
    severity["H"] = harsh
    quality = {p: rng.normal(60, 10) for p in range(12)}
    totals = {}
    for p in range(12):
        panel = [judges[(p + k) % 6] for k in range(3)]
        totals[p] = {j: quality[p] + severity[j] + rng.normal(0, 4) for j in panel}
    totals[5]["A"] += outlier  # project 5 meets H, A and B
    return totals


@pytest.mark.parametrize("seed", range(3))
def test_the_report_names_the_harsh_judge_and_the_outlier(seed):
    totals = planted_jury(seed)
    planned = [(p, j) for p, judges in totals.items() for j in judges]
    report = agreement(totals, planned, members=["A", "B", "C", "D", "E", "H"])
    named = {line.judge_id: line.severity for line in report.judges if line.severity}
    assert named == {"H": "harsh"}
    harsh = next(line for line in report.judges if line.judge_id == "H")
    assert harsh.offset == pytest.approx(-15, abs=5)
    assert [(o.project_id, o.judge_id) for o in report.outliers] == [(5, "A")]
    assert report.outliers[0].total < report.outliers[0].others - 20
    assert report.connected and report.idle == []
    assert report.icc is not None and report.icc.low < report.icc.value < report.icc.high


def test_on_many_simulated_juries_the_plants_are_found_and_little_else():
    """100 planted juries and 100 fair ones (same plan, no harsh judge, no wild score)."""
    runs = 100
    harsh_found = outlier_found = false_judges = false_outliers = 0
    for seed in range(runs):
        totals = planted_jury(seed)
        report = agreement(totals, [(p, j) for p, js in totals.items() for j in js])
        named = {line.judge_id for line in report.judges if line.severity}
        harsh_found += "H" in named
        false_judges += len(named - {"H"})
        wild = {(o.project_id, o.judge_id) for o in report.outliers}
        outlier_found += (5, "A") in wild
        false_outliers += len(wild - {(5, "A")})
        fair = planted_jury(seed + 1000, harsh=0.0, outlier=0.0)
        report = agreement(fair, [(p, j) for p, js in fair.items() for j in js])
        false_judges += sum(1 for line in report.judges if line.severity)
        false_outliers += len(report.outliers)
    print(
        f"\nagreement: harsh judge named in {harsh_found}/{runs}, planted outlier in "
        f"{outlier_found}/{runs}; wrongly named: {false_judges} of {12 * runs} judges, "
        f"{false_outliers} of {72 * runs} sheets"
    )
    assert harsh_found == runs
    assert outlier_found >= 0.95 * runs
    assert false_judges <= 0.02 * 12 * runs and false_outliers <= 0.01 * 72 * runs


def test_a_fair_jury_names_no_one():
    totals = planted_jury(7, harsh=0.0, outlier=0.0)
    report = agreement(totals, [(p, j) for p, js in totals.items() for j in js])
    assert [line.severity for line in report.judges] == [None] * 6
    assert report.outliers == []


def test_icc_on_a_worked_example():
    """Four projects, two judges each: (10, 12), (20, 22), (30, 32), (40, 42).
    Means 11, 21, 31, 41, grand 26: SSB = 2·(225 + 25 + 25 + 225) = 1000, MSB = 1000/3;
    SSW = 4·2 = 8, MSW = 8/4 = 2; k₀ = 2: ICC = (333.3 − 2) / (333.3 + 2) = 0.988.
    With three projects there is too little overlap: None."""
    totals = {1: {"a": 10, "b": 12}, 2: {"a": 20, "b": 22}, 3: {"a": 30, "b": 32}}
    assert icc_oneway(totals) is None
    totals[4] = {"a": 40, "b": 42}
    icc = icc_oneway(totals)
    assert icc.value == pytest.approx((1000 / 3 - 2) / (1000 / 3 + 2))
    assert icc.low < icc.value < icc.high <= 1 and (icc.projects, icc.sheets) == (4, 8)


def test_connectedness_warns_when_the_plan_or_an_absence_splits_the_judges():
    """A and B share project 1, B and C project 2: one group. When B is absent, the plan
    keeps A on 1 and C on 2 only: two groups, and B is idle."""
    full = [(1, "A"), (1, "B"), (2, "B"), (2, "C")]
    assert agreement({}, full, ["A", "B", "C"]).planned_groups == [{"A", "B", "C"}]
    without_b = [(1, "A"), (2, "C")]
    report = agreement({1: {"A": 70, "B": 60}, 2: {"B": 50, "C": 40}}, without_b, ["A", "B", "C"])
    assert sorted(map(sorted, report.planned_groups)) == [["A"], ["C"]]
    assert report.idle == ["B"] and not report.connected
