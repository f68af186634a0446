"""Conflicts of interest: the checks every judge page relies on, derived and declared ones."""

import re
import unicodedata

from flask_babel import gettext as _

from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import ACTIVE, Conflict, ConflictStatus, Judge, conflict_on
from compmgr.registration.models import Participant, Project, ProjectMember

DERIVED = "derived"
DECLARED = "declared"


def is_conflicted(judge, project) -> bool:
    """Tell whether a confirmed or still flagged conflict ties judge to project."""
    return bool(db.session.scalar(db.select(conflict_on(judge.id, project))))


def conflict_pairs(competition_id):
    """Return the set of (judge_id, project_id) pairs with an active conflict, in bulk."""
    conflicts = db.session.execute(
        db.select(
            Conflict.judge_id, Conflict.project_id, Conflict.school_id, Conflict.participant_id
        )
        .join(Judge, Judge.id == Conflict.judge_id)
        .where(Judge.competition_id == competition_id, Conflict.status.in_(ACTIVE))
    ).all()
    if not conflicts:
        return set()
    by_school, by_participant = {}, {}
    rows = db.session.execute(
        db.select(Project.id, Project.school_id, Participant.id, Participant.school_id)
        .outerjoin(ProjectMember, ProjectMember.project_id == Project.id)
        .outerjoin(Participant, Participant.id == ProjectMember.participant_id)
        .where(Project.competition_id == competition_id)
    ).all()
    for project_id, school_id, participant_id, participant_school in rows:
        by_school.setdefault(school_id, set()).add(project_id)
        if participant_id is not None:
            by_school.setdefault(participant_school, set()).add(project_id)
            by_participant.setdefault(participant_id, set()).add(project_id)
    pairs = set()
    for judge_id, project_id, school_id, participant_id in conflicts:
        if project_id is not None:
            pairs.add((judge_id, project_id))
        for pid in by_school.get(school_id, ()) if school_id is not None else ():
            pairs.add((judge_id, pid))
        for pid in by_participant.get(participant_id, ()) if participant_id is not None else ():
            pairs.add((judge_id, pid))
    return pairs


_TITLES = {"frau", "herr", "dr", "prof", "dipl", "ing", "studienrat", "studienratin", "stR", "oStR"}
_PARTICLES = {"von", "van", "de", "der", "zu", "den", "vom", "zum", "la", "le", "di"}


def _fold(text):
    """Casefold and spell umlauts and ß out, so "Müller" matches "Mueller"."""
    text = (text or "").casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _tokens(name):
    titles = {t.casefold() for t in _TITLES}
    return [t for t in re.split(r"[\s\-.,]+", _fold(name)) if t and t not in titles]


def surname_tokens(last_name):
    """Return the parts of a surname that count for a shared-surname check."""
    return {t for t in _tokens(last_name) if t not in _PARTICLES and len(t) > 1}


def supervisor_match(judge, project):
    """Return "certain", "likely" or None for whether judge is the project's Betreuer(in)."""
    email = (judge.email or "").strip().casefold()
    if email and email == (project.supervisor_email or "").strip().casefold():
        return "certain"
    sup = _tokens(project.supervisor_name)
    if not sup:
        return None
    first, last = _fold(judge.first_name).split(), surname_tokens(judge.last_name)
    if last and last <= set(sup):
        named_first = set(sup) - last
        if first and set(first) <= named_first:
            return "certain"
        if not named_first:  # "Frau Müller": only the surname is known
            return "likely"
    return None


def _desired_derived(competition_id):
    """Compute the derived conflicts as {key: (status, reason)} for a competition."""
    judges = db.session.scalars(db.select(Judge).filter_by(competition_id=competition_id)).all()
    projects = db.session.scalars(db.select(Project).filter_by(competition_id=competition_id)).all()
    participants = db.session.scalars(
        db.select(Participant)
        .filter_by(competition_id=competition_id)
        .where(Participant.memberships.any())
    ).all()
    school_ids = {p.school_id for p in participants} | {p.school_id for p in projects}
    desired = {}
    for judge in judges:
        if judge.school_id is not None and judge.school_id in school_ids:
            desired[(judge.id, None, judge.school_id, None)] = (
                ConflictStatus.CONFIRMED,
                _("Arbeitet an der Schule %(school)s.", school=judge.school.label),
            )
        for project in projects:
            match = supervisor_match(judge, project)
            if match:
                desired[(judge.id, project.id, None, None)] = (
                    ConflictStatus.CONFIRMED if match == "certain" else ConflictStatus.FLAGGED,
                    _("Ist Betreuer(in) des Projekts („%(name)s“).", name=project.supervisor_name)
                    if match == "certain"
                    else _(
                        "Betreuung „%(name)s“ trägt denselben Nachnamen – bitte prüfen.",
                        name=project.supervisor_name,
                    ),
                )
        mine = surname_tokens(judge.last_name)
        for person in participants:
            if mine & surname_tokens(person.last_name):
                desired[(judge.id, None, None, person.id)] = (
                    ConflictStatus.FLAGGED,
                    _(
                        "Gleicher Nachname wie %(name)s – bitte prüfen (verwandt?).",
                        name=f"{person.full_name} ({person.school.name})",
                    ),
                )
    return desired


def _key(conflict):
    return (conflict.judge_id, conflict.project_id, conflict.school_id, conflict.participant_id)


def derive_conflicts(competition_id):
    """Bring the derived conflicts up to date; decisions on existing ones are kept.

    Returns the number of new conflicts. Derived conflicts that no longer apply (a judge's
    school changed, a participant left) are removed.
    """
    desired = _desired_derived(competition_id)
    existing = db.session.scalars(
        db.select(Conflict)
        .join(Judge, Judge.id == Conflict.judge_id)
        .where(Judge.competition_id == competition_id, Conflict.source == DERIVED)
    ).all()
    seen = set()
    for conflict in existing:
        key = _key(conflict)
        if key not in desired or key in seen:
            db.session.delete(conflict)
        seen.add(key)
    new = 0
    for key, (status, reason) in desired.items():
        if key in seen:
            continue
        judge_id, project_id, school_id, participant_id = key
        db.session.add(
            Conflict(
                judge_id=judge_id,
                project_id=project_id,
                school_id=school_id,
                participant_id=participant_id,
                source=DERIVED,
                reason=reason,
                status=status,
            )
        )
        new += 1
    db.session.flush()
    return new


def declare_conflicts(judge, schools=(), projects=(), participants=()):
    """Replace the judge's own declarations with the given schools, projects and participants."""
    db.session.execute(
        db.delete(Conflict).where(Conflict.judge_id == judge.id, Conflict.source == DECLARED)
    )
    for school in schools:
        db.session.add(
            Conflict(
                judge_id=judge.id,
                school_id=school.id,
                source=DECLARED,
                reason=_("Selbst angegeben: Verbindung zur Schule %(s)s.", s=school.label),
                status=ConflictStatus.CONFIRMED,
            )
        )
    for project in projects:
        db.session.add(
            Conflict(
                judge_id=judge.id,
                project_id=project.id,
                source=DECLARED,
                reason=_("Selbst angegeben: befangen beim Projekt „%(t)s“.", t=project.title),
                status=ConflictStatus.CONFIRMED,
            )
        )
    for person in participants:
        db.session.add(
            Conflict(
                judge_id=judge.id,
                participant_id=person.id,
                source=DECLARED,
                reason=_("Selbst angegeben: kennt %(n)s persönlich.", n=person.full_name),
                status=ConflictStatus.CONFIRMED,
            )
        )
    judge.conflicts_declared_at = utcnow()
    db.session.flush()


def decide_conflict(conflict, confirm, user):
    """Confirm or dismiss a conflict; a dismissed one no longer blocks the judge."""
    conflict.status = ConflictStatus.CONFIRMED if confirm else ConflictStatus.DISMISSED
    conflict.decided_by_id = user.id if user is not None else None
    db.session.flush()
    return conflict
