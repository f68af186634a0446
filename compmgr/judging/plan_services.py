"""The rules of the day plan that are not the timetable itself: days, halls and stands with
stand numbering by equipment, consultants, and each judge's own day (now and next, changes
since the last visit, the calendar file)."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _

from compmgr.competitions.services import parse_breaks
from compmgr.database import utcnow
from compmgr.dates import BERLIN
from compmgr.extensions import db
from compmgr.judging.assignment import active_projects
from compmgr.judging.availability import judging_days, settings
from compmgr.judging.plan_models import (
    Consultant,
    ConsultantWindow,
    Consultation,
    Hall,
    JudgingDay,
    ScheduleChange,
    ScheduleSeen,
    Stand,
)
from compmgr.judging.scoring import visible_assignments
from compmgr.judging.timetable import halls_by_stand
from compmgr.registration.models import Project

EQUIPMENT = ("power", "water", "gas", "space")


def equipment_labels():
    return {
        "power": _("Strom"),
        "water": _("Wasser"),
        "gas": _("Gas"),
        "space": _("Extra Platz"),
    }


# --- days -------------------------------------------------------------------------------------


def add_day(competition, day, starts_at, ends_at, breaks=""):
    """Add a judging day, or change the hours of the day already there."""
    row = db.session.execute(
        db.select(JudgingDay).filter_by(competition_id=competition.id, day=day)
    ).scalar_one_or_none()
    if row is None:
        row = JudgingDay(competition_id=competition.id, day=day)
        db.session.add(row)
    row.starts_at, row.ends_at, row.breaks = starts_at, ends_at, breaks.strip()
    db.session.flush()
    return row


def day_windows(day_rows, values):
    """Turn per-day texts {day id: "09:00-12:00, 14:00-16:00"} into UTC spans; ValueError on
    a malformed text. The times must lie inside the day's hours."""
    spans = []
    for row in day_rows:
        text = (values.get(row.id) or "").strip()
        for a, b in parse_breaks(text):
            if a < row.starts_at or b > row.ends_at:
                raise ValueError(text)
            spans.append(
                (datetime.combine(row.day, a, BERLIN), datetime.combine(row.day, b, BERLIN))
            )
    return [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in spans]


def windows_text(day_rows, spans):
    """Return {day id: "09:00-12:00, …"} of the spans, for the form."""
    result = {}
    for row in day_rows:
        parts = [
            f"{a.astimezone(BERLIN):%H:%M}-{b.astimezone(BERLIN):%H:%M}"
            for a, b in spans
            if a.astimezone(BERLIN).date() == row.day
        ]
        result[row.id] = ", ".join(parts)
    return result


# --- halls and stands ---------------------------------------------------------------------


def halls_of(competition_id):
    return db.session.scalars(
        db.select(Hall).filter_by(competition_id=competition_id).order_by(Hall.position, Hall.id)
    ).all()


def add_hall(competition, name):
    position = len(halls_of(competition.id))
    hall = Hall(competition_id=competition.id, name=name.strip(), position=position)
    db.session.add(hall)
    db.session.flush()
    return hall


_RANGE = re.compile(r"^([A-Za-z]*)(\d+)\s*[-–]\s*([A-Za-z]*)(\d+)$")


def parse_numbers(text):
    """Parse "A01-A12, B1" into stand numbers; a range keeps the width of its first number."""
    result = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        match = _RANGE.match(part)
        if match:
            prefix, a, prefix2, b = match.groups()
            if prefix2 and prefix2 != prefix or int(b) < int(a) or int(b) - int(a) > 500:
                raise ValueError(part)
            result += [f"{prefix}{n:0{len(a)}d}" for n in range(int(a), int(b) + 1)]
        elif len(part) <= 20:
            result.append(part)
        else:
            raise ValueError(part)
    return result


def add_stands(hall, numbers, **equipment):
    """Add stands with the given equipment to a hall; numbers already in the competition are
    left out. Return the number of stands added."""
    taken = set(halls_by_stand(hall.competition_id))
    added = 0
    for number in numbers:
        if number in taken:
            continue
        hall.stands.append(
            Stand(
                number=number,
                position=len(hall.stands),
                **{k: bool(equipment.get(k)) for k in EQUIPMENT},
            )
        )
        taken.add(number)
        added += 1
    db.session.flush()
    return added


def needs_of(project):
    return {k for k in EQUIPMENT if getattr(project, f"needs_{k}")}


def offers_of(stand):
    return {k for k in EQUIPMENT if getattr(stand, k)}


def number_stands(competition, only_missing=True):
    """Give projects stands that offer what they asked for; return the German problem lines.

    An optimal matching (scipy's linear_sum_assignment): a stand lacking something asked for
    is never chosen; among fitting stands, the fewest unused extras and the Fachgebiet order.
    With ``only_missing`` the projects that have a stand keep it.
    """
    from scipy.optimize import linear_sum_assignment

    stands = [s for h in halls_of(competition.id) for s in h.stands]
    projects = sorted(
        active_projects(competition.id),
        key=lambda p: (p.subject.position, p.division_id or 0, p.title.casefold(), p.id),
    )
    if only_missing:
        taken = {p.stand for p in projects if p.stand}
        stands = [s for s in stands if s.number not in taken]
        projects = [p for p in projects if not p.stand]
    if not projects:
        return []
    problems = []
    if not stands:
        return [_("Es gibt keine freien Stände. Bitte legen Sie im Hallenplan Stände an.")]
    big = 10_000.0
    cost = []
    for pi, p in enumerate(projects):
        need = needs_of(p)
        row = []
        for si, s in enumerate(stands):
            offer = offers_of(s)
            missing = len(need - offer)
            row.append(big * missing + 10 * len(offer - need) + abs(si - pi) / len(stands))
        cost.append(row)
    rows, cols = linear_sum_assignment(cost)
    chosen = dict(zip(rows, cols, strict=True))
    labels = equipment_labels()
    for pi, p in enumerate(projects):
        si = chosen.get(pi)
        if si is None:
            p.stand = None
            problems.append(_("„%(title)s“: kein freier Stand mehr.", title=p.title))
            continue
        stand = stands[si]
        p.stand = stand.number
        missing = needs_of(p) - offers_of(stand)
        if missing:
            problems.append(
                _(
                    "„%(title)s“ steht an %(stand)s ohne %(what)s: kein freier Stand bietet es.",
                    title=p.title,
                    stand=stand.number,
                    what=", ".join(labels[m] for m in sorted(missing)),
                )
            )
    db.session.flush()
    return problems


# --- consultants --------------------------------------------------------------------------


def consultants_of(competition_id):
    return db.session.scalars(
        db.select(Consultant).filter_by(competition_id=competition_id).order_by(Consultant.id)
    ).all()


def add_consultant(competition, name, organisation, place, slot_minutes, spans):
    consultant = Consultant(
        competition_id=competition.id,
        name=name.strip(),
        organisation=organisation.strip(),
        place=place.strip(),
        slot_minutes=slot_minutes,
    )
    for a, b in spans:
        consultant.windows.append(ConsultantWindow(starts_at=a, ends_at=b))
    db.session.add(consultant)
    db.session.flush()
    return consultant


def consultations_of(competition_id):
    """Return every requested consultation as (project, Consultation or None), by time."""
    rows = {
        c.project_id: c
        for c in db.session.scalars(
            db.select(Consultation)
            .join(Project, Project.id == Consultation.project_id)
            .where(Project.competition_id == competition_id)
        )
    }
    wanted = [p for p in active_projects(competition_id) if p.patent_consultation]
    return sorted(
        ((p, rows.get(p.id)) for p in wanted),
        key=lambda pc: (
            pc[1] is None or pc[1].starts_at is None,
            pc[1].starts_at if pc[1] and pc[1].starts_at else datetime.max.replace(tzinfo=UTC),
            pc[0].stand or "",
        ),
    )


def consultation_for(project):
    """Return the project's planned Consultation (with a time), or None."""
    row = db.session.execute(
        db.select(Consultation).filter_by(project_id=project.id)
    ).scalar_one_or_none()
    return row if row is not None and row.starts_at is not None else None


# --- the judge's own day ------------------------------------------------------------------


@dataclass
class Item:
    start: datetime
    end: datetime
    project: object
    hall: object  # Hall or None
    remote: bool

    @property
    def where(self):
        if self.remote:
            return _("Online")
        stand = self.project.stand or "–"
        return f"{self.hall.name}, {_('Stand')} {stand}" if self.hall else f"{_('Stand')} {stand}"


def my_day(judge):
    """Return the judge's planned visits as Items in time order."""
    halls = halls_by_stand(judge.competition_id)
    items = [
        Item(
            a.slot_start,
            a.slot_end,
            a.project,
            halls.get(a.project.stand),
            bool(a.project.remote_link),
        )
        for a in visible_assignments(judge)
        if a.slot_start is not None
    ]
    return sorted(items, key=lambda i: i.start)


def now_and_next(items, at=None):
    """Return (the visit going on now or None, the next visit or None)."""
    at = at or utcnow()
    current = next((i for i in items if i.start <= at < i.end), None)
    upcoming = next((i for i in items if i.start > at), None)
    return current, upcoming


def changes_since_last_visit(judge, mark=True):
    """Return the change lines since the judge last opened the page; mark it seen."""
    seen = db.session.get(ScheduleSeen, judge.id)
    changes = []
    if seen is not None:  # the first visit is the baseline: everything on it is new
        changes = db.session.scalars(
            db.select(ScheduleChange)
            .filter_by(judge_id=judge.id)
            .where(ScheduleChange.created_at > seen.seen_at)
            .order_by(ScheduleChange.id)
        ).all()
    if mark:
        mark_seen(judge)
    return changes


def mark_seen(judge):
    """Note that the judge has seen their day now: later changes count as new."""
    seen = db.session.get(ScheduleSeen, judge.id)
    if seen is None:
        db.session.add(ScheduleSeen(judge_id=judge.id, seen_at=utcnow()))
    else:
        seen.seen_at = utcnow()
    db.session.flush()


def safeguarding_note(competition):
    return settings(competition).safeguarding_note


def calendar(judge, competition, items, url_for_project=None):
    """Return the judge's day as an iCalendar file (bytes): one event per visit."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//compmgr//Jury-Zeitplan//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Jury-Zeitplan %(c)s", c=competition.title))
    for item in items:
        event = Event()
        event.add("uid", f"visit-{judge.id}-{item.project.id}@compmgr")
        event.add("dtstamp", utcnow())
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", f"{item.project.stand or '–'} · {item.project.title}")
        event.add("location", item.project.remote_link if item.remote else item.where)
        if url_for_project:
            event.add("url", url_for_project(item.project))
        cal.add_component(event)
    return cal.to_ical()


def days_of(competition_id):
    return judging_days(competition_id)


def delete_day(day_row):
    db.session.delete(day_row)
    db.session.flush()
