"""Decisions on entries: the organiser's (status, Fachgebiet, Hochstufung, stands, extensions)
and a school's withdrawal of its own project."""

from flask_babel import gettext as _

from compmgr.audit.services import record
from compmgr.extensions import db
from compmgr.registration import services
from compmgr.registration.models import (
    Participant,
    Project,
    ProjectMember,
    ProjectStatus,
    School,
    project_list_options,
)
from compmgr.registration.services import RuleError
from compmgr.signals import project_moved, project_promoted, project_status_changed
from compmgr.sorting import by_school, by_stand, sort_text


def matches_text(project, text):
    """Say whether every word of text occurs in the project's title, stand, school (name or
    city) or a team member's name; case and accents as typed are ignored (casefold)."""
    haystack = " ".join(
        [
            project.title,
            project.stand or "",
            project.school.name,
            project.school.city or "",
            *(f"{p.first_name} {p.last_name}" for p in project.participants),
        ]
    ).casefold()
    return all(word in haystack for word in text.casefold().split())


def filtered_projects(
    competition,
    subject_id=None,
    division_id=None,
    school_id=None,
    status=None,
    missing=None,
    text=None,
):
    """Return the competition's projects matching the overview's filters and search text.

    The text is matched in Python (matches_text), not with SQL lower(): SQLite's ignores
    umlauts, and a competition has a few hundred projects at most.
    """
    query = (
        db.select(Project)
        .where(Project.competition_id == competition.id)
        .options(*project_list_options())
    )
    if subject_id:
        query = query.where(Project.subject_id == subject_id)
    if division_id == -1:
        query = query.where(Project.division_id.is_(None))
    elif division_id:
        query = query.where(Project.division_id == division_id)
    if school_id:
        query = query.where(Project.school_id == school_id)
    if status:
        query = query.where(Project.status == status)
    projects = by_stand(db.session.scalars(query).all())
    if missing in services.MISSING_FILTERS:
        projects = [p for p in projects if services.MISSING_FILTERS[missing](p)]
    if text and text.strip():
        projects = [p for p in projects if matches_text(p, text)]
    return projects


def set_status(project, status, reason="", by_school=False):
    """Admit, reject (with a reason) or withdraw a project."""
    status = ProjectStatus(status)
    if status == ProjectStatus.REJECTED and not reason.strip():
        raise RuleError(_("Bitte begründen Sie die Ablehnung."))
    before = {"status": project.status, "reason": project.status_reason}
    project.status = status
    project.status_reason = reason.strip()
    if not status.takes_part:
        project.stand = None
    after = {"status": status.value, "reason": project.status_reason}
    if by_school:
        after["by_school"] = True
    record("project.status", project, before=before, after=after)
    if before["status"] != status.value:
        project_status_changed.send(
            project, status=status, reason=project.status_reason, by_school=by_school
        )


def withdraw_refusal(competition, project):
    """Return why the school may not withdraw project itself now, or None when it may.

    Withdrawing is allowed after the registration deadline too (teams drop out late), but
    not once judging has begun: from then on only the organisers change a project's status.
    """
    if not project.takes_part:
        return _("Dieses Projekt ist schon zurückgezogen oder abgelehnt.")
    if services.is_frozen(competition):
        return _(
            "Die Bewertung hat begonnen: Bitte wenden Sie sich an die Wettbewerbsleitung, "
            "um ein Projekt zurückzuziehen."
        )
    return None


def withdraw_by_school(competition, project, reason=""):
    """Withdraw a school's project: it leaves judging, the stand list and the certificates.

    Its team is free to join another project; the organisers can reopen it.
    """
    refusal = withdraw_refusal(competition, project)
    if refusal:
        raise RuleError(refusal)
    set_status(project, ProjectStatus.WITHDRAWN, reason, by_school=True)


def move_subject(competition, project, subject_id):
    """Move a project to another Fachgebiet of the same competition."""
    subject = next((s for s in competition.subjects if s.id == subject_id), None)
    if subject is None:
        raise RuleError(_("Bitte wählen Sie ein Fachgebiet dieses Wettbewerbs."))
    before = project.subject.name
    project.subject = subject
    record("project.subject", project, before={"subject": before}, after={"subject": subject.name})
    if before != subject.name:
        project_moved.send(project, before=before)


def promotion_target(competition, project):
    """Return the division a junior project is promoted into: the next older one."""
    current = project.division
    if current is None or current.max_age is None:
        return None
    older = [
        d
        for d in competition.divisions
        if d.id != current.id and (d.max_age is None or d.max_age > current.max_age)
    ]
    return min(older, key=lambda d: d.min_age or 0) if older else None


def promote(competition, project, reason):
    """Move a junior project up into Jugend forscht (Hochstufung) with a reason."""
    if not reason.strip():
        raise RuleError(_("Bitte begründen Sie die Hochstufung."))
    target = promotion_target(competition, project)
    if target is None:
        raise RuleError(_("Dieses Projekt kann nicht hochgestuft werden."))
    before = project.division.name
    project.division = target
    project.promoted = True
    project.promoted_reason = reason.strip()
    record(
        "project.promote",
        project,
        before={"division": before},
        after={"division": target.name, "reason": reason},
    )
    project_promoted.send(project)


def undo_promotion(competition, project):
    """Undo a Hochstufung: the division follows the team again."""
    project.promoted = False
    project.promoted_reason = ""
    services.update_division(project, competition)
    record("project.unpromote", project)


def set_stand(competition, project, stand):
    """Set or clear one stand number; numbers are unique in the competition."""
    stand = (stand or "").strip().upper() or None
    if stand:
        taken = db.session.scalars(
            db.select(Project).where(
                Project.competition_id == competition.id,
                Project.stand == stand,
                Project.id != project.id,
            )
        ).first()
        if taken:
            raise RuleError(
                _(
                    "Die Standnummer %(stand)s hat schon „%(title)s“.",
                    stand=stand,
                    title=taken.title,
                )
            )
    project.stand = stand


def _stand_prefix(subject):
    return subject.code or subject.name[:1].upper()


def _stand_order(competition):
    division_pos = {d.id: d.position for d in competition.divisions}
    return lambda p: (division_pos.get(p.division_id, 99), sort_text(p.title))


def number_stands(competition, only_missing=True):
    """Number stands per Fachgebiet: B01, B02 …; return how many numbers were given.

    Within a Fachgebiet projects are ordered by division, then title, so a jury finds its
    projects side by side. By default only projects without a stand get one, after the highest
    number of their Fachgebiet: numbers set by hand and numbers already printed stay. With
    ``only_missing=False`` every stand is numbered afresh (the organiser confirms that this
    overwrites numbers set by hand); inactive projects then lose their stand.
    """
    projects = db.session.scalars(
        db.select(Project).where(Project.competition_id == competition.id)
    ).all()
    if not only_missing:
        for p in projects:
            p.stand = None
        db.session.flush()  # free every number before reusing it
    taken = {p.stand for p in projects if p.stand}
    count = 0
    for subject in competition.subjects:
        prefix = _stand_prefix(subject)
        mine = [p for p in projects if p.subject_id == subject.id and p.takes_part]
        highest = max(
            (
                int(p.stand[len(prefix) :])
                for p in projects
                if p.stand and p.stand.startswith(prefix) and p.stand[len(prefix) :].isdigit()
            ),
            default=0,
        )
        n = highest
        for p in sorted((p for p in mine if not p.stand), key=_stand_order(competition)):
            n += 1
            while f"{prefix}{n:02d}" in taken:
                n += 1
            p.stand = f"{prefix}{n:02d}"
            taken.add(p.stand)
            count += 1
    record(
        "stands.number",
        competition,
        after={"count": count, "only_missing": only_missing},
        competition_id=competition.id,
    )
    return count


def count_without_stand(competition):
    """Count the projects taking part that have no stand yet."""
    return db.session.scalar(
        db.select(db.func.count(Project.id)).where(
            Project.competition_id == competition.id, Project.takes_part, Project.stand.is_(None)
        )
    )


def extend_registration(school, until):
    """Extend (or with None end the extension of) registration for one school."""
    before = school.registration_extended_until
    school.registration_extended_until = until
    record(
        "school.extend",
        school,
        before={"until": before.isoformat() if before else None},
        after={"until": until.isoformat() if until else None},
    )


def school_counts(competition):
    """Return {school_id: (participants, projects)} for the schools page."""
    people = dict(
        db.session.execute(
            db.select(Participant.school_id, db.func.count(Participant.id))
            .where(Participant.competition_id == competition.id)
            .group_by(Participant.school_id)
        ).all()
    )
    projects = dict(
        db.session.execute(
            db.select(Project.school_id, db.func.count(Project.id))
            .where(Project.competition_id == competition.id)
            .group_by(Project.school_id)
        ).all()
    )
    schools = by_school(
        db.session.scalars(db.select(School).filter_by(competition_id=competition.id)).all()
    )
    return [(s, people.get(s.id, 0), projects.get(s.id, 0)) for s in schools]


def entry_counts(competition):
    """Count participants and projects, and projects per Fachgebiet × division."""
    active = Project.takes_part
    projects = db.session.scalar(
        db.select(db.func.count(Project.id)).where(Project.competition_id == competition.id, active)
    )
    participants = db.session.scalar(
        db.select(db.func.count(db.distinct(ProjectMember.participant_id)))
        .join(Project)
        .where(Project.competition_id == competition.id, active)
    )
    rows = db.session.execute(
        db.select(Project.subject_id, Project.division_id, db.func.count(Project.id))
        .where(Project.competition_id == competition.id, active)
        .group_by(Project.subject_id, Project.division_id)
    ).all()
    matrix = {(s, d): n for s, d, n in rows}
    unassigned = db.session.scalar(
        db.select(db.func.count(Participant.id)).where(
            Participant.competition_id == competition.id, ~Participant.memberships.any()
        )
    )
    return {
        "projects": projects,
        "participants": participants,
        "matrix": matrix,
        "without_project": unassigned,
    }
