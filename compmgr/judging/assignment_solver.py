"""The judge-to-project assignment as a mixed-integer programme solved by HiGHS (scipy.milp).

Pure data in, pure data out: no database, so the benchmark and the tests can feed it directly.
"""

import time
from dataclasses import dataclass, field


@dataclass
class Problem:
    """What to assign.

    ``teams[p]`` maps each jury (team) that may judge project p to the judge ids it may use:
    conflicted judges are already left out. When p has several teams, all its judges come from
    one of them. ``fixed`` pairs (manual edits, sheets already scored) stay; ``previous`` is
    the current assignment, used when ``stable`` asks for as few changes as possible.

    ``keep`` (a re-run) keeps what exists: a group of judges sharing projects whose current
    pairs are still whole (every pair allowed, every project at k or at all its candidates,
    every judge used) is left as it is; the other groups are solved again, balanced first and
    then with the fewest changes against ``previous``.
    """

    projects: list
    teams: dict
    k: int
    fixed: set = field(default_factory=set)
    previous: set = field(default_factory=set)
    stable: bool = False
    keep: bool = False
    # availability, hard: at most capacity[j] visits for judge j (the slots in their windows);
    # judges in one pair of ``apart`` never share a free slot, so never share a project
    capacity: dict = field(default_factory=dict)
    apart: set = field(default_factory=set)
    # judges a project needs where it differs from k, e.g. the whole jury for a remote one
    need: dict = field(default_factory=dict)

    def k_of(self, p):
        return self.need.get(p, self.k)


@dataclass
class Solution:
    pairs: set
    shortfall: dict  # project id -> judges missing to reach k
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    variables: int = 0
    constraints: int = 0
    kept: int = 0  # projects of untouched groups, left as they were

    @property
    def optimal(self):
        return self.status == "optimal"


def _components(problem, candidates):
    """Group judges that share projects (directly or via others): loads are balanced within."""
    parent = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for p in problem.projects:
        judges = sorted(candidates[p])
        for j in judges:
            find(("j", j))
        for j in judges:
            parent[find(("j", j))] = find(("p", p))
    groups = {}
    for p in problem.projects:
        if candidates[p]:
            groups.setdefault(find(("p", p)), set()).add(p)
    return list(groups.values())


INF = float("inf")


@dataclass
class _Layout:
    """The programme's variables: x per candidate pair | shortfall per project | top load per
    group | load deviation per (judge, group) | y per (project, team) of split projects."""

    candidates: dict
    fixed_by_project: dict
    pairs: list
    projects: list
    comps: list
    comp_of: dict
    judge_comps: dict
    multi: dict
    dev_keys: list
    y_keys: list

    @property
    def s0(self):
        return len(self.pairs)

    @property
    def l0(self):
        return self.s0 + len(self.projects)

    @property
    def d0(self):
        return self.l0 + len(self.comps)

    @property
    def y0(self):
        return self.d0 + len(self.dev_keys)

    @property
    def n(self):
        return self.y0 + len(self.y_keys)


def _layout(problem):
    """Collect the candidate pairs, the groups of judges sharing projects, and the variables."""
    candidates = {
        p: set().union(*problem.teams[p].values()) if problem.teams.get(p) else set()
        for p in problem.projects
    }
    fixed_by_project = {}
    for j, p in problem.fixed:
        fixed_by_project.setdefault(p, set()).add(j)
        candidates.setdefault(p, set()).add(j)
    pairs = [(j, p) for p in problem.projects for j in sorted(candidates[p])]
    comps = _components(problem, candidates)
    comp_of = {p: c for c, ps in enumerate(comps) for p in ps}
    judge_comps = {j: set() for j in sorted({j for j, _ in pairs})}
    for j, p in pairs:
        judge_comps[j].add(comp_of[p])
    multi = {
        p: sorted(problem.teams[p]) for p in problem.projects if len(problem.teams.get(p, {})) > 1
    }
    return _Layout(
        candidates=candidates,
        fixed_by_project=fixed_by_project,
        pairs=pairs,
        projects=list(problem.projects),
        comps=comps,
        comp_of=comp_of,
        judge_comps=judge_comps,
        multi=multi,
        dev_keys=[(j, c) for j in judge_comps for c in sorted(judge_comps[j])],
        y_keys=[(p, t) for p in multi for t in multi[p]],
    )


def _objective(problem, lay):
    """Return the cost per variable and the constant part, weighted level by level."""
    total = sum(problem.k_of(p) for p in lay.projects) + len(problem.fixed)
    w_dev = 1.0
    if problem.keep:
        # balance first, then the fewest changes: a new judge takes a fair share, moved from
        # the fewest others; with nothing changed the current (balanced) pairs cost nothing
        changes = len(problem.previous) + total + 2
        w_change = 2.0 * total + 1
        w_load = (w_change + 1) * changes
        w_short = w_load * (total + 2) + w_change * changes + 1
    else:
        w_load = 2.0 * total + 1
        w_change = (w_load + 2) * (total + 2) if problem.stable else 0.0
        w_short = 2 * w_change + w_load * (total + 2) + 1
    cost = [0.0] * lay.n
    cost[lay.s0 : lay.l0] = [w_short] * (lay.l0 - lay.s0)
    cost[lay.l0 : lay.d0] = [w_load] * (lay.d0 - lay.l0)
    cost[lay.d0 : lay.y0] = [w_dev] * (lay.y0 - lay.d0)
    constant = 0.0
    if problem.stable or problem.keep:
        for i, pair in enumerate(lay.pairs):
            if pair in problem.previous:
                cost[i] -= w_change
                constant += w_change
            else:
                cost[i] += w_change
    return cost, constant


class _Rows:
    """The constraint matrix, gathered row by row as (column, value) items with bounds."""

    def __init__(self):
        self.rows, self.cols, self.vals, self.lo, self.hi = [], [], [], [], []
        self.count = 0

    def add(self, items, lower, upper):
        for col, val in items:
            self.rows.append(self.count)
            self.cols.append(col)
            self.vals.append(val)
        self.lo.append(lower)
        self.hi.append(upper)
        self.count += 1


def _project_rows(rows, problem, lay, by_project):
    """Each project gets k judges or counts the shortfall, and no more than k beyond fixed."""
    for pi, p in enumerate(lay.projects):
        k = problem.k_of(p)
        cap = max(k, len(lay.fixed_by_project.get(p, ())))
        rows.add([(i, 1.0) for i in by_project[p]] + [(lay.s0 + pi, 1.0)], k, INF)
        if by_project[p]:
            rows.add([(i, 1.0) for i in by_project[p]], 0, cap)


def _load_rows(rows, problem, lay, by_judge_comp):
    """Bound each group's top load and each judge's deviation from the group's mean load."""
    targets = [
        sum(problem.k_of(p) for p in ps) / max(1, len({j for p in ps for j in lay.candidates[p]}))
        for ps in lay.comps
    ]
    for d, (j, comp) in enumerate(lay.dev_keys):
        load = [(i, 1.0) for i in by_judge_comp.get((j, comp), [])]
        # a judge's whole load counts against each group's maximum they belong to
        whole = [(i, 1.0) for cc in lay.judge_comps[j] for i in by_judge_comp.get((j, cc), [])]
        rows.add(whole + [(lay.l0 + comp, -1.0)], -INF, 0)
        rows.add(load + [(lay.d0 + d, -1.0)], -INF, targets[comp])
        rows.add([(i, -1.0) for i, _ in load] + [(lay.d0 + d, -1.0)], -INF, -targets[comp])


def _team_rows(rows, problem, lay):
    """A project judged by several teams takes all its (unfixed) judges from one of them."""
    index = {pair: i for i, pair in enumerate(lay.pairs)}
    y_index = {key: lay.y0 + q for q, key in enumerate(lay.y_keys)}
    for p, teams in lay.multi.items():
        rows.add([(y_index[(p, t)], 1.0) for t in teams], 1, 1)
        for j in lay.candidates[p]:
            if (j, p) in problem.fixed:
                continue
            member_of = [t for t in teams if j in problem.teams[p][t]]
            rows.add([(index[(j, p)], 1.0)] + [(y_index[(p, t)], -1.0) for t in member_of], -INF, 0)


def _constraints(problem, lay):
    """Gather every constraint row of the programme."""
    by_project = {p: [] for p in lay.projects}
    by_judge_comp = {}
    for i, (j, p) in enumerate(lay.pairs):
        by_project[p].append(i)
        by_judge_comp.setdefault((j, lay.comp_of[p]), []).append(i)
    rows = _Rows()
    _project_rows(rows, problem, lay, by_project)
    _load_rows(rows, problem, lay, by_judge_comp)
    _team_rows(rows, problem, lay)
    _availability_rows(rows, problem, lay)
    return rows


def _availability_rows(rows, problem, lay):
    """A judge takes no more visits than fit their windows, and never shares a project with
    a judge whose free time never meets theirs."""
    by_judge = {}
    index = {}
    for i, (j, p) in enumerate(lay.pairs):
        by_judge.setdefault(j, []).append(i)
        index[(j, p)] = i
    for j, cap in problem.capacity.items():
        if j in by_judge:
            rows.add([(i, 1.0) for i in by_judge[j]], -INF, cap)
    for pair in problem.apart:
        a, b = sorted(pair)
        for p in lay.projects:
            if (a, p) in index and (b, p) in index:
                if (a, p) in problem.fixed and (b, p) in problem.fixed:
                    continue
                rows.add([(index[(a, p)], 1.0), (index[(b, p)], 1.0)], -INF, 1)


def _bounds(problem, lay):
    """Return lower and upper bounds and the integrality of every variable."""
    n_x = len(lay.pairs)
    lower, upper = [0.0] * lay.n, [INF] * lay.n
    integral = [0] * lay.n
    for i in [*range(n_x), *range(lay.y0, lay.n)]:
        upper[i] = 1
        integral[i] = 1
    index = {pair: i for i, pair in enumerate(lay.pairs)}
    for pair in problem.fixed:
        lower[index[pair]] = 1
    return lower, upper, integral


def _solution(result, problem, lay, constant, started, rows):
    """Read the chosen pairs and the figures of the run from scipy's result."""
    seconds = time.perf_counter() - started
    status = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded"}.get(
        result.status, "error"
    )
    if result.x is None:
        return Solution(
            set(),
            {p: problem.k_of(p) for p in lay.projects},
            status,
            None,
            None,
            None,
            seconds,
            lay.n,
            rows.count,
        )
    chosen = {lay.pairs[i] for i in range(len(lay.pairs)) if result.x[i] > 0.5}
    counts = {p: 0 for p in lay.projects}
    for _j, p in chosen:
        counts[p] += 1
    shortfall = {
        p: problem.k_of(p) - counts[p] for p in lay.projects if counts[p] < problem.k_of(p)
    }
    bound = getattr(result, "mip_dual_bound", None)
    if bound is not None:
        bound = float(bound) + constant
    return Solution(
        chosen,
        shortfall,
        status,
        float(result.fun) + constant,
        bound,
        getattr(result, "mip_gap", None),
        seconds,
        lay.n,
        rows.count,
    )


def _settled(problem):
    """Return the projects of every group whose current pairs are still whole (see Problem)."""
    candidates = {
        p: set().union(*problem.teams[p].values()) if problem.teams.get(p) else set()
        for p in problem.projects
    }
    fixed_by_project, previous_by_project = {}, {}
    for j, p in problem.fixed:
        fixed_by_project.setdefault(p, set()).add(j)
        candidates.setdefault(p, set()).add(j)
    for j, p in problem.previous:
        previous_by_project.setdefault(p, set()).add(j)
    active = set(problem.projects)
    gone = {p for _j, p in problem.previous if p not in active}
    whole = {}
    for p in problem.projects:
        have = previous_by_project.get(p, set())
        fixed = fixed_by_project.get(p, set())
        teams = problem.teams.get(p, {})
        k = problem.k_of(p)
        ok = have <= candidates[p] and len(have) <= max(k, len(fixed))
        ok = ok and (len(have) >= k or have == candidates[p])
        if ok and len(teams) > 1:
            free = have - fixed
            ok = any(free <= members for members in teams.values())
        whole[p] = ok and fixed <= have
    settled = set()
    for group in _components(problem, candidates):
        judges = {j for p in group for j in candidates[p]}
        used = {j for p in group for j in previous_by_project.get(p, ())}
        lost = any(j in judges for j, p in problem.previous if p in gone)
        load = {}
        for j, _p in problem.previous:
            load[j] = load.get(j, 0) + 1
        over = any(load.get(j, 0) > problem.capacity.get(j, INF) for j in judges)
        clash = any(
            len(pair & previous_by_project.get(p, set())) == 2
            for pair in problem.apart
            for p in group
        )
        if all(whole[p] for p in group) and judges <= used and not (lost or over or clash):
            settled |= group
    return settled


def solve(problem, time_limit=60.0, mip_rel_gap=1e-6):
    """Solve the problem; with ``keep``, leave whole groups as they are (see Problem)."""
    if not problem.keep:
        return _solve(problem, time_limit, mip_rel_gap)
    started = time.perf_counter()
    settled = _settled(problem)
    kept = {(j, p) for j, p in problem.previous if p in settled}
    rest = [p for p in problem.projects if p not in settled]
    sub = Problem(
        rest,
        {p: problem.teams.get(p, {}) for p in rest},
        problem.k,
        fixed={(j, p) for j, p in problem.fixed if p not in settled},
        previous={(j, p) for j, p in problem.previous if p not in settled},
        keep=True,
        capacity={j: c - sum(1 for jj, _p in kept if jj == j) for j, c in problem.capacity.items()},
        apart=problem.apart,
        need={p: n for p, n in problem.need.items() if p not in settled},
    )
    solution = _solve(sub, time_limit, mip_rel_gap)
    if solution.objective is None and rest:
        return solution
    solution.pairs |= kept
    solution.seconds = time.perf_counter() - started
    solution.kept = len(settled)
    return solution


def _solve(problem, time_limit, mip_rel_gap):
    """Assign judges to projects optimally under the hard rules; return a Solution.

    Hard: a judge only works on projects where they are a candidate (their jury, no
    conflict) or the pair is fixed; at most k judges per project beyond the fixed ones.
    The objective is lexicographic, by weights large enough to make each level dominate
    the ones below it: (1) judges missing to reach k on every project, (2) with ``stable``,
    the number of changed pairs against ``previous``, (3) the highest load in each group of
    judges sharing projects, (4) the total deviation of loads from the group's mean. With
    ``keep``, (2) and (3) swap: the groups solved again are balanced with the fewest changes.
    """
    # Lazy on purpose: scipy costs a second and 75 MB at app start, and only this needs it.
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    started = time.perf_counter()
    lay = _layout(problem)
    if lay.n == 0:  # no project to assign (a new competition): nothing to decide
        return Solution(set(), {}, "optimal", 0.0, 0.0, 0.0, time.perf_counter() - started)
    cost, constant = _objective(problem, lay)
    rows = _constraints(problem, lay)
    lower, upper, integral = _bounds(problem, lay)
    constraints = ()
    if rows.count:
        matrix = coo_array((rows.vals, (rows.rows, rows.cols)), shape=(rows.count, lay.n)).tocsr()
        constraints = LinearConstraint(matrix, np.array(rows.lo), np.array(rows.hi))
    result = milp(
        np.array(cost),
        constraints=constraints,
        integrality=np.array(integral),
        bounds=Bounds(np.array(lower), np.array(upper)),
        options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap},
    )
    return _solution(result, problem, lay, constant, started, rows)
