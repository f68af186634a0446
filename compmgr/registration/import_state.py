"""What a registration import needs to know of a competition, read in a few queries.

Rows of schools, participants, projects and team memberships, and the settings the checks
use. The import checks the file against one State in a read transaction, then reads it again
under the write lock: if both are equal, the checks still hold and the prepared writes go in.
"""

from dataclasses import dataclass, field

from compmgr.competitions.models import Competition, Division, Subject
from compmgr.extensions import db
from compmgr.registration.models import Participant, Project, ProjectMember, ProjectStatus, School


def person_key(first_name, last_name, birth_date):
    """Match a person as services.find_duplicate does: names without case and outer spaces."""
    return (str(first_name).strip().casefold(), str(last_name).strip().casefold(), birth_date)


def school_key(name, city):
    """Match a school by name and city without case and outer spaces."""
    return (str(name).strip().casefold(), str(city or "").strip().casefold())


def _rows(*columns, where, order):
    return tuple(db.session.execute(db.select(*columns).where(where).order_by(*order)).all())


@dataclass
class State:
    """One competition's rows as plain tuples; equal States mean nothing changed in between."""

    settings: tuple
    schools: tuple
    participants: tuple
    projects: tuple
    members: tuple
    index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        first_person = {}
        for p in self.participants:
            first_person.setdefault(person_key(p.first_name, p.last_name, p.birth_date), p)
        members_of, memberships = {}, {}
        for m in self.members:
            members_of.setdefault(m.project_id, []).append(m)
            memberships.setdefault(m.participant_id, []).append(m)
        self.index = {
            "school": {s.id: s for s in self.schools},
            "school_by_key": {school_key(s.name, s.city): s for s in self.schools},
            "person": {p.id: p for p in self.participants},
            "person_by_key": first_person,
            "project": {p.id: p for p in self.projects},
            "project_by_key": {p.key: p for p in self.projects if p.key is not None},
            "members_of": members_of,
            "memberships": memberships,
        }

    def school(self, school_id):
        return self.index["school"][school_id]

    def find_school(self, name, city):
        return self.index["school_by_key"].get(school_key(name, city))

    def person(self, participant_id):
        return self.index["person"][participant_id]

    def find_person(self, first_name, last_name, birth_date):
        return self.index["person_by_key"].get(person_key(first_name, last_name, birth_date))

    def project_by_key(self, key):
        return self.index["project_by_key"].get(key)

    def members_of(self, project_id):
        """Return a project's memberships in team order."""
        return sorted(
            self.index["members_of"].get(project_id, []), key=lambda m: (m.position, m.id)
        )

    def active_projects_of(self, participant_id):
        """Return the projects a participant is in that still take part (as services.active_projects_of)."""
        projects = (
            self.index["project"][m.project_id]
            for m in self.index["memberships"].get(participant_id, [])
        )
        return [p for p in projects if ProjectStatus(p.status).takes_part]


def school_label(school):
    """Name a school as School.label does."""
    return f"{school.name}, {school.city}" if school.city else school.name


def load_state(competition):
    """Read what the import needs of one competition: five queries, whatever its size."""
    cid = competition.id
    settings = (
        _rows(
            Competition.age_cutoff,
            Competition.max_team_size,
            Competition.max_projects_per_participant,
            Competition.abstract_max_chars,
            where=Competition.id == cid,
            order=[Competition.id],
        ),
        _rows(
            Subject.id,
            Subject.name,
            Subject.code,
            Subject.position,
            where=Subject.competition_id == cid,
            order=[Subject.id],
        ),
        _rows(
            Division.id,
            Division.code,
            Division.name,
            Division.min_age,
            Division.max_age,
            Division.min_grade,
            Division.position,
            where=Division.competition_id == cid,
            order=[Division.id],
        ),
    )
    return State(
        settings=settings,
        schools=_rows(
            School.id,
            School.name,
            School.city,
            where=School.competition_id == cid,
            order=[School.id],
        ),
        participants=_rows(
            Participant.id,
            Participant.school_id,
            Participant.first_name,
            Participant.last_name,
            Participant.birth_date,
            Participant.grade,
            Participant.email,
            Participant.phone,
            where=Participant.competition_id == cid,
            order=[Participant.id],
        ),
        projects=_rows(
            Project.id,
            Project.key,
            Project.school_id,
            Project.subject_id,
            Project.division_id,
            Project.status,
            Project.promoted,
            Project.title,
            Project.abstract,
            Project.supervisor_name,
            Project.supervisor_email,
            where=Project.competition_id == cid,
            order=[Project.id],
        ),
        members=_rows(
            ProjectMember.id,
            ProjectMember.project_id,
            ProjectMember.participant_id,
            ProjectMember.is_speaker,
            ProjectMember.position,
            where=ProjectMember.project_id.in_(
                db.select(Project.id).where(Project.competition_id == cid)
            ),
            order=[ProjectMember.id],
        ),
    )
