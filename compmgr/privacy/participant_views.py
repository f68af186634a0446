"""The organiser's subject access pages: one person's data, its export and deletion; press file."""

import json
from io import BytesIO

from flask import Response, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.models import AccessAction
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404, utcnow
from compmgr.extensions import db
from compmgr.privacy import bp, press, services
from compmgr.privacy.export import german_action_labels, subject_access_export
from compmgr.privacy.forms import DeleteParticipantForm
from compmgr.registration.models import Participant, participant_list_options
from compmgr.sorting import by_name
from compmgr.spreadsheets import CSV_MIMETYPE
from compmgr.utils import send_download

PREFIX = "/c/<int:cid>/org/privacy"


def _person(cid, participant_id):
    return get_or_404(Participant, participant_id, competition_id=cid)


def _log(action, people):
    services.log_access(current_user, action, people, competition_id=g.competition.id)


def _file_stem(person):
    return f"Auskunft-{person.id}"


@bp.route(f"{PREFIX}/")
@role_required(Role.ORGANISER)
def participants(cid):
    """List the participants for subject access requests, searchable by name."""
    query = (request.args.get("q") or "").strip()
    stmt = db.select(Participant).filter_by(competition_id=cid).options(*participant_list_options())
    if query:
        like = f"%{query}%"
        stmt = stmt.where(Participant.first_name.ilike(like) | Participant.last_name.ilike(like))
    people = by_name(db.session.scalars(stmt).all())
    # Rendered before the access is logged: the log's commit would expire every loaded row,
    # and the page would then read each person again, one statement per row.
    page = render_template("privacy/participants.html", people=people, query=query)
    _log(AccessAction.VIEW, people)
    return page


@bp.route(f"{PREFIX}/participants/<int:participant_id>")
@role_required(Role.ORGANISER)
def participant(cid, participant_id):
    """Show everything stored about one participant, with export and deletion."""
    person = _person(cid, participant_id)
    _log(AccessAction.VIEW, person)
    log = services.access_log(participant_id=person.id, competition_id=cid)
    return render_template(
        "privacy/participant.html",
        person=person,
        log=log[:20],
        data=subject_access_export(person, log=log),
    )


@bp.route(f"{PREFIX}/participants/<int:participant_id>/export.json")
@role_required(Role.ORGANISER)
def export_json(cid, participant_id):
    """Download everything stored about one participant as JSON."""
    person = _person(cid, participant_id)
    _log(AccessAction.EXPORT, person)
    body = json.dumps(subject_access_export(person), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_file_stem(person)}.json"'},
    )


@bp.route(f"{PREFIX}/participants/<int:participant_id>/export.pdf")
@role_required(Role.ORGANISER)
def export_pdf(cid, participant_id):
    """Download everything stored about one participant as a readable PDF."""
    person = _person(cid, participant_id)
    _log(AccessAction.EXPORT, person)
    from compmgr.pdf.subject_access import SubjectAccess, SubjectAccessBuilder  # platypus: lazy

    created = format_datetime(utcnow(), "dd.MM.yyyy HH:mm")
    data = SubjectAccess(subject_access_export(person), created, german_action_labels())
    pdf = SubjectAccessBuilder(data).build()
    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{_file_stem(person)}.pdf",
        max_age=0,
    )


@bp.route(f"{PREFIX}/participants/<int:participant_id>/delete", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def delete(cid, participant_id):
    """Show what deleting a participant does; delete on confirmation."""
    person = _person(cid, participant_id)
    form = DeleteParticipantForm()
    if form.validate_on_submit():
        name = person.full_name
        plan = services.delete_participant(person, user=current_user)
        db.session.commit()
        services.remove_files(plan.stored_names)
        flash(_("%(name)s ist gelöscht.", name=name), "success")
        return redirect(url_for(".participants", cid=cid))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "privacy/delete.html", person=person, form=form, plan=services.deletion_plan(person)
    ), status


@bp.route(f"{PREFIX}/press.csv")
@role_required(Role.ORGANISER)
def press_csv(cid):
    """Download the prize winners for the press, names only where consent allows."""
    rows, named = press.press_rows(g.competition)
    _log(AccessAction.EXPORT, named)
    return send_download(press.to_csv(rows), f"presse-{cid}.csv", CSV_MIMETYPE)
