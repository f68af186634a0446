"""Account rules: authentication, one-time links, password setting and resets."""

import werkzeug.security
from flask import session
from flask_login import login_user, logout_user

from compmgr.auth import sessions, throttle
from compmgr.auth.invitations import resend_invitation
from compmgr.auth.models import User
from compmgr.auth.throttle import normalise_email  # noqa: F401  (used across features)
from compmgr.auth.tokens import make_token
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.mail import public_url_for, send_mail

# A hash to compare against when no account exists, so both paths cost the same.
_DUMMY_HASH = "scrypt:32768:8:1$k0dKqGw3M6mDzW8d$" + "0" * 128


def authenticate(email, password, client_key):
    """Return the user for valid credentials, else None; failures are counted for throttling."""
    row = db.session.execute(
        db.select(User.id, User.password_hash, User.active).filter_by(email=normalise_email(email))
    ).first()
    # End the read before the deliberately slow hash: on SQLite a POST's transaction holds the
    # write lock, and sixty judges logging in at once must not queue behind each other's scrypt.
    db.session.rollback()
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    valid = werkzeug.security.check_password_hash(
        stored, password or ""
    )  # same cost with or without an account
    if row is not None and row.active and row.password_hash and valid:
        throttle.record_success(email, client_key)
        return db.session.get(User, row.id)
    throttle.record_failure(email, client_key)
    db.session.commit()
    return None


def check_current_password(user, password):
    """Tell whether password is the user's current one (the slow hash outside any transaction)."""
    stored = user.password_hash or _DUMMY_HASH
    db.session.rollback()
    return werkzeug.security.check_password_hash(stored, password or "")


def record_login(user):
    user.last_login_at = utcnow()


def hash_password(password):
    """Hash a password with scrypt (slow on purpose: call it outside a write transaction)."""
    return werkzeug.security.generate_password_hash(password, method="scrypt")


def set_password_once(user_id, new_hash, expected_nonce, invitation):
    """Set the password through a one-time link, once; return False when the link was used.

    The condition sits in the UPDATE itself, so two submits of one link racing each other
    cannot both win, and an invitation can never overwrite a password that exists by now.
    Every session of the account ends (a reset is what someone does who lost control).
    """
    condition = User.password_hash.is_(None) if invitation else User.password_hash.is_not(None)
    done = db.session.execute(
        db.update(User)
        .where(User.id == user_id, User.auth_nonce == expected_nonce, condition)
        .values(password_hash=new_hash, auth_nonce=User.auth_nonce + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        db.session.rollback()
        return False
    sessions.revoke_all(user_id)
    return True


def change_password(user, new_hash):
    """Give a logged-in user a new password hash and end all their other sessions."""
    user.password_hash = new_hash
    user.auth_nonce = (user.auth_nonce or 0) + 1
    sessions.revoke_all(user.id, keep_current=True)


def request_password_reset(email):
    """Send a reset link (or, for a never-activated account, the invitation again) if allowed.

    Say nothing either way: the answer is the same for unknown accounts and throttled ones.
    """
    if not throttle.reset_allowed(email):
        db.session.commit()
        return None
    user = db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()
    db.session.commit()
    if user is None or not user.active:
        return None
    if not user.password_hash:
        link = resend_invitation(user, after_response=True)
        db.session.commit()  # the mail is queued with the commit (compmgr.outbox)
        return link
    link = public_url_for("auth.reset_password", token=make_token(user, "reset"))
    send_mail(
        user.email,
        "Passwort zurücksetzen",
        f"Hallo {user.name},\n\nhier können Sie ein neues Passwort festlegen:\n{link}\n\n"
        "Der Link ist zwei Stunden gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie "
        "diese Mail: Ihr Passwort bleibt dann unverändert.\n",
        kind="reset",
        user_id=user.id,
    )
    # Queued with this commit, delivered once the answer is out: the answer must not wait for
    # the mail server (see compmgr.outbox).
    db.session.commit()
    return link


def start_session(user):
    """Begin a fresh session with a new server-side id: nothing from before survives (no fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    sessions.start(user)
    login_user(user)
    record_login(user)
    db.session.commit()


def end_session():
    """Forget the session in the browser; the caller revoked it on the server."""
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
