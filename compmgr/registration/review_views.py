"""The organiser's review of entries: overview, decisions per project, stands, extensions."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from compmgr.audit.access_log import log_access
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.dates import show_date
from compmgr.extensions import db
from compmgr.registration import bp, documents, review_services, services
from compmgr.registration.access import competition_project_or_404
from compmgr.registration.forms import ExtensionForm, MoveForm, ReasonForm, StandForm
from compmgr.registration.models import DocumentKind, ProjectStatus, School
from compmgr.security import as_id
from compmgr.sorting import by_school

MISSING_LABELS = {
    "any": _l("irgendetwas"),
    "paper": _l("Schriftliche Arbeit"),
    "animal_form": _l("Tierschutzformular"),
    "consent": _l("Teilnahmeerklärung"),
    "speaker": _l("Gruppensprecher(in)"),
}


def _int_arg(name):
    if request.args.get(name) == "-1":  # the division filter's "without a division"
        return -1
    return request.args.get(name, type=as_id)


@bp.route("/org/entries/", endpoint="entries")
@role_required(Role.ORGANISER)
def overview(cid):
    """List all entries with filters and counts per Fachgebiet × division."""
    comp = g.competition
    filters = {
        "subject_id": _int_arg("subject"),
        "division_id": _int_arg("division"),
        "school_id": _int_arg("school"),
        "status": request.args.get("status")
        if request.args.get("status") in set(ProjectStatus)
        else None,
        "missing": request.args.get("missing")
        if request.args.get("missing") in MISSING_LABELS
        else None,
        "text": (request.args.get("q") or "").strip()[:200] or None,
    }
    projects = review_services.filtered_projects(comp, **filters)
    schools = by_school(db.session.scalars(db.select(School).filter_by(competition_id=cid)).all())
    return render_template(
        "registration/review/overview.html",
        projects=projects,
        counts=review_services.entry_counts(comp),
        filters=filters,
        schools=schools,
        statuses=list(ProjectStatus),
        missing_labels=MISSING_LABELS,
        missing={p.id: services.missing_items(p) for p in projects},
        without_stand=review_services.count_without_stand(comp),
    )


@bp.route("/org/entries/projects/<int:project_id>", endpoint="entry")
@role_required(Role.ORGANISER)
def project(cid, project_id):
    """Show one project with the organiser's actions."""
    project = competition_project_or_404(cid, project_id)
    log_access(
        current_user, "view", [m.participant_id for m in project.members], competition_id=cid
    )
    return _render_project(project)


def _render_project(project, forms=None, status=200):
    comp = g.competition
    forms = forms or {}
    move = forms.get("move") or MoveForm(formdata=None, subject_id=project.subject_id)
    move.subject_id.choices = [(s.id, s.name) for s in comp.subjects]
    return render_template(
        "registration/review/project.html",
        project=project,
        reject_form=forms.get("reject") or ReasonForm(formdata=None, prefix="reject"),
        promote_form=forms.get("promote") or ReasonForm(formdata=None, prefix="promote"),
        move_form=move,
        stand_form=forms.get("stand") or StandForm(formdata=None, stand=project.stand),
        explanation=services.division_explanation(project, comp),
        missing=services.missing_items(project),
        promotion_target=review_services.promotion_target(comp, project),
        page_warning=documents.page_warning(project.document(DocumentKind.PAPER), comp),
        consents_of=services.consents_of,
        DocumentKind=DocumentKind,
    ), status


def _done(project, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".entry", cid=project.competition_id, project_id=project.id))


def _failed(project, exc, forms=None):
    db.session.rollback()
    flash(str(exc), "error")
    if forms:
        return _render_project(project, forms, status=422)
    return redirect(url_for(".entry", cid=project.competition_id, project_id=project.id))


@bp.route("/org/entries/projects/<int:project_id>/status", methods=["POST"])
@role_required(Role.ORGANISER)
def set_status(cid, project_id):
    """Admit, withdraw or reopen a project; rejection needs the reason form."""
    project = competition_project_or_404(cid, project_id)
    value = request.form.get("status")
    if value == ProjectStatus.REJECTED:
        form = ReasonForm(prefix="reject")
        if not form.validate_on_submit():
            return _render_project(project, {"reject": form}, status=422)
        reason = form.reason.data
    elif value in {ProjectStatus.ADMITTED, ProjectStatus.WITHDRAWN, ProjectStatus.SUBMITTED}:
        reason = ""
    else:
        flash(_("Unbekannter Status."), "error")
        return redirect(url_for(".entry", cid=cid, project_id=project.id))
    try:
        review_services.set_status(project, value, reason)
    except services.RuleError as exc:
        return _failed(project, exc)
    return _done(project, _("Neuer Status: %(status)s", status=ProjectStatus(value).label))


@bp.route("/org/entries/projects/<int:project_id>/move", methods=["POST"])
@role_required(Role.ORGANISER)
def move(cid, project_id):
    """Move a project to another Fachgebiet."""
    project = competition_project_or_404(cid, project_id)
    form = MoveForm()
    form.subject_id.choices = [(s.id, s.name) for s in g.competition.subjects]
    if not form.validate_on_submit():
        return _render_project(project, {"move": form}, status=422)
    try:
        review_services.move_subject(g.competition, project, form.subject_id.data)
    except services.RuleError as exc:
        return _failed(project, exc)
    return _done(
        project, _("Das Projekt ist jetzt im Fachgebiet %(name)s.", name=project.subject.name)
    )


@bp.route("/org/entries/projects/<int:project_id>/promote", methods=["POST"])
@role_required(Role.ORGANISER)
def promote(cid, project_id):
    """Promote a junior project into Jugend forscht (Hochstufung), or undo it."""
    project = competition_project_or_404(cid, project_id)
    if request.form.get("undo"):
        review_services.undo_promotion(g.competition, project)
        return _done(project, _("Die Hochstufung ist aufgehoben."))
    form = ReasonForm(prefix="promote")
    if not form.validate_on_submit():
        return _render_project(project, {"promote": form}, status=422)
    try:
        review_services.promote(g.competition, project, form.reason.data)
    except services.RuleError as exc:
        return _failed(project, exc)
    return _done(
        project,
        _("Das Projekt ist in die Sparte %(name)s hochgestuft.", name=project.division.name),
    )


@bp.route("/org/entries/projects/<int:project_id>/stand", methods=["POST"])
@role_required(Role.ORGANISER)
def stand(cid, project_id):
    """Set or change one project's stand number."""
    project = competition_project_or_404(cid, project_id)
    form = StandForm()
    if not form.validate_on_submit():
        return _render_project(project, {"stand": form}, status=422)
    try:
        review_services.set_stand(g.competition, project, form.stand.data)
    except services.RuleError as exc:
        form.stand.errors = [str(exc)]
        db.session.rollback()
        return _render_project(project, {"stand": form}, status=422)
    return _done(project, _("Die Standnummer ist gespeichert."))


@bp.route("/org/entries/stands", methods=["POST"])
@role_required(Role.ORGANISER)
def number_stands(cid):
    """Number the stands of projects without one; with mode=all renumber every stand."""
    only_missing = request.form.get("mode") != "all"
    count = review_services.number_stands(g.competition, only_missing=only_missing)
    db.session.commit()
    if only_missing:
        message = ngettext(
            "%(num)d Projekt ohne Stand hat eine Standnummer bekommen.",
            "%(num)d Projekte ohne Stand haben eine Standnummer bekommen.",
            count,
        )
    else:
        message = ngettext(
            "%(num)d Standnummer neu vergeben.", "%(num)d Standnummern neu vergeben.", count
        )
    flash(message, "success")
    return redirect(url_for(".entries", cid=cid))


@bp.route("/org/entries/projects/<int:project_id>/document", endpoint="entry_document")
@role_required(Role.ORGANISER)
def download(cid, project_id):
    """Download a project's paper or Tierschutzformular."""
    project = competition_project_or_404(cid, project_id)
    return documents.send_document(project, request.args.get("kind", DocumentKind.PAPER))


@bp.route("/org/entries/schools")
@role_required(Role.ORGANISER)
def schools(cid):
    """List the schools with their entries and registration extensions."""
    rows = review_services.school_counts(g.competition)
    forms = {
        s.id: ExtensionForm(formdata=None, prefix=f"s{s.id}", until=s.registration_extended_until)
        for s, _p, _n in rows
    }
    return render_template("registration/review/schools.html", rows=rows, forms=forms)


@bp.route("/org/entries/schools/<int:school_id>/extension", methods=["POST"])
@role_required(Role.ORGANISER)
def extend(cid, school_id):
    """Extend registration for one school (or end the extension)."""
    school = get_or_404(School, school_id, competition_id=cid)
    form = ExtensionForm(prefix=f"s{school.id}")
    if not form.validate_on_submit():
        flash(_("Bitte ein gültiges Datum angeben, z. B. 07.12.2026."), "error")
        return redirect(url_for(".schools", cid=cid))
    review_services.extend_registration(school, form.until.data)
    db.session.commit()
    if form.until.data:
        flash(
            _(
                "Die Anmeldung für %(school)s ist bis %(day)s verlängert.",
                school=school.name,
                day=show_date(form.until.data),
            ),
            "success",
        )
    else:
        flash(_("Die Verlängerung für %(school)s ist aufgehoben.", school=school.name), "success")
    return redirect(url_for(".schools", cid=cid))
