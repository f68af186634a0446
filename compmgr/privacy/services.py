"""The access log page's query, subject access and deletion on request.

The consent in force and the public name are the participant's (registration.models).
"""

from dataclasses import dataclass, field

from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import selectinload

from compmgr import storage
from compmgr.audit.access_log import log_access
from compmgr.audit.models import AccessAction, AccessLogEntry
from compmgr.extensions import db
from compmgr.registration.models import ConsentKind, ConsentRecord, Participant
from compmgr.registration.services import update_division

# --- access log ------------------------------------------------------------------------------


def _names_person(participant_id):
    """The condition "the entry is about this participant": alone, or in its list (JSON)."""
    if db.engine.dialect.name == "postgresql":
        in_list = db.cast(AccessLogEntry.participant_ids, JSONB).contains([participant_id])
    else:  # SQLite: the list's elements as a table
        each = db.func.json_each(AccessLogEntry.participant_ids).table_valued("value")
        in_list = db.exists(db.select(each.c.value).where(each.c.value == participant_id))
    return (AccessLogEntry.participant_id == participant_id) | in_list


def access_log_query(participant_id=None, competition_id=None):
    """Return the query of the access log, newest first, optionally about one participant or
    competition; the database does the filtering, however long the log has grown."""
    query = (
        db.select(AccessLogEntry)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
        .options(selectinload(AccessLogEntry.user))
    )
    if competition_id is not None:
        query = query.where(AccessLogEntry.competition_id == competition_id)
    if participant_id is not None:
        query = query.where(_names_person(participant_id))
    return query


def access_log(participant_id=None, competition_id=None, limit=500):
    """Return the newest access log entries, optionally about one participant or competition."""
    query = access_log_query(participant_id, competition_id)
    return db.session.scalars(query.limit(limit)).all()


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
    return {k.value: participant.consent(k) for k in ConsentKind}


__all__ = [
    "ConsentRecord",
    "log_access",
    "access_log",
    "deletion_plan",
    "delete_participant",
    "latest_consents",
    "consent_rows",
]
