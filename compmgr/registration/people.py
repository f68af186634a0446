"""Participants and schools: saving a school's participant, and a competition's people."""

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from compmgr.extensions import db
from compmgr.registration.models import (
    Participant,
    Project,
    ProjectMember,
    School,
    participant_list_options,
)
from compmgr.registration.services import RuleError, find_duplicate, set_consents, update_division
from compmgr.sorting import by_name, by_school, by_text


class DuplicateParticipant(RuleError):
    """Someone with the same name and birth date is registered already (``duplicate``)."""

    def __init__(self, duplicate):
        super().__init__(
            _("Diese Person (gleicher Name und gleiches Geburtsdatum) ist schon angemeldet.")
        )
        self.duplicate = duplicate


PERSON_FIELDS = ("first_name", "last_name", "birth_date", "grade", "email", "phone", "gender")


def save_participant(competition, school, person, fields, consents, user=None):
    """Create or update a school's participant with the consents; their teams' divisions follow.

    ``fields`` holds PERSON_FIELDS, ``consents`` {kind: granted}. Raises DuplicateParticipant
    when the name and birth date are taken, found here or by the database's unique constraint
    (then the session is rolled back). Returns the participant, flushed, uncommitted.
    """
    duplicate = find_duplicate(
        competition.id,
        fields["first_name"],
        fields["last_name"],
        fields["birth_date"],
        exclude_id=person.id if person else None,
    )
    if duplicate is not None:
        raise DuplicateParticipant(duplicate)
    if person is None:
        person = Participant(competition_id=competition.id, school_id=school.id)
        db.session.add(person)
    for name in PERSON_FIELDS:
        value = fields[name]
        if name in ("phone", "gender"):
            value = value or ""
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    set_consents(person, consents, user=user)
    for membership in person.memberships:
        update_division(membership.project, competition)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DuplicateParticipant(
            find_duplicate(
                competition.id, fields["first_name"], fields["last_name"], fields["birth_date"]
            )
        ) from None
    return person


def competition_participant_ids(competition_id):
    """Return the ids of every participant of a competition (for logging whole exports)."""
    return db.session.scalars(
        db.select(Participant.id).filter_by(competition_id=competition_id)
    ).all()


def schools_of(competition_id):
    """Return the competition's schools in the order of their names."""
    return by_school(
        db.session.scalars(db.select(School).filter_by(competition_id=competition_id)).all()
    )


def participants_of(competition_id, school_id):
    """Return one school's participants in this competition, by name, with their consents and
    projects (the school page, the team picker)."""
    return by_name(
        db.session.scalars(
            db.select(Participant)
            .filter_by(competition_id=competition_id, school_id=school_id)
            .options(*participant_list_options())
        ).all()
    )


def projects_of(competition_id, school_id):
    """Return one school's projects in this competition, by title, with their teams."""
    return by_text(
        db.session.scalars(
            db.select(Project)
            .filter_by(competition_id=competition_id, school_id=school_id)
            .order_by(Project.id)
            .options(selectinload(Project.members).selectinload(ProjectMember.participant))
        ).all(),
        lambda p: p.title,
    )
