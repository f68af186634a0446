"""Server-side sessions: the cookie names a row here, and a session ends when its row says so.

The signed cookie alone cannot be taken back: a copy of it would work until it expires. So
the cookie carries a random id, the database keeps its hash with the user, the start, the
last request seen (written lazily) and the moment it was revoked. The user loader accepts a
cookie only while its row is live: not revoked, not idle longer than SESSION_IDLE_TIMEOUT,
not older than SESSION_ABSOLUTE_LIFETIME.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from compmgr.auth.models import User, UserSession
from compmgr.competitions.models import Competition
from compmgr.database import utcnow
from compmgr.extensions import db

SESSION_KEY = "sid"
PRELOAD_ATTR = "_compmgr_preload"


def _key(token):
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user):
    """Register a new session for user and return the random id its cookie carries."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    cfg = current_app.config
    # Rows past every lifetime are of no use; clear them while we are writing anyway.
    stale = now - timedelta(seconds=cfg["SESSION_ABSOLUTE_LIFETIME"]) - timedelta(days=1)
    db.session.execute(db.delete(UserSession).where(UserSession.created_at < stale))
    db.session.add(UserSession(id=_key(token), user_id=user.id, created_at=now, last_seen_at=now))
    return token


def start(user):
    """Put a freshly registered session for user into the cookie (the caller commits)."""
    session[SESSION_KEY] = open_session(user)


def current_key():
    token = session.get(SESSION_KEY)
    return _key(token) if isinstance(token, str) and token else None


@cache
def _live_user_query(in_competition=False, preload=None):
    """The user loader's statement, built once: every request of a logged-in user runs it.

    The grants come along in the same statement: every role check of the request reads them.
    So does the competition the URL names (``cid``), which ``role_required`` then finds in the
    session, and whatever the view's ``preload`` adds (e.g. the judge profile in it).
    """
    query = (
        db.select(User, UserSession.created_at, UserSession.last_seen_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.id == bindparam("key"),
            UserSession.user_id == bindparam("user_id"),
            UserSession.revoked_at.is_(None),
        )
        .options(joinedload(User.grants))
    )
    if in_competition:
        query = query.add_columns(Competition).outerjoin(
            Competition, Competition.id == bindparam("cid")
        )
        if preload is not None:
            query = preload(query)
    return query


def preloads(preload):
    """Mark a view: its user's statement also loads what ``preload(query)`` adds to it.

    ``preload`` receives the loader's select (the URL's competition id bound as ``cid``) and
    returns it with columns or eager loads added; the view finds the row in
    ``loaded_with_user(cid)``, and what was loaded stays in the session for the request.
    """

    def mark(view):
        setattr(view, PRELOAD_ATTR, preload)
        return view

    return mark


def loaded_with_user(cid):
    """Return the row the user loader read in this request (see ``preloads``), or None.

    Only while it is the current user's and was read for competition ``cid``: after a
    ``login_user`` in the same request (login, invitation, reset, password change) it holds
    the previous user's objects, and a view may be called for another competition than the
    URL's. Then the caller reads what it needs itself.
    """
    loaded = g.get("_user_row")
    if loaded is None or loaded[0] != cid or not current_user.is_authenticated:
        return None
    row = loaded[1]
    return row if row[0] is current_user._get_current_object() else None


def _url_competition():
    cid = (request.view_args or {}).get("cid") if has_request_context() else None
    return cid if isinstance(cid, int) else None


def live_user(user_id, nonce):
    """Return the user of the cookie's session while it is live, else None (the user loader)."""
    key = current_key()
    if key is None or not str(user_id).isdigit():
        return None
    params, cid = {"key": key, "user_id": int(user_id)}, _url_competition()
    preload = None
    if cid is not None:
        params["cid"] = cid
        view = current_app.view_functions.get(request.endpoint)
        preload = getattr(view, PRELOAD_ATTR, None)
    row = db.session.execute(_live_user_query(cid is not None, preload), params).unique().first()
    if row is None:
        return None
    user, created_at, last_seen_at = row[:3]
    if str(user.auth_nonce) != nonce or not user.active:
        return None
    cfg, now = current_app.config, utcnow()
    if now - created_at > timedelta(seconds=cfg["SESSION_ABSOLUTE_LIFETIME"]):
        return None
    if now - last_seen_at > timedelta(seconds=cfg["SESSION_IDLE_TIMEOUT"]):
        return None
    if now - last_seen_at > timedelta(seconds=cfg["SESSION_TOUCH_INTERVAL"]):
        g._session_touch = key  # written after the request (see touch), not on every request
    g._user_row = (cid, row)  # keeps what came along in the session's identity map
    return user


def touch(exc=None):
    """Record that the session was seen, at most every SESSION_TOUCH_INTERVAL seconds.

    Runs at the end of the request in a transaction of its own, after the request's own one
    ended: a GET stays a pure read and the judge's autosave keeps its short write.
    """
    key = g.pop("_session_touch", None)
    if key is None:
        return
    try:
        db.session.rollback()  # whatever the request left open is discarded at teardown anyway
        db.session.execute(
            db.update(UserSession).where(UserSession.id == key).values(last_seen_at=utcnow())
        )
        db.session.commit()
    except OperationalError:  # busy: the next request tries again; never fail a page for it
        db.session.rollback()
        current_app.logger.warning("session last-seen not updated (database busy)")


def revoke_current():
    """End the session of this cookie on the server."""
    key = current_key()
    if key is not None:
        db.session.execute(
            db.update(UserSession)
            .where(UserSession.id == key, UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all(user_id, keep_current=False):
    """End every session of a user, or every one but this cookie's; return how many ended."""
    query = db.update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    key = current_key() if keep_current else None
    if key is not None:
        query = query.where(UserSession.id != key)
    return db.session.execute(query.values(revoked_at=utcnow())).rowcount


def live_count(user_id):
    """Count the user's sessions that are not revoked and not past their lifetimes."""
    cfg, now = current_app.config, utcnow()
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.created_at > now - timedelta(seconds=cfg["SESSION_ABSOLUTE_LIFETIME"]),
            UserSession.last_seen_at > now - timedelta(seconds=cfg["SESSION_IDLE_TIMEOUT"]),
        )
    )


def register(app):
    """Write the lazy last-seen time after each request."""
    app.teardown_request(touch)
