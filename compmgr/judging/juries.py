"""Judges and juries: invitations, jury building, members and chairs."""

from flask_babel import gettext as _

from compmgr.auth.invitations import invite_user
from compmgr.auth.models import Role, RoleOffer
from compmgr.auth.services import normalise_email
from compmgr.competitions.models import Subject
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.conflicts import derive_conflicts
from compmgr.judging.models import Judge, Jury, JuryMember, judge_options, jury_options
from compmgr.signals import role_accepted
from compmgr.sorting import by_name


def judges_of(competition_id):
    """Return the competition's judges by name."""
    return by_name(
        db.session.scalars(
            db.select(Judge).filter_by(competition_id=competition_id).options(*judge_options())
        ).all()
    )


def juries_of(competition_id):
    """Return the competition's juries in Fachgebiet order."""
    return db.session.scalars(
        db.select(Jury)
        .join(Subject, Subject.id == Jury.subject_id)
        .where(Jury.competition_id == competition_id)
        .order_by(Subject.position, Jury.division_id.is_not(None), Jury.division_id, Jury.team)
        .options(*jury_options())
    ).all()


def judge_by_email(competition_id, email):
    return db.session.execute(
        db.select(Judge).filter_by(competition_id=competition_id, email=normalise_email(email))
    ).scalar_one_or_none()


@role_accepted.connect
def link_judge_profile(user, competition, role, **_kwargs):
    """Link the judge profile of the user's address once the judge role is accepted."""
    if role != Role.JUDGE:
        return
    judge = judge_by_email(competition.id, user.email)
    if judge is not None and judge.user_id in (None, user.id):
        judge.user_id = user.id


def invite_judge(
    competition,
    inviter,
    first_name,
    last_name,
    email,
    affiliation="",
    school=None,
    subjects=(),
    divisions=(),
    availability="",
    jury=None,
):
    """Create the judge profile and invite its account; return (judge, Invitation).

    An existing account is only offered the judge role (see auth.invitations); the profile is
    linked to it, but the role takes effect when its holder accepts.
    """
    email = normalise_email(email)
    invitation = invite_user(
        email, f"{first_name} {last_name}".strip(), competition, Role.JUDGE, inviter
    )
    judge = Judge(
        competition_id=competition.id,
        user=invitation.user,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        affiliation=affiliation.strip(),
        school_id=school.id if school else None,
        availability=availability.strip(),
        subjects=list(subjects),
        divisions=list(divisions),
    )
    db.session.add(judge)
    db.session.flush()
    if jury is not None:
        add_member(jury, judge)
    derive_conflicts(competition.id)
    return judge, invitation


def reinvite_judge(competition, judge, inviter):
    """Invite a judge whose account holds no judge role here yet again (a fresh link or offer)."""
    invitation = invite_user(judge.email, judge.full_name, competition, Role.JUDGE, inviter)
    if judge.user_id is None:
        judge.user = invitation.user
    return invitation


def invitation_states(competition_id, judges):
    """Return {judge id: accepted | offered | declined | open} for the judges page."""
    offered = set(
        db.session.scalars(
            db.select(RoleOffer.user_id).filter_by(
                competition_id=competition_id, role=Role.JUDGE.value
            )
        )
    )
    states = {}
    for judge in judges:
        user = judge.user
        if user is None or not user.password_hash:
            states[judge.id] = "open"
        elif user.has_role(Role.JUDGE, competition_id):
            states[judge.id] = "accepted"
        else:
            states[judge.id] = "offered" if user.id in offered else "declined"
    return states


def jury_name(subject, division, team):
    """Name a jury, e.g. "Biologie – Jugend forscht junior (Team 2)"."""
    name = subject.name + (f" – {division.name}" if division else "")
    return name + (_(" (Team %(n)d)", n=team) if team > 1 else "")


def create_jury(competition, subject, division=None, team=1, name=""):
    """Add a jury for a Fachgebiet, optionally for one division or as a further team."""
    jury = Jury(
        competition_id=competition.id,
        subject_id=subject.id,
        division_id=division.id if division else None,
        team=team,
        name=name.strip() or jury_name(subject, division, team),
    )
    db.session.add(jury)
    db.session.flush()
    return jury


def jury_exists(competition_id, subject_id, division_id, team):
    return (
        db.session.execute(
            db.select(Jury.id).filter_by(
                competition_id=competition_id,
                subject_id=subject_id,
                division_id=division_id or None,
                team=team,
            )
        ).first()
        is not None
    )


def create_default_juries(competition):
    """Add one jury for every Fachgebiet that has none yet; return how many were added."""
    have = {j.subject_id for j in juries_of(competition.id)}
    added = [create_jury(competition, s) for s in competition.subjects if s.id not in have]
    return len(added)


def add_member(jury, judge, chair=False):
    """Put a judge on a jury (once); the first member becomes chair when none exists."""
    member = next((m for m in jury.members if m.judge_id == judge.id), None)
    if member is None:
        member = JuryMember(judge=judge, is_chair=False)
        jury.members.append(member)
    if chair or jury.chair is None:
        set_chair(jury, judge)
    db.session.flush()
    return member


def remove_member(jury, judge):
    """Take a judge off a jury; assignments stay until the next automatic run."""
    for member in list(jury.members):
        if member.judge_id == judge.id:
            jury.members.remove(member)
    db.session.flush()


def set_chair(jury, judge):
    """Make judge the jury's only chair (Juryvorsitz)."""
    for member in jury.members:
        member.is_chair = member.judge_id == judge.id
    db.session.flush()


def accept_confidentiality(judge):
    """Record that the judge accepted the confidentiality declaration."""
    if judge.confidentiality_accepted_at is None:
        judge.confidentiality_accepted_at = utcnow()
    db.session.flush()
