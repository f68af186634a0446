"""The school's pages."""

from flask import Blueprint, g, render_template

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.registration.models import Participant, Project

bp = Blueprint("registration", __name__, url_prefix="/c/<int:cid>/school")


@bp.route("/")
@role_required(Role.SCHOOL)
def dashboard(cid):
    """Show a school its own projects and participants."""
    projects = db.session.scalars(
        db.select(Project).filter_by(competition_id=cid, school_id=g.school.id).order_by(Project.title)
    ).all()
    participants = db.session.scalars(
        db.select(Participant).filter_by(competition_id=cid, school_id=g.school.id)
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    return render_template("registration/dashboard.html", projects=projects, participants=participants)
