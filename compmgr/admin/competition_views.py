"""The organiser's dashboard and competition settings."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from compmgr.admin import bp, control_room
from compmgr.admin.forms import CompetitionSettingsForm, DivisionForm, SubjectForm
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.competitions.models import Division, Subject
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.registration import review_services


@bp.route("/c/<int:cid>/org/")
@role_required(Role.ORGANISER)
def dashboard(cid):
    """Show the organiser the state of the competition at a glance, each figure linked."""
    counts = review_services.entry_counts(g.competition)
    room = control_room.figures(g.competition)
    return render_template("admin/dashboard.html", counts=counts, room=room)


@bp.route("/c/<int:cid>/org/settings", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def settings(cid):
    """Edit the competition's data and rules."""
    form = CompetitionSettingsForm(obj=g.competition)
    if form.validate_on_submit():
        form.populate_obj(g.competition)
        db.session.commit()
        flash(_("Die Einstellungen sind gespeichert."), "success")
        return redirect(url_for(".settings", cid=cid))
    return render_template("admin/settings.html", form=form)


@bp.route("/c/<int:cid>/org/structure")
@role_required(Role.ORGANISER)
def structure(cid):
    """List the divisions and Fachgebiete, each editable."""
    return _render_structure()


def _render_structure(failed=None, status=200):
    """Render the structure page; a failed form replaces its fresh twin to show its errors."""

    def pick(prefix, make):
        return failed if failed is not None and failed._prefix == prefix else make()

    subject_forms = [
        (s, pick(f"s{s.id}-", lambda s=s: SubjectForm(obj=s, prefix=f"s{s.id}")))
        for s in g.competition.subjects
    ]
    division_forms = [
        (d, pick(f"d{d.id}-", lambda d=d: DivisionForm(obj=d, prefix=f"d{d.id}")))
        for d in g.competition.divisions
    ]
    new_subject = pick("new-", lambda: SubjectForm(prefix="new", formdata=None))
    return render_template(
        "admin/structure.html",
        subject_forms=subject_forms,
        division_forms=division_forms,
        new_subject=new_subject,
    ), status


@bp.route("/c/<int:cid>/org/subjects/<int:subject_id>", methods=["POST"])
@role_required(Role.ORGANISER)
def edit_subject(cid, subject_id):
    """Rename a Fachgebiet or change its stand prefix."""
    subject = get_or_404(Subject, subject_id, competition_id=cid)
    return _save_structure_form(SubjectForm(prefix=f"s{subject.id}"), subject)


@bp.route("/c/<int:cid>/org/subjects", methods=["POST"])
@role_required(Role.ORGANISER)
def add_subject(cid):
    """Add a Fachgebiet."""
    subject = Subject(competition_id=cid, position=len(g.competition.subjects))
    return _save_structure_form(SubjectForm(prefix="new"), subject, add=True)


@bp.route("/c/<int:cid>/org/divisions/<int:division_id>", methods=["POST"])
@role_required(Role.ORGANISER)
def edit_division(cid, division_id):
    """Change a division's name and limits."""
    division = get_or_404(Division, division_id, competition_id=cid)
    return _save_structure_form(DivisionForm(prefix=f"d{division.id}"), division)


def _save_structure_form(form, obj, add=False):
    if not form.validate_on_submit():
        db.session.rollback()
        return _render_structure(failed=form, status=422)
    form.populate_obj(obj)
    if add:
        db.session.add(obj)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.name.errors = [_("Diesen Namen gibt es in diesem Wettbewerb schon.")]
        return _render_structure(failed=form, status=422)
    flash(_("Gespeichert."), "success")
    return redirect(url_for(".structure", cid=g.competition.id))
