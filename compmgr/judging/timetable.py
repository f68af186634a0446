"""The stand-visit timetable: one visit per project, all its judges together, planned over the
judging days inside every judge's availability, and repaired rather than rebuilt.

The programme itself is ``timetable_solver``; this module feeds it from the database, writes
the times back, and reports every moved visit and every visit left without a time.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _

from compmgr.extensions import db
from compmgr.judging import timetable_solver as ts
from compmgr.judging.assignment import active_projects
from compmgr.judging.availability import (
    TimetableError,
    day_spans,
    jury_minutes,
    settings,
    windows_of,
)
from compmgr.judging.models import Assignment, Judge, Jury
from compmgr.judging.plan_models import (
    Consultant,
    Consultation,
    Hall,
    ScheduleChange,
    Stand,
)
from compmgr.judging.scoring import visible_assignments
from compmgr.sorting import by_name

__all__ = ["TimetableError", "build_timetable", "slot_times"]


def slot_times(competition, count):
    """Return count (start, end) UTC pairs of the first day's grid, skipping the breaks.

    The grid of the legacy single day without buffer, kept for the settings page preview.
    """
    spans = day_spans(competition)[:1]
    start, _end, breaks = spans[0]
    long_day = [(start, start + timedelta(days=1), breaks)]
    length = timedelta(minutes=competition.slot_minutes)
    return [(t, t + length) for t in ts.grid(long_day, competition.slot_minutes, 0)[:count]]


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


def halls_by_stand(competition_id):
    """Return {stand number: Hall} for the competition's stands."""
    rows = db.session.execute(
        db.select(Stand.number, Hall)
        .join(Hall, Hall.id == Stand.hall_id)
        .where(Hall.competition_id == competition_id)
    ).all()
    return {number: hall for number, hall in rows}


def _juries(competition_id):
    return db.session.scalars(
        db.select(Jury).filter_by(competition_id=competition_id).order_by(Jury.id)
    ).all()


def jury_of(project, juries, judge_ids):
    """Return the jury judging project (the team with most of its judges), or None."""
    mine = [jr for jr in juries if jr.covers(project, juries, judge_ids)]
    return max(mine, key=lambda jr: len(judge_ids & {m.judge_id for m in jr.members}), default=None)


def _previous(rows):
    """The visit's current start: the one its judges share (new judges have none yet)."""
    starts = {a.slot_start for a in rows if a.slot_start is not None}
    return next(iter(starts)) if len(starts) == 1 else None


def consultants_of(competition_id):
    return db.session.scalars(
        db.select(Consultant).filter_by(competition_id=competition_id).order_by(Consultant.id)
    ).all()


def consultation_requests(competition_id):
    """Return the taking-part projects that asked for a patent consultation, by stand."""
    return [p for p in active_projects(competition_id) if p.patent_consultation]


def build_plan(competition):
    """Gather the plan's data: days, visits with their judges and halls, windows, requests."""
    spans = day_spans(competition)
    by_project = _project_judges(competition.id)
    juries = _juries(competition.id)
    halls = halls_by_stand(competition.id)
    visits, projects = [], {}
    for project in active_projects(competition.id):
        rows = by_project.get(project.id, [])
        if not rows:
            continue
        ids = frozenset(a.judge_id for a in rows)
        jury = jury_of(project, juries, set(ids))
        hall = halls.get(project.stand)
        visits.append(
            ts.Visit(
                project.id,
                ids,
                jury_minutes(jury, competition),
                None if project.remote_link else (hall.id if hall else None),
                _previous(rows),
            )
        )
        projects[project.id] = project
    consultants = [
        ts.Consultant(c.id, c.slot_minutes, [(w.starts_at, w.ends_at) for w in c.windows])
        for c in consultants_of(competition.id)
    ]
    existing = {
        c.project_id: c
        for c in db.session.scalars(
            db.select(Consultation).join(Consultant).filter_by(competition_id=competition.id)
        )
    }
    requests = []
    for project in consultation_requests(competition.id):
        row = existing.get(project.id)
        previous = (row.consultant_id, row.starts_at) if row and row.starts_at is not None else None
        requests.append(ts.Request(project.id, previous))
        projects[project.id] = project
    plan = ts.Plan(
        spans,
        visits,
        windows_of(competition.id),
        settings(competition).buffer_minutes,
        consultants,
        requests,
    )
    return plan, projects, by_project


@dataclass
class Report:
    """What a planning run did: for the organiser's page and the judges' change lists."""

    result: object
    moved: list = field(default_factory=list)  # (project, old start, new start or None)
    added: list = field(default_factory=list)  # (project, start): visits that had no time
    unscheduled: list = field(default_factory=list)  # German lines
    unconsulted: list = field(default_factory=list)  # German lines
    slots: int = 0

    @property
    def changed(self):
        return len(self.moved) + len(self.added)


def _when(t):
    return format_datetime(t, "EEE dd.MM. HH:mm") if t is not None else "–"


def _reason(result, project, names):
    why = result.unscheduled.get(project.id)
    label = _("Stand %(stand)s „%(title)s“", stand=project.stand or "–", title=project.title)
    if why == "no_common_time":
        lacking = sorted(names[j] for j in result.judges_without_time.get(project.id, ()))
        if lacking:
            return _(
                "%(project)s: ohne Zeit – %(who)s in keinem freien Zeitfenster verfügbar.",
                project=label,
                who=", ".join(lacking),
            )
        return _(
            "%(project)s: ohne Zeit – die Juror:innen haben keine gemeinsame freie Zeit.",
            project=label,
        )
    if why == "no_free_time":
        return _(
            "%(project)s: ohne Zeit – alle gemeinsamen freien Zeiten der Juror:innen sind belegt.",
            project=label,
        )
    return None


def _consult_reason(why, project):
    label = _("Stand %(stand)s „%(title)s“", stand=project.stand or "–", title=project.title)
    if why == "no_window":
        return _(
            "%(project)s: keine Patentberatung – es gibt keine Beratungszeiten.", project=label
        )
    return _(
        "%(project)s: keine Patentberatung – alle Beratungszeiten außerhalb der Standbesuche "
        "sind belegt.",
        project=label,
    )


def build_timetable(competition, time_limit=10.0):
    """Plan or repair the timetable and the patent consultations; return a Report.

    Repair, not rebuild: a visit whose judges are still free at its time keeps it; only
    visits that must move move, and new visits fill free times. Each moved, new or dropped
    visit is written to its judges' change lists. Raises TimetableError without days.
    """
    plan, projects, by_project = build_plan(competition)
    result = ts.solve(plan, time_limit=time_limit)
    if result.objective is None:
        raise TimetableError(
            _("Der Zeitplan konnte nicht berechnet werden (%(s)s).", s=result.status)
        )
    report = Report(result)
    minutes = {v.key: v.minutes for v in plan.visits}
    names = {a.judge_id: a.judge.full_name for rows in by_project.values() for a in rows}
    for visit in plan.visits:
        project = projects[visit.key]
        start = result.starts.get(visit.key)
        end = start + timedelta(minutes=minutes[visit.key]) if start else None
        rows = by_project[visit.key]
        before = {a.judge_id: a.slot_start for a in rows}
        for a in rows:
            a.slot_start, a.slot_end = start, end
        if visit.previous is not None and start != visit.previous:
            report.moved.append((project, visit.previous, start))
        elif visit.previous is None and start is not None:
            report.added.append((project, start))
        for a in rows:
            if before[a.judge_id] != start:
                _note_change(a.judge_id, project, before[a.judge_id], start)
        if start is None:
            line = _reason(result, project, names)
            if line:
                report.unscheduled.append(line)
    _write_consultations(competition, plan, result, projects, report)
    report.slots = len(set(result.starts.values()))
    db.session.flush()
    return report


def _note_change(judge_id, project, old, new):
    stand = project.stand or "–"
    if old is None:
        text = _(
            "Neu: Stand %(stand)s „%(title)s“ um %(new)s.",
            stand=stand,
            title=project.title,
            new=_when(new),
        )
    elif new is None:
        text = _(
            "Stand %(stand)s „%(title)s“ (%(old)s) hat noch keine neue Zeit.",
            stand=stand,
            title=project.title,
            old=_when(old),
        )
    else:
        text = _(
            "Verschoben: Stand %(stand)s „%(title)s“ von %(old)s auf %(new)s.",
            stand=stand,
            title=project.title,
            old=_when(old),
            new=_when(new),
        )
    db.session.add(ScheduleChange(judge_id=judge_id, message=text[:500]))


def _write_consultations(competition, plan, result, projects, report):
    existing = {
        c.project_id: c
        for c in db.session.scalars(
            db.select(Consultation).where(
                Consultation.project_id.in_([r.project for r in plan.requests] or [-1])
            )
        )
    }
    lengths = {c.key: c.minutes for c in plan.consultants}
    for request in plan.requests:
        row = existing.get(request.project)
        if row is None:
            row = Consultation(project_id=request.project)
            db.session.add(row)
        chosen = result.consultations.get(request.project)
        if chosen:
            key, start = chosen
            row.consultant_id, row.starts_at = key, start
            row.ends_at = start + timedelta(minutes=lengths[key])
        else:
            row.consultant_id = row.starts_at = row.ends_at = None
            why = result.unconsulted.get(request.project)
            report.unconsulted.append(_consult_reason(why, projects[request.project]))


def has_timetable(competition):
    """Tell whether any visit of the competition has a time."""
    return (
        db.session.execute(
            db.select(Assignment.id)
            .join(Judge, Judge.id == Assignment.judge_id)
            .where(Judge.competition_id == competition.id, Assignment.slot_start.is_not(None))
            .limit(1)
        ).first()
        is not None
    )


def repair_if_planned(competition, time_limit=10.0):
    """After an assignment change: repair the timetable if one exists; return the Report."""
    if not has_timetable(competition):
        return None
    return build_timetable(competition, time_limit=time_limit)


def unscheduled_visits(competition):
    """Return the projects with judges but no time yet, by stand."""
    by_project = _project_judges(competition.id)
    return [
        p
        for p in active_projects(competition.id)
        if by_project.get(p.id) and any(a.slot_start is None for a in by_project[p.id])
    ]


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
    windows = windows_of(competition.id)
    for judge, rows in by_judge.items():
        rows.sort(key=lambda a: a.slot_start)
        outside = [a for a in rows if not ts.available(judge.id, a.slot_start, a.slot_end, windows)]
        if outside:
            problems.append(
                _(
                    "%(name)s ist außerhalb der eigenen Zeitfenster eingeplant (%(n)d Besuche).",
                    name=judge.full_name,
                    n=len(outside),
                )
            )
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
    hall: object = None

    @property
    def where(self):
        """Where the visit is: "Online", or the hall and stand."""
        if self.project.remote_link:
            return _("Online")
        stand = _("Stand %(s)s", s=self.project.stand or "–")
        return f"{self.hall.name}, {stand}" if self.hall else stand


def jury_timetables(competition):
    """Return [(jury, [Visit, ...])] in time order, each project under the jury judging it."""
    juries = db.session.scalars(
        db.select(Jury).filter_by(competition_id=competition.id).order_by(Jury.id)
    ).all()
    by_project = _project_judges(competition.id)
    halls = halls_by_stand(competition.id)
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
        visit = Visit(
            rows[0].slot_start, rows[0].slot_end, project, judges, halls.get(project.stand)
        )
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
