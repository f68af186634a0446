"""Judges and juries: invitations, jury building, members and chairs."""

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from compmgr.audit.services import record
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


def judges_of(competition_id, windows=False):
    """Return the competition's judges by name; with ``windows`` also their availability
    windows (the judges page)."""
    query = db.select(Judge).filter_by(competition_id=competition_id).options(*judge_options())
    if windows:
        query = query.options(selectinload(Judge.windows))
    return by_name(db.session.scalars(query).all())


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


def other_juries(judge, jury):
    """Return the names of the judge's juries other than jury, in name order."""
    return sorted(m.jury.name for m in judge.memberships if m.jury_id != jury.id)


def add_member(jury, judge, chair=False):
    """Put a judge on a jury (once); the first member becomes chair when none exists."""
    member = next((m for m in jury.members if m.judge_id == judge.id), None)
    if member is None:
        member = JuryMember(judge=judge, is_chair=False)
        jury.members.append(member)
        db.session.flush()  # set_chair compares judge ids: the new member needs its own
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
        member.is_chair = member.judge is judge or member.judge_id == judge.id
    db.session.flush()


def accept_confidentiality(judge):
    """Record that the judge accepted the confidentiality declaration."""
    if judge.confidentiality_accepted_at is None:
        judge.confidentiality_accepted_at = utcnow()
    db.session.flush()


def record_absence(judge):
    """Note that judge dropped out, keeping the juries they were in for an undo.

    Call before assignment.remove_judge takes them out of every jury. A judge marked absent
    twice keeps the juries of the first time.
    """
    if judge.absent_since is None:
        judge.absent_from = [{"jury": m.jury_id, "chair": m.is_chair} for m in judge.memberships]
        judge.absent_since = utcnow()
    record(
        "judge.absent",
        judge,
        after={"judge": judge.full_name},
        competition_id=judge.competition_id,
    )
    db.session.flush()


def undo_absence(judge):
    """Bring an absent judge back into the juries they were in; return those juries.

    They take the chair again only where the jury has none by now. Their projects come back
    with the next run of the assignment (which moves as little as it can).
    """
    juries = []
    for entry in judge.absent_from or []:
        jury = db.session.get(Jury, entry.get("jury"))
        if jury is None or jury.competition_id != judge.competition_id:
            continue
        add_member(jury, judge)
        if entry.get("chair") and jury.chair is None:
            set_chair(jury, judge)  # after add_member's flush: the new member has its judge_id
        juries.append(jury)
    judge.absent_since = None
    judge.absent_from = None
    record(
        "judge.present",
        judge,
        after={"judge": judge.full_name},
        competition_id=judge.competition_id,
    )
    db.session.flush()
    return juries


JUDGE_FIELDS = ("first_name", "last_name", "affiliation", "availability")


def update_judge(judge, fields, school=None, subjects=(), divisions=()):
    """Change a judge's profile: name, institution, school, expertise, Sparten, availability.

    The e-mail address stays: it names the account. A new school derives conflicts afresh.
    """
    before = _profile(judge)
    for name in JUDGE_FIELDS:
        setattr(judge, name, (fields.get(name) or "").strip())
    judge.school_id = school.id if school else None
    judge.school = school
    judge.subjects = list(subjects)
    judge.divisions = list(divisions)
    db.session.flush()
    after = _profile(judge)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        record(
            "judge.update",
            judge,
            before={k: before[k] for k in changed},
            after={"judge": judge.full_name, **{k: after[k] for k in changed}},
            competition_id=judge.competition_id,
        )
    if "school_name" in changed:
        derive_conflicts(judge.competition_id)
    return judge


def _profile(judge):
    return {
        "first_name": judge.first_name,
        "last_name": judge.last_name,
        "affiliation": judge.affiliation,
        "school_name": judge.school.label if judge.school else None,
        "expertise": expertise(judge),
        "divisions": ", ".join(d.name for d in judge.divisions),
        "availability": judge.availability,
    }


def expertise(judge):
    """Name a judge's Fachgebiete (expertise) in the competition's order, e.g. "Biologie, Chemie"."""
    return ", ".join(s.name for s in sorted(judge.subjects, key=lambda s: s.position))


def judge_label(judge):
    """Label a judge in a picker: name, then expertise, e.g. "Bauer, Sabine – Biologie"."""
    label = f"{judge.last_name}, {judge.first_name}"
    if judge.subjects:
        label += f" – {expertise(judge)}"
    if judge.is_absent:
        label += " (" + _("fällt aus") + ")"
    return label
