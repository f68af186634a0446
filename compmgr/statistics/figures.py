"""Count a competition's figures, keep them past the purge, and line up its series of years.

A *snapshot* is the anonymous figures of one competition as a JSON-able dict: projects and
participants in all, by Fachgebiet, Sparte, school, school type, grade, age, team size and
(optional, never shown per person) gender. Only projects that take part count
(``Project.takes_part``); a participant in two projects counts once. The purge stores the
snapshot (``store``), and from then on ``snapshot`` returns the stored figures, so every past
year of a series survives the deletion of personal data.

A *series* is the competitions linked by "copied from": a competition copied from last year's
continues its series, whatever it is called.
"""

from collections import Counter, defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compmgr.competitions.models import Competition, Division, Subject
from compmgr.competitions.services import age_on
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.registration.models import GENDERS, Participant, Project, ProjectMember, School
from compmgr.statistics.models import CompetitionStatistics

# A school's type, read from its name: the first keyword found decides.
SCHOOL_TYPES = [
    ("gymnasium", _l("Gymnasium"), ("gymnasium", "lyzeum")),
    ("gesamtschule", _l("Gesamtschule"), ("gesamtschule", "gemeinschaftsschule")),
    ("realschule", _l("Realschule"), ("realschule",)),
    (
        "oberschule",
        _l("Ober- oder Sekundarschule"),
        ("oberschule", "sekundarschule", "mittelschule", "stadtteilschule", "regionalschule"),
    ),
    (
        "vocational",
        _l("Berufsbildende Schule"),
        ("berufskolleg", "berufsschule", "berufliche", "berufsbildend", "fachoberschule"),
    ),
    ("primary", _l("Grundschule"), ("grundschule",)),
    ("waldorf", _l("Waldorfschule"), ("waldorf",)),
    ("other", _l("Andere Schule"), ()),
]
SCHOOL_TYPE_LABELS = {code: label for code, label, _words in SCHOOL_TYPES}

GROUPS = ("by_subject", "by_division", "by_school", "by_school_type")


def school_type(name):
    """Return the code of a school's type as its name tells it, "other" when it does not."""
    lowered = name.lower()
    for code, _label, words in SCHOOL_TYPES:
        if any(w in lowered for w in words):
            return code
    return "other"


def compute(competition):
    """Count the figures of competition from its live data, in one query."""
    rows = db.session.execute(
        db.select(
            Project.id,
            Subject.name,
            Division.name,
            School.name,
            School.city,
            Participant.id,
            Participant.grade,
            Participant.birth_date,
            Participant.gender,
        )
        .join(Subject, Project.subject_id == Subject.id)
        .outerjoin(Division, Project.division_id == Division.id)
        .join(School, Project.school_id == School.id)
        .outerjoin(ProjectMember, ProjectMember.project_id == Project.id)
        .outerjoin(Participant, ProjectMember.participant_id == Participant.id)
        .where(Project.competition_id == competition.id, Project.takes_part)
        .order_by(Subject.position, Division.position, Project.id)
    ).all()
    projects, people = {}, {}
    group_projects = {g: defaultdict(set) for g in GROUPS}
    group_people = {g: defaultdict(set) for g in GROUPS}
    team = Counter()
    for pid, subject, division, school, city, person, grade, born, gender in rows:
        keys = {
            "by_subject": subject,
            "by_division": division or "–",
            "by_school": f"{school}, {city}" if city else school,
            "by_school_type": school_type(school),
        }
        projects[pid] = keys
        for g, key in keys.items():
            group_projects[g][key].add(pid)
            if person is not None:
                group_people[g][key].add(person)
        if person is not None:
            team[pid] += 1
            people[person] = (grade, age_on(born, competition.age_cutoff), gender or "")
    data = {
        "year": competition.round_year,
        "projects": len(projects),
        "participants": len(people),
        "schools": len(group_projects["by_school"]),
    }
    for g in GROUPS:
        keys = group_projects[g]
        order = sorted(keys) if g in ("by_school", "by_school_type") else list(keys)
        data[g] = {
            k: {"projects": len(keys[k]), "participants": len(group_people[g][k])} for k in order
        }
    data["by_grade"] = _counted(grade for grade, _age, _g in people.values())
    data["by_age"] = _counted(age for _grade, age, _g in people.values())
    data["by_team_size"] = _counted(team[pid] for pid in projects)
    genders = Counter(g for _grade, _age, g in people.values())
    data["by_gender"] = {code: genders[code] for code in GENDERS if genders[code]}
    return data


def _counted(values):
    counts = Counter(values)
    return {str(k): counts[k] for k in sorted(counts)}


def _stored(competition):
    return db.session.execute(
        db.select(CompetitionStatistics).filter_by(competition_id=competition.id)
    ).scalar_one_or_none()


def snapshot(competition):
    """Return competition's figures: the stored ones once it is purged, else counted now."""
    stored = _stored(competition)
    if stored is not None and stored.purged_at is not None:
        return stored.data
    return compute(competition)


def store(competition):
    """Keep competition's figures before its personal data goes (called by the purge)."""
    row = _stored(competition)
    if row is None:
        row = CompetitionStatistics(competition_id=competition.id)
        db.session.add(row)
    row.data, row.computed_at, row.purged_at = compute(competition), utcnow(), utcnow()
    return row


def series(competition):
    """Return the competitions of competition's series (linked by copying), oldest first."""
    links = db.session.execute(db.select(Competition.id, Competition.copied_from_id)).all()
    neighbours = defaultdict(set)
    for cid, source in links:
        if source is not None:
            neighbours[cid].add(source)
            neighbours[source].add(cid)
    seen, todo = {competition.id}, [competition.id]
    while todo:
        for other in neighbours[todo.pop()] - seen:
            seen.add(other)
            todo.append(other)
    members = db.session.scalars(db.select(Competition).where(Competition.id.in_(seen))).all()
    return sorted(members, key=lambda c: (c.round_year, c.id))


def series_snapshots(competition):
    """Return (competition, snapshot) for every year of the series up to competition's year."""
    return [
        (c, snapshot(c))
        for c in series(competition)
        if c.round_year <= competition.round_year or c.id == competition.id
    ]


def previous(years, competition):
    """Return the snapshot of the year before competition in years, or None."""
    earlier = [data for c, data in years if c.round_year < competition.round_year]
    return earlier[-1] if earlier else None


def school_changes(data, before):
    """Return (new, returning) school labels of data compared with the year before."""
    now = set(data.get("by_school", {}))
    if before is None:
        return sorted(now), []
    old = set(before.get("by_school", {}))
    return sorted(now - old), sorted(now & old)


def girls_share(data):
    """Return the share of girls among participants who gave their gender, or None."""
    genders = data.get("by_gender", {})
    known = sum(n for code, n in genders.items() if code)
    return genders.get("w", 0) / known if known else None


def headline(competition, data, before=None):
    """Say the figures the way a host's annual report does, in the current language."""
    text = _(
        "Am %(competition)s nahmen %(participants)d Schülerinnen und Schüler mit "
        "%(projects)d Projekten aus dem MINT-Bereich teil.",
        competition=competition.title,
        participants=data["participants"],
        projects=data["projects"],
    )
    schools = data.get("schools", len(data.get("by_school", {})))
    if before is not None:
        new, _returning = school_changes(data, before)
        text += " " + _(
            "Sie kamen von %(schools)d Schulen, %(new)d davon zum ersten Mal.",
            schools=schools,
            new=len(new),
        )
    elif schools:
        text += " " + _("Sie kamen von %(schools)d Schulen.", schools=schools)
    share = girls_share(data)
    if share is not None:
        text += " " + _(
            "Der Anteil der Mädchen lag bei %(share)d Prozent.", share=round(share * 100)
        )
    return text
