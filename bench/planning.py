"""Benchmark the day plan: 300 projects, 100 judges, 2 days with availability windows,
3 halls, 10 patent consultations and 10 remote presentations.

Prints, for the assignment (availability as a hard constraint, remote projects with their
whole jury) and for the timetable (visits and consultations in one programme): the time to a
plan, whether it is a proven optimum or the gap at the 10 s limit, and the checks the tests
make (nobody double-booked, nobody outside their windows, no consultation meeting its
project's visit, every remote presentation with its whole jury). Then a repair after one
absence: how many visits moved.

    .venv/bin/python bench/planning.py [--seed 1]
"""

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compmgr.judging import timetable_solver as ts  # noqa: E402
from compmgr.judging.assignment_solver import Problem, solve  # noqa: E402

N_PROJECTS, N_JUDGES, K, JURIES = 300, 100, 3, 10
N_REMOTE, N_PATENT, SLOT, BUFFER = 10, 10, 20, 5


def days():
    """Two days, 9:00–17:30 with lunch 12:30–13:30 (UTC here: the solver is zone-blind)."""
    result = []
    for d in (25, 26):
        start = datetime(2027, 2, d, 8, 0, tzinfo=UTC)
        lunch = (start + timedelta(hours=4, minutes=30), start + timedelta(hours=5, minutes=30))
        result.append((start, start + timedelta(hours=8, minutes=30), [lunch]))
    return result


def world(seed):
    rng = random.Random(seed)
    per_jury_projects = N_PROJECTS // JURIES
    per_jury_judges = N_JUDGES // JURIES
    teams, members, hall_of = {}, {}, {}
    for t in range(JURIES):
        judges = set(range(1000 + t * per_jury_judges, 1000 + (t + 1) * per_jury_judges))
        members[t] = judges
        for q in range(per_jury_projects):
            p = t * per_jury_projects + q
            teams[p] = {t: {j for j in judges if rng.random() > 0.05}}
            hall_of[p] = "ABC"[(p * 3) // N_PROJECTS]  # stands in order, three halls
    # remote presentations come from three juries (e.g. schools far away in those subjects)
    remote = set(rng.sample([p for p in sorted(teams) if next(iter(teams[p])) < 3], N_REMOTE))
    patent = set(rng.sample(sorted(set(teams) - remote), N_PATENT))
    span = days()
    windows = {}
    # 30 judges come only part-time; the organiser keeps the juries of remote presentations
    # (attended by the whole jury together) free of them
    with_remote = {next(iter(teams[p])) for p in remote}
    pool = [j for t, js in members.items() if t not in with_remote for j in sorted(js)]
    for j in rng.sample(pool, 30):
        kind = rng.choice(["day1", "day2", "mornings", "afternoon1"])
        d1, d2 = span
        windows[j] = {
            "day1": [(d1[0], d1[1])],
            "day2": [(d2[0], d2[1])],
            "mornings": [(d1[0], d1[2][0][0]), (d2[0], d2[2][0][0])],
            "afternoon1": [(d1[2][0][1], d1[1]), (d2[0], d2[1])],
        }[kind]
    return teams, members, hall_of, remote, patent, windows


def capacity_and_apart(windows, span):
    """A judge's capacity is the grid slots inside their windows; pairs that never meet."""
    slots = ts.grid(span, SLOT, BUFFER)
    length = timedelta(minutes=SLOT)
    free = {j: {t for t in slots if ts.available(j, t, t + length, windows)} for j in windows}
    capacity = {j: len(f) for j, f in free.items()}
    all_slots = set(slots)
    apart = set()
    ids = sorted(free)
    for a in ids:
        for b in ids:
            if a < b and not (free[a] & free[b]):
                apart.add(frozenset((a, b)))
    return capacity, apart, free, all_slots


def check(plan, result, remote, members, jury_of):
    """Count double bookings, visits outside windows, clashes with consultations."""
    busy = {}
    double = outside = 0
    for visit in plan.visits:
        s = result.starts.get(visit.key)
        if s is None:
            continue
        e = s + timedelta(minutes=visit.minutes)
        for j in visit.judges:
            if not ts.available(j, s, e, plan.windows):
                outside += 1
            for s2, e2 in busy.get(j, []):
                if s < e2 + timedelta(minutes=BUFFER) and s2 < e + timedelta(minutes=BUFFER):
                    double += 1
            busy.setdefault(j, []).append((s, e))
    clash = 0
    for p, (_c, cs) in result.consultations.items():
        s = result.starts.get(p)
        if (
            s is not None
            and cs < s + timedelta(minutes=SLOT + BUFFER)
            and s < cs + timedelta(minutes=SLOT + BUFFER)
        ):
            clash += 1
    whole = sum(1 for v in plan.visits if v.key in remote and v.judges == frozenset(members[v.key]))
    return double, outside, clash, whole


def show(label, r):
    gap = "–" if r.gap is None else f"{r.gap:.2e}"
    print(
        f"{label:<34} {r.seconds * 1000:7.0f} ms  status={r.status:<10} gap={gap}  "
        f"vars={r.variables} rows={r.constraints}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    teams, members, hall_of, remote, patent, windows = world(args.seed)
    span = days()
    capacity, apart, _free, _slots = capacity_and_apart(windows, span)
    jury_of = {p: next(iter(t)) for p, t in teams.items()}
    need = {p: len(teams[p][jury_of[p]]) for p in remote}
    problem = Problem(sorted(teams), teams, K, capacity=capacity, apart=apart, need=need)
    print(
        f"{N_PROJECTS} Projekte, {N_JUDGES} Juror:innen ({len(windows)} mit Zeitfenstern), "
        f"2 Tage, 3 Hallen, {N_PATENT} Patentberatungen, {N_REMOTE} Online-Präsentationen"
    )
    assignment = solve(problem, time_limit=10.0)
    gap = "–" if assignment.gap is None else f"{assignment.gap:.2e}"
    print(
        f"{'Zuteilung':<34} {assignment.seconds * 1000:7.0f} ms  status={assignment.status:<10} "
        f"gap={gap}  shortfall={sum(assignment.shortfall.values())}"
    )
    judges_of = {}
    for j, p in assignment.pairs:
        judges_of.setdefault(p, set()).add(j)
    visits = [
        ts.Visit(p, frozenset(judges_of.get(p, ())), SLOT, None if p in remote else hall_of[p])
        for p in sorted(teams)
    ]
    consultants = [
        ts.Consultant(1, 30, [(span[0][0], span[0][0] + timedelta(hours=3))]),
        ts.Consultant(2, 30, [(span[1][0] + timedelta(hours=5), span[1][1])]),
    ]
    plan = ts.Plan(
        span,
        visits,
        windows,
        BUFFER,
        consultants,
        [ts.Request(p) for p in sorted(patent)],
    )
    first = ts.solve(plan, time_limit=10.0)
    show("Zeitplan (neu)", first)
    attendees = {p: teams[p][jury_of[p]] for p in remote}  # the whole jury but the conflicted
    double, outside, clash, whole = check(plan, first, remote, attendees, jury_of)
    print(
        f"  ohne Zeit: {len(first.unscheduled)} Besuche, {len(first.unconsulted)} Beratungen; "
        f"doppelt gebucht: {double}; außerhalb der Zeitfenster: {outside}; "
        f"Beratung trifft Besuch: {clash}; Online mit ganzer Jury: {whole}/{len(remote)}"
    )
    # one absence: the judge with most visits drops out; the assignment replaces them with
    # the fewest changes, then the timetable is repaired around the visits that keep their time
    load = {}
    for j, _p in assignment.pairs:
        load[j] = load.get(j, 0) + 1
    gone = max(sorted(load), key=load.get)
    lost = {pair for pair in assignment.pairs if pair[0] == gone}
    teams_after = {p: {t: js - {gone} for t, js in tm.items()} for p, tm in teams.items()}
    need_after = {p: len(teams_after[p][jury_of[p]]) for p in remote}
    again = solve(
        Problem(
            sorted(teams),
            teams_after,
            K,
            previous=assignment.pairs - lost,
            stable=True,
            capacity=capacity,
            apart=apart,
            need=need_after,
        ),
        time_limit=10.0,
    )
    judges_after = {}
    for j, p in again.pairs:
        judges_after.setdefault(p, set()).add(j)
    gained = {p for _j, p in again.pairs - assignment.pairs}
    for v in visits:
        v.previous = first.starts.get(v.key)
        v.judges = frozenset(judges_after.get(v.key, ()))
    for r in plan.requests:
        r.previous = first.consultations.get(r.project)
    repair = ts.solve(plan, time_limit=10.0)
    show("Reparatur nach einem Ausfall", repair)
    kept_elsewhere = sum(
        1
        for v in visits
        if v.key not in gained and v.previous is not None and repair.starts.get(v.key) != v.previous
    )
    print(
        f"  Ausfall mit {len(lost)} Besuchen: {len(again.pairs - assignment.pairs)} neue Paare "
        f"({again.seconds * 1000:.0f} ms); verschoben: {len(repair.moved)} Besuche, davon "
        f"{kept_elsewhere} ohne neue Juror:in"
    )


if __name__ == "__main__":
    main()
