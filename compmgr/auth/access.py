"""Role decorators: the first of the two access layers.

Every view carries exactly one of these decorators. Each records the view's policy on the
function (``ACCESS_ATTR``), and the access-control test walks every registered endpoint and
fails for one without a policy. The second layer, object ownership, lives in each feature's
loaders (this module's own_*_or_404, ``registration.access``, ``judging.access``) and in
model predicates.
"""

from functools import wraps

from flask import abort, g, session
from flask_login import current_user

from compmgr.auth.models import Role, RoleOffer
from compmgr.competitions.models import Competition
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
    ``g.grant`` and ``g.role`` are set; features load the rest themselves
    (registration.access.school_required, judging.access.judge_required).
    """
    roles = frozenset(Role(r) for r in roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
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
        gr for gr in current_user.grants if gr.competition_id == competition.id and gr.role in roles
    ]
    preferred = session.get("grant_id")
    grant = next((gr for gr in grants if gr.id == preferred), grants[0] if grants else None)
    g.competition = competition
    if grant is not None:
        g.grant = grant
        g.role = Role(grant.role)
        if preferred != grant.id:  # an unchanged session sends no new cookie (every autosave)
            session["grant_id"] = grant.id
        return True
    if Role.ORGANISER in roles and current_user.is_admin:
        g.grant = None
        g.role = Role.ORGANISER
        return True
    return False


def own_offer_or_404(offer_id):
    """Load a role offer made to the current user, or 404."""
    offer = db.session.get(RoleOffer, offer_id)
    if offer is None or offer.user_id != current_user.id:
        abort(404)
    return offer


def own_grant_or_404(grant_id):
    """Load one of the current user's role grants, or 404."""
    grant = next((gr for gr in current_user.grants if gr.id == grant_id), None)
    if grant is None:
        abort(404)
    return grant


def policy_of(view):
    """Return the access policy recorded on a view function, or None."""
    return getattr(view, ACCESS_ATTR, None)
