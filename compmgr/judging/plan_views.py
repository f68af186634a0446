"""The organiser's day-plan pages: days and settings, halls and stands, patent consultations,
judges' availability windows."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import availability, bp, juries, plan_services, timetable
from compmgr.judging.models import Judge
from compmgr.judging.plan_forms import (
    ConsultantBase,
    DayForm,
    HallForm,
    JurySlotForm,
    NumberStandsForm,
    PlanSettingsForm,
    RequestForm,
    StandsForm,
    WindowsBase,
    windows_form,
)
from compmgr.judging.plan_models import Consultant, JudgingDay, JuryPlan
from compmgr.registration.models import Project


def _settings_form(formdata=True):
    row = availability.settings(g.competition)
    if formdata:
        return PlanSettingsForm()
    return PlanSettingsForm(
        formdata=None,
        data={"buffer_minutes": row.buffer_minutes, "safeguarding_note": row.safeguarding_note},
    )


def _jury_form(formdata=True):
    form = JurySlotForm() if formdata else JurySlotForm(formdata=None)
    form.jury_id.choices = [(j.id, j.name) for j in juries.juries_of(g.competition.id)]
    return form


def _planning_page(day_form=None, settings_form=None, jury_form=None, status=200):
    cid = g.competition.id
    lengths = {p.jury_id: p.slot_minutes for p in db.session.scalars(db.select(JuryPlan))}
    return render_template(
        "judging/planning.html",
        days=availability.judging_days(cid),
        day_form=day_form or DayForm(formdata=None),
        settings_form=settings_form or _settings_form(formdata=False),
        jury_form=jury_form or _jury_form(formdata=False),
        juries=juries.juries_of(cid),
        lengths=lengths,
    ), status


@bp.route("/org/planning")
@role_required(Role.ORGANISER)
def planning(cid):
    """Show the judging days, the buffer and safeguarding note, and each jury's visit length."""
    return _planning_page()


@bp.route("/org/planning/days", methods=["POST"])
@role_required(Role.ORGANISER)
def add_day(cid):
    """Add a judging day or change its hours."""
    form = DayForm()
    if not form.validate_on_submit():
        return _planning_page(day_form=form, status=422)
    plan_services.add_day(
        g.competition, form.day.data, form.starts_at.data, form.ends_at.data, form.breaks.data or ""
    )
    db.session.commit()
    flash(_("Tag %(d)s gespeichert.", d=form.day.data.strftime("%d.%m.%Y")), "success")
    return redirect(url_for("judging.planning", cid=cid))


@bp.route("/org/planning/days/<int:day_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def delete_day(cid, day_id):
    """Remove a judging day."""
    row = get_or_404(JudgingDay, day_id, competition_id=cid)
    plan_services.delete_day(row)
    db.session.commit()
    flash(_("Tag entfernt."), "success")
    return redirect(url_for("judging.planning", cid=cid))


@bp.route("/org/planning/settings", methods=["POST"])
@role_required(Role.ORGANISER)
def plan_settings(cid):
    """Save the buffer between visits and the safeguarding note."""
    form = _settings_form()
    if not form.validate_on_submit():
        return _planning_page(settings_form=form, status=422)
    row = availability.settings_for_update(g.competition)
    row.buffer_minutes = form.buffer_minutes.data
    row.safeguarding_note = (form.safeguarding_note.data or "").strip()
    db.session.commit()
    flash(_("Gespeichert."), "success")
    return redirect(url_for("judging.planning", cid=cid))


@bp.route("/org/planning/jury-slots", methods=["POST"])
@role_required(Role.ORGANISER)
def jury_slots(cid):
    """Set one jury's visit length."""
    form = _jury_form()
    if not form.validate_on_submit():
        return _planning_page(jury_form=form, status=422)
    row = db.session.get(JuryPlan, form.jury_id.data)
    if row is None:
        row = JuryPlan(jury_id=form.jury_id.data)
        db.session.add(row)
    row.slot_minutes = form.slot_minutes.data
    db.session.commit()
    flash(_("Besuchsdauer gespeichert."), "success")
    return redirect(url_for("judging.planning", cid=cid))


# --- halls and stands ---------------------------------------------------------------------


def _stands_form(formdata=True):
    form = StandsForm() if formdata else StandsForm(formdata=None)
    form.hall_id.choices = [(h.id, h.name) for h in plan_services.halls_of(g.competition.id)]
    return form


def _halls_page(hall_form=None, stands_form=None, problems=None, status=200):
    cid = g.competition.id
    return render_template(
        "judging/halls.html",
        halls=plan_services.halls_of(cid),
        hall_form=hall_form or HallForm(formdata=None),
        stands_form=stands_form or _stands_form(formdata=False),
        number_form=NumberStandsForm(formdata=None),
        labels=plan_services.equipment_labels(),
        problems=problems or [],
        by_stand={p.stand: p for p in timetable.active_projects(cid) if p.stand},
    ), status


@bp.route("/org/planning/halls")
@role_required(Role.ORGANISER)
def halls(cid):
    """Show halls and stands with their equipment and the project at each stand."""
    return _halls_page()


@bp.route("/org/planning/halls", methods=["POST"])
@role_required(Role.ORGANISER)
def add_hall(cid):
    """Add a hall or room."""
    form = HallForm()
    if not form.validate_on_submit():
        return _halls_page(hall_form=form, status=422)
    plan_services.add_hall(g.competition, form.name.data)
    db.session.commit()
    flash(_("Halle angelegt."), "success")
    return redirect(url_for("judging.halls", cid=cid))


@bp.route("/org/planning/stands", methods=["POST"])
@role_required(Role.ORGANISER)
def add_stands(cid):
    """Add stands with equipment to a hall."""
    form = _stands_form()
    if not form.validate_on_submit():
        return _halls_page(stands_form=form, status=422)
    hall = next(h for h in plan_services.halls_of(cid) if h.id == form.hall_id.data)
    added = plan_services.add_stands(
        hall,
        plan_services.parse_numbers(form.numbers.data),
        **{k: form[k].data for k in plan_services.EQUIPMENT},
    )
    db.session.commit()
    flash(_("%(n)d Stände angelegt.", n=added), "success")
    return redirect(url_for("judging.halls", cid=cid))


@bp.route("/org/planning/stands/number", methods=["POST"])
@role_required(Role.ORGANISER)
def number_stands(cid):
    """Give projects stands that offer what they asked for; show what cannot be met."""
    form = NumberStandsForm()
    if not form.validate_on_submit():
        return _halls_page(status=422)
    problems = plan_services.number_stands(g.competition, only_missing=form.only_missing.data)
    db.session.commit()
    flash(_("Stände zugeteilt."), "success")
    return _halls_page(problems=problems)


# --- patent consultations -----------------------------------------------------------------


def _consultant_form(formdata=True):
    return windows_form(availability.judging_days(g.competition.id), ConsultantBase, formdata)


def _request_form(formdata=True):
    form = RequestForm() if formdata else RequestForm(formdata=None)
    form.project_id.choices = [(0, "–")] + [
        (p.id, f"{p.stand or '–'} · {p.title}")
        for p in timetable.active_projects(g.competition.id)
        if not p.patent_consultation
    ]
    return form


def _consultations_page(consultant_form=None, request_form=None, status=200):
    cid = g.competition.id
    return render_template(
        "judging/consultations.html",
        consultants=plan_services.consultants_of(cid),
        rows=plan_services.consultations_of(cid),
        days=availability.judging_days(cid),
        consultant_form=consultant_form or _consultant_form(formdata=False),
        request_form=request_form or _request_form(formdata=False),
    ), status


@bp.route("/org/planning/consultations")
@role_required(Role.ORGANISER)
def consultations(cid):
    """List the patent consultations and the consultants; add either."""
    return _consultations_page()


@bp.route("/org/planning/consultants", methods=["POST"])
@role_required(Role.ORGANISER)
def add_consultant(cid):
    """Add a consultant with time windows on the judging days."""
    days = availability.judging_days(cid)
    form = _consultant_form()
    if not form.validate_on_submit():
        return _consultations_page(consultant_form=form, status=422)
    spans = plan_services.day_windows(days, {d.id: form[f"day_{d.id}"].data for d in days})
    plan_services.add_consultant(
        g.competition,
        form.name.data,
        form.organisation.data or "",
        form.place.data or "",
        form.slot_minutes.data,
        spans,
    )
    db.session.commit()
    flash(
        _("Berater:in angelegt. Erstellen Sie den Zeitplan, um die Termine zu planen."), "success"
    )
    return redirect(url_for("judging.consultations", cid=cid))


@bp.route("/org/planning/consultations/request", methods=["POST"])
@role_required(Role.ORGANISER)
def request_consultation(cid):
    """Add a project that did not ask at registration to the consultations."""
    form = _request_form()
    if not form.validate_on_submit():
        return _consultations_page(request_form=form, status=422)
    project = get_or_404(Project, form.project_id.data, competition_id=cid)
    project.patent_consultation = True
    db.session.commit()
    flash(_("„%(t)s“ erhält eine Patentberatung.", t=project.title), "success")
    return redirect(url_for("judging.consultations", cid=cid))


@bp.route("/org/planning/consultants/<int:consultant_id>/schedule.pdf")
@role_required(Role.ORGANISER)
def consultant_pdf(cid, consultant_id):
    """The consultant's schedule as a PDF."""
    from compmgr.pdf.timetable import Timetable, TimetableBuilder

    consultant = get_or_404(Consultant, consultant_id, competition_id=cid)
    rows = [
        (
            f"{format_datetime(c.starts_at, 'EEE dd.MM. HH:mm')}–"
            f"{format_datetime(c.ends_at, 'HH:mm')}",
            p.stand or "–",
            p.title,
            p.school.label,
        )
        for p, c in plan_services.consultations_of(cid)
        if c is not None and c.consultant_id == consultant.id and c.starts_at
    ]
    where = consultant.place or g.competition.venue
    data = Timetable(
        _("Patentberatung: %(name)s", name=consultant.name),
        " · ".join(x for x in (g.competition.title, consultant.organisation, where) if x),
        [(_("Termine"), rows)],
        [_("Zeit"), _("Stand"), _("Projekt"), _("Schule")],
        footer=g.competition.title,
    )
    return Response(
        TimetableBuilder(data).build(),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="patentberatung.pdf"'},
    )


# --- a judge's availability ---------------------------------------------------------------


@bp.route("/org/judging/judges/<int:judge_id>/availability", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def judge_availability(cid, judge_id):
    """Enter when a judge can be there: time windows per judging day."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    days = availability.judging_days(cid)
    spans = [(w.starts_at, w.ends_at) for w in judge.windows]
    texts = plan_services.windows_text(days, spans)
    if request.method == "POST":
        form = windows_form(days, WindowsBase)
    else:
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
        flash(_("Verfügbarkeit von %(name)s gespeichert.", name=judge.full_name), "success")
        return redirect(url_for("judging.judge_availability", cid=cid, judge_id=judge.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "judging/availability.html",
        judge=judge,
        form=form,
        days=days,
        described=availability.describe_windows(spans),
    ), status
