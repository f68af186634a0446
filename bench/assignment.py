"""Benchmark the judge assignment: 300 projects × 100 judges with conflicts.

Prints solver time and optimality (objective against HiGHS' dual bound and the MIP gap) for
the automatic assignment and for re-assigning after a judge drops out, first on the pure
solver, then end to end (conflict derivation, solve, writing rows) on a temporary SQLite DB.

    .venv/bin/python bench/assignment.py [--seed 1] [--no-db]
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compmgr.judging.assignment_solver import Problem, solve  # noqa: E402

SHARES = {
    "Biologie": 23.6,
    "Technik": 19.1,
    "Chemie": 16.3,
    "Arbeitswelt": 14.1,
    "Physik": 12.6,
    "Mathematik/Informatik": 7.6,
    "Geo- und Raumwissenschaften": 6.7,
}
N_PROJECTS, N_JUDGES, K = 300, 100, 3
CONFLICT_RATE = 0.06  # share of (judge, project) pairs inside a jury that are conflicted


def _split(total, shares, rng):
    """Spread total over keys by share, largest remainder, at least 1 each."""
    raw = {key: total * s / sum(shares.values()) for key, s in shares.items()}
    result = {key: max(1, int(v)) for key, v in raw.items()}
    for key in sorted(raw, key=lambda q: raw[q] - int(raw[q]), reverse=True)[
        : total - sum(result.values())
    ]:
        result[key] += 1
    return result


def synthetic(seed):
    """Build the in-memory problem: 14 juries (Fachgebiet × Sparte) with random conflicts."""
    rng = random.Random(seed)
    groups = {
        (s, d): share * (0.55 if d == "jf" else 0.45)
        for s, share in SHARES.items()
        for d in ("jf", "junior")
    }
    projects_per = _split(N_PROJECTS, groups, rng)
    judges_per = _split(N_JUDGES, {g: max(projects_per[g], 1) for g in groups}, rng)
    teams, projects, judge_id, conflicts = {}, [], 1000, 0
    for t, group in enumerate(groups):
        members = set(range(judge_id, judge_id + judges_per[group]))
        judge_id += judges_per[group]
        for _ in range(projects_per[group]):
            p = len(projects)
            projects.append(p)
            ok = {j for j in members if rng.random() >= CONFLICT_RATE}
            conflicts += len(members) - len(ok)
            teams[p] = {t: ok}
    return Problem(projects, teams, K), conflicts


def show(label, solution, extra=""):
    gap = "–" if solution.gap is None else f"{solution.gap:.2e}"
    print(
        f"{label:<38} {solution.seconds * 1000:8.0f} ms  status={solution.status:<8} "
        f"objective={solution.objective:,.1f}  bound={solution.bound:,.1f}  gap={gap}  "
        f"vars={solution.variables} rows={solution.constraints} {extra}"
    )


def bench_solver(seed):
    problem, conflicts = synthetic(seed)
    judges = {j for t in problem.teams.values() for js in t.values() for j in js}
    print(
        f"Synthetisch: {len(problem.projects)} Projekte, {len(judges)} Juror:innen, "
        f"{conflicts} befangene Paare, k={K}"
    )
    first = solve(problem)
    load = {}
    for j, _p in first.pairs:
        load[j] = load.get(j, 0) + 1
    show(
        "Zuteilung (Solver)",
        first,
        f"pairs={len(first.pairs)} shortfall={sum(first.shortfall.values())} "
        f"load={min(load.values())}..{max(load.values())}",
    )
    gone = max(load, key=load.get)
    lost = {pair for pair in first.pairs if pair[0] == gone}
    teams = {p: {t: js - {gone} for t, js in tm.items()} for p, tm in problem.teams.items()}
    again = solve(Problem(problem.projects, teams, K, previous=first.pairs - lost, stable=True))
    changed = len((first.pairs - lost) ^ again.pairs)
    show(
        "Ausfall einer Jurorin (Solver)",
        again,
        f"lost={len(lost)} changes_to_others={changed - len(lost)} added={len(again.pairs - first.pairs)}",
    )


def bench_database(seed):
    """Run the real service on a temporary SQLite database with generated entries."""
    from compmgr import create_app
    from compmgr.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SERVER_NAME": "localhost",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
            }
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            comp = _fill(seed)
            db.session.commit()
            from compmgr.judging.assignment import auto_assign, coverage_report, remove_judge
            from compmgr.judging.models import Judge

            t0 = time.perf_counter()
            outcome = auto_assign(comp)
            db.session.commit()
            total = time.perf_counter() - t0
            show(
                f"Zuteilung (Datenbank, gesamt {total * 1000:.0f} ms)",
                outcome.solution,
                f"assignments={len(outcome.added)} report_lines={len(coverage_report(comp))}",
            )
            judge = db.session.scalars(db.select(Judge).filter_by(competition_id=comp.id)).first()
            t0 = time.perf_counter()
            out = remove_judge(comp, judge)
            db.session.commit()
            total = time.perf_counter() - t0
            others = {(j, p) for j, p in out.removed if j != judge.id}
            show(
                f"Ausfall (Datenbank, gesamt {total * 1000:.0f} ms)",
                out.solution,
                f"removed_from_others={len(others)} added={len(out.added)}",
            )


def _fill(seed):
    from compmgr.competitions.services import create_competition, division_for
    from compmgr.extensions import db
    from compmgr.judging.models import Judge, Jury, JuryMember
    from compmgr.registration.models import Participant, Project, ProjectMember, School

    rng = random.Random(seed)
    comp = create_competition("Benchmark", 2027)
    comp.min_judges_per_project = K
    schools = [School(competition_id=comp.id, name=f"Schule {i}") for i in range(40)]
    db.session.add_all(schools)
    db.session.flush()
    subjects, divisions = {s.name: s for s in comp.subjects}, {d.code: d for d in comp.divisions}
    groups = {
        (s, d): share * (0.55 if d == "jf" else 0.45)
        for s, share in SHARES.items()
        for d in ("jf", "junior")
    }
    projects_per = _split(N_PROJECTS, groups, rng)
    judges_per = _split(N_JUDGES, dict(projects_per), rng)
    surnames = [f"Name{i}" for i in range(400)]
    n = 0
    for (subject, code), count in projects_per.items():
        jury = Jury(
            competition_id=comp.id,
            subject=subjects[subject],
            division=divisions[code],
            name=f"{subject} – {divisions[code].name}",
        )
        db.session.add(jury)
        for _ in range(count):
            n += 1
            school = rng.choice(schools)
            project = Project(
                competition_id=comp.id,
                school=school,
                subject=subjects[subject],
                title=f"Projekt {n}",
                stand=f"S{n:03d}",
                supervisor_name=f"Frau Name{n % 400}",
            )
            for pos in range(rng.choice((1, 1, 2, 3))):
                year = 2010 if code == "jf" else 2014
                person = Participant(
                    competition_id=comp.id,
                    school=school,
                    first_name=f"V{n}-{pos}",
                    last_name=rng.choice(surnames),
                    birth_date=date(year, 1 + pos, 1 + n % 28),
                    grade=9,
                )
                project.members.append(
                    ProjectMember(participant=person, is_speaker=pos == 0, position=pos)
                )
            project.division = division_for(
                project.participants, comp.divisions, comp.age_cutoff
            ).division
            db.session.add(project)
        for k in range(judges_per[(subject, code)]):
            n += 1
            judge = Judge(
                competition_id=comp.id,
                first_name="J",
                last_name=rng.choice(surnames + ["Anders"] * 800),
                email=f"j{n}@example.org",
                school_id=rng.choice(schools).id if rng.random() < 0.2 else None,
            )
            jury.members.append(JuryMember(judge=judge, is_chair=k == 0))
    return comp


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-db", action="store_true", help="only the pure solver")
    args = parser.parse_args()
    bench_solver(args.seed)
    if not args.no_db:
        bench_database(args.seed)


if __name__ == "__main__":
    main()
