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
from compmgr.judging.models import Assignment, Judge, Jury, JuryMember
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


def _judge_choice_form(form_class, competition_id, inside, formdata, own):
    """Build a form whose judge select offers the competition's judges not yet inside.

    ``own(judge)`` says whether the judge belongs here; the others are offered in a group of
    their own, each labelled with the jury they belong to, so a cross-jury pick is never silent.
    """
    form = form_class() if formdata else form_class(formdata=None)
    ours, others, free = [], [], []
    for j in juries.judges_of(competition_id):
        if j.id in inside:
            continue
        label = juries.judge_label(j)  # name, expertise, absence
        names = sorted(m.jury.name for m in j.memberships)
        if own(j):
            ours.append((j.id, label))
        elif names:
            others.append((j.id, f"{label} ({_('Jury')} {', '.join(names)})"))
        else:
            free.append((j.id, label))
    choices = {None: [(0, "–")]}
    if ours:
        choices[_("Diese Jury")] = ours
    if free:
        choices[_("Noch in keiner Jury")] = free
    if others:
        choices[_("Aus anderen Jurys – Achtung")] = others
    form.judge_id.choices = choices
    return form


def _member_form(jury, formdata=True):
    inside = {m.judge_id for m in jury.members}
    return _judge_choice_form(
        MemberForm, jury.competition_id, inside, formdata, own=lambda _j: False
    )


def _load_members(jury):
    """Load the jury's members with what the page shows of each: a statement per kind."""
    db.session.scalars(
        db.select(Jury)
        .filter_by(id=jury.id)
        .options(
            selectinload(Jury.members)
            .selectinload(JuryMember.judge)
            .options(selectinload(Judge.subjects), selectinload(Judge.windows))
        )
    ).all()


@bp.route("/org/judging/juries/<int:jury_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def jury_detail(cid, jury_id):
    """Show a jury's members and add one."""
    jury = get_or_404(Jury, jury_id, competition_id=cid)
    _load_members(jury)
    form = _member_form(jury)
    if form.validate_on_submit():
        judge = get_or_404(Judge, form.judge_id.data, competition_id=cid)
        others = juries.other_juries(judge, jury)
        juries.add_member(jury, judge, chair=form.is_chair.data)
        db.session.commit()
        flash(_("%(name)s ist jetzt in der Jury.", name=judge.full_name), "success")
        if others:
            flash(
                _(
                    "Achtung: %(name)s gehört auch zur Jury %(juries)s.",
                    name=judge.full_name,
                    juries=", ".join(others),
                ),
                "warning",
            )
        return redirect(url_for("judging.jury_detail", cid=cid, jury_id=jury.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "judging/jury.html",
        jury=jury,
        form=form,
        loads=assignment.loads(g.competition),
        expertise=juries.expertise,
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
        unscheduled=timetable.unscheduled_visits(g.competition)
        if timetable.has_timetable(g.competition)
        else [],
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
                "Zuteilung berechnet in %(ms)d ms (%(state)s): %(n)d geändert "
                "(%(a)d neu, %(r)d entfernt; %(p)d Projekte, %(j)d Juror:innen betroffen).",
                ms=outcome.solution.seconds * 1000,
                state=_("nachweislich optimal")
                if outcome.solution.optimal
                else _("Zeitlimit erreicht"),
                n=outcome.changed,
                a=len(outcome.added),
                r=len(outcome.removed),
                p=outcome.projects_changed,
                j=outcome.judges_changed,
            ),
            "success",
        )
        if outcome.changed:
            _repair_timetable(g.competition)
    return redirect(url_for("judging.assignments", cid=cid))


def _assign_form(project, all_juries, formdata=True):
    inside = {
        a.judge_id
        for a in db.session.scalars(db.select(Assignment).filter_by(project_id=project.id))
    }
    return _judge_choice_form(
        ManualAssignForm,
        project.competition_id,
        inside,
        formdata,
        own=lambda j: not assignment.outside_jury(j, project, all_juries),
    )


@bp.route("/org/judging/assignments/<int:project_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def project_assignments(cid, project_id):
    """Show a project's judges; add one by hand."""
    project = get_or_404(Project, project_id, competition_id=cid)
    all_juries = juries.juries_of(cid)  # read once, not once per judge offered
    form = _assign_form(project, all_juries)
    if form.validate_on_submit():
        judge = get_or_404(Judge, form.judge_id.data, competition_id=cid)
        warning = assignment.cross_jury_warning(judge, project)
        error = assignment.add_assignment(judge, project)
        if error is None:
            db.session.commit()
            flash(_("%(name)s zugeteilt.", name=judge.full_name), "success")
            if warning:
                flash(warning, "warning")
            _repair_timetable(g.competition)
            return redirect(url_for("judging.project_assignments", cid=cid, project_id=project.id))
        db.session.rollback()
        form.judge_id.errors.append(error)
        all_juries = juries.juries_of(cid)  # the rollback expired them
    rows = db.session.scalars(
        db.select(Assignment)
        .filter_by(project_id=project.id)
        .options(selectinload(Assignment.judge).selectinload(Judge.windows))
    ).all()
    foreign = {a.judge_id for a in rows if assignment.outside_jury(a.judge, project, all_juries)}
    status = 422 if request.method == "POST" else 200
    return render_template(
        "judging/project.html", project=project, rows=rows, form=form, foreign=foreign
    ), status


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
        unscheduled=timetable.unscheduled_visits(g.competition),
        problems=timetable.timetable_problems(g.competition),
    )


@bp.route("/org/judging/timetable/build", methods=["POST"])
@role_required(Role.ORGANISER)
def build_timetable(cid):
    """Plan the stand visits from the settings (start, minutes per project, breaks)."""
    try:
        report = timetable.build_timetable(g.competition)
    except timetable.TimetableError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        _flash_timetable(report)
    return redirect(url_for("judging.timetable_view", cid=cid))


def _flash_timetable(report):
    """Tell the organiser what planning did: moved, new and unscheduled visits."""
    flash(
        _(
            "Zeitplan: %(moved)d Besuche verschoben, %(added)d neu eingeplant, "
            "%(open)d ohne Zeit (%(state)s).",
            moved=len(report.moved),
            added=len(report.added),
            open=len(report.unscheduled),
            state=_("nachweislich optimal")
            if report.result.optimal
            else _("Zeitlimit erreicht, Lücke %(gap).1f %%", gap=100 * (report.result.gap or 0)),
        ),
        "success" if not report.unscheduled else "warning",
    )
    for project, old, new in report.moved:
        flash(
            _(
                "Verschoben: Stand %(stand)s „%(title)s“ von %(old)s auf %(new)s.",
                stand=project.stand or "–",
                title=project.title,
                old=format_datetime(old, "EEE HH:mm"),
                new=format_datetime(new, "EEE HH:mm") if new else "–",
            ),
            "info",
        )
    for line in report.unscheduled + report.unconsulted:
        flash(line, "warning")


def _repair_timetable(competition):
    """After an assignment change: repair the timetable if one exists, and say what moved."""
    try:
        report = timetable.repair_if_planned(competition)
    except timetable.TimetableError as exc:
        flash(str(exc), "error")
        return
    if report is not None:
        db.session.commit()
        _flash_timetable(report)


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
                    v.where,
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
        [_("Zeit"), _("Ort"), _("Projekt"), _("Jury")],
        footer=_("Noch kein Zeitplan erstellt.") if not sections else g.competition.title,
    )
    pdf = TimetableBuilder(data).build()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="zeitplan.pdf"'},
    )


@bp.route("/org/judging/timetable-halls.pdf")
@role_required(Role.ORGANISER)
def timetable_halls_pdf(cid):
    """Download the hall overview: every visit per hall (and online) in time order."""
    from compmgr.pdf.timetable import Timetable, TimetableBuilder

    plans, unplanned = timetable.jury_timetables(g.competition)
    by_place = {}
    for _jury, visits in plans:
        for v in visits:
            place = (
                _("Online")
                if v.project.remote_link
                else (v.hall.name if v.hall else _("Ohne Halle"))
            )
            by_place.setdefault(place, []).append(v)
    for v in unplanned:
        by_place.setdefault(_("Ohne Halle"), []).append(v)
    sections = [
        (
            place,
            [
                (
                    f"{format_datetime(v.start, 'EEE HH:mm')}–{format_datetime(v.end, 'HH:mm')}",
                    v.project.stand or "–",
                    v.project.title,
                    ", ".join(j.full_name for j in v.judges),
                )
                for v in sorted(visits, key=lambda v: (v.start, v.project.stand or ""))
            ],
        )
        for place, visits in sorted(by_place.items())
    ]
    data = Timetable(
        _("Hallenübersicht der Standbesuche"),
        g.competition.title,
        sections,
        [_("Zeit"), _("Stand"), _("Projekt"), _("Jury")],
        footer=_("Noch kein Zeitplan erstellt.") if not sections else g.competition.title,
    )
    return Response(
        TimetableBuilder(data).build(),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="hallenuebersicht.pdf"'},
    )
