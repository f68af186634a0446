"""The school's project pages: team, stand needs, division, paper and Tierschutzformular."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.extensions import db
from compmgr.registration import bp, documents, review_services, services
from compmgr.registration.access import own_project_or_404, school_participants, school_required
from compmgr.registration.forms import ProjectForm, UploadForm, WithdrawForm
from compmgr.registration.models import DocumentKind

PROJECT_FIELDS = (
    "title",
    "abstract",
    "subject_id",
    "supervisor_name",
    "supervisor_email",
    "needs_space",
    "needs_power",
    "needs_water",
    "needs_gas",
    "needs_notes",
    "involves_animals",
    "patent_consultation",
    "remote_link",
)


@bp.route("/school/projects/new", methods=["GET", "POST"])
@school_required
def new_project(cid):
    """Register a project of this school."""
    return _project_form(None)


@bp.route("/school/projects/<int:project_id>", methods=["GET", "POST"])
@school_required
def edit_project(cid, project_id):
    """Show and edit a project of this school, with its documents."""
    return _project_form(own_project_or_404(cid, project_id))


def _project_form(project):
    comp, school = g.competition, g.school
    people = school_participants(comp.id)
    form = ProjectForm(obj=project, competition=comp, school_participants=people)
    if request.method == "GET" and project is not None:
        form.members.data = [p.id for p in project.participants]
        form.speaker_id.data = project.speaker.id if project.speaker else 0
    rule_errors = []
    if form.validate_on_submit():
        by_id = {p.id: p for p in people}
        team = [by_id[i] for i in form.members.data if i in by_id]
        speaker = by_id.get(form.speaker_id.data)
        fields = {name: getattr(form, name).data for name in PROJECT_FIELDS}
        fields["remote_link"] = fields["remote_link"] or ""
        fields["needs_notes"] = fields["needs_notes"] or ""
        try:
            saved = services.save_project(comp, school, project, fields, team, speaker)
            db.session.commit()
        except services.RuleError as exc:
            db.session.rollback()
            rule_errors.append(str(exc))
        else:
            flash(_("Das Projekt „%(title)s“ ist gespeichert.", title=saved.title), "success")
            return redirect(url_for(".edit_project", cid=comp.id, project_id=saved.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "registration/project_form.html",
        form=form,
        project=project,
        rule_errors=rule_errors,
        busy=services.other_projects(people, project),
        window=services.window_info(g.competition, g.school),
        upload_form=UploadForm(formdata=None),
        explanation=services.division_explanation(project, comp) if project else None,
        missing=services.missing_items(project) if project else [],
        can_withdraw=project is not None
        and review_services.withdraw_refusal(comp, project) is None,
        inactive=project is not None and not project.takes_part,
        page_warning=documents.page_warning(project.document(DocumentKind.PAPER), comp)
        if project
        else None,
        DocumentKind=DocumentKind,
    ), status


@bp.route("/school/projects/<int:project_id>/withdraw", methods=["GET", "POST"])
@school_required
def withdraw(cid, project_id):
    """Withdraw a project of this school from the competition, after a confirmation."""
    project = own_project_or_404(cid, project_id)
    refusal = review_services.withdraw_refusal(g.competition, project)
    form = WithdrawForm()
    if refusal is None and form.validate_on_submit():
        review_services.withdraw_by_school(g.competition, project, form.reason.data or "")
        db.session.commit()
        flash(_("Das Projekt „%(title)s“ ist zurückgezogen.", title=project.title), "success")
        return redirect(url_for(".dashboard", cid=cid))
    status = 200 if request.method == "GET" else 409 if refusal else 422
    return render_template(
        "registration/withdraw.html", form=form, project=project, refusal=refusal
    ), status


@bp.route("/school/projects/<int:project_id>/upload", methods=["POST"])
@school_required
def upload(cid, project_id):
    """Upload or replace the paper or the Tierschutzformular of a project."""
    project = own_project_or_404(cid, project_id)
    kind = request.form.get("kind", DocumentKind.PAPER)
    if kind not in {k.value for k in DocumentKind}:
        abort(400)
    form = UploadForm()
    target = url_for(".edit_project", cid=cid, project_id=project.id) + "#dokumente"
    if not form.validate_on_submit():
        for error in form.file.errors or [
            _("Das Hochladen ist fehlgeschlagen. Bitte erneut versuchen.")
        ]:
            flash(error, "error")
        return redirect(target)
    data = form.file.data.read()
    try:
        doc, stale = documents.store_document(
            g.competition, project, kind, data, form.file.data.filename, user=current_user
        )
        db.session.commit()
    except services.RuleError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(target)
    documents.discard_files(stale)
    flash(
        _(
            "„%(name)s“ ist hochgeladen (%(pages)s Seiten).",
            name=doc.original_name,
            pages=doc.page_count,
        ),
        "success",
    )
    warning = documents.page_warning(doc, g.competition)
    if warning:
        flash(warning, "warning")
    return redirect(target)


@bp.route("/school/projects/<int:project_id>/document")
@school_required
def download(cid, project_id):
    """Download one of the project's documents (the paper unless ?kind= says otherwise)."""
    project = own_project_or_404(cid, project_id)
    return documents.send_document(project, request.args.get("kind", DocumentKind.PAPER))
