"""The organiser's corrections: a school's page, new schools, and any project or participant."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.access_log import log_access
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.registration import bp, corrections, people, services
from compmgr.registration.access import competition_project_or_404
from compmgr.registration.forms import OrgProjectForm, ParticipantForm, SchoolForm
from compmgr.registration.models import ConsentKind, Participant, School


@bp.route("/org/entries/schools/new", methods=["GET", "POST"], endpoint="org_new_school")
@role_required(Role.ORGANISER)
def new_school(cid):
    """Add a school, also one that will never have an account."""
    form = SchoolForm()
    if form.validate_on_submit():
        try:
            school = corrections.create_school(g.competition, form.name.data, form.city.data)
            db.session.commit()
        except services.RuleError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash(_("Die Schule „%(school)s“ ist angelegt.", school=school.label), "success")
            return redirect(url_for(".org_school", cid=cid, school_id=school.id))
    status = 422 if request.method == "POST" else 200
    return render_template("registration/review/school_form.html", form=form), status


@bp.route("/org/entries/schools/<int:school_id>", endpoint="org_school")
@role_required(Role.ORGANISER)
def school(cid, school_id):
    """Show one school's projects and participants, with the organiser's corrections."""
    school = get_or_404(School, school_id, competition_id=cid)
    participants = people.participants_of(cid, school.id)
    page = render_template(
        "registration/review/school.html",
        school=school,
        projects=people.projects_of(cid, school.id),
        participants=participants,
        consents_of=services.consents_of,
    )
    # Logged once the page is rendered: the log's commit expires what was loaded.
    log_access(current_user, "view", participants, competition_id=cid)
    return page


@bp.route(
    "/org/entries/schools/<int:school_id>/projects/new",
    methods=["GET", "POST"],
    endpoint="org_new_project",
)
@role_required(Role.ORGANISER)
def new_project(cid, school_id):
    """Register a project for any school, whatever the phase."""
    return _project_form(get_or_404(School, school_id, competition_id=cid), None)


@bp.route(
    "/org/entries/projects/<int:project_id>/edit",
    methods=["GET", "POST"],
    endpoint="org_edit_project",
)
@role_required(Role.ORGANISER)
def edit_project(cid, project_id):
    """Correct a project: title, texts, Fachgebiet, team, speaker and school."""
    project = competition_project_or_404(cid, project_id)
    return _project_form(project.school, project)


def _project_form(school, project):
    comp = g.competition
    candidates = corrections.team_candidates(comp, school, project)
    form = OrgProjectForm(
        obj=project,
        competition=comp,
        school_participants=candidates,
        schools=people.schools_of(comp.id),
    )
    if request.method == "GET":
        form.school_id.data = school.id
        if project is not None:
            form.members.data = [p.id for p in project.participants]
            form.speaker_id.data = project.speaker.id if project.speaker else 0
    rule_errors = []
    if form.validate_on_submit():
        by_id = {p.id: p for p in candidates}
        team = [by_id[i] for i in form.members.data if i in by_id]
        target = get_or_404(School, form.school_id.data, competition_id=comp.id)
        fields = {name: getattr(form, name).data for name in corrections.FIELDS}
        fields["remote_link"] = fields["remote_link"] or ""
        fields["needs_notes"] = fields["needs_notes"] or ""
        try:
            saved = corrections.correct_project(
                comp, project, target, fields, team, by_id.get(form.speaker_id.data)
            )
            db.session.commit()
        except services.RuleError as exc:
            db.session.rollback()
            rule_errors.append(str(exc))
        else:
            flash(_("Das Projekt „%(title)s“ ist gespeichert.", title=saved.title), "success")
            return redirect(url_for(".entry", cid=comp.id, project_id=saved.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "registration/review/project_form.html",
        form=form,
        school=school,
        project=project,
        rule_errors=rule_errors,
        busy=services.other_projects(candidates, project),
    ), status


@bp.route(
    "/org/entries/schools/<int:school_id>/participants/new",
    methods=["GET", "POST"],
    endpoint="org_new_participant",
)
@role_required(Role.ORGANISER)
def new_participant(cid, school_id):
    """Register a participant for any school, whatever the phase."""
    return _participant_form(get_or_404(School, school_id, competition_id=cid), None)


@bp.route(
    "/org/entries/participants/<int:participant_id>",
    methods=["GET", "POST"],
    endpoint="org_edit_participant",
)
@role_required(Role.ORGANISER)
def edit_participant(cid, participant_id):
    """Correct a participant's name, birth date, grade, contact and consents."""
    person = get_or_404(Participant, participant_id, competition_id=cid)
    if request.method == "GET":
        log_access(current_user, "view", person, competition_id=cid)
    return _participant_form(person.school, person)


def _participant_form(school, person):
    comp = g.competition
    form = ParticipantForm(obj=person, competition=comp)
    if request.method == "GET" and person is not None:
        for kind, granted in services.consents_of(person).items():
            getattr(form, f"consent_{kind}").data = granted
    duplicate = None
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in people.PERSON_FIELDS}
        consents = {k.value: getattr(form, f"consent_{k.value}").data for k in ConsentKind}
        try:
            saved = corrections.correct_participant(
                comp, school, person, fields, consents, user=current_user
            )
            db.session.commit()
        except people.DuplicateParticipant as exc:
            duplicate = exc.duplicate
            form.first_name.errors = [*form.first_name.errors, str(exc)]
        else:
            flash(_("%(name)s ist gespeichert.", name=saved.full_name), "success")
            return redirect(url_for(".org_school", cid=comp.id, school_id=school.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "registration/review/participant_form.html",
        form=form,
        school=school,
        person=person,
        duplicate=duplicate,
    ), status
