"""The judge's pages."""

from flask import Blueprint, g, render_template

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging.models import Assignment, JuryMember

bp = Blueprint("judging", __name__, url_prefix="/c/<int:cid>/jury")


@bp.route("/")
@role_required(Role.JUDGE)
def dashboard(cid):
    """Show a judge their juries and assigned projects ("Meine Projekte")."""
    memberships = db.session.scalars(db.select(JuryMember).filter_by(judge_id=g.judge.id)).all()
    assignments = db.session.scalars(db.select(Assignment).filter_by(judge_id=g.judge.id)).all()
    return render_template("judging/dashboard.html", memberships=memberships, assignments=assignments)
