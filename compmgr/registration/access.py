"""Object checks, the second access layer: a school sees only its own entries."""

from flask import abort, g

from compmgr.extensions import db
from compmgr.registration.models import Participant, Project


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


def competition_project_or_404(cid, project_id):
    """Load any project of this competition (for organisers), or 404."""
    project = db.session.get(Project, project_id)
    if project is None or project.competition_id != cid:
        abort(404)
    return project
