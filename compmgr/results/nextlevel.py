"""Hand the qualified projects (Regionalsieger) to the next level: export CSV/XLSX, import.

The file has one row per team member; the rows of a project share its key, e.g. "RW12-345"
(prefix by the source level, then the source competition id and project id). Importing the
same file again creates nothing twice: a project whose key already exists is skipped.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from compmgr import spreadsheets
from compmgr.competitions.models import Competition, Level
from compmgr.competitions.services import division_for
from compmgr.extensions import db
from compmgr.registration.models import Participant, Project, ProjectMember, ProjectStatus, School
from compmgr.results.publishing import locked_decisions
from compmgr.sorting import sort_text

# The titles match the registration import (README "Import format"), so the file also goes
# through the organiser's ordinary registration import.
COLUMNS = [
    ("key", "Projektschlüssel"),
    ("competition", "Wettbewerb"),
    ("subject", "Fachgebiet"),
    ("division", "Sparte"),
    ("title", "Projekttitel"),
    ("abstract", "Kurzfassung"),
    ("supervisor_name", "Betreuer(in)"),
    ("supervisor_email", "E-Mail Betreuer(in)"),
    ("prize", "Preis"),
    ("first_name", "Vorname"),
    ("last_name", "Nachname"),
    ("birth_date", "Geburtsdatum"),
    ("grade", "Klasse"),
    ("school", "Schule"),
    ("city", "Ort"),
    ("email", "E-Mail"),
    ("speaker", "Gruppensprecher(in)"),
]
OPTIONAL = {"competition", "email", "prize"}
KEY_PREFIX = {Level.REGIONAL: "RW", Level.STATE: "LW", Level.FEDERAL: "BF"}
NEXT_LEVEL = {Level.REGIONAL: Level.STATE, Level.STATE: Level.FEDERAL}
KEY_RE = re.compile(r"^(RW|LW|BF)(\d+)-(\d+)$")
XLSX_WIDTHS = (12, 30, 22, 22, 40, 50, 24, 28, 6, 16, 18, 13, 7, 30, 18, 28, 10)


def project_key(competition, project_id):
    return f"{KEY_PREFIX[Level(competition.level)]}{competition.id}-{project_id}"


def qualified_projects(competition, decisions=None):
    """Return the projects marked qualified by a locked jury, by Fachgebiet, division, title.

    ``decisions`` are the competition's locked decisions, when the caller has them already.
    """
    if decisions is None:
        decisions = locked_decisions(competition)
    projects = [d.project for d in decisions if d.qualified]
    return sorted(
        projects,
        key=lambda p: (
            p.subject.position,
            p.division.position if p.division else 99,
            sort_text(p.title),
        ),
    )


def export_rows(competition):
    """Return the export as a list of dicts (one per team member), values not yet escaped.

    Each row also carries the ``participant_id``, which the file leaves out.
    """
    decisions = locked_decisions(competition)
    prizes = {d.project_id: d.prize for d in decisions}
    rows = []
    for project in qualified_projects(competition, decisions):
        for member in project.members:
            person = member.participant
            rows.append(
                {
                    "key": project_key(competition, project.id),
                    "competition": competition.title,
                    "subject": project.subject.name,
                    "division": project.division.name if project.division else "",
                    "title": project.title,
                    "abstract": project.abstract,
                    "supervisor_name": project.supervisor_name,
                    "supervisor_email": project.supervisor_email,
                    "prize": prizes.get(project.id) or "",
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "birth_date": person.birth_date,
                    "grade": person.grade,
                    "school": person.school.name,
                    "city": person.school.city,
                    "email": person.email,
                    "speaker": "ja" if member.is_speaker else "nein",
                    "participant_id": person.id,
                }
            )
    return rows


def _table(rows):
    return [label for _key, label in COLUMNS], [[row[key] for key, _l in COLUMNS] for row in rows]


def to_csv(rows):
    """Write rows as UTF-8 CSV with BOM and semicolons, as German Excel expects."""
    return spreadsheets.to_csv(*_table(rows))


def to_xlsx(rows, title="Regionalsieger"):
    """Write rows as an XLSX workbook with real dates; texts are formula-escaped."""
    return spreadsheets.to_xlsx(*_table(rows), title, widths=XLSX_WIDTHS)


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)  # (line, message)
    level_warning: str = ""
    projects: dict = field(default_factory=dict, repr=False)  # key -> [(line, row)], once checked


def read_table(data):
    """Read an uploaded CSV or XLSX into [(line, {key: value})]; raise ValueError if unreadable."""
    table = spreadsheets.read_table(data)
    if not table:
        raise ValueError(_("Die Datei ist leer."))
    by_label = {label.casefold(): key for key, label in COLUMNS}
    header = [by_label.get(str(h).casefold()) for h in table[0][1]]
    missing = [label for key, label in COLUMNS if key not in header and key not in OPTIONAL]
    if missing:
        raise ValueError(_("Es fehlen Spalten: %(cols)s", cols=", ".join(missing)))
    return [
        (line, {k: spreadsheets.unescape_cell(c) for k, c in zip(header, cells, strict=False) if k})
        for line, cells in table[1:]
    ]


def _parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(str(value or "").strip(), fmt).date()
        except ValueError:
            pass
    return None


def _parse_grade(value):
    try:
        grade = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    return grade if 1 <= grade <= 13 else None


def import_rows(target, rows):
    """Check every row, then create schools, participants and projects in target, all or none.

    Returns an ImportResult; with errors nothing was added. Projects whose key already exists
    in target are skipped, so a repeated import adds nothing.
    """
    result = check_rows(target, rows)
    if not result.errors:
        write_rows(target, result)
    return result


def check_rows(target, rows):
    """Check every row without writing; return an ImportResult with the errors and the level warning."""
    result = ImportResult()
    for line, row in rows:
        error = _check_row(target, row)
        if error:
            result.errors.append((line, error))
            continue
        result.projects.setdefault(row["key"], []).append((line, row))
    if not rows:
        result.errors.append((1, _("Die Datei enthält keine Projekte.")))
    for key, members in result.projects.items():
        if len(members) > target.max_team_size:
            result.errors.append(
                (
                    members[0][0],
                    _(
                        "Projekt %(key)s hat %(n)d Personen, erlaubt sind höchstens %(max)d.",
                        key=key,
                        n=len(members),
                        max=target.max_team_size,
                    ),
                )
            )
    if not result.errors:
        result.level_warning = level_warning(target, result.projects.keys())
    return result


def write_rows(target, result):
    """Create the checked projects whose key target does not hold yet; the caller commits.

    Schools and participants are matched by name (and city, birth date) in two queries up front,
    so the write lock is held for one flush, not a query per row.
    """
    if db.engine.dialect.name != "sqlite":  # imports into one competition queue here
        query = db.select(Competition.id).where(Competition.id == target.id)
        db.session.execute(
            query.with_for_update(key_share=True)
        )  # NO KEY: inserts referring to it go on
    existing = set(
        db.session.execute(
            db.select(Project.key).where(
                Project.competition_id == target.id, Project.key.in_(list(result.projects))
            )
        ).scalars()
    )
    known = _known(target)
    for key, members in result.projects.items():
        if key in existing:
            result.skipped += 1
            continue
        _create_project(target, key, [row for _line, row in members], known)
        result.created += 1
    db.session.flush()
    return result


def _check_row(target, row):
    """Return the German message for the first problem of one row, or None."""
    match = KEY_RE.match(str(row.get("key") or ""))
    if not match:
        return _("Der Schlüssel „%(key)s“ hat nicht die Form RW12-345.", key=row.get("key") or "")
    if int(match.group(2)) == target.id:
        return _("Das Projekt stammt aus diesem Wettbewerb selbst.")
    for key in ("title", "first_name", "last_name", "school"):
        if not row.get(key):
            return _("Die Spalte „%(col)s“ ist leer.", col=dict(COLUMNS)[key])
    if _subject(target, row.get("subject")) is None:
        return _(
            "Das Fachgebiet „%(name)s“ gibt es in diesem Wettbewerb nicht.",
            name=row.get("subject") or "",
        )
    row["birth_date"] = _parse_date(row.get("birth_date"))
    if row["birth_date"] is None:
        return _("Das Geburtsdatum fehlt oder ist kein Datum wie 17.05.2010.")
    row["grade"] = _parse_grade(row.get("grade"))
    if row["grade"] is None:
        return _("Die Klasse muss eine Zahl von 1 bis 13 sein.")
    for key in (
        "title",
        "abstract",
        "supervisor_name",
        "supervisor_email",
        "city",
        "division",
        "email",
    ):
        row[key] = str(row.get(key) or "")
    return None


def _subject(target, name):
    wanted = str(name or "").strip().casefold()
    return next((s for s in target.subjects if s.name.casefold() == wanted), None)


def level_warning(target, keys):
    """Say why the file's source is not the level just below target, or return ""."""
    sources = {int(KEY_RE.match(k).group(2)) for k in keys}
    for source_id in sorted(sources):
        source = db.session.get(Competition, source_id)
        if source is None:
            return _(
                "Der Herkunftswettbewerb (Nr. %(id)d) gibt es in dieser Installation nicht.",
                id=source_id,
            )
        if NEXT_LEVEL.get(Level(source.level)) != Level(target.level):
            return _(
                "%(source)s (%(slevel)s) führt nicht zu %(target)s (%(tlevel)s).",
                source=source.title,
                slevel=Level(source.level).label,
                target=target.title,
                tlevel=Level(target.level).label,
            )
    return ""


def _known(target):
    """Return target's schools and participants by the keys the import matches them on."""
    schools = db.session.scalars(db.select(School).filter_by(competition_id=target.id))
    people = db.session.scalars(db.select(Participant).filter_by(competition_id=target.id))
    return {
        "school": {(s.name, s.city): s for s in schools},
        "person": {(p.first_name, p.last_name, p.birth_date): p for p in people},
    }


def _create_project(target, key, rows, known):
    first = rows[0]
    members = []
    for row in rows:
        school = known["school"].get((row["school"], row["city"]))
        if school is None:
            school = known["school"][(row["school"], row["city"])] = School(
                competition_id=target.id, name=row["school"], city=row["city"]
            )
            db.session.add(school)
        person_key = (row["first_name"], row["last_name"], row["birth_date"])
        person = known["person"].get(person_key)
        if person is None:
            person = known["person"][person_key] = Participant(
                competition_id=target.id,
                first_name=row["first_name"],
                last_name=row["last_name"],
                birth_date=row["birth_date"],
                school=school,
                grade=row["grade"],
                email=row["email"][:254],
            )
            db.session.add(person)
        if any(p is person for p, _s in members):
            continue
        members.append((person, str(row.get("speaker", "")).casefold() in ("ja", "x", "1", "true")))
    if not any(speaker for _p, speaker in members):
        members[0] = (members[0][0], True)
    derived = division_for([p for p, _s in members], target.divisions, target.age_cutoff).division
    named = next(
        (d for d in target.divisions if d.name.casefold() == first["division"].casefold()), None
    )
    project = Project(
        competition_id=target.id,
        key=key,
        school=members[0][0].school,
        subject=_subject(target, first["subject"]),
        division=named or derived,
        title=first["title"],
        abstract=first["abstract"],
        supervisor_name=first["supervisor_name"],
        supervisor_email=first["supervisor_email"],
        status=ProjectStatus.ADMITTED,
        status_reason=_("Qualifiziert in %(source)s", source=first.get("competition") or key),
    )
    if named is not None and derived is not None and named.id != derived.id:
        project.promoted = True
        project.promoted_reason = _("Sparte aus dem vorigen Wettbewerb übernommen.")
    for pos, (person, speaker) in enumerate(members):
        project.members.append(ProjectMember(participant=person, is_speaker=speaker, position=pos))
    db.session.add(project)
    return project
