"""The stand-visit timetable and the patent consultations as one mixed-integer programme
solved by HiGHS (scipy.milp), like the assignment.

Pure data in, pure data out: no database, so the benchmark and the tests can feed it directly.
Times are aware datetimes; lengths are minutes.

Hard: a visit (all judges of a project together) starts on its jury's slot grid inside a
judging day, clear of the breaks, at a time every one of its judges is available; no judge is
in two places, with the buffer between visits; a consultation lies inside its consultant's
window, one project at a time per consultant, and never overlaps the project's own visit
(with the buffer either way). The objective is lexicographic, by dominating weights:
(1) visits and consultations left without a time, (2) planned ones moved from their previous
time (repair, not rebuild), (3) the hall order: within a group of judges, later halls in later
quarters of the day, so a judge finishes one hall before the next where possible. Then, outside
the programme, (4) compactness: a visit without a previous time moves to the earliest free
start that costs nothing above (a greedy left shift: earliness inside the programme made the
proofs of optimality many times slower).
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

INF = float("inf")


@dataclass
class Visit:
    key: int  # the project
    judges: frozenset
    minutes: int
    hall: object = None
    previous: object = None  # the start time it had, kept where possible


@dataclass
class Consultant:
    key: int
    minutes: int
    windows: list  # [(start, end)]


@dataclass
class Request:
    project: int
    previous: tuple | None = None  # (consultant key, start)


@dataclass
class Plan:
    days: list  # [(start, end, [(break start, break end)])]
    visits: list
    windows: dict = field(default_factory=dict)  # judge -> [(start, end)]; absent: always there
    buffer: int = 5
    consultants: list = field(default_factory=list)
    requests: list = field(default_factory=list)


@dataclass
class Result:
    starts: dict  # project -> start
    unscheduled: dict  # project -> reason: "no_common_time" | "no_free_time" | "no_judges"
    consultations: dict  # project -> (consultant key, start)
    unconsulted: dict  # project -> reason: "no_window" | "no_free_time"
    moved: dict  # project -> (old start, new start)
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    variables: int = 0
    constraints: int = 0
    judges_without_time: dict = field(default_factory=dict)  # project -> {judge, …} with no slot

    @property
    def optimal(self):
        return self.status == "optimal"


def grid(days, minutes, buffer):
    """Return every start on the slot grid of the given length: from each day's start, one
    slot after the other with the buffer between, a slot running into a break starting after it.
    """
    length, step = timedelta(minutes=minutes), timedelta(minutes=minutes + buffer)
    result = []
    for start, end, breaks in days:
        t = start
        while t + length <= end:
            clash = next((b for b in sorted(breaks) if t < b[1] and t + length > b[0]), None)
            if clash is not None:
                t = clash[1]
                continue
            result.append(t)
            t += step
    return result


def _fits(start, end, windows):
    return any(a <= start and end <= b for a, b in windows)


def _inside_day(start, end, days):
    return any(
        a <= start and end <= b and not any(start < bb and end > ba for ba, bb in breaks)
        for a, b, breaks in days
    )


def available(judge, start, end, windows):
    """Tell whether a judge is there for the whole of [start, end)."""
    mine = windows.get(judge)
    return mine is None or _fits(start, end, mine)


class _Rows:
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


def _options(plan):
    """Return the allowed (visit index, start, end) options and why a visit has none."""
    grids = {}
    options, why, lacking = [], {}, {}
    for vi, visit in enumerate(plan.visits):
        if not visit.judges:
            why[visit.key] = "no_judges"
            continue
        if visit.minutes not in grids:
            grids[visit.minutes] = grid(plan.days, visit.minutes, plan.buffer)
        starts = list(grids[visit.minutes])
        length = timedelta(minutes=visit.minutes)
        if visit.previous is not None and visit.previous not in starts:
            if _inside_day(visit.previous, visit.previous + length, plan.days):
                starts.append(visit.previous)
        mine = []
        for t in starts:
            if all(available(j, t, t + length, plan.windows) for j in visit.judges):
                mine.append((vi, t, t + length))
        if not mine:
            why[visit.key] = "no_common_time"
            lacking[visit.key] = {
                j
                for j in visit.judges
                if not any(available(j, t, t + length, plan.windows) for t in starts)
            }
        options.extend(mine)
    return options, why, lacking


def _consult_options(plan, busy_projects):
    options, why = [], {}
    for ri, request in enumerate(plan.requests):
        mine = []
        for consultant in plan.consultants:
            length = timedelta(minutes=consultant.minutes)
            for a, b in consultant.windows:
                t = a
                while t + length <= b:
                    mine.append((ri, consultant.key, t, t + length))
                    t += length
            if request.previous and request.previous[0] == consultant.key:
                t = request.previous[1]
                if _fits(t, t + length, consultant.windows) and (
                    (ri, consultant.key, t, t + length) not in mine
                ):
                    mine.append((ri, consultant.key, t, t + length))
        if not mine:
            why[request.project] = "no_window"
        options.extend(mine)
    return options, why


def _cliques(intervals):
    """Given [(column, start, end)], return the column sets that overlap at some start point."""
    result = []
    points = sorted({s for _c, s, _e in intervals})
    for p in points:
        cols = [c for c, s, e in intervals if s <= p < e]
        if len(cols) > 1:
            result.append(cols)
    return result


def _day_share(t, days):
    """Return how far into its day t lies, 0 at the start and 1 at the end."""
    for start, end, _breaks in days:
        if start <= t <= end:
            return (t - start).total_seconds() / max(1.0, (end - start).total_seconds())
    return 0.0


def _milp(cost, rows, n, time_limit, mip_rel_gap):
    """Solve min cost·x over binary x under rows; return (status, x, value, bound, gap)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    constraints = ()
    if rows.count:
        matrix = coo_array((rows.vals, (rows.rows, rows.cols)), shape=(rows.count, n)).tocsr()
        constraints = LinearConstraint(matrix, np.array(rows.lo), np.array(rows.hi))
    result = milp(
        np.array(cost),
        constraints=constraints,
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        options={"time_limit": max(0.5, time_limit), "mip_rel_gap": mip_rel_gap},
    )
    status = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded"}.get(
        result.status, "error"
    )
    bound = getattr(result, "mip_dual_bound", None)
    value = float(result.fun) if result.x is not None else None
    return (
        status,
        result.x,
        value,
        (float(bound) if bound is not None else value),
        getattr(result, "mip_gap", None),
    )


def _groups(plan, options):
    """Group the visits that share judges (directly or via others): planned one group at a
    time, as no constraint reaches across groups."""
    parent = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for vi, visit in enumerate(plan.visits):
        find(("v", vi))
        for j in visit.judges:
            parent[find(("j", j))] = find(("v", vi))
    groups = {}
    for i, (vi, _s, _e) in enumerate(options):
        groups.setdefault(find(("v", vi)), []).append(i)
    return list(groups.values())


def _visit_programme(plan, options, chosen, buffer, weights):
    """Build the programme for one group of visit options (indices into options)."""
    _first, _horizon, w_hall, w_move, w_open = weights
    # ranked within the group: a group in one hall pays nothing and is proven at once
    in_group = {plan.visits[options[i][0]].hall for i in chosen} - {None}
    halls = {h: r for r, h in enumerate(sorted(in_group, key=repr))}
    local = {i: q for q, i in enumerate(chosen)}
    ranks = {}
    visits = sorted({options[i][0] for i in chosen})
    by_visit = {}
    for i in chosen:
        by_visit.setdefault(options[i][0], []).append(local[i])
    y0 = len(chosen)
    u0 = y0
    n = u0 + len(visits)
    rows = _Rows()
    for q, vi in enumerate(visits):
        rows.add([(c, 1.0) for c in by_visit[vi]] + [(u0 + q, 1.0)], 1, 1)
    per_judge = {}
    for i in chosen:
        vi, s, e = options[i]
        for j in plan.visits[vi].judges:
            per_judge.setdefault(j, []).append((local[i], s, e + buffer))
    for intervals in per_judge.values():
        for cols in _cliques(intervals):
            rows.add([(c, 1.0) for c in cols], -INF, 1)
    cost = [0.0] * n
    for i in chosen:
        vi, s, _e = options[i]
        previous = plan.visits[vi].previous
        if previous is not None and s != previous:
            cost[local[i]] += w_move
        # halls in a fixed order through each day: a judge finishes one hall before the next
        rank = halls.get(plan.visits[vi].hall, 0)
        # (in whole quarters of the day: coarse integral costs are proven optimal far sooner)
        cost[local[i]] += w_hall * rank * _quarter_cost(s, plan.days)
        ranks[vi] = rank
    for q in range(len(visits)):
        cost[u0 + q] = w_open
    return cost, rows, n, ranks


def _quarter_cost(t, days):
    """3 in the day's first quarter down to 0 in its last: later halls prefer later times."""
    return 3 - min(3, int(4 * _day_share(t, days)))


def _compact(plan, options, starts, ranks, buffer):
    """Move each visit that had no previous time to the earliest start where its judges are
    free and its hall-order cost does not rise; repeat while something moves."""
    by_visit = {}
    for vi, s, e in options:
        by_visit.setdefault(vi, []).append((s, e))
    index = {v.key: vi for vi, v in enumerate(plan.visits)}
    busy = {}
    for key, s in starts.items():
        visit = plan.visits[index[key]]
        for j in visit.judges:
            busy.setdefault(j, {})[key] = (s, s + timedelta(minutes=visit.minutes))
    for _round in range(3):
        moved = False
        for key in sorted(starts, key=starts.get):
            vi = index[key]
            visit = plan.visits[vi]
            if visit.previous is not None:
                continue
            current = starts[key]
            rank = ranks.get(vi, 0)
            limit = _quarter_cost(current, plan.days)
            for s, e in sorted(by_visit.get(vi, [])):
                if s >= current:
                    break
                if rank and _quarter_cost(s, plan.days) > limit:
                    continue
                free = all(
                    not (s < e2 + buffer and s2 < e + buffer)
                    for j in visit.judges
                    for other, (s2, e2) in busy.get(j, {}).items()
                    if other != key
                )
                if free:
                    starts[key] = s
                    for j in visit.judges:
                        busy[j][key] = (s, e)
                    moved = True
                    break
        if not moved:
            return


def _consult_programme(plan, consults, starts, buffer, weights):
    """Build the consultations' programme around the visits already planned."""
    first, horizon, _w_hall, w_move, w_open = weights
    keep = []
    for i, (ri, _key, s, e) in enumerate(consults):
        project = plan.requests[ri].project
        visit = next((v for v in plan.visits if v.key == project), None)
        start = starts.get(project)
        if start is not None and visit is not None:
            end = start + timedelta(minutes=visit.minutes)
            if s < end + buffer and start < e + buffer:
                continue  # would meet the project's own visit
        keep.append(i)
    local = {i: q for q, i in enumerate(keep)}
    requests = sorted({consults[i][0] for i in keep})
    u0 = len(keep)
    n = u0 + len(requests)
    rows = _Rows()
    by_request = {}
    for i in keep:
        by_request.setdefault(consults[i][0], []).append(local[i])
    for q, ri in enumerate(requests):
        rows.add([(c, 1.0) for c in by_request[ri]] + [(u0 + q, 1.0)], 1, 1)
    per_consultant, per_project = {}, {}
    for i in keep:
        ri, key, s, e = consults[i]
        per_consultant.setdefault(key, []).append((local[i], s, e))
        per_project.setdefault(plan.requests[ri].project, []).append((local[i], s, e))
    for intervals in per_consultant.values():
        for cols in _cliques(intervals):
            rows.add([(c, 1.0) for c in cols], -INF, 1)
    cost = [0.0] * n
    for i in keep:
        ri, key, s, _e = consults[i]
        cost[local[i]] = (s - first).total_seconds() / horizon
        previous = plan.requests[ri].previous
        if previous and previous != (key, s):
            cost[local[i]] += w_move
    for q in range(len(requests)):
        cost[u0 + q] = w_open
    return keep, cost, rows, n


_RANK = {"optimal": 0, "time_limit": 1, "infeasible": 2, "unbounded": 2, "error": 3}


def solve(plan, time_limit=10.0, mip_rel_gap=1e-4):
    """Plan every visit, then every consultation around them; return a Result.

    The visits fall apart into groups of judges sharing visits (mostly one jury each); each
    group is one programme, solved to a proven optimum or to its share of the time limit.
    The consultations are planned after, around the visits' times.
    """
    started = time.perf_counter()
    buffer = timedelta(minutes=plan.buffer)
    options, why, lacking = _options(plan)
    consults, consult_why = _consult_options(plan, {v.key for v in plan.visits})
    first = min((d[0] for d in plan.days), default=None) or datetime.now(UTC)
    horizon = max(((d[1] - first).total_seconds() for d in plan.days), default=1.0) or 1.0
    planned = len(plan.visits) + len(plan.requests)
    n_halls = len({v.hall for v in plan.visits if v.hall is not None})
    w_hall = 1.0
    w_move = w_hall * 3 * n_halls * (planned + 1) + 1
    w_open = w_move * (planned + 1) + 1
    weights = (first, horizon, w_hall, w_move, w_open)
    starts, moved, consultations = {}, {}, {}
    status, value, bound, gaps, n_all, rows_all = "optimal", 0.0, 0.0, [0.0], 0, 0
    groups = sorted(_groups(plan, options), key=len)
    all_ranks = {}
    for g, chosen in enumerate(groups):
        share = (time_limit - (time.perf_counter() - started)) / (len(groups) - g + 1)
        cost, rows, n, ranks = _visit_programme(plan, options, chosen, buffer, weights)
        st, x, val, bnd, gap = _milp(cost, rows, n, share, mip_rel_gap)
        n_all, rows_all = n_all + n, rows_all + rows.count
        status = max(status, st, key=_RANK.get)
        if x is None:
            continue
        value += val
        bound += bnd if bnd is not None else val
        gaps.append(gap or 0.0)
        for q, i in enumerate(chosen):
            if x[q] > 0.5:
                vi, s, _e = options[i]
                starts[plan.visits[vi].key] = s
        all_ranks.update(ranks)
    _compact(plan, options, starts, all_ranks, buffer)
    if consults:
        keep, cost, rows, n = _consult_programme(plan, consults, starts, buffer, weights)
        remaining = time_limit - (time.perf_counter() - started)
        st, x, val, bnd, gap = _milp(cost, rows, n, remaining, mip_rel_gap)
        n_all, rows_all = n_all + n, rows_all + rows.count
        status = max(status, st, key=_RANK.get)
        if x is not None:
            value += val
            bound += bnd if bnd is not None else val
            gaps.append(gap or 0.0)
            for q, i in enumerate(keep):
                if x[q] > 0.5:
                    ri, key, s, _e = consults[i]
                    consultations[plan.requests[ri].project] = (key, s)
    for visit in plan.visits:
        new = starts.get(visit.key)
        if visit.previous is not None and visit.previous != new:
            moved[visit.key] = (visit.previous, new)
        if new is None and visit.key not in why:
            why[visit.key] = "no_free_time"
    for request in plan.requests:
        if request.project not in consultations and request.project not in consult_why:
            consult_why[request.project] = "no_free_time"
    return Result(
        starts,
        why,
        consultations,
        consult_why,
        moved,
        status,
        value,
        bound,
        (value - bound) / max(1.0, abs(value)) if status != "optimal" else max(gaps),
        time.perf_counter() - started,
        n_all,
        rows_all,
        lacking,
    )
