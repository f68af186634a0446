"""Competition rules: the division of a team, seeding and copying competitions."""

from dataclasses import dataclass
from datetime import date
from datetime import time as dtime

from flask_babel import gettext as _

from compmgr.competitions import defaults
from compmgr.competitions.models import Competition, Division, Subject
from compmgr.dates import show_date
from compmgr.extensions import db
from compmgr.signals import competition_copied, competition_created


def age_on(birth_date, day):
    """Return the age in whole years a person born on birth_date has on day."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def division_accepts_age(division, age):
    return (division.min_age is None or age >= division.min_age) and (
        division.max_age is None or age <= division.max_age
    )


@dataclass
class DivisionResult:
    division: Division | None
    age: int | None
    oldest: object | None  # the participant whose age decides
    cutoff: date

    def explain(self):
        """Say in words why the team is in its division, e.g. for the project page."""
        if self.oldest is None:
            return _("Die Sparte ergibt sich, sobald Teilnehmende eingetragen sind.")
        name = f"{self.oldest.first_name} {self.oldest.last_name}"
        day = show_date(self.cutoff)
        if self.division is None:
            return _(
                "Keine Sparte passt: %(name)s ist am %(day)s %(age)s Jahre alt.",
                name=name,
                day=day,
                age=self.age,
            )
        return _(
            "Sparte %(division)s, weil %(name)s am %(day)s %(age)s Jahre alt ist.",
            division=self.division.name,
            name=name,
            day=day,
            age=self.age,
        )


def division_for(participants, divisions, cutoff):
    """Return the division of a team: the oldest member's age on the cut-off date decides.

    ``participants`` need ``birth_date``; ``divisions`` are tried in order and the first whose
    age limits hold wins. With no participants the division is None. A division's grade limit
    is checked per participant at registration, not here.
    """
    members = [p for p in participants if p.birth_date is not None]
    if not members:
        return DivisionResult(None, None, None, cutoff)
    oldest = min(members, key=lambda p: p.birth_date)
    age = age_on(oldest.birth_date, cutoff)
    match = next((d for d in divisions if division_accepts_age(d, age)), None)
    return DivisionResult(match, age, oldest, cutoff)


def seed_defaults(competition):
    """Give a new competition the default divisions and Fachgebiete of DOMAIN.md."""
    for pos, (code, name, former, min_age, max_age, min_grade) in enumerate(defaults.DIVISIONS):
        competition.divisions.append(
            Division(
                code=code,
                name=name,
                former_name=former,
                min_age=min_age,
                max_age=max_age,
                min_grade=min_grade,
                position=pos,
            )
        )
    for pos, (name, code) in enumerate(defaults.SUBJECTS):
        competition.subjects.append(Subject(name=name, code=code, position=pos))
    db.session.flush()


SETTING_FIELDS = [
    "level",
    "host",
    "host_contact",
    "venue",
    "max_team_size",
    "max_projects_per_participant",
    "abstract_max_chars",
    "paper_max_mb",
    "paper_max_pages",
    "min_judges_per_project",
    "first_prizes",
    "second_prizes",
    "third_prizes",
    "slot_minutes",
    "judging_starts_at",
    "judging_breaks",
]


def create_competition(name, round_year, copy_from=None, **fields):
    """Create a competition, seeded with defaults or with a copy of an earlier one's settings.

    A copy takes the settings, divisions, Fachgebiete and rubric, never people or entries;
    dates are left for the organiser to set for the new round.
    """
    competition = Competition(
        name=name, round_year=round_year, age_cutoff=Competition.default_cutoff(round_year)
    )
    if copy_from is not None:
        for field in SETTING_FIELDS:
            setattr(competition, field, getattr(copy_from, field))
        competition.copied_from_id = copy_from.id
    for field, value in fields.items():
        setattr(competition, field, value)
    db.session.add(competition)
    db.session.flush()
    if copy_from is None:
        seed_defaults(competition)
        competition_created.send(competition)
    else:
        divisions = _copy_structure(copy_from, competition)
        competition_copied.send(competition, source=copy_from, divisions=divisions)
    return competition


def _copy_structure(source, target):
    """Copy divisions and Fachgebiete; return {old division id: new division}."""
    division_map = {}
    for d in source.divisions:
        new = Division(
            code=d.code,
            name=d.name,
            former_name=d.former_name,
            min_age=d.min_age,
            max_age=d.max_age,
            min_grade=d.min_grade,
            position=d.position,
        )
        target.divisions.append(new)
        division_map[d.id] = new
    for s in source.subjects:
        target.subjects.append(Subject(name=s.name, code=s.code, position=s.position))
    db.session.flush()
    return division_map


def parse_breaks(text):
    """Parse "10:30-10:45, 12:30-13:15" into a list of (start, end) times; raise ValueError."""
    result = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        start, sep, end = part.partition("-")
        if not sep:
            raise ValueError(part)
        times = [dtime.fromisoformat(t.strip().zfill(5)) for t in (start, end)]
        if times[0] >= times[1]:
            raise ValueError(part)
        result.append(tuple(times))
    return result
