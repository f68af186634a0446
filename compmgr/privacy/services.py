"""Consent in force, consent-following names, the access log, subject access and deletion."""

from dataclasses import dataclass, field

from flask import has_request_context, request
from flask_babel import gettext as _

from compmgr import storage
from compmgr.database import utcnow, writing
from compmgr.extensions import db
from compmgr.privacy.models import AccessAction, AccessLogEntry
from compmgr.registration.models import ConsentKind, ConsentRecord, Participant

# --- consent ---------------------------------------------------------------------------------


def current_consent(participant, kind):
    """Return the consent record in force for one kind (the latest), or None."""
    kind = ConsentKind(kind).value
    records = [r for r in participant.consents if r.kind == kind]
    if not records:
        return None
    return max(records, key=lambda r: (r.given_at, r.id or 0))


def consent_granted(participant, kind):
    """Tell whether the consent in force for kind is a "yes" (no record counts as "no")."""
    record = current_consent(participant, kind)
    return bool(record and record.granted)


def display_name(participant):
    """Return the participant's name if publication is allowed, else a description by school."""
    if consent_granted(participant, ConsentKind.PUBLICATION):
        return participant.full_name
    return _("Teilnehmerin/Teilnehmer der Schule „%(school)s“", school=participant.school.name)


# --- access log ------------------------------------------------------------------------------


def _ids(participants):
    if participants is None:
        return []
    if isinstance(participants, (Participant, int)):
        participants = [participants]
    return sorted({p if isinstance(p, int) else p.id for p in participants})


def log_access(user, action, participants, competition_id=None, endpoint=None, commit=True):
    """Record that user viewed, exported, downloaded or deleted participants' personal data.

    ``participants`` is one participant (or id) or a list; an empty list records nothing.
    The entry is committed at once, in a short write transaction of its own after the page's
    reads (see database.writing: a read never fails because another write committed meanwhile),
    unless ``commit`` is False (then it goes with the caller's transaction, e.g. a deletion
    that must be logged only if it happens).
    """
    ids = _ids(participants)
    if not ids:
        return None
    if endpoint is None:
        endpoint = (request.endpoint or "") if has_request_context() else "cli"
    entry = AccessLogEntry(
        at=utcnow(), user_id=getattr(user, "id", None), competition_id=competition_id,
        action=AccessAction(action).value, endpoint=endpoint[:100],
        participant_id=ids[0] if len(ids) == 1 else None,
        participant_ids=None if len(ids) == 1 else ids,
    )
    if not commit:
        db.session.add(entry)
        return entry
    with writing():
        db.session.add(entry)
        db.session.commit()
    return entry


def competition_participant_ids(competition_id):
    """Return the ids of every participant of a competition (for logging whole exports)."""
    return db.session.scalars(
        db.select(Participant.id).filter_by(competition_id=competition_id)
    ).all()


def access_log(participant_id=None, competition_id=None, limit=500):
    """Return the newest access log entries, optionally about one participant or competition."""
    query = db.select(AccessLogEntry).order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
    if competition_id is not None:
        query = query.where(AccessLogEntry.competition_id == competition_id)
    rows = db.session.scalars(query.limit(None if participant_id else limit)).all()
    if participant_id is not None:
        rows = [r for r in rows if r.participant_id == participant_id
                or participant_id in (r.participant_ids or [])][:limit]
    return rows


# --- deletion on request -------------------------------------------------------------------


@dataclass
class DeletionPlan:
    """What deleting one participant does, shown before it is done."""

    participant: Participant
    removed_projects: list = field(default_factory=list)  # projects left without members
    shrunk_projects: list = field(default_factory=list)  # projects that lose one member
    files: list = field(default_factory=list)  # documents of removed projects
    consent_records: int = 0
    new_speakers: dict = field(default_factory=dict)  # project id -> participant taking over
    stored_names: list = field(default_factory=list)  # files to remove after the commit


def deletion_plan(participant):
    """Work out the consequences of deleting one participant, without changing anything."""
    plan = DeletionPlan(participant=participant, consent_records=len(participant.consents))
    for membership in participant.memberships:
        project = membership.project
        others = [m for m in project.members if m.participant_id != participant.id]
        if not others:
            plan.removed_projects.append(project)
            plan.files.extend(project.documents)
            plan.stored_names.extend(d.stored_name for d in project.documents)
        else:
            plan.shrunk_projects.append(project)
            if membership.is_speaker:
                plan.new_speakers[project.id] = others[0].participant
    return plan


def delete_participant(participant, user=None):
    """Delete a participant on request, with the projects left empty and their files.

    A team that keeps members gets the next member as Gruppensprecher(in) if needed and its
    division is derived again. The deletion is logged in the same transaction; the caller
    commits and then removes ``plan.stored_names`` from storage.
    """
    from compmgr.registration.services import update_division

    plan = deletion_plan(participant)
    competition = participant.school.competition
    for project in plan.removed_projects:
        db.session.delete(project)
    for project in plan.shrunk_projects:
        project.members = [m for m in project.members if m.participant_id != participant.id]
        if project.id in plan.new_speakers:
            project.members[0].is_speaker = True
        for pos, m in enumerate(project.members):
            m.position = pos
    pid, cid = participant.id, participant.competition_id
    db.session.delete(participant)
    db.session.flush()
    for project in plan.shrunk_projects:
        update_division(project, competition)
    log_access(user, AccessAction.DELETE, pid, competition_id=cid, commit=False)
    return plan


def remove_files(stored_names):
    """Delete stored files once the rows that named them are committed as gone."""
    for name in stored_names:
        storage.delete(name)


def consent_rows(participant):
    """Return every consent record of a participant, oldest first, for display and export."""
    return sorted(participant.consents, key=lambda r: (r.given_at, r.id or 0))


def latest_consents(participant):
    """Return {kind: record or None} of the records in force."""
    return {k.value: current_consent(participant, k) for k in ConsentKind}


__all__ = ["ConsentRecord", "current_consent", "consent_granted", "display_name", "log_access",
           "access_log", "deletion_plan", "delete_participant", "latest_consents", "consent_rows"]
