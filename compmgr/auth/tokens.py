"""Signed one-time links: invitations and password resets."""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from compmgr.auth.models import User
from compmgr.extensions import db


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"compmgr-{purpose}")


def _fingerprint(user):
    """Change whenever the password or the account's roles change, so an older link stops working.

    Single use: setting the password changes it. And a link made while the account held fewer
    roles (e.g. shown to one competition's organiser, without a mail server) must not open the
    roles another competition gave it since: the newer mail carries the link that works.
    """
    roles = ",".join(str(gr.id) for gr in sorted(user.grants, key=lambda gr: gr.id or 0))
    material = f"{user.id}:{user.auth_nonce}:{user.password_hash or ''}:{roles}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:16]


def make_token(user, purpose):
    """Sign a link for user and purpose ("invite" or "reset") that stops working once used."""
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token, purpose):
    """Return the user a valid, unexpired, unused link belongs to, else None.

    An invitation link belongs only to an account that never had a password: an account
    with a password is never taken over by an invitation, whatever link exists.
    """
    max_age = current_app.config["INVITE_MAX_AGE" if purpose == "invite" else "RESET_MAX_AGE"]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if (
        user is None
        or not user.active
        or not hmac.compare_digest(_fingerprint(user), str(data.get("f", "")))
    ):
        return None
    if purpose == "invite" and user.password_hash:
        return None
    if purpose == "reset" and not user.password_hash:
        return None
    return user
