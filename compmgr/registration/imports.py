"""Import registrations from CSV or XLSX, one row per participant, all or nothing.

The columns are documented in README.md ("Import format"). Every row is checked with the same
rules as the school's forms before anything is written; one bad row and nothing is saved.
Projects are matched by their key, participants by name and birth date, schools by name and
city, so importing the same file twice creates no duplicates. The checks read the competition
once (import_state) and the write is a few bulk statements (import_write), so a big file never
holds the write lock for long.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from compmgr.competitions.services import division_for
from compmgr.database import writing
from compmgr.registration import import_write, services
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
from compmgr.registration.import_state import load_state, school_key, school_label


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)

    def summary(self):
        """Say what the import did, each count with its own singular or plural."""
        c = self.counts
        parts = [
            ngettext("%(num)d Zeile", "%(num)d Zeilen", c["rows"]),
            ngettext("%(num)d Projekt neu", "%(num)d Projekte neu", c["projects_created"]),
            ngettext(
                "%(num)d Projekt aktualisiert",
                "%(num)d Projekte aktualisiert",
                c["projects_updated"],
            ),
            ngettext(
                "%(num)d Teilnehmer(in) neu", "%(num)d Teilnehmende neu", c["participants_created"]
            ),
            ngettext(
                "%(num)d Teilnehmer(in) aktualisiert",
                "%(num)d Teilnehmende aktualisiert",
                c["participants_updated"],
            ),
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
        errors.append(
            _("Gruppensprecher(in) muss „ja“ oder „nein“ sein, nicht „%(v)s“", v=d["speaker"])
        )
    row.speaker = speaker in YES
    for name in ("email", "supervisor_email"):
        value = str(d.get(name, "")).strip()
        if value and ("@" not in value or " " in value):
            errors.append(_("„%(v)s“ ist keine gültige E-Mail-Adresse", v=value))
    for name, limit in MAX_LENGTHS.items():
        if len(str(d.get(name, "")).strip()) > limit:
            errors.append(_("%(col)s ist länger als %(n)s Zeichen", col=TITLES[name], n=limit))
    if len(str(d.get("abstract", ""))) > competition.abstract_max_chars:
        errors.append(
            _("die Kurzfassung ist länger als %(n)s Zeichen", n=competition.abstract_max_chars)
        )
    return errors


def _person_key(row):
    return (norm(row.data["first_name"]), norm(row.data["last_name"]), row.birth)


def check(competition, rows, state):
    """Check every row and the rules across rows against state; return the parsed rows or raise ImportFailed."""
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
    errors.extend(_check_projects(competition, parsed, state))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e[0]))
    return parsed


def _check_projects(competition, rows, state):
    errors = []
    by_key, seen_person = {}, {}
    for row in rows:
        by_key.setdefault(str(row.data["key"]).strip(), []).append(row)
    for key, group in by_key.items():
        first = group[0]
        for row in group[1:]:
            for name, title in (
                ("title", _("Projekttitel")),
                ("subject", _("Fachgebiet")),
                ("school", _("Schule")),
                ("city", _("Ort")),
            ):
                if norm(row.data.get(name)) != norm(first.data.get(name)):
                    errors.append(
                        (
                            row.line,
                            _(
                                "%(col)s weicht von Zeile %(first)s ab (gleicher "
                                "Projektschlüssel %(key)s)",
                                col=title,
                                first=first.line,
                                key=key,
                            ),
                        )
                    )
        people = {}
        for row in group:
            pk = _person_key(row)
            if pk in people:
                errors.append(
                    (row.line, _("dieselbe Person steht schon in Zeile %(n)s", n=people[pk].line))
                )
            people[pk] = row
            seen_person.setdefault(pk, []).append((key, row))
        project = state.project_by_key(key)
        if project is not None:
            school = state.school(project.school_id)
            if school_key(school.name, school.city) != school_key(
                first.data["school"], first.data.get("city")
            ):
                errors.append(
                    (
                        first.line,
                        _(
                            "Projektschlüssel %(key)s gehört schon zu %(school)s",
                            key=key,
                            school=school_label(school),
                        ),
                    )
                )
        team = set(people)
        if project is not None:
            team |= {
                (norm(p.first_name), norm(p.last_name), p.birth_date)
                for p in (state.person(m.participant_id) for m in state.members_of(project.id))
            }
        if len(team) > competition.max_team_size:
            errors.append(
                (
                    group[-1].line,
                    _(
                        "Projekt %(key)s hätte %(n)s Mitglieder; erlaubt sind höchstens %(max)s",
                        key=key,
                        n=len(team),
                        max=competition.max_team_size,
                    ),
                )
            )
        speakers = [r for r in group if r.speaker]
        if len(speakers) > 1:
            errors.append(
                (
                    speakers[1].line,
                    _(
                        "Projekt %(key)s hat mehr als eine(n) Gruppensprecher(in) "
                        "(auch Zeile %(n)s)",
                        key=key,
                        n=speakers[0].line,
                    ),
                )
            )
        elif not speakers and len(group) > 1:
            errors.append(
                (
                    first.line,
                    _(
                        "Projekt %(key)s hat keine(n) Gruppensprecher(in); bitte bei "
                        "einer Person „ja“ eintragen",
                        key=key,
                    ),
                )
            )
        result = division_for(
            [_Birth(r.birth) for r in group], competition.divisions, competition.age_cutoff
        )
        if result.division is None:
            errors.append((first.line, _("für Projekt %(key)s passt keine Sparte", key=key)))
    errors.extend(_check_people(competition, seen_person, state))
    return errors


@dataclass
class _Birth:
    birth_date: date
    first_name: str = ""
    last_name: str = ""


def _check_people(competition, seen_person, state):
    errors = []
    limit = competition.max_projects_per_participant
    for (_first, _last, birth), entries in seen_person.items():
        row = entries[0][1]
        keys = {k for k, _r in entries}
        person = state.find_person(row.data["first_name"], row.data["last_name"], birth)
        if person is not None:
            school = state.school(person.school_id)
            if school_key(school.name, school.city) != school_key(
                row.data["school"], row.data.get("city")
            ):
                errors.append(
                    (
                        row.line,
                        _(
                            "%(name)s ist schon für %(school)s angemeldet",
                            name=f"{person.first_name} {person.last_name}",
                            school=school_label(school),
                        ),
                    )
                )
            keys |= {p.key or f"#{p.id}" for p in state.active_projects_of(person.id)}
        if len(keys) > limit:
            errors.append(
                (
                    entries[-1][1].line,
                    _(
                        "%(first)s %(last)s wäre in %(n)s Projekten; erlaubt ist %(max)s",
                        first=row.data["first_name"],
                        last=row.data["last_name"],
                        n=len(keys),
                        max=limit,
                    ),
                )
            )
    return errors


def import_file(competition, data, user=None):
    """Read, check and write one file, all or nothing; raise ImportFailed and write nothing on any error.

    Reading and checking run in a read transaction, without any lock; the write itself takes
    the write lock (SQLite: BEGIN IMMEDIATE) and lasts a few bulk statements. Under that lock the
    competition is read again: if anything changed in between, the file is checked again
    against what is there now. The caller commits.
    """
    rows = read_rows(data)
    state = load_state(competition)
    checked = check(competition, rows, state)
    plan = import_write.prepare(competition, checked, state)
    try:
        with writing():
            import_write.lock_competition(competition)
            now = load_state(competition)
            if now != state:  # someone registered or changed something meanwhile
                plan = import_write.prepare(competition, check(competition, rows, now), now)
            import_write.write(competition, plan)
    except IntegrityError:  # PostgreSQL: a school saved the same pupil in that very moment
        raise ImportFailed(
            [
                (
                    0,
                    _(
                        "Während des Imports wurden Anmeldungen geändert. Bitte laden Sie die "
                        "Datei noch einmal hoch."
                    ),
                )
            ]
        ) from None
    return ImportResult(plan.counts)
