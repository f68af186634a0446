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
    """

    projects: list
    teams: dict
    k: int
    fixed: set = field(default_factory=set)
    previous: set = field(default_factory=set)
    stable: bool = False


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


def solve(problem, time_limit=60.0, mip_rel_gap=1e-6):
    """Assign judges to projects optimally under the hard rules; return a Solution.

    Hard: a judge only works on projects where they are a candidate (their jury, no
    conflict) or the pair is fixed; at most k judges per project beyond the fixed ones.
    The objective is lexicographic, by weights large enough to make each level dominate
    the ones below it: (1) judges missing to reach k on every project, (2) with ``stable``,
    the number of changed pairs against ``previous``, (3) the highest load in each group of
    judges sharing projects, (4) the total deviation of loads from the group's mean.
    """
    # Imported here: scipy costs a second and 75 MB at app start, and only this needs it.
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    started = time.perf_counter()
    k = problem.k
    candidates = {p: set().union(*problem.teams.get(p, {}).values()) if problem.teams.get(p) else set()
                  for p in problem.projects}
    fixed_by_project = {}
    for j, p in problem.fixed:
        fixed_by_project.setdefault(p, set()).add(j)
        candidates.setdefault(p, set()).add(j)
    pairs = [(j, p) for p in problem.projects for j in sorted(candidates[p])]
    index = {pair: i for i, pair in enumerate(pairs)}
    n_x = len(pairs)
    projects = list(problem.projects)
    comps = _components(problem, candidates)
    comp_of = {p: c for c, ps in enumerate(comps) for p in ps}
    judges = sorted({j for j, _ in pairs})
    judge_comps = {j: set() for j in judges}
    for j, p in pairs:
        judge_comps[j].add(comp_of[p])
    multi = {p: sorted(problem.teams[p]) for p in projects
             if len(problem.teams.get(p, {})) > 1}
    # variable layout: x pairs | shortfall per project | L per component | dev per (judge, comp)
    #                  | y per (project, team)
    s0 = n_x
    l0 = s0 + len(projects)
    dev_keys = [(j, c) for j in judges for c in sorted(judge_comps[j])]
    d0 = l0 + len(comps)
    y_keys = [(p, t) for p in multi for t in multi[p]]
    y0 = d0 + len(dev_keys)
    n = y0 + len(y_keys)
    if n == 0:  # no project to assign (a new competition): nothing to decide
        return Solution(set(), {}, "optimal", 0.0, 0.0, 0.0, time.perf_counter() - started)

    total = k * len(projects) + len(problem.fixed)
    w_dev = 1.0
    w_load = 2.0 * total + 1
    w_change = (w_load + 2) * (total + 2) if problem.stable else 0.0
    w_short = 2 * w_change + w_load * (total + 2) + 1
    c = np.zeros(n)
    c[s0:l0] = w_short
    c[l0:d0] = w_load
    c[d0:y0] = w_dev
    constant = 0.0
    if problem.stable:
        for i, pair in enumerate(pairs):
            if pair in problem.previous:
                c[i] -= w_change
                constant += w_change
            else:
                c[i] += w_change

    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0

    def add(row_items, lower, upper):
        nonlocal r
        for col, val in row_items:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lo.append(lower)
        hi.append(upper)
        r += 1

    by_project = {p: [] for p in projects}
    by_judge_comp = {}
    for i, (j, p) in enumerate(pairs):
        by_project[p].append(i)
        by_judge_comp.setdefault((j, comp_of[p]), []).append(i)
    for pi, p in enumerate(projects):
        cap = max(k, len(fixed_by_project.get(p, ())))
        add([(i, 1.0) for i in by_project[p]] + [(s0 + pi, 1.0)], k, np.inf)
        if by_project[p]:
            add([(i, 1.0) for i in by_project[p]], 0, cap)
    targets = [k * len(ps) / max(1, len({j for p in ps for j in candidates[p]})) for ps in comps]
    for d, (j, comp) in enumerate(dev_keys):
        load = [(i, 1.0) for i in by_judge_comp.get((j, comp), [])]
        # a judge's whole load counts against each group's maximum they belong to
        whole = [(i, 1.0) for cc in judge_comps[j] for i in by_judge_comp.get((j, cc), [])]
        add(whole + [(l0 + comp, -1.0)], -np.inf, 0)
        add(load + [(d0 + d, -1.0)], -np.inf, targets[comp])
        add([(i, -1.0) for i, _ in load] + [(d0 + d, -1.0)], -np.inf, -targets[comp])
    y_index = {key: y0 + q for q, key in enumerate(y_keys)}
    for p, teams in multi.items():
        add([(y_index[(p, t)], 1.0) for t in teams], 1, 1)
        for j in candidates[p]:
            if (j, p) in problem.fixed:
                continue
            member_of = [t for t in teams if j in problem.teams[p][t]]
            add([(index[(j, p)], 1.0)] + [(y_index[(p, t)], -1.0) for t in member_of], -np.inf, 0)

    lb = np.zeros(n)
    ub = np.full(n, np.inf)
    ub[:n_x] = 1
    ub[y0:] = 1
    for pair in problem.fixed:
        lb[index[pair]] = 1
    integrality = np.zeros(n)
    integrality[:n_x] = 1
    integrality[y0:] = 1
    constraints = ()
    if r:
        matrix = coo_array((vals, (rows, cols)), shape=(r, n)).tocsr()
        constraints = LinearConstraint(matrix, np.array(lo), np.array(hi))
    result = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(lb, ub),
                  options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap})
    seconds = time.perf_counter() - started
    status = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded"}.get(result.status, "error")
    if result.x is None:
        return Solution(set(), {p: k for p in projects}, status, None, None, None, seconds, n, r)
    x = result.x
    chosen = {pairs[i] for i in range(n_x) if x[i] > 0.5}
    counts = {p: 0 for p in projects}
    for _j, p in chosen:
        counts[p] += 1
    shortfall = {p: k - counts[p] for p in projects if counts[p] < k}
    bound = getattr(result, "mip_dual_bound", None)
    objective = float(result.fun) + constant
    if bound is not None:
        bound = float(bound) + constant
    gap = getattr(result, "mip_gap", None)
    return Solution(chosen, shortfall, status, objective, bound, gap, seconds, n, r)
