"""The organiser's view of accounts: who has which role in this competition, and invitations."""

from flask import flash, g, render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from compmgr.admin import bp
from compmgr.admin.forms import InviteForm
from compmgr.auth.access import role_required
from compmgr.auth.invitations import invite_user, outcome_message
from compmgr.auth.models import Role, RoleGrant, RoleOffer
from compmgr.extensions import db
from compmgr.registration.import_state import school_key
from compmgr.registration.models import School
from compmgr.sorting import by_school


def _schools(cid):
    return by_school(db.session.scalars(db.select(School).filter_by(competition_id=cid)).all())


def _form(cid, formdata=True):
    form = InviteForm() if formdata else InviteForm(formdata=None)
    form.role.choices = [
        (Role.ORGANISER.value, Role.ORGANISER.label),
        (Role.SCHOOL.value, Role.SCHOOL.label),
    ]
    form.school_id.choices = [(0, "–")] + [(s.id, s.label) for s in _schools(cid)]
    return form


@bp.route("/c/<int:cid>/org/people", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def people(cid):
    """List the competition's accounts and invite organisers and school accounts."""
    form = _form(cid)
    link = None
    if form.validate_on_submit():
        school = _school_from_form(form, cid) if form.role.data == Role.SCHOOL else None
        invitation = invite_user(
            form.email.data,
            form.name.data.strip(),
            g.competition,
            Role(form.role.data),
            current_user,
            school,
        )
        db.session.commit()
        flash(*outcome_message(invitation))
        link = invitation.screen_link
        form = _form(cid, formdata=False)
    grants = db.session.scalars(
        db.select(RoleGrant)
        .filter_by(competition_id=cid)
        .order_by(RoleGrant.role, RoleGrant.id)
        .options(selectinload(RoleGrant.user), selectinload(RoleGrant.school))
    ).all()
    offers = db.session.scalars(
        db.select(RoleOffer)
        .filter_by(competition_id=cid)
        .order_by(RoleOffer.id)
        .options(selectinload(RoleOffer.user), selectinload(RoleOffer.school))
    ).all()
    return render_template(
        "admin/people.html", form=form, grants=grants, offers=offers, invite_link=link
    )


def _school_from_form(form, cid):
    if form.school_id.data:
        school = db.session.get(School, form.school_id.data)
        if school is not None and school.competition_id == cid:
            return school
    name, _sep, city = (form.new_school.data or "").partition(",")
    key = school_key(name, city)  # typed again (a second teacher's account): the same school
    same = [s for s in _schools(cid) if school_key(s.name, s.city) == key]
    if same:
        return same[0]
    school = School(competition_id=cid, name=name.strip(), city=city.strip())
    db.session.add(school)
    db.session.flush()
    return school
