"""Rank the projects of one jury: weighted totals, spread, severity-corrected scores, ties."""

from dataclasses import dataclass, field
from statistics import fmean, pstdev
from typing import NamedTuple

from sqlalchemy.orm import selectinload

from compmgr.extensions import db
from compmgr.judging.models import Assignment, Criterion, Jury, Score
from compmgr.judging.scoring import criteria_for
from compmgr.registration.models import Project

TIE_MARGIN = 0.1  # normalised scores closer than a tenth of a judge's spread count as a tie


@dataclass
class Ranked:
    """One project's line in the jury's ranking."""

    project_id: int
    totals: dict = field(default_factory=dict)  # judge_id -> weighted total (0–100)
    mean: float | None = None  # mean weighted total of the judges
    spread: float | None = None  # highest minus lowest judge total
    normalised: float | None = None  # mean z-score of the judges
    rank: int | None = None  # suggested place from the scores
    tie: bool = False  # cannot be told apart from a neighbour
    project: object = None


def sheet_total(values, criteria):
    """Return a judge's weighted total for one project in percent, or None if incomplete.

    Each value is first placed on its criterion's scale (0 at scale_min, 1 at scale_max), so
    criteria with different scales weigh only by their weight:
    total = 100 × Σ wᵢ·(vᵢ − minᵢ)/(maxᵢ − minᵢ) / Σ wᵢ. A sheet missing any criterion is
    incomplete and does not count towards the ranking.
    """
    if not criteria or any(c.id not in values for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    if weights <= 0:
        return None
    acc = 0.0
    for c in criteria:
        span = c.scale_max - c.scale_min
        acc += c.weight * ((values[c.id] - c.scale_min) / span if span else 0.0)
    return 100.0 * acc / weights


def rank(totals, tie_margin=TIE_MARGIN):
    """Rank projects from {project_id: {judge_id: total}} and return a list of Ranked, best first.

    Method (shown in the UI too):
    1. Mean and spread: the mean of the judges' weighted totals of a project, and the spread
       (highest minus lowest total).
    2. Severity correction by z-scores per judge: for every judge, the mean μ and the
       population standard deviation σ of all totals this judge gave in the jury; each total
       t becomes z = (t − μ) / σ, i.e. how far above or below the judge's own average the
       project lies. A judge with a single project or equal totals everywhere (σ = 0) gives
       z = 0. The normalised score of a project is the mean z of its judges; a strict and a
       lenient judge thus count alike.
    3. Order: by normalised score, then by mean total, then by project id; projects without
       any complete score sheet come last without a rank.
    4. Ties: neighbours whose normalised scores differ by less than ``tie_margin`` (or are
       equal) cannot be told apart and are flagged; the jury must decide their order.
    """
    by_judge = {}
    for judges in totals.values():
        for jid, t in judges.items():
            by_judge.setdefault(jid, []).append(t)
    stats = {}
    for jid, values in by_judge.items():
        sigma = pstdev(values) if len(values) > 1 else 0.0
        stats[jid] = (fmean(values), sigma)
    lines = []
    for pid, judges in totals.items():
        line = Ranked(project_id=pid, totals=dict(judges))
        if judges:
            values = list(judges.values())
            line.mean = fmean(values)
            line.spread = max(values) - min(values)
            line.normalised = fmean(
                (t - stats[jid][0]) / stats[jid][1] if stats[jid][1] > 1e-9 else 0.0
                for jid, t in judges.items()
            )
        lines.append(line)
    scored = sorted(
        (x for x in lines if x.normalised is not None),
        key=lambda x: (-round(x.normalised, 9), -round(x.mean, 9), x.project_id),
    )
    for place, line in enumerate(scored, start=1):
        line.rank = place
    for a, b in zip(scored, scored[1:], strict=False):
        if abs(a.normalised - b.normalised) < tie_margin:
            a.tie = b.tie = True
    unscored = sorted((x for x in lines if x.normalised is None), key=lambda x: x.project_id)
    return scored + unscored


def jury_totals(jury, projects):
    """Return {project_id: {judge_id: weighted total}} from the complete score sheets."""
    ids = [p.id for p in projects]
    sheets = {}
    if ids:
        for s in db.session.scalars(db.select(Score).where(Score.project_id.in_(ids))):
            sheets.setdefault((s.project_id, s.judge_id), {})[s.criterion_id] = s.value
    rubrics = {}
    totals = {p.id: {} for p in projects}
    by_id = {p.id: p for p in projects}
    for (pid, jid), values in sheets.items():
        project = by_id[pid]
        key = project.division_id
        if key not in rubrics:
            rubrics[key] = criteria_for(project.competition_id, key)
        total = sheet_total(values, rubrics[key])
        if total is not None:
            totals[pid][jid] = total
    return totals


class _Rule(NamedTuple):
    """A criterion as sheet_total reads it."""

    id: int
    weight: float
    scale_min: int
    scale_max: int


def rank_jury(jury, tie_margin=TIE_MARGIN):
    """Rank the projects of one jury from its judges' complete score sheets."""
    return rank_juries([jury], tie_margin)[jury.id]


def rank_juries(juries, tie_margin=TIE_MARGIN):
    """Rank many juries at once (e.g. every jury of a round): {jury id: [Ranked]}.

    Five statements whatever the number of juries and competitions: the projects taking part,
    the juries with their members, the assignments, the score values and the criteria of the
    juries' competitions. Which projects a jury judges is ``Jury.covers`` (as in
    ``scoring.jury_projects``), the totals are ``sheet_total`` over each division's rubric
    (as in ``criteria_for``).
    """
    cids = sorted({j.competition_id for j in juries})
    if not cids:
        return {}
    taking_part = db.and_(Project.competition_id.in_(cids), Project.takes_part)
    projects = {}
    for p in db.session.scalars(db.select(Project).where(taking_part)):
        projects.setdefault(p.competition_id, []).append(p)
    all_juries = {}
    for j in db.session.scalars(
        db.select(Jury)
        .where(Jury.competition_id.in_(cids))
        .order_by(Jury.id)
        .options(selectinload(Jury.members))
    ):
        all_juries.setdefault(j.competition_id, []).append(j)
    assigned = {}
    for judge_id, project_id in db.session.execute(
        db.select(Assignment.judge_id, Assignment.project_id)
        .join(Project, Project.id == Assignment.project_id)
        .where(taking_part)
    ):
        assigned.setdefault(project_id, set()).add(judge_id)
    sheets = {}
    for project_id, judge_id, criterion_id, value in db.session.execute(
        db.select(Score.project_id, Score.judge_id, Score.criterion_id, Score.value)
        .join(Project, Project.id == Score.project_id)
        .where(taking_part)
    ):
        sheets.setdefault(project_id, {}).setdefault(judge_id, {})[criterion_id] = value
    criteria = {}
    for c in db.session.scalars(
        db.select(Criterion)
        .where(Criterion.competition_id.in_(cids))
        .order_by(Criterion.position, Criterion.id)
    ):
        criteria.setdefault(c.competition_id, []).append(c)
    rubrics = {}

    def rubric(cid, division_id):
        if (cid, division_id) not in rubrics:  # plain tuples: read ~40,000 times in a round
            rubrics[(cid, division_id)] = [
                _Rule(c.id, c.weight, c.scale_min, c.scale_max)
                for c in criteria.get(cid, [])
                if c.division_id is None or c.division_id == division_id
            ]
        return rubrics[(cid, division_id)]

    covered = {}  # jury id -> its projects, each project's covering juries found once
    for cid, competition_projects in projects.items():
        for p in competition_projects:
            for j in Jury.covering(p, all_juries.get(cid, []), assigned.get(p.id, set())):
                covered.setdefault(j.id, []).append(p)
    result = {}
    for jury in juries:
        cid = jury.competition_id
        mine = covered.get(jury.id, [])
        totals = {p.id: {} for p in mine}
        for p in mine:
            for judge_id, values in sheets.get(p.id, {}).items():
                total = sheet_total(values, rubric(cid, p.division_id))
                if total is not None:
                    totals[p.id][judge_id] = total
        lines = rank(totals, tie_margin)
        by_id = {p.id: p for p in mine}
        for line in lines:
            line.project = by_id[line.project_id]
        result[jury.id] = lines
    return result
