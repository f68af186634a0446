"""Invitations: a new account gets a password link, an existing one is offered the role.

The rule: an invitation never touches the credentials of an account that exists. A
password-setting link is made only for an account that never had a password; it goes to that
person's mailbox and is shown on screen only where no mail server is configured, and only
when the account holds no role outside the inviting competition. An account with a password
is offered the role and told by mail; the offer takes effect when its holder opens the link of
that mail and accepts it, logged in as themselves: the link proves the mailbox, the login the
password (an account another organiser set up for the address through a link shown on their
screen holds the password, not the mailbox). Organisers grant roles only in their own
competitions, never the instance-admin role.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from compmgr.auth.models import Role, RoleGrant, RoleOffer, User
from compmgr.auth.throttle import normalise_email
from compmgr.auth.tokens import make_token
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.mail import mail_configured, public_url_for
from compmgr.signals import invitation_ready, offer_declined, role_accepted

GRANTABLE = (Role.ORGANISER, Role.SCHOOL, Role.JUDGE)
ROLE_NAMES = {
    Role.ORGANISER: "Wettbewerbsleitung",
    Role.SCHOOL: "Schulkonto",
    Role.JUDGE: "Juror(in)",
}


class InvitationRefused(Exception):
    """An invitation the inviter may not make (another competition, the admin role)."""


@dataclass
class Invitation:
    user: User
    outcome: str  # new | resent (never activated) | offered (has a password) | has_role
    screen_link: str | None = (
        None  # only without a mail server: a new account's link, or an offer's
    )


def outcome_message(invitation):
    """Return (message, category) telling the inviter what the invitation did."""
    email = invitation.user.email
    messages = {
        "new": _("Einladung an %(email)s verschickt.", email=email),
        "resent": _(
            "%(email)s hat die Einladung noch nicht angenommen: Sie wurde mit einem neuen "
            "Link erneut verschickt.",
            email=email,
        ),
        "offered": _(
            "%(email)s hat schon ein Konto. Die Rolle ist angeboten und gilt, sobald die "
            "Person sie über den Link in der E-Mail annimmt, angemeldet mit ihrem Passwort.",
            email=email,
        ),
        "has_role": _("%(email)s hat diese Rolle schon.", email=email),
    }
    return messages[invitation.outcome], "info" if invitation.outcome == "has_role" else "success"


def may_invite(inviter, competition):
    """Tell whether inviter may hand out roles in competition: its organisers and admins."""
    return inviter is not None and (
        inviter.is_admin or inviter.has_role(Role.ORGANISER, competition.id)
    )


def invite_user(email, name, competition, role, inviter, school=None):
    """Invite email to role in competition on behalf of inviter; return an Invitation."""
    role = Role(role)
    if role not in GRANTABLE or competition is None or not may_invite(inviter, competition):
        raise InvitationRefused(f"{role} in {competition}")
    if (role == Role.SCHOOL) != (school is not None) or (
        school and school.competition_id != competition.id
    ):
        raise InvitationRefused("school account without its school")
    email = normalise_email(email)
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    created = user is None
    if created:
        user = User(email=email, name=name)
        db.session.add(user)
        db.session.flush()
    if not user.password_hash:  # never activated: nothing to take over, the mailbox decides
        _grant(user, competition, role, school)
        link = _send_invitation(user, inviter)
        show = not mail_configured() and _only_in(user, competition)
        return Invitation(user, "new" if created else "resent", link if show else None)
    if _holds(user, competition, role, school):
        return Invitation(user, "has_role")
    offer = db.session.execute(
        db.select(RoleOffer).filter_by(
            user_id=user.id,
            competition_id=competition.id,
            role=role.value,
            school_id=school.id if school else None,
        )
    ).scalar_one_or_none()
    if offer is None:
        offer = RoleOffer(
            user_id=user.id,
            competition_id=competition.id,
            role=role.value,
            school_id=school.id if school else None,
        )
        db.session.add(offer)
    offer.invited_by_id, offer.created_at = inviter.id, utcnow()
    db.session.flush()
    link = _send_offer(offer, inviter)
    # The link works only for whoever logs in as the account: the inviter may pass it on.
    return Invitation(user, "offered", None if mail_configured() else link)


def resend_invitation(user, inviter=None, after_response=False, reminder=False):
    """Send a never-activated account a fresh invitation link by mail; return the link.

    The mail is queued in the caller's transaction (compmgr.outbox): commit to send it.
    reminder words it as a reminder of the open invitation.
    """
    if user.password_hash:
        raise InvitationRefused("account has a password")
    return _send_invitation(
        user, inviter, after_response, "invitation_reminder" if reminder else "invitation"
    )


def _grant(user, competition, role, school):
    if not _holds(user, competition, role, school):
        user.grants.append(
            RoleGrant(
                competition_id=competition.id,
                role=role.value,
                school_id=school.id if school else None,
            )
        )
        db.session.flush()


def _holds(user, competition, role, school):
    return any(
        gr.competition_id == competition.id
        and gr.role == role
        and gr.school_id == (school.id if school else None)
        for gr in user.grants
    )


def _only_in(user, competition):
    return not user.is_admin and all(gr.competition_id == competition.id for gr in user.grants)


def _send_invitation(user, inviter, after_response=False, kind="invitation"):
    """Mail a never-activated account a fresh link (the text is messaging's); return it."""
    link = public_url_for("auth.accept_invite", token=make_token(user, "invite"))
    grant = user.grants[-1] if user.grants else None
    invitation_ready.send(
        user,
        link=link,
        inviter=inviter,
        competition=grant.competition if grant else None,
        role=Role(grant.role) if grant else None,
        school=grant.school if grant else None,
        kind=kind,
    )
    return link


def _offer_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="compmgr-offer")


def offer_token(offer):
    """Return the token of the link that accepts offer; it names the account, competition and role."""
    return _offer_serializer().dumps(
        {"o": offer.id, "u": offer.user_id, "c": offer.competition_id, "r": offer.role}
    )


def offer_for_token(token):
    """Return the offer a valid, unexpired link names while it waits for an answer, else None."""
    try:
        data = _offer_serializer().loads(token, max_age=current_app.config["INVITE_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int):
        return None
    offer = db.session.get(RoleOffer, data["o"])
    named = (data.get("u"), data.get("c"), data.get("r"))
    if offer is None or (offer.user_id, offer.competition_id, offer.role) != named:
        return None
    return offer


def _send_offer(offer, inviter):
    link = public_url_for("auth.offer", offer_token=offer_token(offer))
    invitation_ready.send(
        offer.user,
        link=link,
        inviter=inviter,
        competition=offer.competition,
        role=Role(offer.role),
        school=offer.school,
        kind="offer",
    )
    return link


def offers_for(user):
    """Return the roles offered to user that wait for an answer, oldest first."""
    return db.session.scalars(
        db.select(RoleOffer).filter_by(user_id=user.id).order_by(RoleOffer.id)
    ).all()


def accept_offer(user, offer):
    """Turn the user's own offer into a role grant; features react to role_accepted (judging
    links the judge profile of that address)."""
    if offer.user_id != user.id:
        raise InvitationRefused("not the user's offer")
    competition = offer.competition
    _grant(user, competition, Role(offer.role), offer.school)
    role_accepted.send(user, competition=competition, role=Role(offer.role))
    db.session.delete(offer)
    db.session.flush()


def decline_offer(user, offer):
    if offer.user_id != user.id:
        raise InvitationRefused("not the user's offer")
    offer_declined.send(user, competition=offer.competition, role=Role(offer.role))
    db.session.delete(offer)
    db.session.flush()
