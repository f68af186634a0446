"""Throttling of logins and reset mails, per account and client, shared through the database.

Nobody can lock out someone else (OWASP's "device cookie" design):

- A client is the browser's device cookie when this account logged in with it before, else
  its address (the real one behind a proxy: PROXY_FIX_X_FOR). Failures of one (account,
  client) pair make only that pair wait, growing from 30 s to the whole window.
- Failures from clients the account has never logged in with also slow the account down for
  such clients, but only by a bounded delay (LOGIN_MAX_DELAY), never a lock; a client with
  the account's device cookie is not slowed by them, and a reset link always logs in.
- Failures from one address across many accounts (credential stuffing) slow that address down,
  again bounded and again not for device cookies.

The answer never tells whether an account exists: unknown addresses are counted the same way.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from compmgr.auth.models import LoginAttempt
from compmgr.database import utcnow
from compmgr.extensions import db

DEVICE_COOKIE = "compmgr_device"
_DEVICE_ACCOUNTS = 10  # accounts remembered per browser (a shared laptop at the hall desk)


def normalise_email(email):
    return (email or "").strip().lower()


def account_key(email):
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def client_ip():
    return request.remote_addr or "unknown"


def _device_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="compmgr-device")


def _device():
    """Return the device cookie's content, or None when missing or forged."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _device_serializer().loads(raw)
    except BadSignature:
        return None
    ok = (
        isinstance(data, dict)
        and isinstance(data.get("d"), str)
        and isinstance(data.get("a"), list)
    )
    return data if ok else None


def client_for(email):
    """Return (client_key, trusted): the device cookie if it knows this account, else the address."""
    device = _device()
    if device is not None and account_key(email)[:20] in device["a"]:
        return f"device:{device['d']}", True
    return f"ip:{client_ip()}", False


def _delay(failures, after, base, ceiling):
    """Seconds to wait after the latest failure: none below after, then doubling, bounded."""
    if failures < after:
        return 0
    return min(base * 2 ** min(failures - after, 20), ceiling)


def _wait(where, after, base, ceiling, now, since):
    count, last = db.session.execute(
        db.select(db.func.count(), db.func.max(LoginAttempt.at)).where(
            LoginAttempt.kind == "login", LoginAttempt.at >= since, *where
        )
    ).one()
    if not count:
        return 0
    last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
    return max(0, _delay(count, after, base, ceiling) - (now - last).total_seconds())


def login_wait(email, client_key, trusted):
    """Return how many seconds this client must wait before trying this account again (0: go)."""
    cfg, now = current_app.config, utcnow()
    window = cfg["LOGIN_WINDOW_SECONDS"]
    since = now - timedelta(seconds=window)
    key = account_key(email)
    waits = [
        _wait(
            [LoginAttempt.account_key == key, LoginAttempt.client_key == client_key],
            cfg["LOGIN_MAX_FAILURES_PER_CLIENT"],
            30,
            window,
            now,
            since,
        )
    ]
    if not trusted:
        untrusted = LoginAttempt.client_key.like("ip:%")
        max_delay = cfg["LOGIN_MAX_DELAY"]
        waits.append(
            _wait(
                [LoginAttempt.account_key == key, untrusted],
                cfg["LOGIN_ACCOUNT_SLOWDOWN_AFTER"],
                1,
                max_delay,
                now,
                since,
            )
        )
        waits.append(
            _wait(
                [LoginAttempt.ip == client_ip(), untrusted],
                cfg["LOGIN_MAX_FAILURES_PER_IP"],
                1,
                max_delay,
                now,
                since,
            )
        )
    return int(max(waits) + 0.999)


def record_failure(email, client_key):
    """Count a failed login for the account and client; forget attempts older than a day."""
    db.session.execute(
        db.delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=1))
    )
    db.session.add(
        LoginAttempt(
            account_key=account_key(email),
            ip=client_ip()[:45],
            client_key=client_key[:80],
            kind="login",
            at=utcnow(),  # the throttle's own clock, the one login_wait reads
        )
    )


def record_success(email, client_key):
    """Forget this pair's failures: the right password from this client ends its wait."""
    db.session.execute(
        db.delete(LoginAttempt).where(
            LoginAttempt.kind == "login",
            LoginAttempt.account_key == account_key(email),
            LoginAttempt.client_key == client_key,
        )
    )


def remember_device(response, email):
    """Add the account to the browser's device cookie (the account trusts this client now)."""
    device = _device() or {"d": secrets.token_urlsafe(16), "a": []}
    key = account_key(email)[:20]
    accounts = [a for a in device["a"] if a != key][-(_DEVICE_ACCOUNTS - 1) :] + [key]
    cfg = current_app.config
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps({"d": device["d"], "a": accounts}),
        max_age=cfg["DEVICE_COOKIE_MAX_AGE"],
        httponly=True,
        samesite="Lax",
        secure=cfg["SESSION_COOKIE_SECURE"],
        path="/",
    )
    return response


def reset_allowed(email):
    """Tell whether a reset mail may go out now, and count the request either way.

    Per account only mails sent count (an attacker who asks for the victim's reset only puts
    valid links into the victim's mailbox); per address every request counts.
    """
    cfg, now = current_app.config, utcnow()
    since = now - timedelta(seconds=cfg["RESET_WINDOW_SECONDS"])
    key, ip = account_key(email), client_ip()[:45]
    base = (
        db.select(db.func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.kind == "reset", LoginAttempt.at >= since)
    )
    per_account = db.session.scalar(
        base.where(LoginAttempt.account_key == key, LoginAttempt.client_key != "refused")
    )
    per_client = db.session.scalar(base.where(LoginAttempt.ip == ip))
    allowed = (
        per_account < cfg["RESET_MAX_PER_ACCOUNT"] and per_client < cfg["RESET_MAX_PER_CLIENT"]
    )
    db.session.add(
        LoginAttempt(
            account_key=key,
            ip=ip,
            kind="reset",
            client_key="sent" if allowed else "refused",
            at=now,
        )
    )
    return allowed


def trust_proxies(app):
    """Read the client's address (and scheme) through as many proxies as PROXY_FIX_X_FOR names.

    Without it every request seems to come from the proxy, and one guesser's failures would
    slow the whole hall. The Host header is never taken from a proxy: links in mails come
    from PUBLIC_URL.
    """
    x_for, x_proto = (
        int(app.config["PROXY_FIX_X_FOR"] or 0),
        int(app.config["PROXY_FIX_X_PROTO"] or 0),
    )
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=x_for, x_proto=x_proto, x_host=0, x_port=0, x_prefix=0
        )
