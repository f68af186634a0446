"""A judge's own day: now and next, where and when, the papers, changes since the last visit;
to take away as an .ics calendar file and as a PDF."""

from flask import Response, g, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from compmgr.extensions import db
from compmgr.judging import bp, plan_services
from compmgr.judging.access import judge_required
from compmgr.registration.models import DocumentKind


@bp.route("/jury/day")
@judge_required
def my_day(cid):
    """Show the judge's visits in time order, what comes now and next, and what changed."""
    items = plan_services.my_day(g.judge)
    current, upcoming = plan_services.now_and_next(items)
    changes = plan_services.changes_since_last_visit(g.judge)
    db.session.commit()
    return render_template(
        "judging/my_day.html",
        items=items,
        current=current,
        upcoming=upcoming,
        changes=changes,
        note=plan_services.safeguarding_note(g.competition),
        paper_kind=DocumentKind.PAPER,
    )


@bp.route("/jury/day.ics")
@judge_required
def my_day_ics(cid):
    """The judge's visits as an iCalendar file."""
    items = plan_services.my_day(g.judge)
    body = plan_services.calendar(
        g.judge,
        g.competition,
        items,
        lambda p: url_for("judging.score", cid=cid, project_id=p.id, _external=True),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="jury-zeitplan.ics"'},
    )


@bp.route("/jury/day.pdf")
@judge_required
def my_day_pdf(cid):
    """The judge's visits as a printable PDF."""
    from compmgr.pdf.timetable import Timetable, TimetableBuilder

    items = plan_services.my_day(g.judge)
    rows = [
        (
            f"{format_datetime(i.start, 'EEE dd.MM. HH:mm')}–{format_datetime(i.end, 'HH:mm')}",
            i.where,
            i.project.title,
            i.project.remote_link if i.remote else "",
        )
        for i in items
    ]
    data = Timetable(
        _("Mein Zeitplan: %(name)s", name=g.judge.full_name),
        g.competition.title,
        [(_("Standbesuche"), rows)],
        [_("Zeit"), _("Ort"), _("Projekt"), _("Link")],
        footer=g.competition.title,
    )
    return Response(
        TimetableBuilder(data).build(),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="mein-zeitplan.pdf"'},
    )
