"""Signed verification tokens for the QR code on each certificate, and their check."""

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from compmgr.certificates import services
from compmgr.competitions.models import Competition
from compmgr.extensions import db
from compmgr.registration.models import ConsentKind, Participant, Project

SALT = "certificate"


def serializer(secret_key):
    return URLSafeSerializer(secret_key, salt=SALT)


def make_token(secret_key, claim):
    """Sign a certificate's claim (participant, project, kind, details) into a short token."""
    return serializer(secret_key).dumps(list(claim))


def load_claim(secret_key, token):
    """Return the claim of a genuine token, or None for a forged or altered one."""
    try:
        claim = serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not (
        isinstance(claim, list) and len(claim) >= 3 and all(isinstance(x, int) for x in claim[:2])
    ):
        return None
    return tuple(claim)


@dataclass
class Verification:
    """What the public verification page shows about one certificate."""

    holder: str
    name_shown: bool
    kind_label: str
    achievement: str
    title: str
    competition: services.CompetitionInfo
    valid: bool  # False: the certificate no longer matches the jury's decision
    pending: bool  # True: results not yet published, so the prize is not shown


def verify(secret_key, token):
    """Check a token against today's data; None when it is forged or names nothing."""
    claim = load_claim(secret_key, token)
    if claim is None:
        return None
    participant = db.session.get(Participant, claim[0])
    project = db.session.get(Project, claim[1])
    if participant is None or project is None or participant not in project.participants:
        return None
    competition = db.session.get(Competition, project.competition_id)
    current = services.certificates(competition, participant_id=participant.id)
    match = next((c for c in current if c.claim == claim), None)
    kind = {"t": services.PARTICIPATION, "p": services.PRIZE, "s": services.SPECIAL}.get(claim[2])
    if kind is None:
        return None
    shown = participant.has_consent(ConsentKind.PUBLICATION)
    pending = kind != services.PARTICIPATION and not competition.status_at_least("published")
    return Verification(
        holder=participant.public_name,
        name_shown=shown,
        kind_label=services.KIND_LABELS[kind],
        achievement=match.achievement if match and not pending else "",
        title=project.title if shown else "",
        competition=services.competition_info(competition),
        valid=match is not None,
        pending=pending,
    )
