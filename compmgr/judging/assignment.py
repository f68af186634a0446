"""Assign judges to projects: automatically, by hand, and after a judge drops out."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from compmgr.extensions import db
from compmgr.judging.assignment_solver import Problem, solve
from compmgr.judging.availability import availability
from compmgr.judging.conflicts import conflict_pairs, derive_conflicts, is_conflicted
from compmgr.judging.models import (
    Assignment,
    Judge,
    Jury,
    JuryMember,
    Review,
    Score,
    jury_options,
)
from compmgr.registration.models import Project
from compmgr.signals import assignments_changed
from compmgr.sorting import person_key


def active_projects(competition_id):
    """Return the projects that take part in judging (neither rejected nor withdrawn)."""
    return db.session.scalars(
        db.select(Project)
        .where(Project.competition_id == competition_id, Project.takes_part)
        .order_by(Project.stand, Project.id)
    ).all()


def group_label(project, juries):
    """Name the jury group of a project for reports, e.g. "Physik – Jugend forscht junior"."""
    if juries:
        return " / ".join(sorted({j.name for j in juries}))
    division = project.division.name if project.division else _("ohne Sparte")
    return f"{project.subject.name} – {division}"


def _juries(competition_id):
    return db.session.scalars(
        db.select(Jury)
        .filter_by(competition_id=competition_id)
        .order_by(Jury.id)
        .options(*jury_options())
    ).all()


def _scored_pairs(competition_id):
    scored = db.session.execute(
        db.select(Score.judge_id, Score.project_id)
        .join(Judge, Judge.id == Score.judge_id)
        .where(Judge.competition_id == competition_id)
        .distinct()
    ).all()
    reviewed = db.session.execute(
        db.select(Review.judge_id, Review.project_id)
        .join(Judge, Judge.id == Review.judge_id)
        .where(Judge.competition_id == competition_id)
    ).all()
    return {tuple(r) for r in scored} | {tuple(r) for r in reviewed}


def _assignments(competition_id):
    return db.session.scalars(
        db.select(Assignment)
        .join(Judge, Judge.id == Assignment.judge_id)
        .where(Judge.competition_id == competition_id)
        .options(selectinload(Assignment.judge))
    ).all()


def build_problem(competition, stable=False, keep=False):
    """Gather projects, candidate judges per jury team, fixed and current pairs."""
    projects = active_projects(competition.id)
    juries = _juries(competition.id)
    blocked = conflict_pairs(competition.id)
    teams = {}
    for project in projects:
        teams[project.id] = {
            jury.id: {m.judge_id for m in jury.members if (m.judge_id, project.id) not in blocked}
            for jury in juries
            if jury.fits(project, juries)
        }
    active_ids = {p.id for p in projects}
    scored = _scored_pairs(competition.id)
    current = {(a.judge_id, a.project_id): a for a in _assignments(competition.id)}
    fixed = {
        pair
        for pair, a in current.items()
        if (a.manual or pair in scored) and pair not in blocked and pair[1] in active_ids
    }
    free = availability(competition)
    # a remote presentation is attended by its whole jury together
    need = {
        p.id: max(len(t) for t in teams[p.id].values())
        for p in projects
        if p.remote_link and teams[p.id]
    }
    problem = Problem(
        [p.id for p in projects],
        teams,
        competition.min_judges_per_project,
        fixed=fixed,
        previous=set(current),
        stable=stable,
        keep=keep,
        capacity=free.capacity if free else {},
        apart=free.apart if free else set(),
        need=need,
    )
    return problem, current, blocked


@dataclass
class Outcome:
    solution: object
    added: set = field(default_factory=set)
    removed: set = field(default_factory=set)
    dropped_conflicts: set = field(default_factory=set)

    @property
    def changed(self):
        """The number of changed pairs: added plus removed."""
        return len(self.added) + len(self.removed)

    @property
    def judges_changed(self):
        return len({j for j, _p in self.added | self.removed})

    @property
    def projects_changed(self):
        return len({p for _j, p in self.added | self.removed})


def apply_solution(solution, current, blocked):
    """Replace the assignment with the solution's pairs; keep unchanged rows and their slots."""
    outcome = Outcome(solution)
    for pair, row in current.items():
        if pair not in solution.pairs:
            outcome.removed.add(pair)
            if pair in blocked:
                outcome.dropped_conflicts.add(pair)
            db.session.delete(row)
    for judge_id, project_id in solution.pairs - set(current):
        outcome.added.add((judge_id, project_id))
        db.session.add(Assignment(judge_id=judge_id, project_id=project_id, manual=False))
    db.session.flush()
    return outcome


def auto_assign(competition, time_limit=60.0):
    """Derive conflicts, then assign every active project its k judges as well as possible.

    What exists is kept: juries whose pairs are still whole stay as they are, the others are
    balanced with the fewest changes (see ``Problem.keep``). A re-run with nothing changed
    changes nothing.
    """
    derive_conflicts(competition.id)
    problem, current, blocked = build_problem(competition, keep=True)
    solution = solve(problem, time_limit=time_limit)
    if solution.objective is None:
        return Outcome(solution)
    outcome = apply_solution(solution, current, blocked)
    assignments_changed.send(competition, added=outcome.added, removed=outcome.removed)
    return outcome


def remove_judge(competition, judge, time_limit=60.0):
    """Take a judge who does not come out of every jury and fill the gaps with few changes.

    Other judges' lists change as little as possible (the solver's top aim after reaching k
    judges per project); the outcome lists what was added and removed for whom.
    """
    was_chair = [m.jury for m in judge.memberships if m.is_chair]
    lost = {
        (a.judge_id, a.project_id) for a in _assignments(competition.id) if a.judge_id == judge.id
    }
    db.session.execute(db.delete(JuryMember).where(JuryMember.judge_id == judge.id))
    db.session.execute(db.delete(Assignment).where(Assignment.judge_id == judge.id))
    db.session.flush()
    db.session.expire_all()
    problem, current, blocked = build_problem(competition, stable=True)
    solution = solve(problem, time_limit=time_limit)
    outcome = (
        apply_solution(solution, current, blocked)
        if solution.objective is not None
        else Outcome(solution)
    )
    outcome.removed |= lost
    outcome.was_chair = was_chair
    assignments_changed.send(competition, added=outcome.added, removed=outcome.removed - lost)
    return outcome


def changes_by_judge(outcome):
    """Group an outcome's added and removed pairs per judge for display."""
    ids = {j for j, _p in outcome.added | outcome.removed}
    pids = {p for _j, p in outcome.added | outcome.removed}
    judges = (
        {j.id: j for j in db.session.scalars(db.select(Judge).where(Judge.id.in_(ids)))}
        if ids
        else {}
    )
    projects = (
        {p.id: p for p in db.session.scalars(db.select(Project).where(Project.id.in_(pids)))}
        if pids
        else {}
    )
    rows = []
    for jid in sorted(ids, key=lambda i: person_key(judges[i])):
        rows.append(
            (
                judges[jid],
                sorted(
                    (projects[p] for j, p in outcome.added if j == jid), key=lambda p: p.stand or ""
                ),
                sorted(
                    (projects[p] for j, p in outcome.removed if j == jid),
                    key=lambda p: p.stand or "",
                ),
            )
        )
    return rows


def foreign_juries(judge, project):
    """Return the names of the judge's juries when none of them judges the project, else [].

    An empty list also for a judge in no jury at all; ``outside_jury`` tells those apart.
    """
    juries = _juries(project.competition_id)
    mine = [m.jury for m in judge.memberships]
    if any(j.fits(project, juries) for j in mine):
        return []
    return sorted(j.name for j in mine)


def outside_jury(judge, project, juries=None):
    """Say whether the judge belongs to no jury that may judge the project.

    ``juries`` are all juries of the competition, read when not given: a page that asks this
    for every judge reads them once.
    """
    if juries is None:
        juries = _juries(project.competition_id)
    return not any(m.jury.fits(project, juries) for m in judge.memberships)


def cross_jury_warning(judge, project):
    """Return the German warning for a judge picked for a project outside their jury, or None."""
    if not outside_jury(judge, project):
        return None
    names = foreign_juries(judge, project)
    if names:
        return _(
            "Achtung: %(name)s gehört zur Jury %(juries)s, nicht zu einer Jury dieses Projekts. "
            "Die Zuteilung zählt trotzdem zu den benötigten Juror:innen.",
            name=judge.full_name,
            juries=", ".join(names),
        )
    return _(
        "Achtung: %(name)s gehört zu keiner Jury. "
        "Die Zuteilung zählt trotzdem zu den benötigten Juror:innen.",
        name=judge.full_name,
    )


def add_assignment(judge, project):
    """Assign a judge by hand; return a German error message or None."""
    if judge.competition_id != project.competition_id:
        return _("Jurorin/Juror und Projekt gehören nicht zum selben Wettbewerb.")
    if not project.takes_part:
        return _("Das Projekt ist zurückgezogen oder abgelehnt.")
    derive_conflicts(judge.competition_id)  # entries may have changed since the last run
    if is_conflicted(judge, project):
        return _("%(name)s ist bei diesem Projekt befangen.", name=judge.full_name)
    row = db.session.execute(
        db.select(Assignment).filter_by(judge_id=judge.id, project_id=project.id)
    ).scalar_one_or_none()
    if row is None:
        db.session.add(Assignment(judge_id=judge.id, project_id=project.id, manual=True))
    else:
        row.manual = True
    db.session.flush()
    return None


def remove_assignment(judge, project):
    """Take a project off a judge's list by hand; return whether something was removed."""
    result = db.session.execute(
        db.delete(Assignment).where(
            Assignment.judge_id == judge.id, Assignment.project_id == project.id
        )
    )
    db.session.flush()
    return result.rowcount > 0


def coverage_report(competition):
    """Explain in German every project below k judges, grouped by jury, from the stored state."""
    k = competition.min_judges_per_project
    projects = active_projects(competition.id)
    juries = _juries(competition.id)
    blocked = conflict_pairs(competition.id)
    counts, assigned = {}, {}
    for a in _assignments(competition.id):
        assigned.setdefault(a.project_id, set()).add(a.judge_id)
        if (a.judge_id, a.project_id) not in blocked:
            counts[a.project_id] = counts.get(a.project_id, 0) + 1
    free = availability(competition)
    names = {j.id: j.full_name for j in judges_with_windows(competition.id)}

    def need(project):
        if not project.remote_link:
            return k
        mine = [j for j in juries if j.fits(project, juries)]
        return max(
            (sum(1 for m in j.members if (m.judge_id, project.id) not in blocked) for j in mine),
            default=k,
        )

    groups = {}
    for project in projects:
        mine = [j for j in juries if j.fits(project, juries)]
        key = tuple(sorted(j.id for j in mine)) or ("none", project.subject_id, project.division_id)
        groups.setdefault(key, (mine, []))[1].append(project)
    lines = []
    for mine, members in groups.values():
        label = group_label(members[0], mine)
        short = [p for p in members if counts.get(p.id, 0) < need(p)]
        if not short:
            continue
        if not mine:
            lines.append(
                _("%(group)s: keine Jury für %(n)d Projekte.", group=label, n=len(members))
            )
            continue
        judges = {m.judge_id for jury in mine for m in jury.members}
        if len(judges) < k:
            lines.append(
                _(
                    "%(group)s: %(judges)d Juror:innen für %(n)d Projekte, benötigt %(k)d je Projekt.",
                    group=label,
                    judges=len(judges),
                    n=len(members),
                    k=k,
                )
            )
            continue
        for p in short:
            conflicted = sum(1 for j in judges if (j, p.id) in blocked)
            unavailable = _unavailable(p, judges, blocked, assigned, free, names)
            if unavailable:
                lines.append(
                    _(
                        "%(group)s, Stand %(stand)s „%(title)s“: %(have)d von %(k)d "
                        "Juror:innen – nicht verfügbar: %(who)s.",
                        group=label,
                        stand=p.stand or "–",
                        title=p.title,
                        have=counts.get(p.id, 0),
                        k=need(p),
                        who="; ".join(unavailable),
                    )
                )
                continue
            lines.append(
                _(
                    "%(group)s, Stand %(stand)s „%(title)s“: %(have)d von %(k)d Juror:innen – "
                    "%(c)d von %(judges)d Jurymitgliedern befangen.",
                    group=label,
                    stand=p.stand or "–",
                    title=p.title,
                    have=counts.get(p.id, 0),
                    k=need(p),
                    c=conflicted,
                    judges=len(judges),
                )
            )
    return lines


def judges_with_windows(competition_id):
    """Return the competition's judges who entered availability windows."""
    from compmgr.judging.plan_models import JudgeWindow

    return db.session.scalars(
        db.select(Judge)
        .where(Judge.competition_id == competition_id)
        .where(db.select(JudgeWindow.id).where(JudgeWindow.judge_id == Judge.id).exists())
    ).all()


def _unavailable(project, judges, blocked, assigned, free, names):
    """Say which unassigned jury members availability keeps from a project, and why."""
    if not free:
        return []
    mine = assigned.get(project.id, set())
    load = {}
    for ids in assigned.values():
        for j in ids:
            load[j] = load.get(j, 0) + 1
    result = []
    for j in sorted(judges - mine, key=lambda i: names.get(i, "")):
        if (j, project.id) in blocked or j not in free.capacity:
            continue
        if load.get(j, 0) >= free.capacity[j]:
            result.append(
                _(
                    "%(name)s (Zeitfenster reichen nur für %(n)d Besuche)",
                    name=names[j],
                    n=free.capacity[j],
                )
            )
            continue
        others = [names.get(o, "") for o in mine if frozenset((j, o)) in free.apart]
        if others:
            result.append(
                _(
                    "%(name)s (keine gemeinsame Zeit mit %(others)s)",
                    name=names[j],
                    others=", ".join(sorted(others)),
                )
            )
    return result


def loads(competition):
    """Return {judge_id: number of assigned projects} for the competition."""
    return dict(
        db.session.execute(
            db.select(Assignment.judge_id, db.func.count())
            .join(Judge, Judge.id == Assignment.judge_id)
            .where(Judge.competition_id == competition.id)
            .group_by(Assignment.judge_id)
        ).all()
    )
