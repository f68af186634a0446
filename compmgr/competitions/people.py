"""The organiser's view of accounts: who has which role in this competition, and invitations."""

from flask import flash, g, render_template
from flask_babel import gettext as _

from compmgr.auth.access import role_required
from compmgr.auth.models import Role, RoleGrant
from compmgr.auth.services import invite_user
from compmgr.competitions.forms import InviteForm
from compmgr.competitions.views import bp
from compmgr.extensions import db
from compmgr.registration.models import School
from compmgr.sorting import by_school


def _schools(cid):
    return by_school(db.session.scalars(db.select(School).filter_by(competition_id=cid)).all())


@bp.route("/people", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def people(cid):
    """List the competition's accounts and invite organisers and school accounts."""
    form = InviteForm()
    form.role.choices = [(Role.ORGANISER.value, Role.ORGANISER.label), (Role.SCHOOL.value, Role.SCHOOL.label)]
    form.school_id.choices = [(0, "–")] + [(s.id, s.label) for s in _schools(cid)]
    link = None
    if form.validate_on_submit():
        school = None
        if form.role.data == Role.SCHOOL:
            school = _school_from_form(form, cid)
        user, link = invite_user(form.email.data, form.name.data.strip(), g.competition,
                                 Role(form.role.data), school)
        db.session.commit()
        flash(_("Einladung an %(email)s verschickt.", email=user.email), "success")
        form = None
    grants = db.session.scalars(
        db.select(RoleGrant).filter_by(competition_id=cid).order_by(RoleGrant.role, RoleGrant.id)
    ).all()
    if form is None:
        form = InviteForm(formdata=None)
        form.role.choices = [(Role.ORGANISER.value, Role.ORGANISER.label), (Role.SCHOOL.value, Role.SCHOOL.label)]
        form.school_id.choices = [(0, "–")] + [(s.id, s.label) for s in _schools(cid)]
    return render_template("competitions/people.html", form=form, grants=grants, invite_link=link)


def _school_from_form(form, cid):
    if form.school_id.data:
        return db.session.get(School, form.school_id.data)
    name, _sep, city = (form.new_school.data or "").partition(",")
    school = School(competition_id=cid, name=name.strip(), city=city.strip())
    db.session.add(school)
    db.session.flush()
    return school
