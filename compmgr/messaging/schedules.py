"""A judge's visit schedule for the assignment mail: rows, a PDF and an .ics calendar file."""

from datetime import timedelta

from flask_babel import gettext as _

from compmgr.dates import BERLIN
from compmgr.extensions import db
from compmgr.judging.scoring import visible_assignments
from compmgr.mail import public_base
from compmgr.messaging.sending import queue
from compmgr.registration.models import Project


def project_rows(project_ids):
    """Stand and title of projects, by stand, for a mail's list."""
    if not project_ids:
        return []
    projects = db.session.scalars(db.select(Project).where(Project.id.in_(project_ids))).all()
    return [
        {"stand": p.stand or "–", "title": p.title}
        for p in sorted(projects, key=lambda p: (p.stand or "", p.title))
    ]


def visits(judge):
    """The judge's visits: (start, end, project), start None where no time is planned yet."""
    return [(a.slot_start, a.slot_end, a.project) for a in visible_assignments(judge)]


def _hm(moment):
    return moment.astimezone(BERLIN).strftime("%H:%M") if moment is not None else ""


def schedule_pdf(judge, competition, rows):
    """The judge's own visit schedule as a PDF (the timetable's layout, one section)."""
    from compmgr.pdf.timetable import Timetable, TimetableBuilder  # platypus: loaded when used

    table = Timetable(
        title=competition.title,
        subtitle=_("Besuchsplan von %(name)s", name=judge.full_name),
        sections=[(judge.full_name, rows)],
        labels=[_("Zeit"), _("Stand"), _("Projekt"), _("Fachgebiet")],
    )
    return TimetableBuilder(table).build()


def schedule_ics(judge, competition, planned):
    """The judge's planned visits as an iCalendar file (one event per visit)."""
    import icalendar  # loaded when a schedule is mailed, not at app start

    cal = icalendar.Calendar()
    cal.add("prodid", "-//compmgr//Besuchsplan//DE")
    cal.add("version", "2.0")
    host = public_base().split("://", 1)[-1]
    for start, end, project in planned:
        event = icalendar.Event()
        event.add("uid", f"visit-{judge.id}-{project.id}@{host}")
        event.add("summary", f"{project.stand or ''} {project.title}".strip())
        event.add("dtstart", start)
        event.add("dtend", end or start + timedelta(minutes=competition.slot_minutes))
        event.add("dtstamp", start)
        if competition.venue:
            event.add("location", competition.venue)
        cal.add_component(event)
    return cal.to_ical()


def queue_assignment(judge, recipient, competition, link):
    """Queue the assignment mail with the schedule as PDF and .ics."""
    found = visits(judge)
    planned = [v for v in found if v[0] is not None]

    def rows(locale):
        return [
            (
                f"{_hm(start)}–{_hm(end)}" if start else "",
                project.stand or "–",
                project.title,
                project.subject.name if project.subject else "",
            )
            for start, end, project in found
        ]

    def context(locale):
        return {
            "link": link,
            "projects": [
                {
                    "time": f"{_hm(start)} " if start else "",
                    "stand": project.stand or "–",
                    "title": project.title,
                }
                for start, _end, project in found
            ],
        }

    def attachments(locale):
        files = [("Besuchsplan.pdf", schedule_pdf(judge, competition, rows(locale)))]
        if planned:
            files.append(
                ("Besuchsplan.ics", schedule_ics(judge, competition, planned), "text/calendar")
            )
        return files

    return queue("judge_assignment", [recipient], competition, context, attachments=attachments)
