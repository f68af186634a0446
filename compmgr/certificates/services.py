"""Gather the plain data of certificates: who gets which one, in which order."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from compmgr.competitions.models import Division, Level, Subject
from compmgr.extensions import db
from compmgr.judging.scoring import jury_projects
from compmgr.registration.models import Participant, Project, ProjectMember, School
from compmgr.results.models import Decision, SpecialPrize, SpecialPrizeAward
from compmgr.sorting import by_name, sort_text, stand_key

KINDS = ("all", "participation", "prizes")
ORDERS = ("school", "stand")
PARTICIPATION, PRIZE, SPECIAL = "participation", "prize", "special"
KIND_LABELS = {
    PARTICIPATION: _l("Teilnahmeurkunde"),
    PRIZE: _l("Preisurkunde"),
    SPECIAL: _l("Sonderpreis-Urkunde"),
}
_KIND_ORDER = {PARTICIPATION: 0, PRIZE: 1, SPECIAL: 2}
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
WIN_WORD = {Level.REGIONAL: "Regionalsieg", Level.STATE: "Landessieg", Level.FEDERAL: "Bundessieg"}


@dataclass(slots=True)
class CompetitionInfo:
    name: str
    level: str
    round_year: int
    host: str
    host_contact: str
    venue: str
    dates: str
    status: str


@dataclass(slots=True)
class Certificate:
    """One page: one person's certificate of one kind for one project."""

    kind: str
    participant_id: int
    project_id: int
    first_name: str
    last_name: str
    school: str
    school_id: int
    title: str
    subject: str
    division: str
    stand: str
    achievement: str
    claim: tuple  # what the QR token asserts, checked again on verification
    position: int = 0

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


def date_range_text(starts_on, ends_on):
    """Write a competition's dates the German way: 25.–26. Februar 2027."""
    if starts_on is None:
        return ""
    end = ends_on or starts_on
    if end == starts_on:
        return f"{starts_on.day}. {MONTHS[starts_on.month - 1]} {starts_on.year}"
    if (end.year, end.month) == (starts_on.year, starts_on.month):
        return f"{starts_on.day}.–{end.day}. {MONTHS[end.month - 1]} {end.year}"
    first = f"{starts_on.day}. {MONTHS[starts_on.month - 1]}"
    if end.year != starts_on.year:
        first += f" {starts_on.year}"
    return f"{first} – {end.day}. {MONTHS[end.month - 1]} {end.year}"


def competition_info(competition):
    """Return the competition's data as printed on every certificate."""
    return CompetitionInfo(
        name=competition.name,
        level=str(competition.level_enum.label),
        round_year=competition.round_year,
        host=competition.host,
        host_contact=competition.host_contact,
        venue=competition.venue,
        dates=date_range_text(competition.starts_on, competition.ends_on),
        status=competition.status,
    )


def prize_text(level, subject, prize, qualified, division=""):
    """Name a jury decision: "1. Preis im Fachgebiet Chemie, Sparte Jugend forscht".

    Places and prizes count per Fachgebiet and Sparte, so the Sparte is named whenever the
    project has one; with a qualification the text reads "1. Preis und Regionalsieg …".
    """
    win = WIN_WORD.get(Level(level), "Regionalsieg")
    where = f"im Fachgebiet {subject}" + (f", Sparte {division}" if division else "")
    if prize and qualified:
        return f"{prize}. Preis und {win} {where}"
    if prize:
        return f"{prize}. Preis {where}"
    return f"{win} {where}"


def special_title(name):
    """Name a special prize once: "Umwelttechnik" → "Sonderpreis Umwelttechnik".

    Organisers type the prize's name either way (the form suggests "Sonderpreis
    Umwelttechnik"); a name that already says it is a prize ("Sonderpreis …", "Schulpreis
    der Stadt") stands as it is, so the certificate never reads "Sonderpreis Sonderpreis".
    """
    name = " ".join(name.split())
    return name if "preis" in name.casefold() else f"Sonderpreis {name}"


def special_text(prize):
    """Name a special prize with its sponsor."""
    text = special_title(prize.name)
    return f"{text}, gestiftet von {prize.sponsor}" if prize.sponsor else text


def projects_query(
    competition_id,
    school_id=None,
    subject_id=None,
    jury=None,
    project_ids=None,
    consents=False,
):
    """Select the projects that took part, with everything a certificate prints; with
    ``consents`` also each member's consents (the public names of signs and lists)."""
    team = selectinload(Project.members).selectinload(ProjectMember.participant)
    query = (
        db.select(Project)
        .where(Project.competition_id == competition_id, Project.takes_part)
        .options(
            team,
            selectinload(Project.school),
            selectinload(Project.subject),
            selectinload(Project.division),
        )
    )
    if consents:
        query = query.options(team.selectinload(Participant.consents))
    if project_ids is not None:
        query = query.where(Project.id.in_(project_ids))
    return _narrowed(query, school_id, subject_id, jury)


def _narrowed(query, school_id, subject_id, jury):
    """Keep the projects of one school, subject or jury in a query of projects."""
    if school_id is not None:
        query = query.where(Project.school_id == school_id)
    if subject_id is not None:
        query = query.where(Project.subject_id == subject_id)
    if jury is not None:
        query = query.where(Project.id.in_([p.id for p in jury_projects(jury)]))
    return query


def certificate_holders(competition_id):
    """Return the participants who get a certificate (a member of a project that took part),
    in German name order."""
    query = (
        db.select(Participant)
        .where(
            Participant.competition_id == competition_id,
            Participant.memberships.any(ProjectMember.project.has(Project.takes_part)),
        )
        .options(selectinload(Participant.school))
    )
    return by_name(db.session.scalars(query).all())


def certificates(
    competition,
    kind="all",
    school_id=None,
    subject_id=None,
    jury=None,
    participant_id=None,
    order="school",
):
    """List every certificate of a competition matching the filters, in print order."""
    if kind not in KINDS or order not in ORDERS:
        raise ValueError(f"unknown kind {kind!r} or order {order!r}")
    # One row per team member, as plain values: a run of thousands of pages reads no objects.
    query = (
        db.select(
            Project.id,
            Project.title,
            Project.stand,
            Project.school_id,
            School.name,
            School.city,
            Subject.name,
            Division.name,
            ProjectMember.position,
            Participant.id,
            Participant.first_name,
            Participant.last_name,
        )
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .join(Participant, Participant.id == ProjectMember.participant_id)
        .join(School, School.id == Project.school_id)
        .join(Subject, Subject.id == Project.subject_id)
        .outerjoin(Division, Division.id == Project.division_id)
        .where(Project.competition_id == competition.id, Project.takes_part)
    )
    if participant_id is not None:
        query = query.where(ProjectMember.participant_id == participant_id)
    rows = db.session.execute(_narrowed(query, school_id, subject_id, jury)).all()
    ids = {row[0] for row in rows}
    decisions, specials = {}, {}
    if kind != "participation" and ids:
        decisions = {
            d.project_id: d
            for d in db.session.scalars(db.select(Decision).where(Decision.project_id.in_(ids)))
        }
        prizes = db.session.execute(
            db.select(SpecialPrizeAward.project_id, SpecialPrize)
            .join(SpecialPrize, SpecialPrizeAward.prize_id == SpecialPrize.id)
            .where(SpecialPrizeAward.project_id.in_(ids))
        ).all()
        for project_id, prize in sorted(prizes, key=lambda r: (sort_text(r[1].name), r[1].id)):
            specials.setdefault(project_id, []).append(prize)
    awarded = {}
    result = []
    for (
        project_id,
        title,
        stand,
        project_school,
        school,
        city,
        subject,
        division,
        position,
        person_id,
        first_name,
        last_name,
    ) in rows:
        if project_id not in awarded:
            awarded[project_id] = _awards(
                competition.level,
                subject,
                division or "",
                kind,
                decisions.get(project_id),
                specials.get(project_id, ()),
            )
        for award_kind, achievement, claim in awarded[project_id]:
            result.append(
                Certificate(
                    kind=award_kind,
                    participant_id=person_id,
                    project_id=project_id,
                    first_name=first_name,
                    last_name=last_name,
                    school=School.label_of(school, city),
                    school_id=project_school,
                    title=title,
                    subject=subject,
                    division=division or "",
                    stand=stand or "",
                    achievement=achievement,
                    claim=(person_id, project_id) + claim,
                    position=position,
                )
            )
    result.sort(key=_school_order if order == "school" else _stand_order)
    return result


def _awards(level, subject, division, kind, decision, specials):
    """Return (kind, achievement, claim) for each certificate a project's members get."""
    awards = []
    if kind in ("all", "participation"):
        awards.append((PARTICIPATION, "Teilnahme", ("t",)))
    if kind in ("all", "prizes"):
        if decision is not None and (decision.prize or decision.qualified):
            text = prize_text(level, subject, decision.prize, decision.qualified, division)
            awards.append((PRIZE, text, ("p", decision.prize or 0, int(decision.qualified))))
        for prize in specials:
            awards.append((SPECIAL, special_text(prize), ("s", prize.id)))
    return awards


def _school_order(c):
    return (
        sort_text(c.school),
        sort_text(c.last_name),
        sort_text(c.first_name),
        sort_text(c.title),
        _KIND_ORDER[c.kind],
        c.claim,
    )


def _stand_order(c):
    return (stand_key(c.stand), c.project_id, c.position, _KIND_ORDER[c.kind], c.claim)
