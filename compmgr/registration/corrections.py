"""The organiser's corrections: any project, team, participant or school, in any phase.

Schools change their entries only while registration is open; the organisers correct
whatever a school got wrong at any time, also after the deadline and for a school without an
account. The team rules (size, speaker, projects per participant, a Sparte for the team)
hold for them too; the registration window does not. Every correction is in the audit trail.
"""

from flask_babel import gettext as _

from compmgr import signals
from compmgr.audit.labels import FIELD_LABELS
from compmgr.audit.services import record
from compmgr.competitions.services import division_for
from compmgr.extensions import db
from compmgr.registration import people, services
from compmgr.registration.models import Project, ProjectStatus, School
from compmgr.registration.services import RuleError

# The project's fields an organiser corrects besides the team and the school.
FIELDS = (
    "title",
    "abstract",
    "subject_id",
    "supervisor_name",
    "supervisor_email",
    "needs_space",
    "needs_power",
    "needs_water",
    "needs_gas",
    "needs_notes",
    "involves_animals",
    "patent_consultation",
    "remote_link",
)
# What the audit entry names (the rest is recorded as "changed" without the text).
SHOWN = ("title", "subject", "school_name", "team", "speaker")


def _snapshot(project):
    return {
        "title": project.title,
        "subject": project.subject.name if project.subject else None,
        "school_name": project.school.label if project.school else None,
        "team": ", ".join(p.full_name for p in project.participants),
        "speaker": project.speaker.full_name if project.speaker else None,
        **{name: getattr(project, name) for name in FIELDS if name not in ("title", "subject_id")},
    }


def create_school(competition, name, city=""):
    """Add a school (one without an account too); name and city are unique in the competition."""
    name, city = name.strip(), (city or "").strip()
    taken = db.session.execute(
        db.select(School).filter_by(competition_id=competition.id, name=name, city=city)
    ).scalar_one_or_none()
    if taken is not None:
        raise RuleError(_("Die Schule „%(school)s“ gibt es schon.", school=taken.label))
    school = School(competition_id=competition.id, name=name, city=city)
    db.session.add(school)
    db.session.flush()
    record("school.create", school, after={"name": name, "city": city})
    return school


def team_candidates(competition, school, project=None):
    """Return the people a team may be picked from: the school's, and the project's own team."""
    found = people.participants_of(competition.id, school.id)
    if project is not None:
        found += [p for p in project.participants if p not in found]
    return found


def _move_team(competition, project, school, team):
    """Move the team of a project that changes school along with it, or refuse.

    A member who is also in another project of the old school that still takes part cannot
    move: two schools would then claim the same person.
    """
    for person in team:
        if person.school_id == school.id:
            continue
        elsewhere = [
            p
            for p in services.active_projects_of(person, project.id if project else None)
            if p.school_id == person.school_id
        ]
        if elsewhere:
            raise RuleError(
                _(
                    "%(name)s ist auch im Projekt „%(title)s“ der bisherigen Schule und kann "
                    "nicht mit umziehen.",
                    name=person.full_name,
                    title=elsewhere[0].title,
                )
            )
        person.school = school


def correct_project(competition, project, school, fields, team, speaker):
    """Create (project None) or correct a project of any school; return it, flushed.

    ``fields`` holds FIELDS, ``team`` the participants in order, ``speaker`` one of them.
    When the school changes, the team moves with the project (see _move_team). Raises
    RuleError with every broken team rule; nothing is changed then.
    """
    if school.competition_id != competition.id:
        raise RuleError(_("Bitte wählen Sie eine Schule dieses Wettbewerbs."))
    outsiders = [
        p
        for p in team
        if p.competition_id != competition.id
        or (p.school_id != school.id and p not in (project.participants if project else []))
    ]
    if outsiders:
        raise RuleError(_("%(name)s gehört nicht zu dieser Schule.", name=outsiders[0].full_name))
    # The rules of the school's form (services.check_team), its membership check aside: a
    # team that changes school moves with its project.
    errors = []
    if problem := services.team_size_problem(competition, len(team)):
        errors.append(problem)
    for person in team:
        others = services.active_projects_of(person, project.id if project else None)
        if len(others) >= competition.max_projects_per_participant:
            errors.append(
                _(
                    "%(name)s ist schon im Projekt „%(title)s“ angemeldet.",
                    name=person.full_name,
                    title=others[0].title,
                )
            )
    if problem := services.speaker_problem([p.id for p in team], speaker.id if speaker else None):
        errors.append(problem)
    if problem := services.abstract_problem(competition, fields.get("abstract")):
        errors.append(problem)
    if team and not errors:
        result = division_for(team, competition.divisions, competition.age_cutoff)
        if result.division is None:
            errors.append(result.explain())
    if errors:
        raise RuleError(" ".join(str(e) for e in errors))
    before = _snapshot(project) if project is not None else None
    if project is None:
        project = Project(
            competition_id=competition.id, school=school, status=ProjectStatus.SUBMITTED
        )
        db.session.add(project)
    if project.school_id != school.id:
        _move_team(competition, project, school, team)
        project.school = school
    for name, value in fields.items():
        setattr(project, name, value)
    services.set_team(project, team, speaker)
    db.session.flush()
    services.update_division(project, competition, team)
    after = _snapshot(project)
    if before is None:
        record(
            "project.create_by_organiser",
            project,
            after={k: after[k] for k in SHOWN},
        )
    else:
        changed = [k for k in after if after[k] != before[k]]
        if changed:
            record(
                "project.correct",
                project,
                before={k: before[k] for k in changed if k in SHOWN},
                after={
                    **{k: after[k] for k in changed if k in SHOWN},
                    "fields": ", ".join(k for k in changed if k not in SHOWN) or None,
                },
            )
            # messaging mails the school what the organisers changed, named as on the form
            signals.project_corrected.send(
                project, changes=[FIELD_LABELS.get(k, k) for k in changed]
            )
    return project


def correct_participant(competition, school, person, fields, consents, user=None):
    """Create or correct a participant of any school; the audit names the changed fields.

    The rules are the school's (people.save_participant: no duplicate name and birth date);
    the registration window is not asked.
    """
    before = {name: getattr(person, name) for name in people.PERSON_FIELDS} if person else None
    before_consents = services.consents_of(person) if person else {}
    saved = people.save_participant(competition, school, person, fields, consents, user=user)
    after = {name: getattr(saved, name) for name in people.PERSON_FIELDS}
    changed = [k for k in after if before is None or after[k] != before[k]]
    changed += [
        f"consent_{k}" for k, v in consents.items() if bool(v) != before_consents.get(k, False)
    ]
    if before is None or changed:
        record(
            "participant.create_by_organiser" if before is None else "participant.correct",
            saved,
            after={
                "school": saved.school.label if saved.school else None,
                "name": saved.full_name,
                "fields": ", ".join(changed),
            },
        )
    return saved
