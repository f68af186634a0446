"""The stand-visit timetable: one slot per project, visited by all its judges together."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _

from compmgr.competitions.services import parse_breaks
from compmgr.dates import BERLIN
from compmgr.extensions import db
from compmgr.judging.assignment import active_projects
from compmgr.judging.models import Assignment, Judge, Jury
from compmgr.judging.scoring import visible_assignments
from compmgr.sorting import by_name


class TimetableError(ValueError):
    """The settings do not allow a timetable; the message is for the organiser."""


def slot_times(competition, count):
    """Return count (start, end) UTC pairs from the first day's start, skipping the breaks."""
    if competition.starts_on is None or competition.judging_starts_at is None:
        raise TimetableError(
            _(
                "Bitte legen Sie in den Einstellungen den ersten Wettbewerbstag "
                "und den Beginn der Standbesuche fest."
            )
        )
    day = competition.starts_on
    breaks = [
        (datetime.combine(day, a, BERLIN), datetime.combine(day, b, BERLIN))
        for a, b in parse_breaks(competition.judging_breaks or "")
    ]
    length = timedelta(minutes=competition.slot_minutes)
    current = datetime.combine(day, competition.judging_starts_at, BERLIN)
    result = []
    while len(result) < count:
        end = current + length
        clash = next((b for b in sorted(breaks) if current < b[1] and end > b[0]), None)
        if clash is not None:
            current = clash[1]
            continue
        result.append((current.astimezone(UTC), end.astimezone(UTC)))
        current = end
    return result


def _project_judges(competition_id):
    rows = db.session.scalars(
        db.select(Assignment)
        .join(Judge, Judge.id == Assignment.judge_id)
        .where(Judge.competition_id == competition_id)
    ).all()
    by_project = {}
    for a in rows:
        by_project.setdefault(a.project_id, []).append(a)
    return by_project


def build_timetable(competition):
    """Give every assigned project one slot; no judge is anywhere twice at the same time.

    Greedy colouring in stand order: each project takes the earliest slot in which none of
    its judges is busy; a project keeps its current slot when that is still free, so a
    re-run after small changes moves few visits. Returns the number of slots used.
    """
    by_project = _project_judges(competition.id)
    projects = [p for p in active_projects(competition.id) if p.id in by_project]
    # start times already stored keep their slot number where possible
    horizon = slot_times(competition, max(1, len(projects)))
    index_of = {start: i for i, (start, _end) in enumerate(horizon)}
    busy = {}  # judge id -> set of slot numbers
    chosen = {}
    ordered = sorted(
        projects,
        key=lambda p: (index_of.get(by_project[p.id][0].slot_start) is None, p.stand or "", p.id),
    )
    for project in ordered:
        judges = [a.judge_id for a in by_project[project.id]]
        previous = {index_of.get(a.slot_start) for a in by_project[project.id]} - {None}
        candidates = sorted(previous) if len(previous) == 1 else []
        slot = next((s for s in candidates if all(s not in busy.get(j, ()) for j in judges)), None)
        if slot is None:
            slot = 0
            while any(slot in busy.get(j, ()) for j in judges):
                slot += 1
        chosen[project.id] = slot
        for j in judges:
            busy.setdefault(j, set()).add(slot)
    times = slot_times(competition, max(chosen.values(), default=-1) + 1)
    for project_id, rows in by_project.items():
        slot = chosen.get(project_id)
        for a in rows:
            a.slot_start, a.slot_end = times[slot] if slot is not None else (None, None)
    db.session.flush()
    return len(times)


def timetable_problems(competition):
    """List double bookings: a judge in two places, or a stand visited by two teams at once."""
    problems = []
    by_judge, by_project = {}, {}
    for rows in _project_judges(competition.id).values():
        for a in rows:
            if a.slot_start is None:
                continue
            by_judge.setdefault(a.judge, []).append(a)
            by_project.setdefault(a.project, {}).setdefault((a.slot_start, a.slot_end), set()).add(
                a.judge_id
            )
    for judge, rows in by_judge.items():
        rows.sort(key=lambda a: a.slot_start)
        for a, b in zip(rows, rows[1:], strict=False):
            if b.slot_start < a.slot_end:
                problems.append(
                    _("%(name)s ist zur selben Zeit an zwei Ständen.", name=judge.full_name)
                )
    for project, visits in by_project.items():
        spans = sorted(visits)
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                problems.append(
                    _(
                        "Stand %(stand)s wird gleichzeitig von zwei Gruppen besucht.",
                        stand=project.stand or project.title,
                    )
                )
    return problems


@dataclass
class Visit:
    start: datetime
    end: datetime
    project: object
    judges: list


def jury_timetables(competition):
    """Return [(jury, [Visit, ...])] in time order, each project under the jury judging it."""
    juries = db.session.scalars(
        db.select(Jury).filter_by(competition_id=competition.id).order_by(Jury.id)
    ).all()
    by_project = _project_judges(competition.id)
    plan = {jury.id: [] for jury in juries}
    unplanned = []
    for project in active_projects(competition.id):
        rows = [a for a in by_project.get(project.id, []) if a.slot_start is not None]
        if not rows:
            continue
        judges = by_name(a.judge for a in rows)
        ids = {j.id for j in judges}
        mine = [jr for jr in juries if jr.covers(project, juries, ids)]
        jury = max(mine, key=lambda jr: len(ids & {m.judge_id for m in jr.members}), default=None)
        visit = Visit(rows[0].slot_start, rows[0].slot_end, project, judges)
        (plan[jury.id] if jury else unplanned).append(visit)
    result = [
        (jury, sorted(plan[jury.id], key=lambda v: (v.start, v.project.stand or "")))
        for jury in juries
        if plan[jury.id]
    ]
    return result, unplanned


def slots_for_judge(judge):
    """Return the judge's planned visits [(start, end, project)] in time order (UTC)."""
    return [
        (a.slot_start, a.slot_end, a.project)
        for a in visible_assignments(judge)
        if a.slot_start is not None
    ]
