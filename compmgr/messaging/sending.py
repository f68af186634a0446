"""Queue a kind of mail to accounts, each in their language, in the caller's transaction."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer

from compmgr.auth.models import Role, RoleGrant, User
from compmgr.extensions import db
from compmgr.mail import public_url_for, send_mail
from compmgr.messaging.catalog import KINDS
from compmgr.messaging.models import SchoolMailPreference
from compmgr.messaging.render import render, render_text


def locale_of(user):
    return user.locale if user.locale in ("de", "en") else "de"


def school_accounts(school):
    """Every active account of school (teachers), oldest first."""
    return db.session.scalars(
        db.select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.school_id == school.id,
            RoleGrant.role == Role.SCHOOL.value,
            User.active.is_(True),
        )
        .order_by(User.id)
        .distinct()
    ).all()


@dataclass
class Recipient:
    """A person without an account (a judge not yet invited) with the fields a mail needs."""

    email: str
    name: str
    locale: str | None = None
    id: int | None = None


def judge_recipient(judge):
    """Whom a judge's mails go to: the linked account, else the judge's address; or None."""
    user = judge.user
    if user is not None:
        return user if user.active else None
    return Recipient(judge.email, judge.full_name) if judge.email else None


def essential_only(school):
    pref = db.session.get(SchoolMailPreference, school.id) if school is not None else None
    return bool(pref and pref.essential_only)


def _unsubscribe_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="compmgr-unsubscribe")


def unsubscribe_token(school):
    return _unsubscribe_serializer().dumps({"s": school.id})


def school_for_unsubscribe(token):
    """Return the school id a List-Unsubscribe token names, or None."""
    try:
        data = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    return data.get("s") if isinstance(data, dict) and isinstance(data.get("s"), int) else None


def queue(
    kind,
    users,
    competition,
    context,
    *,
    school=None,
    attachments=(),
    dedupe=None,
    batch=None,
    essential=None,
    texts=None,
):
    """Queue kind to each user in their language; return the outbox rows queued.

    context is a dict or a function locale -> dict (values in the reader's language).
    Non-essential mail skips a school that asked for essential mail only and carries a
    one-click unsubscribe link. texts=(subject, body) replaces the kind's text (messages).
    """
    spec = KINDS.get(kind)
    essential = spec.essential if essential is None else essential
    if not essential and essential_only(school):
        return []
    unsubscribe = None
    if not essential and school is not None:
        unsubscribe = public_url_for("messaging.unsubscribe", token=unsubscribe_token(school))
    rows = []
    for user in users:
        locale = locale_of(user)
        with force_locale(locale):
            values = context(locale) if callable(context) else dict(context)
            values.setdefault("name", user.name)
            values.setdefault("competition", competition.title if competition else "compmgr")
            if texts is None:
                subject, body = render(competition, kind, locale, values)
            else:
                subject, body = (render_text(t, values) for t in texts)
                subject = " ".join(subject.split())
            parts = attachments(locale) if callable(attachments) else attachments
        row = send_mail(
            user.email,
            subject,
            body,
            kind=kind,
            competition_id=competition.id if competition is not None else None,
            user_id=user.id,
            batch=batch,
            dedupe_key=f"{dedupe}:u{user.id}" if dedupe else None,
            attachments=parts,
            unsubscribe_url=unsubscribe,
        )
        if row is not None:
            rows.append(row)
    return rows
