"""The school's access: the role decorator that sets the school, and the loaders.

Auth's ``role_required`` sets the competition, the grant and the role; ``school_required``
adds ``g.school``, the school of the current grant. The loaders answer 404 for what is not
the school's (or not the competition's).
"""

from functools import wraps

from flask import abort, g
from sqlalchemy.orm import joinedload

from compmgr.auth import sessions
from compmgr.auth.access import role_required
from compmgr.auth.models import Role, RoleGrant, User
from compmgr.extensions import db
from compmgr.registration.models import (
    Participant,
    Project,
    participant_list_options,
    project_list_options,
)
from compmgr.sorting import by_name, by_text


def _with_grant_schools(query):
    """Add the schools of the user's grants to the user loader's statement (``g.grant.school``
    then needs none of its own)."""
    return query.options(joinedload(User.grants).joinedload(RoleGrant.school))


def school_required(view):
    """Let in the schools of the competition named by ``cid``; set ``g.school``."""

    @wraps(view)
    def with_school(*args, **kwargs):
        g.school = g.grant.school
        return view(*args, **kwargs)

    return sessions.preloads(_with_grant_schools)(role_required(Role.SCHOOL)(with_school))


def own_project_or_404(cid, project_id):
    """Load a project of the current school in this competition, or 404."""
    project = db.session.get(Project, project_id)
    if project is None or project.competition_id != cid or project.school_id != g.school.id:
        abort(404)
    return project


def own_participant_or_404(cid, participant_id):
    """Load a participant of the current school in this competition, or 404."""
    person = db.session.get(Participant, participant_id)
    if person is None or person.competition_id != cid or person.school_id != g.school.id:
        abort(404)
    return person


def visible_participant_or_404(cid, participant_id):
    """Load a participant of this competition: any for organisers, a school's own for a school."""
    person = db.session.get(Participant, participant_id)
    if person is None or person.competition_id != cid:
        abort(404)
    if g.role == Role.SCHOOL and person.school_id != g.grant.school_id:
        abort(404)
    return person


def competition_project_or_404(cid, project_id):
    """Load any project of this competition (for organisers), or 404."""
    project = db.session.get(Project, project_id)
    if project is None or project.competition_id != cid:
        abort(404)
    return project


def school_projects(cid):
    """Return the current school's projects in this competition, by title."""
    return by_text(
        db.session.scalars(
            db.select(Project)
            .filter_by(competition_id=cid, school_id=g.school.id)
            .options(*project_list_options())
        ).all(),
        lambda p: p.title,
    )


def school_participants(cid):
    """Return the current school's participants in this competition, by name."""
    return by_name(
        db.session.scalars(
            db.select(Participant)
            .filter_by(competition_id=cid, school_id=g.school.id)
            .options(*participant_list_options())
        ).all()
    )
