"""A judge's own day: now and next, where and when, the papers, changes since the last visit;
to take away as an .ics calendar file and as a PDF."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from compmgr.database import writing
from compmgr.extensions import db
from compmgr.judging import availability, bp, plan_services
from compmgr.judging.access import judge_required
from compmgr.judging.plan_forms import WindowsBase, windows_form
from compmgr.registration.models import DocumentKind


@bp.route("/jury/day")
@judge_required
def my_day(cid):
    """Show the judge's visits in time order, what comes now and next, and what changed."""
    items = plan_services.my_day(g.judge)
    current, upcoming = plan_services.now_and_next(items)
    changes = plan_services.changes_since_last_visit(g.judge, mark=False)
    page = render_template(
        "judging/my_day.html",
        items=items,
        current=current,
        upcoming=upcoming,
        changes=changes,
        note=plan_services.safeguarding_note(g.competition),
        paper_kind=DocumentKind.PAPER,
    )
    with writing():  # a GET that writes: in a write transaction of its own (SQLite)
        plan_services.mark_seen(g.judge)
        db.session.commit()
    return page


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


@bp.route("/jury/availability", methods=["GET", "POST"])
@judge_required
def my_availability(cid):
    """Let the judge say when they can be there: time windows per judging day."""
    judge = g.judge
    days = availability.judging_days(cid)
    spans = [(w.starts_at, w.ends_at) for w in judge.windows]
    if request.method == "POST":
        form = windows_form(days, WindowsBase)
    else:
        texts = plan_services.windows_text(days, spans)
        data = {f"day_{d.id}": texts.get(d.id, "") for d in days}
        data["always"] = not spans
        if not spans:
            data.update({f"day_{d.id}": f"{d.starts_at:%H:%M}-{d.ends_at:%H:%M}" for d in days})
        form = windows_form(days, WindowsBase, formdata=False, data=data)
    if form.validate_on_submit():
        new = (
            []
            if form.always.data
            else plan_services.day_windows(days, {d.id: form[f"day_{d.id}"].data for d in days})
        )
        availability.set_windows(judge, new)
        db.session.commit()
        flash(
            _(
                "Ihre Verfügbarkeit ist gespeichert. Steht der Zeitplan schon, plant die "
                "Wettbewerbsleitung Ihre Besuche neu."
            ),
            "success",
        )
        return redirect(url_for("judging.my_availability", cid=cid))
    return render_template(
        "judging/my_availability.html",
        form=form,
        days=days,
        described=availability.describe_windows(spans),
    ), 422 if request.method == "POST" else 200
