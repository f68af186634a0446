"""How well a jury's judges agree: ICC, severity offsets and spreads, outliers, linkage."""

from dataclasses import dataclass, field
from statistics import fmean, median, pstdev

from compmgr.extensions import db
from compmgr.judging.models import Assignment, Judge
from compmgr.judging.ranking import fit, judge_groups, jury_totals
from compmgr.judging.scoring import jury_projects

MIN_SHARED = 4  # projects with two or more sheets needed before an ICC means anything
NOTABLE_POINTS = 8.0  # an offset this large (and three standard errors clear) is worth naming
OUTLIER_T = 3.0  # studentized residual beyond which a score is far from the others'
OUTLIER_POINTS = 10.0  # … and only if it is also this many points off, to be of practical note
SPREAD_WIDE, SPREAD_NARROW = 1.5, 1 / 1.5  # a judge's spread against the jury's, as a ratio


@dataclass
class ICC:
    """ICC(1): share of score variance that lies between projects, with a 95 % interval."""

    value: float
    low: float
    high: float
    projects: int  # projects with two or more sheets
    sheets: int


@dataclass
class JudgeLine:
    """One judge's severity and spread compared with the jury."""

    judge_id: int
    sheets: int
    offset: float  # points; negative: harsher than the jury's median judge
    offset_se: float
    spread: float | None = None  # SD of the judge's totals
    jury_spread: float | None = None  # SD of the model's estimates of the same projects
    judge: object = None

    @property
    def severity(self):
        """'harsh', 'lenient' or None: an offset both large and clear of its error."""
        if abs(self.offset) < NOTABLE_POINTS or abs(self.offset) < 3 * self.offset_se:
            return None
        return "harsh" if self.offset < 0 else "lenient"

    @property
    def spread_note(self):
        """'wide', 'narrow' or None: how the judge's spread compares with the jury's."""
        if not self.spread or not self.jury_spread or self.sheets < 3:
            return None
        ratio = self.spread / self.jury_spread
        return "wide" if ratio > SPREAD_WIDE else "narrow" if ratio < SPREAD_NARROW else None


@dataclass
class Outlier:
    """A score far from the other judges' on the same project, after severity."""

    project_id: int
    judge_id: int
    total: float
    others: float  # mean of the other judges' totals on the project
    residual: float
    t: float
    project: object = None
    judge: object = None


@dataclass
class Report:
    """The agreement report of one jury."""

    icc: ICC | None = None
    judges: list = field(default_factory=list)
    outliers: list = field(default_factory=list)
    scored_groups: list = field(default_factory=list)  # judges linked by complete sheets
    planned_groups: list = field(default_factory=list)  # judges linked by the assignment
    idle: list = field(default_factory=list)  # jury members with no project in the plan
    sigma: float | None = None
    names: dict = field(default_factory=dict)  # judge_id -> Judge, for the groups

    def names_of(self, judge_ids):
        """Return the full names of judges, sorted, for the warnings."""
        return sorted(self.names[j].full_name for j in judge_ids if j in self.names)

    @property
    def connected(self):
        """True when every judge's severity can be compared with every other's."""
        return len(self.planned_groups) <= 1 and len(self.scored_groups) <= 1


def icc_oneway(totals):
    """Return the ICC(1) of {project_id: {judge_id: total}} with a 95 % interval, or None.

    One-way random effects, single sheet, absolute agreement (Shrout & Fleiss ICC(1,1)), the
    form that fits a plan where each project meets a different set of judges. With MSB and MSW
    the mean squares between and within projects and k₀ the average sheets per project
    (adjusted for unequal numbers), ICC = (MSB − MSW) / (MSB + (k₀ − 1)·MSW); the interval
    comes from the F distribution of MSB/MSW. Judges' severity counts as disagreement here.
    Only projects with two or more sheets count; fewer than MIN_SHARED of them give None.
    """
    groups = [list(j.values()) for j in totals.values() if len(j) >= 2]
    if len(groups) < MIN_SHARED:
        return None
    a = len(groups)
    n = sum(len(g) for g in groups)
    grand = fmean(v for g in groups for v in g)
    ssb = sum(len(g) * (fmean(g) - grand) ** 2 for g in groups)
    ssw = sum((v - fmean(g)) ** 2 for g in groups for v in g)
    df1, df2 = a - 1, n - a
    msb, msw = ssb / df1, ssw / df2
    k0 = (n - sum(len(g) ** 2 for g in groups) / n) / df1
    if msw <= 1e-12:
        return ICC(1.0, 1.0, 1.0, a, n)
    F = msb / msw
    value = (msb - msw) / (msb + (k0 - 1) * msw)
    from scipy.special import fdtri  # the F quantile; loaded here, not at every app start

    f_low = F / fdtri(df1, df2, 0.975)
    f_high = F * fdtri(df2, df1, 0.975)
    low = (f_low - 1) / (f_low + k0 - 1)
    high = (f_high - 1) / (f_high + k0 - 1)
    return ICC(value, low, min(high, 1.0), a, n)


def agreement(totals, planned=(), members=()):
    """Return the Report for {project_id: {judge_id: total}}.

    ``planned`` are the (project_id, judge_id) pairs of the assignment after absences,
    ``members`` the jury's judge ids. Severity offsets and outliers come from the additive
    model (ranking.fit). Offsets are measured from the median judge of each linked group; one
    is named when it is at least NOTABLE_POINTS and three times its standard error. A score
    is an outlier when its externally studentized residual is at least OUTLIER_T and it lies
    OUTLIER_POINTS or more from what the model expects. Outliers are taken out one at a time,
    worst first, refitting in between (at most a tenth of the sheets); the offsets come from
    the last fit, so one wild score does not make its judge look harsh. The spread of a judge
    is the SD of their totals, set against the SD of the model's estimates for the same
    projects.
    """
    report = Report()
    report.icc = icc_oneway(totals)
    planned = list(planned)
    report.planned_groups = judge_groups(planned)
    planned_judges = {jid for _, jid in planned}
    report.idle = [jid for jid in members if jid not in planned_judges]
    model = fit(totals)
    if model is None:
        return report
    report.sigma = model.sigma
    report.scored_groups = model.groups
    # One at a time: a wild score also pushes its project's other residuals away, so the
    # worst is taken out and the model refitted before the next is judged.
    wild = set()
    while len(wild) < max(1, len(model.residuals) // 10):
        (pid, jid), (residual, t) = max(model.residuals.items(), key=lambda kv: abs(kv[1][1]))
        others = [v for j, v in totals[pid].items() if j != jid]
        if not others or abs(t) < OUTLIER_T or abs(residual) < OUTLIER_POINTS:
            break
        report.outliers.append(Outlier(pid, jid, totals[pid][jid], fmean(others), residual, t))
        wild.add((pid, jid))
        clean = {
            p: {j: v for j, v in judges.items() if (p, j) not in wild}
            for p, judges in totals.items()
        }
        refit = fit(clean)
        if refit is None or refit.groups != model.groups:
            break  # without it, judges would fall apart: keep the fit that links them
        model = refit
    by_judge = {}
    for pid, judges in totals.items():
        for jid, t in judges.items():
            by_judge.setdefault(jid, []).append((pid, t))
    # The yardstick is each group's median judge: one harsh judge must not make the others
    # look lenient, as the model's own zero (their average) would.
    centre = {}
    for group in model.groups:
        middle = median(model.severity[j] for j in group)
        centre.update(dict.fromkeys(group, middle))
    for jid in model.judges:
        mine = by_judge[jid]
        line = JudgeLine(
            judge_id=jid,
            sheets=len(mine),
            offset=model.severity[jid] - centre[jid],
            offset_se=model.severity_se[jid],
        )
        if len(mine) >= 2:
            line.spread = pstdev(t for _, t in mine)
            line.jury_spread = pstdev(model.quality[pid] for pid, _ in mine)
        report.judges.append(line)
    report.outliers.sort(key=lambda o: -abs(o.t))
    return report


def jury_agreement(jury):
    """Return the agreement Report of a jury, with judges and projects attached."""
    projects = jury_projects(jury)
    totals = jury_totals(jury, projects)
    ids = [p.id for p in projects]
    planned = (
        db.session.execute(
            db.select(Assignment.project_id, Assignment.judge_id).where(
                Assignment.project_id.in_(ids)
            )
        ).all()
        if ids
        else []
    )
    members = [m.judge_id for m in jury.members]
    report = agreement(totals, planned, members)
    judge_ids = set(members) | {j for _, j in planned} | {j for t in totals.values() for j in t}
    judges = (
        {j.id: j for j in db.session.scalars(db.select(Judge).where(Judge.id.in_(judge_ids)))}
        if judge_ids
        else {}
    )
    by_id = {p.id: p for p in projects}
    for line in report.judges:
        line.judge = judges.get(line.judge_id)
    for o in report.outliers:
        o.project, o.judge = by_id.get(o.project_id), judges.get(o.judge_id)
    report.names = judges
    return report


def own_offset(judge, jury):
    """Return the judge's own JudgeLine in a jury, or None: nothing about anyone else."""
    report = jury_agreement(jury)
    return next((line for line in report.judges if line.judge_id == judge.id), None)
