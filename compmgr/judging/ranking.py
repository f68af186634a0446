"""Rank the projects of one jury: weighted totals, an additive model of quality and severity,
standard errors and the probability that neighbours are in the right order."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from compmgr.extensions import db
from compmgr.judging.models import Assignment, Criterion, Jury, JuryMember, Score
from compmgr.judging.scoring import criteria_for
from compmgr.registration.models import Project

if TYPE_CHECKING:
    import numpy as np  # loaded by fit() and prob_ahead() when a jury is ranked: not at app start

# Below this probability that a project really lies ahead of its neighbour, the order at a
# line that matters (a prize place, the Regionalsieger line) is flagged "nicht unterscheidbar".
SURE = 0.9
# Prior noise of one score sheet in points of 100, with its weight in degrees of freedom: it
# keeps the noise estimate sane when a jury gave few sheets (no spare degrees of freedom).
PRIOR_SIGMA = 8.0
PRIOR_DOF = 2


@dataclass
class Ranked:
    """One project's line in the jury's ranking."""

    project_id: int
    totals: dict = field(default_factory=dict)  # judge_id -> weighted total (0–100)
    mean: float | None = None  # mean weighted total of the judges
    spread: float | None = None  # highest minus lowest judge total
    estimate: float | None = None  # the model's quality: total corrected for severity
    se: float | None = None  # standard error of the estimate
    rank: int | None = None  # suggested place from the scores
    ahead: float | None = None  # probability of really lying ahead of the next line
    uncertain: tuple | None = None  # (neighbour Ranked, probability) at a line that matters
    project: object = None


class Ranking(list):
    """Ranked lines, best first, with the fitted ``model`` for pairwise probabilities."""

    model = None


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


def judge_groups(pairs):
    """Return the judges linked through shared projects, as a list of sets of judge ids.

    ``pairs`` are (project_id, judge_id). Two judges are linked when they scored (or are to
    score) a common project, or through a chain of such links. One group means every
    judge's severity can be compared with every other's.
    """
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pid, jid in pairs:
        parent[find(("j", jid))] = find(("p", pid))
    groups = {}
    for node in list(parent):
        if node[0] == "j":
            groups.setdefault(find(node), set()).add(node[1])
    return sorted(groups.values(), key=lambda g: sorted(map(str, g)))


@dataclass
class Model:
    """The fitted additive model of one jury (see ``fit``)."""

    projects: list  # project ids in column order
    judges: list  # judge ids
    quality: dict  # project_id -> estimated quality (points of 100)
    se: dict  # project_id -> standard error
    severity: dict  # judge_id -> offset in points (negative: harsher than the jury)
    severity_se: dict  # judge_id -> standard error of the offset
    sigma: float  # noise of one sheet, points
    dof: int  # spare degrees of freedom of the data
    groups: list  # judges linked through shared projects (judge_groups)
    residuals: dict  # (project_id, judge_id) -> (residual, externally studentized residual)
    cov: "np.ndarray" = None  # covariance of the quality estimates, in ``projects`` order

    def prob_ahead(self, a, b):
        """Return the probability that project a's true quality exceeds project b's."""
        import numpy as np
        from scipy.special import ndtr

        i, k = self.projects.index(a), self.projects.index(b)
        var = self.cov[i, i] + self.cov[k, k] - 2 * self.cov[i, k]
        diff = self.quality[a] - self.quality[b]
        if var <= 1e-12:
            return 0.5 if abs(diff) < 1e-9 else float(diff > 0)
        return float(ndtr(diff / np.sqrt(var)))  # the normal CDF, what norm.cdf calls


def fit(totals):
    """Fit the additive model to {project_id: {judge_id: total}} and return a Model, or None.

    The model: a judge's total for a project = the project's quality + the judge's severity
    offset + noise, the noise independent and alike for every sheet. Least squares estimates
    quality and offsets together, so a project is not helped or hurt by which judges it drew.
    The offsets sum to zero within each group of linked judges (judge_groups): a group's
    average judge is the yardstick. The noise variance is the residual sum of squares over the
    spare degrees of freedom, pooled with a prior of PRIOR_SIGMA points weighing PRIOR_DOF
    degrees, so a jury with few sheets still gets an honest, not a zero, noise. Standard errors
    and the covariance of the estimates come from σ²·(XᵀX)⁻¹. Each sheet's residual is also
    given externally studentized (its distance from the others' in leave-one-out standard
    errors), which picks out single scores far from the other judges' on the same project.
    """
    import numpy as np  # numpy and scipy cost every app start 0.3 s: loaded when needed

    obs = [(pid, jid, t) for pid, judges in totals.items() for jid, t in judges.items()]
    if not obs:
        return None
    projects = sorted({pid for pid, _, _ in obs})
    groups = judge_groups((pid, jid) for pid, jid, _ in obs)
    judges = [jid for g in groups for jid in sorted(g, key=str)]
    pcol = {pid: i for i, pid in enumerate(projects)}
    # severity coding: within a group of k judges, k − 1 columns; the last judge is −Σ others
    scol, n_cols = {}, len(projects)
    for g in groups:
        members = sorted(g, key=str)
        cols = list(range(n_cols, n_cols + len(members) - 1))
        n_cols += len(cols)
        for m, jid in enumerate(members):
            scol[jid] = (cols, m if m < len(cols) else None)

    def severity_row(jid):
        row = np.zeros(n_cols)
        cols, own = scol[jid]
        if own is None:
            row[cols] = -1.0
        else:
            row[cols[own]] = 1.0
        return row

    n = len(obs)
    X = np.zeros((n, n_cols))
    y = np.array([t for _, _, t in obs], dtype=float)
    for r, (pid, jid, _) in enumerate(obs):
        X[r, pcol[pid]] = 1.0
        X[r] += severity_row(jid)
    xtx_inv = np.linalg.pinv(X.T @ X)
    beta = xtx_inv @ X.T @ y
    resid = y - X @ beta
    # X has full column rank: within a linked group a null vector would give every judge the
    # same offset c and every project −c, and the offsets' sum, k·c, is zero. So its rank is
    # its column count; no second decomposition (matrix_rank) is needed to learn it.
    dof = n - n_cols
    rss = float(resid @ resid)
    sigma2 = (rss + PRIOR_DOF * PRIOR_SIGMA**2) / (dof + PRIOR_DOF)
    cov_beta = sigma2 * xtx_inv

    severity, severity_se = {}, {}
    for jid in judges:
        row = severity_row(jid)
        severity[jid] = float(row @ beta)
        severity_se[jid] = float(np.sqrt(max(row @ cov_beta @ row, 0.0)))
    hat = np.einsum("ij,jk,ik->i", X, xtx_inv, X)
    residuals = {}
    for r, (pid, jid, _) in enumerate(obs):
        h = min(hat[r], 1.0)
        room = 1.0 - h
        if room < 1e-9 or dof < 2:
            residuals[(pid, jid)] = (float(resid[r]), 0.0)
            continue
        s2_loo = (rss - resid[r] ** 2 / room) / (dof - 1)
        s2_loo = (max(s2_loo, 0.0) * (dof - 1) + PRIOR_DOF * PRIOR_SIGMA**2) / (dof - 1 + PRIOR_DOF)
        residuals[(pid, jid)] = (float(resid[r]), float(resid[r] / np.sqrt(s2_loo * room)))
    k = len(projects)
    return Model(
        projects=projects,
        judges=judges,
        quality={pid: float(beta[pcol[pid]]) for pid in projects},
        se={pid: float(np.sqrt(cov_beta[pcol[pid], pcol[pid]])) for pid in projects},
        severity=severity,
        severity_se=severity_se,
        sigma=float(np.sqrt(sigma2)),
        dof=dof,
        groups=groups,
        residuals=residuals,
        cov=cov_beta[:k, :k],
    )


def rank(totals):
    """Rank projects from {project_id: {judge_id: total}} and return a Ranking, best first.

    Method (shown in the UI too, "So wird gerechnet"):
    1. Mean and spread: the mean of the judges' weighted totals of a project, and the spread
       (highest minus lowest total).
    2. Estimate: the additive model (see ``fit``) gives every project a quality corrected for
       the severity of the judges who scored it, with a standard error.
    3. Order: by estimate, then by mean total, then by project id; projects without any
       complete score sheet come last without a rank.
    4. For each line, ``ahead`` is the probability that it really lies ahead of the next one
       (normal approximation of the difference of the two estimates, with their covariance).
       Which of these orders matter is for ``flag_uncertain`` to say.
    """
    model = fit(totals)
    lines = Ranking()
    lines.model = model
    scored, unscored = [], []
    for pid, judges in totals.items():
        line = Ranked(project_id=pid, totals=dict(judges))
        if judges:
            values = list(judges.values())
            line.mean = fmean(values)
            line.spread = max(values) - min(values)
            line.estimate = model.quality[pid]
            line.se = model.se[pid]
            scored.append(line)
        else:
            unscored.append(line)
    scored.sort(key=lambda x: (-round(x.estimate, 9), -round(x.mean, 9), x.project_id))
    for place, line in enumerate(scored, start=1):
        line.rank = place
    for a, b in zip(scored, scored[1:], strict=False):
        a.ahead = model.prob_ahead(a.project_id, b.project_id)
    lines.extend(scored)
    lines.extend(sorted(unscored, key=lambda x: x.project_id))
    return lines


def flag_uncertain(lines, cuts, model=None, sure=SURE):
    """Flag "nicht unterscheidbar" where the order decides something, and return the flags.

    ``lines`` are ranked lines of one group that shares places and prizes, best first;
    ``cuts`` are the places after which something changes (the last 1st, 2nd and 3rd prize,
    the last Regionalsieger). At each cut k, the lines at positions k and k + 1 are flagged
    when the probability that the first really lies ahead of the second is below ``sure``;
    each flagged line gets (neighbour, probability that the higher one is ahead). Orders
    within one prize class change nothing and are never flagged. Returns [(upper, lower,
    probability)]. Keeps to the lines given, so the caller decides how places are cut.
    """
    model = model or getattr(lines, "model", None)
    scored = [x for x in lines if x.estimate is not None]
    flags = []
    if model is None:
        return flags
    for k in sorted(set(cuts)):
        if not 1 <= k < len(scored):
            continue
        upper, lower = scored[k - 1], scored[k]
        p = model.prob_ahead(upper.project_id, lower.project_id)
        if p < sure:
            upper.uncertain = upper.uncertain or (lower, p)
            lower.uncertain = (upper, p)
            flags.append((upper, lower, p))
    return flags


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


def rank_jury(jury):
    """Rank the projects of one jury from its judges' complete score sheets.

    The model is fitted on every sheet of the jury, so each judge's severity is estimated from
    all they scored; the places are then numbered per Sparte (Fachgebiet and Sparte get their
    own places and prizes), so a jury that covers both Sparten suggests a 1st place in each.
    Lines come Sparte by Sparte, best first.
    """
    return rank_juries([jury])[jury.id]


def rank_juries(juries):
    """Rank many juries at once (e.g. every jury of a round): {jury id: [Ranked]}.

    Six statements whatever the number of juries and competitions: the projects taking part
    with their Sparten, the juries, their members, the assignments, the score values and the
    criteria of the juries' competitions. Which projects a jury judges is ``Jury.covers`` (as in
    ``scoring.jury_projects``), the totals are ``sheet_total`` over each division's rubric
    (as in ``criteria_for``).
    """
    with _cyclic_gc_paused():
        return _rank_juries(juries)


@contextmanager
def _cyclic_gc_paused():
    """Hold Python's cycle collector back while a whole round is ranked.

    Ranking a round makes some 300,000 short-lived objects (rows, ORM states, each jury's
    model); the collector ran about 430 times over them and took a third of the time. It
    runs when the ranking is done; memory freed by reference counting is freed as always.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _rank_juries(juries):
    cids = sorted({j.competition_id for j in juries})
    if not cids:
        return {}
    taking_part = db.and_(Project.competition_id.in_(cids), Project.takes_part)
    projects = {}
    for p in db.session.scalars(
        db.select(Project).where(taking_part).options(joinedload(Project.division))
    ):
        projects.setdefault(p.competition_id, []).append(p)
    all_juries = {}
    for j in db.session.scalars(
        db.select(Jury).where(Jury.competition_id.in_(cids)).order_by(Jury.id)
    ):
        all_juries.setdefault(j.competition_id, []).append(j)
    # The members in one statement, whatever the number of juries (selectin takes 500 juries
    # a statement, subquery re-runs the juries' query and costs more than the rows).
    members = {}
    for m in db.session.scalars(
        db.select(JuryMember)
        .join(Jury, Jury.id == JuryMember.jury_id)
        .where(Jury.competition_id.in_(cids))
        .order_by(JuryMember.id)
    ):
        members.setdefault(m.jury_id, []).append(m)
    for competition_juries in all_juries.values():
        for j in competition_juries:
            set_committed_value(j, "members", members.get(j.id, []))
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

    # Only a jury of the project's Fachgebiet can fit it (Jury.fits), and only those are
    # compared with each other: offering covering() just these changes nothing, and spares
    # comparing every jury of the competition with every other for each project.
    by_subject = {}
    for cid, competition_juries in all_juries.items():
        for j in competition_juries:
            by_subject.setdefault((cid, j.subject_id), []).append(j)
    covered = {}  # jury id -> its projects, each project's covering juries found once
    for cid, competition_projects in projects.items():
        for p in competition_projects:
            candidates = by_subject.get((cid, p.subject_id), [])
            for j in Jury.covering(p, candidates, assigned.get(p.id, set())):
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
        lines = rank(totals)
        by_id = {p.id: p for p in mine}
        for line in lines:
            line.project = by_id[line.project_id]
        result[jury.id] = rank_per_division(lines)
    return result


def _division_key(line):
    division = line.project.division
    return (division is None, division.position if division else 0, line.project.division_id or 0)


def division_groups(lines):
    """Split ranked lines (with ``project``) into their Sparten, in order, keeping the order."""
    groups = {}
    for line in lines:
        groups.setdefault(_division_key(line), []).append(line)
    return [groups[key] for key in sorted(groups)]


def rank_per_division(lines):
    """Renumber a Ranking (best first) per Sparte and return it; ``ahead`` compares neighbours
    within a Sparte. The model stays the jury's: one fit over all its sheets."""
    model = getattr(lines, "model", None)
    result = Ranking()
    result.model = model
    for group in division_groups(lines):
        scored = [x for x in group if x.estimate is not None]
        for place, line in enumerate(scored, start=1):
            line.rank, line.ahead = place, None
        if model is not None:
            for a, b in zip(scored, scored[1:], strict=False):
                a.ahead = model.prob_ahead(a.project_id, b.project_id)
        result.extend(group)
    return result
