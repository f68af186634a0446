"""Role decorators: the first of the two access layers.

Every view carries exactly one of these decorators. Each records the view's policy on the
function (``ACCESS_ATTR``), and the access-control test walks every registered endpoint and
fails for one without a policy. The second layer, object ownership, lives in the views'
loaders (e.g. ``registration.access.own_project_or_404``) and in model predicates.
"""

from functools import wraps

from flask import abort, g, session
from flask_login import current_user

from compmgr.auth.models import Role
from compmgr.extensions import db, login_manager

ACCESS_ATTR = "_compmgr_access"
PUBLIC = "public"
ANY_USER = "any_user"


def _mark(view, policy):
    setattr(view, ACCESS_ATTR, policy)
    return view


def public(view):
    """Let anyone in, logged in or not."""
    return _mark(view, frozenset({PUBLIC}))


def login_required(view):
    """Let any logged-in user in, whatever their roles."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapped, frozenset({ANY_USER}))


def admin_required(view):
    """Let only instance admins in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return _mark(wrapped, frozenset({Role.ADMIN}))


def role_required(*roles):
    """Let in users holding one of roles in the competition named by the ``cid`` URL part.

    Instance admins count as organisers of every competition. On success ``g.competition``,
    ``g.grant``, ``g.role`` and, for the role, ``g.school`` or ``g.judge`` are set.
    """
    roles = frozenset(Role(r) for r in roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            from compmgr.competitions.models import Competition

            competition = db.session.get(Competition, kwargs.get("cid"))
            if competition is None:
                abort(404)
            if not enter_context(competition, roles):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, roles)

    return decorator


def enter_context(competition, roles):
    """Find the current user's grant for one of roles in competition and make it current."""
    grants = [
        gr for gr in current_user.grants
        if gr.competition_id == competition.id and gr.role in roles
    ]
    preferred = session.get("grant_id")
    grant = next((gr for gr in grants if gr.id == preferred), grants[0] if grants else None)
    g.competition = competition
    if grant is not None:
        g.grant = grant
        g.role = Role(grant.role)
        session["grant_id"] = grant.id
        if g.role == Role.SCHOOL:
            g.school = grant.school
        elif g.role == Role.JUDGE:
            g.judge = current_judge(competition.id)
            if g.judge is None:
                return False
        return True
    if Role.ORGANISER in roles and current_user.is_admin:
        g.grant = None
        g.role = Role.ORGANISER
        return True
    return False


def current_judge(competition_id):
    """Return the judge profile of the current user in a competition, or None."""
    from compmgr.judging.models import Judge

    return db.session.execute(
        db.select(Judge).filter_by(competition_id=competition_id, user_id=current_user.id)
    ).scalar_one_or_none()


def policy_of(view):
    """Return the access policy recorded on a view function, or None."""
    return getattr(view, ACCESS_ATTR, None)
