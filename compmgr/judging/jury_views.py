"""The organiser's juries, assignment and timetable pages."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.competitions.models import Division, Subject
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import assignment, bp, juries, timetable
from compmgr.judging.forms import JuryForm, ManualAssignForm, MemberForm
from compmgr.judging.models import Assignment, Judge, Jury
from compmgr.registration.models import Project
from compmgr.sorting import by_stand, person_key


def _jury_form(formdata=True):
    form = JuryForm() if formdata else JuryForm(formdata=None)
    form.subject_id.choices = [(s.id, s.name) for s in g.competition.subjects]
    form.division_id.choices = [(0, _("Alle Sparten"))] + [
        (d.id, d.name) for d in g.competition.divisions
    ]
    return form


@bp.route("/org/judging/juries", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def jury_list(cid):
    """List the juries with members and chairs; add a jury."""
    form = _jury_form()
    if form.validate_on_submit():
        subject = get_or_404(Subject, form.subject_id.data, competition_id=cid)
        division = (
            get_or_404(Division, form.division_id.data, competition_id=cid)
            if form.division_id.data
            else None
        )
        jury = juries.create_jury(
            g.competition, subject, division, form.team.data, form.name.data or ""
        )
        db.session.commit()
        flash(_("Jury „%(name)s“ angelegt.", name=jury.name), "success")
        return redirect(url_for("judging.jury_detail", cid=cid, jury_id=jury.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "judging/juries.html",
        juries=juries.juries_of(cid),
        form=form,
        loads=assignment.loads(g.competition),
    ), status


@bp.route("/org/judging/juries/defaults", methods=["POST"])
@role_required(Role.ORGANISER)
def default_juries(cid):
    """Add one jury for each Fachgebiet without one."""
    added = juries.create_default_juries(g.competition)
    db.session.commit()
    flash(_("%(n)d Jurys angelegt.", n=added), "success")
    return redirect(url_for("judging.jury_list", cid=cid))


def _judge_choice_form(form_class, competition_id, inside, formdata):
    """Build a form whose judge select offers the competition's judges not yet inside."""
    form = form_class() if formdata else form_class(formdata=None)
    form.judge_id.choices = [(0, "–")] + [
        (j.id, f"{j.last_name}, {j.first_name}")
        for j in juries.judges_of(competition_id)
        if j.id not in inside
    ]
    return form


def _member_form(jury, formdata=True):
    inside = {m.judge_id for m in jury.members}
    return _judge_choice_form(MemberForm, jury.competition_id, inside, formdata)


@bp.route("/org/judging/juries/<int:jury_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def jury_detail(cid, jury_id):
    """Show a jury's members and add one."""
    jury = get_or_404(Jury, jury_id, competition_id=cid)
    form = _member_form(jury)
    if form.validate_on_submit():
        judge = get_or_404(Judge, form.judge_id.data, competition_id=cid)
        juries.add_member(jury, judge, chair=form.is_chair.data)
        db.session.commit()
        flash(_("%(name)s ist jetzt in der Jury.", name=judge.full_name), "success")
        return redirect(url_for("judging.jury_detail", cid=cid, jury_id=jury.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "judging/jury.html", jury=jury, form=form, loads=assignment.loads(g.competition)
    ), status


@bp.route("/org/judging/juries/<int:jury_id>/members/<int:judge_id>/remove", methods=["POST"])
@role_required(Role.ORGANISER)
def remove_member(cid, jury_id, judge_id):
    """Take a judge off a jury."""
    jury = get_or_404(Jury, jury_id, competition_id=cid)
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    juries.remove_member(jury, judge)
    db.session.commit()
    flash(_("%(name)s ist nicht mehr in der Jury.", name=judge.full_name), "success")
    return redirect(url_for("judging.jury_detail", cid=cid, jury_id=jury.id))


@bp.route("/org/judging/juries/<int:jury_id>/members/<int:judge_id>/chair", methods=["POST"])
@role_required(Role.ORGANISER)
def make_chair(cid, jury_id, judge_id):
    """Make a member the jury's chair."""
    jury = get_or_404(Jury, jury_id, competition_id=cid)
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    if not any(m.judge_id == judge.id for m in jury.members):
        flash(_("Nur ein Jurymitglied kann den Vorsitz übernehmen."), "error")
    else:
        juries.set_chair(jury, judge)
        db.session.commit()
        flash(_("%(name)s hat jetzt den Juryvorsitz.", name=judge.full_name), "success")
    return redirect(url_for("judging.jury_detail", cid=cid, jury_id=jury.id))


@bp.route("/org/judging/assignments")
@role_required(Role.ORGANISER)
def assignments(cid):
    """Show every project with its judges and the report of what is unmet."""
    projects = by_stand(assignment.active_projects(cid))
    rows = db.session.scalars(
        db.select(Assignment)
        .join(Judge, Judge.id == Assignment.judge_id)
        .where(Judge.competition_id == cid)
        .options(selectinload(Assignment.judge))
    ).all()
    by_project = {}
    for a in sorted(rows, key=lambda a: person_key(a.judge)):
        by_project.setdefault(a.project_id, []).append(a)
    return render_template(
        "judging/assignments.html",
        projects=projects,
        by_project=by_project,
        report=assignment.coverage_report(g.competition) if rows else None,
        k=g.competition.min_judges_per_project,
    )


@bp.route("/org/judging/assignments/run", methods=["POST"])
@role_required(Role.ORGANISER)
def run_assignment(cid):
    """Assign judges automatically; manual and already scored pairs stay."""
    outcome = assignment.auto_assign(g.competition)
    if outcome.solution.objective is None:
        db.session.rollback()
        flash(
            _("Die Zuteilung konnte nicht berechnet werden (%(s)s).", s=outcome.solution.status),
            "error",
        )
    else:
        db.session.commit()
        flash(
            _(
                "Zuteilung berechnet in %(ms)d ms (%(state)s): %(a)d neu, %(r)d entfernt.",
                ms=outcome.solution.seconds * 1000,
                state=_("nachweislich optimal")
                if outcome.solution.optimal
                else _("Zeitlimit erreicht"),
                a=len(outcome.added),
                r=len(outcome.removed),
            ),
            "success",
        )
    return redirect(url_for("judging.assignments", cid=cid))


def _assign_form(project, formdata=True):
    inside = {
        a.judge_id
        for a in db.session.scalars(db.select(Assignment).filter_by(project_id=project.id))
    }
    return _judge_choice_form(ManualAssignForm, project.competition_id, inside, formdata)


@bp.route("/org/judging/assignments/<int:project_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def project_assignments(cid, project_id):
    """Show a project's judges; add one by hand."""
    project = get_or_404(Project, project_id, competition_id=cid)
    form = _assign_form(project)
    if form.validate_on_submit():
        judge = get_or_404(Judge, form.judge_id.data, competition_id=cid)
        error = assignment.add_assignment(judge, project)
        if error is None:
            db.session.commit()
            flash(_("%(name)s zugeteilt.", name=judge.full_name), "success")
            return redirect(url_for("judging.project_assignments", cid=cid, project_id=project.id))
        db.session.rollback()
        form.judge_id.errors.append(error)
    rows = db.session.scalars(db.select(Assignment).filter_by(project_id=project.id)).all()
    status = 422 if request.method == "POST" else 200
    return render_template("judging/project.html", project=project, rows=rows, form=form), status


@bp.route("/org/judging/assignments/<int:project_id>/<int:judge_id>/remove", methods=["POST"])
@role_required(Role.ORGANISER)
def unassign(cid, project_id, judge_id):
    """Take a project off a judge's list by hand."""
    project = get_or_404(Project, project_id, competition_id=cid)
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    if assignment.remove_assignment(judge, project):
        db.session.commit()
        flash(_("Zuteilung von %(name)s entfernt.", name=judge.full_name), "success")
    return redirect(url_for("judging.project_assignments", cid=cid, project_id=project.id))


@bp.route("/org/judging/timetable")
@role_required(Role.ORGANISER)
def timetable_view(cid):
    """Show the stand-visit timetable per jury and any double booking."""
    plans, unplanned = timetable.jury_timetables(g.competition)
    return render_template(
        "judging/timetable.html",
        plans=plans,
        unplanned=unplanned,
        problems=timetable.timetable_problems(g.competition),
    )


@bp.route("/org/judging/timetable/build", methods=["POST"])
@role_required(Role.ORGANISER)
def build_timetable(cid):
    """Plan the stand visits from the settings (start, minutes per project, breaks)."""
    try:
        slots = timetable.build_timetable(g.competition)
    except timetable.TimetableError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Zeitplan mit %(n)d Zeitfenstern erstellt.", n=slots), "success")
    return redirect(url_for("judging.timetable_view", cid=cid))


@bp.route("/org/judging/timetable.pdf")
@role_required(Role.ORGANISER)
def timetable_pdf(cid):
    """Download the timetable as a printable PDF."""
    from compmgr.pdf.timetable import Timetable, TimetableBuilder  # platypus only when printing

    plans, _unplanned = timetable.jury_timetables(g.competition)
    sections = [
        (
            jury.name,
            [
                (
                    f"{format_datetime(v.start, 'EEE HH:mm')}–{format_datetime(v.end, 'HH:mm')}",
                    v.project.stand or "–",
                    v.project.title,
                    ", ".join(j.full_name for j in v.judges),
                )
                for v in visits
            ],
        )
        for jury, visits in plans
    ]
    data = Timetable(
        _("Zeitplan der Standbesuche"),
        g.competition.title,
        sections,
        [_("Zeit"), _("Stand"), _("Projekt"), _("Jury")],
        footer=_("Noch kein Zeitplan erstellt.") if not sections else g.competition.title,
    )
    pdf = TimetableBuilder(data).build()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="zeitplan.pdf"'},
    )
