"""Import registrations from CSV or XLSX, one row per participant, all or nothing.

The columns are documented in README.md ("Import format"). Every row is checked with the same
rules as the school's forms before anything is written; one bad row and nothing is saved.
Projects are matched by their key, participants by name and birth date, schools by name and
city, so importing the same file twice creates no duplicates.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from compmgr.competitions.services import division_for
from compmgr.extensions import db
from compmgr.registration import services
from compmgr.registration.import_format import (
    MAX_LENGTHS,
    NO,
    REQUIRED,
    TITLES,
    YES,
    ImportFailed,
    norm,
    read_rows,
)
from compmgr.registration.models import Participant, Project, ProjectMember, ProjectStatus, School


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)

    def summary(self):
        """Say what the import did, each count with its own singular or plural."""
        c = self.counts
        parts = [
            ngettext("%(num)d Zeile", "%(num)d Zeilen", c["rows"]),
            ngettext("%(num)d Projekt neu", "%(num)d Projekte neu", c["projects_created"]),
            ngettext("%(num)d Projekt aktualisiert", "%(num)d Projekte aktualisiert", c["projects_updated"]),
            ngettext("%(num)d Teilnehmer(in) neu", "%(num)d Teilnehmende neu", c["participants_created"]),
            ngettext("%(num)d Teilnehmer(in) aktualisiert", "%(num)d Teilnehmende aktualisiert",
                     c["participants_updated"]),
            ngettext("%(num)d Schule neu", "%(num)d Schulen neu", c["schools_created"]),
        ]
        return _("Import abgeschlossen: %(details)s.", details=", ".join(parts))


@dataclass
class _Row:
    line: int
    data: dict
    birth: date | None = None
    grade: int | None = None
    subject: object = None
    speaker: bool = False


def _check_row(competition, row, subjects):
    """Return a list of messages for one row."""
    d, errors = row.data, []
    for name in REQUIRED:
        if not str(d.get(name, "")).strip():
            errors.append(_("%(col)s fehlt", col=TITLES[name]))
    if errors:
        return errors
    row.subject = subjects.get(norm(d["subject"]))
    if row.subject is None:
        errors.append(_("unbekanntes Fachgebiet „%(v)s“", v=d["subject"]))
    try:
        row.birth = services.parse_date(d["birth_date"])
    except (ValueError, TypeError):
        errors.append(_("Geburtsdatum „%(v)s“ ist kein Datum wie 17.05.2010", v=d["birth_date"]))
    try:
        row.grade = int(str(d["grade"]).strip().rstrip("."))
        if not 1 <= row.grade <= 13:
            raise ValueError
    except ValueError:
        errors.append(_("Klasse „%(v)s“ ist keine Zahl von 1 bis 13", v=d["grade"]))
    if row.birth and row.grade:
        errors.extend(services.check_birth_and_grade(competition, row.birth, row.grade).values())
    speaker = norm(d.get("speaker", ""))
    if speaker not in YES | NO:
        errors.append(_("Gruppensprecher(in) muss „ja“ oder „nein“ sein, nicht „%(v)s“", v=d["speaker"]))
    row.speaker = speaker in YES
    for name in ("email", "supervisor_email"):
        value = str(d.get(name, "")).strip()
        if value and ("@" not in value or " " in value):
            errors.append(_("„%(v)s“ ist keine gültige E-Mail-Adresse", v=value))
    for name, limit in MAX_LENGTHS.items():
        if len(str(d.get(name, "")).strip()) > limit:
            errors.append(_("%(col)s ist länger als %(n)s Zeichen", col=TITLES[name], n=limit))
    if len(str(d.get("abstract", ""))) > competition.abstract_max_chars:
        errors.append(_("die Kurzfassung ist länger als %(n)s Zeichen", n=competition.abstract_max_chars))
    return errors


def _person_key(row):
    return (norm(row.data["first_name"]), norm(row.data["last_name"]), row.birth)


def _school_key(name, city):
    return (str(name).strip().casefold(), str(city or "").strip().casefold())


def check(competition, rows):
    """Check every row and the rules across rows; return the parsed rows or raise ImportFailed."""
    subjects = {}
    for s in competition.subjects:
        subjects[norm(s.name)] = s
        if s.code:
            subjects.setdefault(norm(s.code), s)
    parsed, errors = [], []
    for line, data in rows:
        row = _Row(line, data)
        problems = _check_row(competition, row, subjects)
        errors.extend((line, p) for p in problems)
        parsed.append(row)
    if errors:
        raise ImportFailed(errors)
    errors.extend(_check_projects(competition, parsed))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e[0]))
    return parsed


def _check_projects(competition, rows):
    errors = []
    by_key, seen_person = {}, {}
    for row in rows:
        by_key.setdefault(str(row.data["key"]).strip(), []).append(row)
    existing = {p.key: p for p in db.session.scalars(
        db.select(Project).where(Project.competition_id == competition.id, Project.key.isnot(None)))}
    for key, group in by_key.items():
        first = group[0]
        for row in group[1:]:
            for name, title in (("title", _("Projekttitel")), ("subject", _("Fachgebiet")),
                                ("school", _("Schule")), ("city", _("Ort"))):
                if norm(row.data.get(name)) != norm(first.data.get(name)):
                    errors.append((row.line, _("%(col)s weicht von Zeile %(first)s ab (gleicher "
                                               "Projektschlüssel %(key)s)", col=title, first=first.line, key=key)))
        people = {}
        for row in group:
            pk = _person_key(row)
            if pk in people:
                errors.append((row.line, _("dieselbe Person steht schon in Zeile %(n)s", n=people[pk].line)))
            people[pk] = row
            seen_person.setdefault(pk, []).append((key, row))
        project = existing.get(key)
        if project is not None and _school_key(project.school.name, project.school.city) != _school_key(
                first.data["school"], first.data.get("city")):
            errors.append((first.line, _("Projektschlüssel %(key)s gehört schon zu %(school)s",
                                         key=key, school=project.school.label)))
        team = set(people)
        if project is not None:
            team |= {(norm(p.first_name), norm(p.last_name), p.birth_date) for p in project.participants}
        if len(team) > competition.max_team_size:
            errors.append((group[-1].line, _("Projekt %(key)s hätte %(n)s Mitglieder; erlaubt sind "
                                             "höchstens %(max)s", key=key, n=len(team), max=competition.max_team_size)))
        speakers = [r for r in group if r.speaker]
        if len(speakers) > 1:
            errors.append((speakers[1].line, _("Projekt %(key)s hat mehr als eine(n) Gruppensprecher(in) "
                                               "(auch Zeile %(n)s)", key=key, n=speakers[0].line)))
        elif not speakers and len(group) > 1:
            errors.append((first.line, _("Projekt %(key)s hat keine(n) Gruppensprecher(in); bitte bei "
                                         "einer Person „ja“ eintragen", key=key)))
        result = division_for([_Birth(r.birth) for r in group], competition.divisions, competition.age_cutoff)
        if result.division is None:
            errors.append((first.line, _("für Projekt %(key)s passt keine Sparte", key=key)))
    errors.extend(_check_people(competition, seen_person))
    return errors


@dataclass
class _Birth:
    birth_date: date
    first_name: str = ""
    last_name: str = ""


def _check_people(competition, seen_person):
    errors = []
    limit = competition.max_projects_per_participant
    for (_first, _last, birth), entries in seen_person.items():
        row = entries[0][1]
        keys = {k for k, _r in entries}
        person = services.find_duplicate(competition.id, row.data["first_name"], row.data["last_name"], birth)
        if person is not None:
            if _school_key(person.school.name, person.school.city) != _school_key(
                    row.data["school"], row.data.get("city")):
                errors.append((row.line, _("%(name)s ist schon für %(school)s angemeldet",
                                           name=person.full_name, school=person.school.label)))
            keys |= {p.key or f"#{p.id}" for p in services.active_projects_of(person)}
        if len(keys) > limit:
            errors.append((entries[-1][1].line, _(
                "%(first)s %(last)s wäre in %(n)s Projekten; erlaubt ist %(max)s",
                first=row.data["first_name"], last=row.data["last_name"], n=len(keys), max=limit)))
    return errors


def apply(competition, rows, user=None):
    """Write checked rows: create or update schools, participants, projects and teams."""
    counts = dict(rows=len(rows), schools_created=0, participants_created=0, participants_updated=0,
                  projects_created=0, projects_updated=0)
    schools = {_school_key(s.name, s.city): s for s in db.session.scalars(
        db.select(School).filter_by(competition_id=competition.id))}
    projects, touched = {}, set()
    existed, changed = set(), set()  # project keys; only a real change counts as "updated"
    for row in rows:
        d = row.data
        skey = _school_key(d["school"], d.get("city"))
        school = schools.get(skey)
        if school is None:
            school = School(competition_id=competition.id, name=str(d["school"]).strip(),
                            city=str(d.get("city") or "").strip())
            db.session.add(school)
            schools[skey] = school
            counts["schools_created"] += 1
        person = services.find_duplicate(competition.id, d["first_name"], d["last_name"], row.birth)
        if person is None:
            person = Participant(competition_id=competition.id, school=school,
                                 first_name=str(d["first_name"]).strip(),
                                 last_name=str(d["last_name"]).strip(), birth_date=row.birth)
            db.session.add(person)
            counts["participants_created"] += 1
        person.grade = row.grade
        if str(d.get("email", "")).strip():
            person.email = str(d["email"]).strip()
        if str(d.get("phone", "")).strip():
            person.phone = str(d["phone"]).strip()
        if person.id is not None and db.session.is_modified(person):
            counts["participants_updated"] += 1  # only a real change counts
        key = str(d["key"]).strip()
        project = projects.get(key) or db.session.scalars(
            db.select(Project).filter_by(competition_id=competition.id, key=key)).first()
        if key not in projects:
            if project is None:
                project = Project(competition_id=competition.id, school=school, key=key,
                                  status=ProjectStatus.SUBMITTED, title="")
                db.session.add(project)
                counts["projects_created"] += 1
            else:
                existed.add(key)
            projects[key] = project
            project.title = str(d["title"]).strip()
            project.subject = row.subject
            if str(d.get("abstract", "")).strip():
                project.abstract = str(d["abstract"]).strip()
            if str(d.get("supervisor", "")).strip():
                project.supervisor_name = str(d["supervisor"]).strip()
            if str(d.get("supervisor_email", "")).strip():
                project.supervisor_email = str(d["supervisor_email"]).strip()
            if key in existed and db.session.is_modified(project):
                changed.add(key)
        db.session.flush()
        member = next((m for m in project.members if m.participant_id == person.id), None)
        if member is None:
            member = ProjectMember(participant=person, position=len(project.members))
            project.members.append(member)
            changed.update({key} & existed)
        if row.speaker or len([r for r in rows if str(r.data["key"]).strip() == key]) == 1:
            for m in project.members:
                if m.is_speaker != (m is member):
                    m.is_speaker = m is member
                    changed.update({key} & existed)
        touched.add(key)
    counts["projects_updated"] = len(changed)
    db.session.flush()
    for key in touched:
        services.update_division(projects[key], competition)
    return ImportResult(counts)


def import_file(competition, data, user=None):
    """Read, check and write one file; raise ImportFailed and write nothing on any error."""
    rows = check(competition, read_rows(data))
    return apply(competition, rows, user=user)
