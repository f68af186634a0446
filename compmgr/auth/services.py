"""Account rules: login throttling, one-time links, invitations and password resets."""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from compmgr.auth.models import LoginAttempt, RoleGrant, User
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.mail import send_mail

# A hash to compare against when no account exists, so both paths cost the same.
_DUMMY_HASH = "scrypt:32768:8:1$k0dKqGw3M6mDzW8d$" + "0" * 128


def normalise_email(email):
    return (email or "").strip().lower()


def _account_key(email):
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def login_blocked(email, ip):
    """Tell whether too many failed logins came for this account or from this address."""
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    q = db.select(db.func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since)
    per_account = db.session.scalar(q.where(LoginAttempt.account_key == _account_key(email)))
    per_ip = db.session.scalar(q.where(LoginAttempt.ip == ip))
    return (
        per_account >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or per_ip >= cfg["LOGIN_MAX_FAILURES_PER_IP"]
    )


def authenticate(email, password, ip):
    """Return the user for valid credentials, else None; failures are counted for throttling."""
    from werkzeug.security import check_password_hash

    row = db.session.execute(
        db.select(User.id, User.password_hash, User.active).filter_by(email=normalise_email(email))
    ).first()
    # End the read before the deliberately slow hash: on SQLite a POST's transaction holds the
    # write lock, and sixty judges logging in at once must not queue behind each other's scrypt.
    db.session.rollback()
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    valid = check_password_hash(stored, password or "")  # same cost with or without an account
    if row is not None and row.active and row.password_hash and valid:
        return db.session.get(User, row.id)
    cutoff = utcnow() - timedelta(days=1)
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    db.session.add(LoginAttempt(account_key=_account_key(email), ip=ip))
    db.session.commit()
    return None


def record_login(user):
    user.last_login_at = utcnow()
    db.session.commit()


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"compmgr-{purpose}")


def _fingerprint(user):
    """Change whenever the password changes, so a used link stops working (single use)."""
    material = f"{user.id}:{user.auth_nonce}:{user.password_hash or ''}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:16]


def make_token(user, purpose):
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token, purpose):
    """Return the user a valid, unexpired, unused link belongs to, else None."""
    max_age = current_app.config["INVITE_MAX_AGE" if purpose == "invite" else "RESET_MAX_AGE"]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or not hmac.compare_digest(_fingerprint(user), data.get("f", "")):
        return None
    return user


def invite_user(email, name, competition=None, role=None, school=None):
    """Create or reuse the account for email, grant the role, and return (user, invite_link)."""
    email = normalise_email(email)
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
        db.session.flush()
    if competition is not None and role is not None:
        exists = any(
            gr.competition_id == competition.id and gr.role == role
            and gr.school_id == (school.id if school else None)
            for gr in user.grants
        )
        if not exists:
            user.grants.append(
                RoleGrant(competition_id=competition.id, role=role, school_id=school.id if school else None)
            )
    db.session.flush()
    link = url_for("auth.accept_invite", token=make_token(user, "invite"), _external=True)
    send_mail(
        user.email,
        "Einladung zu compmgr",
        f"Hallo {user.name},\n\nSie wurden zu compmgr eingeladen. Legen Sie hier Ihr Passwort fest:\n"
        f"{link}\n\nDer Link ist 14 Tage gültig und nur einmal verwendbar.\n",
    )
    return user, link


def request_password_reset(email):
    """Send a reset link if the account exists; say nothing either way."""
    user = db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()
    if user is None or not user.active:
        return None
    link = url_for("auth.reset_password", token=make_token(user, "reset"), _external=True)
    send_mail(
        user.email,
        "Passwort zurücksetzen",
        f"Hallo {user.name},\n\nhier können Sie ein neues Passwort festlegen:\n{link}\n\n"
        "Der Link ist zwei Stunden gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Mail.\n",
    )
    return link


def set_password(user, password):
    user.set_password(password)
    db.session.commit()
