"""The school's pages: overview, participants and the registration confirmation."""

from io import BytesIO

from flask import flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.access_log import log_access
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.registration import bp, people, services
from compmgr.registration.access import (
    own_participant_or_404,
    school_participants,
    school_projects,
    school_required,
)
from compmgr.registration.forms import ParticipantForm
from compmgr.registration.models import ConsentKind
from compmgr.registration.summary import confirmation_data


@bp.route("/school/")
@school_required
def dashboard(cid):
    """Show a school its own projects and participants with what is still missing."""
    projects = school_projects(cid)
    participants = school_participants(cid)
    page = render_template(
        "registration/dashboard.html",
        projects=projects,
        participants=participants,
        missing={p.id: services.missing_items(p) for p in projects},
        window=services.window_info(g.competition, g.school),
        consents_of=services.consents_of,
    )
    # Logged once the page is rendered: the log's commit expires what was loaded, and the
    # page would read every person and consent again, one statement each.
    log_access(current_user, "view", participants, competition_id=cid)
    return page


@bp.route("/school/participants/new", methods=["GET", "POST"])
@school_required
def new_participant(cid):
    """Register a participant of this school."""
    return _participant_form(None)


@bp.route("/school/participants/<int:participant_id>", methods=["GET", "POST"])
@school_required
def edit_participant(cid, participant_id):
    """Edit a participant of this school."""
    person = own_participant_or_404(cid, participant_id)
    if request.method == "GET":
        log_access(current_user, "view", person, competition_id=cid)
    return _participant_form(person)


def _participant_form(person):
    comp = g.competition
    form = ParticipantForm(obj=person, competition=comp)
    if request.method == "GET" and person is not None:
        for kind, granted in services.consents_of(person).items():
            getattr(form, f"consent_{kind}").data = granted
    duplicate = None
    window = services.window_info(g.competition, g.school)
    if form.validate_on_submit():
        if not window["open"]:
            flash(_("Die Anmeldung ist geschlossen. Änderungen sind nicht mehr möglich."), "error")
            return redirect(url_for(".dashboard", cid=comp.id))
        fields = {name: getattr(form, name).data for name in people.PERSON_FIELDS}
        consents = {k.value: getattr(form, f"consent_{k.value}").data for k in ConsentKind}
        try:
            saved = people.save_participant(
                comp, g.school, person, fields, consents, user=current_user
            )
            db.session.commit()
        except people.DuplicateParticipant as exc:
            duplicate = exc.duplicate
            form.first_name.errors = [*form.first_name.errors, str(exc)]
        else:
            flash(_("%(name)s ist gespeichert.", name=saved.full_name), "success")
            return redirect(url_for(".dashboard", cid=comp.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "registration/participant_form.html",
        form=form,
        person=person,
        duplicate=duplicate,
        window=window,
    ), status


@bp.route("/school/confirmation")
@school_required
def confirmation(cid):
    """Show the registration summary of this school."""
    projects = school_projects(cid)
    return render_template(
        "registration/confirmation.html",
        projects=projects,
        missing={p.id: services.missing_items(p) for p in projects},
        explain={p.id: services.division_explanation(p, g.competition) for p in projects},
    )


@bp.route("/school/confirmation.pdf")
@school_required
def confirmation_pdf(cid):
    """Download the registration confirmation as a PDF."""
    data = confirmation_data(
        g.competition, g.school, school_projects(cid), format_datetime(utcnow(), "dd.MM.yyyy HH:mm")
    )
    from compmgr.pdf.confirmation import ConfirmationBuilder  # ReportLab: loaded when used

    pdf = ConfirmationBuilder(data).build()
    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name="Anmeldebestaetigung.pdf",
    )
