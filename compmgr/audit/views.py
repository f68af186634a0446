"""The organiser's view of the audit trail."""

from flask import g, render_template, request

from compmgr.audit import bp
from compmgr.audit.models import AuditEntry
from compmgr.audit.services import action_choices, describe_entries
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.security import page_arg

PER_PAGE = 100


@bp.route("/")
@role_required(Role.ORGANISER)
def index(cid):
    """List the competition's audit entries, newest first, optionally by kind of change."""
    action = request.args.get("action", "")
    page = page_arg()
    query = db.select(AuditEntry).filter_by(competition_id=g.competition.id)
    if action:
        query = query.filter_by(action=action)
    entries = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE)
    ).all()
    actions = db.session.scalars(
        db.select(AuditEntry.action).filter_by(competition_id=g.competition.id).distinct()
    ).all()
    return render_template(
        "audit/index.html",
        rows=describe_entries(entries[:PER_PAGE]),
        action=action,
        actions=action_choices(actions),
        page=page,
        more=len(entries) > PER_PAGE,
    )
