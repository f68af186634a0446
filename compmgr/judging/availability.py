"""The days of the competition and who can be there when: judging days with breaks, each
jury's visit length and slot grid, judges' availability windows.

The one home of these facts for the assignment (a judge's capacity, judges who never meet)
and the timetable (hard windows). Times are stored in UTC; days and breaks are Berlin
wall-clock times.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _

from compmgr.competitions.services import parse_breaks
from compmgr.dates import BERLIN
from compmgr.extensions import db
from compmgr.judging.models import Judge, Jury
from compmgr.judging.plan_models import JudgeWindow, JudgingDay, JuryPlan, PlanSettings
from compmgr.judging.timetable_solver import available, grid

LEGACY_END = time(18, 0)  # a competition without days: its first day, until 18:00


class TimetableError(ValueError):
    """The settings do not allow a timetable; the message is for the organiser."""


def settings(competition):
    """Return the competition's PlanSettings, a transient default when none is stored."""
    row = db.session.get(PlanSettings, competition.id)
    return row or PlanSettings(
        competition_id=competition.id, buffer_minutes=5, safeguarding_note=""
    )


def settings_for_update(competition):
    row = db.session.get(PlanSettings, competition.id)
    if row is None:
        row = PlanSettings(competition_id=competition.id, buffer_minutes=5, safeguarding_note="")
        db.session.add(row)
    return row


def judging_days(competition_id):
    return db.session.scalars(
        db.select(JudgingDay).filter_by(competition_id=competition_id).order_by(JudgingDay.day)
    ).all()


def _utc(day, t):
    return datetime.combine(day, t, BERLIN).astimezone(UTC)


def day_spans(competition):
    """Return [(start, end, [(break start, break end)])] in UTC for every judging day.

    Without days entered, the first competition day from the start of the stand visits until
    18:00 with the breaks of the settings, as before days existed.
    """
    rows = judging_days(competition.id)
    if rows:
        return [
            (
                _utc(r.day, r.starts_at),
                _utc(r.day, r.ends_at),
                [(_utc(r.day, a), _utc(r.day, b)) for a, b in parse_breaks(r.breaks or "")],
            )
            for r in rows
        ]
    if competition.starts_on is None or competition.judging_starts_at is None:
        raise TimetableError(
            _(
                "Bitte legen Sie in den Einstellungen den ersten Wettbewerbstag "
                "und den Beginn der Standbesuche fest."
            )
        )
    day = competition.starts_on
    return [
        (
            _utc(day, competition.judging_starts_at),
            _utc(day, LEGACY_END),
            [
                (_utc(day, a), _utc(day, b))
                for a, b in parse_breaks(competition.judging_breaks or "")
            ],
        )
    ]


def jury_minutes(jury, competition):
    """A jury's visit length in minutes: its own, else the competition's slot length."""
    plan = db.session.get(JuryPlan, jury.id) if jury is not None else None
    return plan.slot_minutes if plan is not None else competition.slot_minutes


def windows_of(competition_id):
    """Return {judge id: [(start, end)]} for the judges who entered windows (UTC)."""
    rows = db.session.scalars(
        db.select(JudgeWindow)
        .join(Judge, Judge.id == JudgeWindow.judge_id)
        .where(Judge.competition_id == competition_id)
        .order_by(JudgeWindow.starts_at)
    ).all()
    result = {}
    for w in rows:
        result.setdefault(w.judge_id, []).append((w.starts_at, w.ends_at))
    return result


def set_windows(judge, spans):
    """Replace a judge's windows by spans [(start, end)] in UTC; none means always there."""
    judge.windows.clear()
    db.session.flush()
    for start, end in sorted(spans):
        judge.windows.append(JudgeWindow(starts_at=start, ends_at=end))
    db.session.flush()


def describe_windows(spans):
    """Say a judge's windows in German, e.g. "Do 25.02. 09:00–12:00"; "" when unrestricted."""
    return "; ".join(
        f"{format_datetime(a, 'EEE dd.MM. HH:mm')}–{format_datetime(b, 'HH:mm')}" for a, b in spans
    )


@dataclass
class Availability:
    """Who can come when, for the assignment: capacity and pairs who never meet."""

    capacity: dict  # judge id -> visits that fit their windows
    apart: set  # frozenset({a, b}) of judges with no common free slot
    free: dict  # judge id -> set of slot starts they can take


def availability(competition):
    """Return the Availability of the judges with windows; None when no days are set."""
    try:
        spans = day_spans(competition)
    except TimetableError:
        return None
    windows = windows_of(competition.id)
    if not windows:
        return Availability({}, set(), {})
    buffer = settings(competition).buffer_minutes
    juries = db.session.scalars(db.select(Jury).filter_by(competition_id=competition.id)).all()
    minutes_of = {}
    for jury in juries:
        for m in jury.members:
            minutes_of.setdefault(m.judge_id, jury_minutes(jury, competition))
    free = {}
    for judge_id in windows:
        minutes = minutes_of.get(judge_id, competition.slot_minutes)
        length = timedelta(minutes=minutes)
        free[judge_id] = {
            t for t in grid(spans, minutes, buffer) if available(judge_id, t, t + length, windows)
        }
    ids = sorted(free)
    apart = {frozenset((a, b)) for a in ids for b in ids if a < b and not free[a] & free[b]}
    return Availability({j: len(f) for j, f in free.items()}, apart, free)
