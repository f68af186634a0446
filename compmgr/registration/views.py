"""The school's pages: overview, participants and the registration confirmation."""

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.privacy.services import log_access
from compmgr.registration import services
from compmgr.registration.access import own_participant_or_404
from compmgr.registration.forms import ParticipantForm
from compmgr.registration.models import ConsentKind, Participant, Project
from compmgr.sorting import by_name, by_text

bp = Blueprint("registration", __name__, url_prefix="/c/<int:cid>/school")

PERSON_FIELDS = ("first_name", "last_name", "birth_date", "grade", "email", "phone")


def school_projects(cid):
    return by_text(db.session.scalars(
        db.select(Project).filter_by(competition_id=cid, school_id=g.school.id)).all(),
        lambda p: p.title)


def school_participants(cid):
    return by_name(db.session.scalars(
        db.select(Participant).filter_by(competition_id=cid, school_id=g.school.id)).all())


def window_info():
    comp, school = g.competition, g.school
    return {
        "open": services.registration_open(comp, school),
        "frozen": services.is_frozen(comp),
        "deadline": services.registration_deadline_for(comp, school),
        "paper_open": services.paper_upload_open(comp),
    }


@bp.route("/")
@role_required(Role.SCHOOL)
def dashboard(cid):
    """Show a school its own projects and participants with what is still missing."""
    projects = school_projects(cid)
    participants = school_participants(cid)
    log_access(current_user, "view", participants, competition_id=cid)
    return render_template(
        "registration/dashboard.html", projects=projects, participants=participants,
        missing={p.id: services.missing_items(p) for p in projects}, window=window_info(),
        consents_of=services.consents_of,
    )


@bp.route("/participants/new", methods=["GET", "POST"])
@role_required(Role.SCHOOL)
def new_participant(cid):
    """Register a participant of this school."""
    return _participant_form(None)


@bp.route("/participants/<int:participant_id>", methods=["GET", "POST"])
@role_required(Role.SCHOOL)
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
    window = window_info()
    if form.validate_on_submit():
        if not window["open"]:
            flash(_("Die Anmeldung ist geschlossen. Änderungen sind nicht mehr möglich."), "error")
            return redirect(url_for(".dashboard", cid=comp.id))
        duplicate = services.find_duplicate(comp.id, form.first_name.data, form.last_name.data,
                                            form.birth_date.data, exclude_id=person.id if person else None)
        if duplicate is None:
            saved = _save_participant(person, form)
            if saved is not None:
                flash(_("%(name)s ist gespeichert.", name=saved.full_name), "success")
                return redirect(url_for(".dashboard", cid=comp.id))
            duplicate = services.find_duplicate(comp.id, form.first_name.data, form.last_name.data,
                                                form.birth_date.data)
        form.first_name.errors = list(form.first_name.errors) + [
            _("Diese Person (gleicher Name und gleiches Geburtsdatum) ist schon angemeldet.")]
    status = 422 if request.method == "POST" else 200
    return render_template("registration/participant_form.html", form=form, person=person,
                           duplicate=duplicate, window=window), status


def _save_participant(person, form):
    """Save the form into a participant; return None if the database found a duplicate."""
    comp = g.competition
    if person is None:
        person = Participant(competition_id=comp.id, school_id=g.school.id)
        db.session.add(person)
    for name in PERSON_FIELDS:
        value = getattr(form, name).data
        if name == "phone":
            value = value or ""
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    services.set_consents(person, {k.value: getattr(form, f"consent_{k.value}").data for k in ConsentKind},
                          user=current_user)
    for membership in person.memberships:
        services.update_division(membership.project, comp)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return person


@bp.route("/confirmation")
@role_required(Role.SCHOOL)
def confirmation(cid):
    """Show the registration summary of this school."""
    projects = school_projects(cid)
    return render_template("registration/confirmation.html", projects=projects,
                           missing={p.id: services.missing_items(p) for p in projects},
                           explain={p.id: services.division_explanation(p, g.competition) for p in projects})


@bp.route("/confirmation.pdf")
@role_required(Role.SCHOOL)
def confirmation_pdf(cid):
    """Download the registration confirmation as a PDF."""
    from compmgr.pdf.confirmation import ConfirmationBuilder
    from compmgr.registration.summary import confirmation_data

    data = confirmation_data(g.competition, g.school, school_projects(cid),
                             format_datetime(utcnow(), "dd.MM.yyyy HH:mm"))
    pdf = ConfirmationBuilder(data).build()
    from io import BytesIO

    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name="Anmeldebestaetigung.pdf")


from compmgr.registration import project_views  # noqa: E402,F401  (adds its routes to bp)
