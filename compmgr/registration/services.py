"""Registration rules: windows, participant checks, teams, divisions and what is missing."""

from datetime import date, datetime

from flask_babel import gettext as _

from compmgr.competitions.models import Status
from compmgr.competitions.phases import PHASES, phase
from compmgr.competitions.services import age_on, division_accepts_age, division_for
from compmgr.dates import show_date, today
from compmgr.extensions import db
from compmgr.registration.models import (
    ConsentKind,
    ConsentRecord,
    DocumentKind,
    Participant,
    Project,
    ProjectMember,
    ProjectStatus,
)
from compmgr.signals import project_registered

MIN_PLAUSIBLE_AGE = 6  # a first-grader; anyone younger is a typo in the birth date


class RuleError(Exception):
    """A registration rule refused an action; the message is for the user."""


def is_frozen(competition):
    """Say whether school edits are frozen (from judging on, as the phase says)."""
    return phase(competition).frozen


def registration_deadline_for(competition, school):
    """Return the last day a school may register, counting its own extension."""
    dates = [
        d for d in (competition.registration_deadline, school.registration_extended_until) if d
    ]
    return max(dates) if dates else None


def registration_open(competition, school, on=None):
    """Say whether a school may add or change entries on a given day.

    Registration is open while the competition's status is "registration open" and the day is
    not after the deadline. A school's extension also reopens it after the organiser closed
    registration, but never once judging has begun.
    """
    on = on or today()
    if is_frozen(competition):
        return False
    extended = school.registration_extended_until
    if (
        extended
        and on <= extended
        and competition.status in (Status.REGISTRATION_OPEN, Status.REGISTRATION_CLOSED)
    ):
        return True
    if competition.status != Status.REGISTRATION_OPEN:
        return False
    deadline = competition.registration_deadline
    return deadline is None or on <= deadline


def require_registration_open(competition, school, on=None):
    if not registration_open(competition, school, on):
        if is_frozen(competition):
            raise RuleError(str(phase(competition).school))
        raise RuleError(
            _("Die Anmeldung ist geschlossen. Bitte wenden Sie sich an die Wettbewerbsleitung.")
        )


def paper_upload_open(competition, on=None):
    """Say whether papers may be uploaded or replaced: until the paper deadline, not in judging."""
    on = on or today()
    if is_frozen(competition) or competition.status == Status.SETUP:
        return False
    return competition.paper_deadline is None or on <= competition.paper_deadline


# --- participants ---------------------------------------------------------------------------


def check_birth_and_grade(competition, birth_date, grade, on=None):
    """Return {field: message} for an implausible birth date, an age no division takes or a low grade."""
    on = on or today()
    errors = {}
    if birth_date is None:
        return errors
    age = age_on(birth_date, competition.age_cutoff)
    if birth_date >= on or birth_date.year < 1900 or age < MIN_PLAUSIBLE_AGE:
        errors["birth_date"] = _("Dieses Geburtsdatum ist nicht plausibel. Bitte prüfen Sie es.")
        return errors
    fitting = [d for d in competition.divisions if division_accepts_age(d, age)]
    if not fitting:
        errors["birth_date"] = _(
            "Mit %(age)s Jahren am Stichtag %(day)s passt keine Sparte dieses Wettbewerbs.",
            age=age,
            day=show_date(competition.age_cutoff),
        )
        return errors
    division = fitting[0]
    if grade is not None and division.min_grade and grade < division.min_grade:
        errors["grade"] = _(
            "In der Sparte %(division)s kann man ab Klasse %(grade)s teilnehmen.",
            division=division.name,
            grade=division.min_grade,
        )
    return errors


def find_duplicate(competition_id, first_name, last_name, birth_date, exclude_id=None):
    """Return the participant with the same name and birth date in the competition, if any.

    Names are compared case-insensitively in Python, since SQLite's lower() ignores umlauts.
    """
    query = db.select(Participant).where(
        Participant.competition_id == competition_id,
        Participant.birth_date == birth_date,
    )
    if exclude_id is not None:
        query = query.where(Participant.id != exclude_id)
    wanted = (first_name.strip().casefold(), last_name.strip().casefold())
    return next(
        (
            p
            for p in db.session.scalars(query)
            if (p.first_name.strip().casefold(), p.last_name.strip().casefold()) == wanted
        ),
        None,
    )


def consents_of(participant):
    """Return {kind: granted} of the consents in force (the latest record per kind)."""
    return {k.value: participant.has_consent(k) for k in ConsentKind}


def is_minor(participant_or_birth, on=None):
    birth = getattr(participant_or_birth, "birth_date", participant_or_birth)
    return age_on(birth, on or today()) < 18


def set_consents(participant, wanted, user=None):
    """Record the consents that changed; a parent gives them for minors."""
    current = consents_of(participant) if participant.id else {}
    given_by = "parent" if is_minor(participant) else "participant"
    for kind, granted in wanted.items():
        if current.get(kind) != bool(granted):
            participant.consents.append(
                ConsentRecord(
                    kind=kind,
                    granted=bool(granted),
                    given_by=given_by,
                    recorded_by_id=user.id if user is not None else None,
                )
            )


# --- projects -------------------------------------------------------------------------------


def active_projects_of(participant, exclude_project_id=None):
    return [
        m.project
        for m in participant.memberships
        if m.project.takes_part and m.project_id != exclude_project_id
    ]


def team_size_problem(competition, size):
    """Return why a team of size people is refused (none, or more than allowed), else None."""
    if size == 0:
        return _("Bitte wählen Sie mindestens eine Person für das Team.")
    if size > competition.max_team_size:
        return _(
            "Ein Team hat höchstens %(n)s Mitglieder; ausgewählt sind %(k)s.",
            n=competition.max_team_size,
            k=size,
        )
    return None


def speaker_problem(member_ids, speaker_id):
    """Return why the speaker is refused (not one of the team's members), else None."""
    if member_ids and speaker_id not in member_ids:
        return _("Die Gruppensprecherin oder der Gruppensprecher muss zum Team gehören.")
    return None


def abstract_problem(competition, abstract):
    """Return why an abstract is refused (longer than the competition allows), else None."""
    limit = competition.abstract_max_chars
    if abstract and len(abstract) > limit:
        return _(
            "Die Kurzfassung hat %(n)s Zeichen; erlaubt sind %(max)s.", n=len(abstract), max=limit
        )
    return None


def check_team(competition, school, participants, speaker, project=None):
    """Return error messages for a team: size, ownership, speaker and projects per participant."""
    errors = []
    if problem := team_size_problem(competition, len(participants)):
        errors.append(problem)
    for person in participants:
        if person.school_id != school.id or person.competition_id != competition.id:
            errors.append(_("%(name)s gehört nicht zu Ihrer Schule.", name=person.full_name))
            continue
        others = active_projects_of(person, exclude_project_id=project.id if project else None)
        if len(others) >= competition.max_projects_per_participant:
            errors.append(
                _(
                    "%(name)s ist schon im Projekt „%(title)s“ angemeldet. Jede Person darf nur in "
                    "%(n)s Projekt(en) mitmachen.",
                    name=person.full_name,
                    title=others[0].title,
                    n=competition.max_projects_per_participant,
                )
            )
    if problem := speaker_problem([p.id for p in participants], speaker.id if speaker else None):
        errors.append(problem)
    if participants and not errors:
        result = division_for(participants, competition.divisions, competition.age_cutoff)
        if result.division is None:
            errors.append(result.explain())
    return errors


def set_team(project, participants, speaker):
    """Replace the project's members, keeping the given order, and name the speaker."""
    wanted = {p.id for p in participants}
    for member in list(project.members):
        if member.participant_id not in wanted:
            project.members.remove(member)
    existing = {m.participant_id: m for m in project.members}
    for pos, person in enumerate(participants):
        member = existing.get(person.id)
        if member is None:
            member = ProjectMember(participant=person)
            project.members.append(member)
        member.position = pos
        member.is_speaker = person is speaker


def update_division(project, competition, participants=None):
    """Recompute the project's division from its team, unless it was promoted (Hochstufung)
    or no longer takes part (a withdrawn or rejected project stays as it was left)."""
    if project.promoted or not project.takes_part:
        return
    people = participants if participants is not None else project.participants
    project.division = division_for(people, competition.divisions, competition.age_cutoff).division


def division_explanation(project, competition):
    """Explain in words why the project is in its division."""
    if project.promoted:
        return _(
            "Sparte %(division)s durch Hochstufung: %(reason)s",
            division=project.division.name if project.division else "–",
            reason=project.promoted_reason,
        )
    return division_for(
        project.participants, competition.divisions, competition.age_cutoff
    ).explain()


def require_active(project):
    """Refuse changes to a withdrawn or rejected project: only the organisers reopen it."""
    if project is not None and not project.takes_part:
        raise RuleError(
            _(
                "Das Projekt ist „%(status)s“ und lässt sich nicht mehr ändern. Nur die "
                "Wettbewerbsleitung kann es wieder öffnen.",
                status=project.status_enum.label,
            )
        )


def save_project(competition, school, project, fields, participants, speaker, on=None):
    """Create or update a school's project with its team after checking every rule."""
    require_active(project)
    require_registration_open(competition, school, on)
    errors = check_team(competition, school, participants, speaker, project)
    if problem := abstract_problem(competition, fields.get("abstract")):
        errors.append(problem)
    if errors:
        raise RuleError(" ".join(str(e) for e in errors))
    new = project is None
    if new:
        project = Project(
            competition_id=competition.id, school=school, status=ProjectStatus.SUBMITTED
        )
        db.session.add(project)
    for name, value in fields.items():
        setattr(project, name, value)
    set_team(project, participants, speaker)
    update_division(project, competition, participants)
    if new:
        db.session.flush()
        project_registered.send(project, competition=competition)
    return project


def missing_items(project):
    """List what a project still lacks before the competition, in words (nothing once inactive)."""
    missing = []
    if not project.takes_part:
        return missing
    if not project.members:
        missing.append(_("Teilnehmende"))
    elif project.speaker is None:
        missing.append(_("Gruppensprecher(in)"))
    if not (project.abstract or "").strip():
        missing.append(_("Kurzfassung"))
    if not project.supervisor_name:
        missing.append(_("Betreuer(in)"))
    if project.document(DocumentKind.PAPER) is None:
        missing.append(_("Schriftliche Arbeit"))
    if project.involves_animals and project.document(DocumentKind.ANIMAL_FORM) is None:
        missing.append(_("Tierschutzformular"))
    for person in project.participants:
        if not person.has_consent(ConsentKind.PARTICIPATION):
            missing.append(_("Teilnahmeerklärung von %(name)s", name=person.full_name))
    return missing


MISSING_FILTERS = {
    "paper": lambda p: p.document(DocumentKind.PAPER) is None,
    "animal_form": lambda p: p.involves_animals and p.document(DocumentKind.ANIMAL_FORM) is None,
    "consent": lambda p: any(not x.has_consent(ConsentKind.PARTICIPATION) for x in p.participants),
    "speaker": lambda p: bool(p.members) and p.speaker is None,
    "any": lambda p: bool(missing_items(p)),
}


def parse_date(text):
    """Parse a German (17.05.2010) or ISO (2010-05-17) date; raise ValueError."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    text = (text or "").strip()
    if "." in text:
        day, month, year = (int(x) for x in text.split("."))
        if year < 100:
            raise ValueError(text)
        return date(year, month, day)
    return date.fromisoformat(text)


def closed_reason(comp, school, on=None):
    """Say in words why a school can no longer add or change entries (None while it can)."""
    on = on or today()
    if registration_open(comp, school, on):
        return None
    if is_frozen(comp):
        return phase(comp).school  # the phase's own words for schools (competitions.phases)
    if comp.status == Status.SETUP:
        return _("Die Anmeldung ist noch nicht geöffnet.")
    deadline = registration_deadline_for(comp, school)
    if deadline is not None and on > deadline:
        return _(
            "Der Anmeldeschluss war am %(day)s. Neue Personen und Projekte und Änderungen "
            "trägt jetzt nur noch die Wettbewerbsleitung ein: Bitte wenden Sie sich an sie.",
            day=show_date(deadline),
        )
    return _(
        "Die Wettbewerbsleitung hat die Anmeldung geschlossen. Bitte wenden Sie sich an sie, "
        "wenn noch etwas fehlt."
    )


def window_info(comp, school, on=None):
    """Say whether registration and paper upload are open for a school, and until when.

    ``label`` and ``text`` describe the phase as this school lives it, from the one phase
    definition: a deadline that has passed closes registration for the school although the
    competition's phase still says "open", and an extension opens it for this school alone.
    """
    on = on or today()
    current = phase(comp)
    is_open = registration_open(comp, school, on)
    deadline = registration_deadline_for(comp, school)
    label, text = current.label, current.school
    if is_open:
        label = Status.REGISTRATION_OPEN.label
        text = (
            _("Die Anmeldung ist offen bis einschließlich %(day)s.", day=show_date(deadline))
            if deadline
            else current.school
        )
    elif comp.status in (Status.REGISTRATION_OPEN, Status.REGISTRATION_CLOSED):
        label = Status.REGISTRATION_CLOSED.label
        if comp.status == Status.REGISTRATION_OPEN and deadline and on > deadline:
            text = _(
                "Die Anmeldefrist ist am %(day)s abgelaufen. Sie können Ihre Angaben ansehen, "
                "aber nicht mehr ändern.",
                day=show_date(deadline),
            )
        else:
            text = PHASES[Status.REGISTRATION_CLOSED].school
    return {
        "open": is_open,
        "frozen": is_frozen(comp),
        "deadline": deadline,
        "paper_open": paper_upload_open(comp),
        "reason": closed_reason(comp, school, on),
        "label": label,
        "text": text,
    }


def other_projects(people, project=None):
    """Return {participant id: titles of the other projects they take part in} for the team
    picker: who is free, and where the others are already."""
    return {
        person.id: [p.title for p in active_projects_of(person, project.id if project else None)]
        for person in people
    }
