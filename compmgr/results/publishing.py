"""Publish results: what the public page and the ceremony show, and who may see a name."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from compmgr.auth.models import Role
from compmgr.competitions.phases import phase
from compmgr.extensions import db
from compmgr.judging.models import Jury
from compmgr.registration.models import ConsentKind, Project
from compmgr.results.models import Decision, SpecialPrize
from compmgr.sorting import by_text, sort_text


def prize_label(prize):
    """Name a jury prize in German, e.g. "1. Preis"."""
    return {1: _("1. Preis"), 2: _("2. Preis"), 3: _("3. Preis")}[prize]


def public_names(project):
    """Return the team as it may be published: names only with publication consent.

    Members without consent are left out; if nobody consented the team is described by its
    school ("Team der Schule „…“"), and a mixed team names the consenting members and counts
    the others ("Lena Weiß und 1 weitere Person").
    """
    members = project.participants
    shown = [p.full_name for p in members if p.has_consent(ConsentKind.PUBLICATION)]
    hidden = len(members) - len(shown)
    if not shown:
        school = project.school.name
        if len(members) > 1:
            return _("Team der Schule „%(school)s“", school=school)
        return _("Teilnehmerin/Teilnehmer der Schule „%(school)s“", school=school)
    if hidden:  # "A, B und 1 weitere Person": one "und", before the count
        names = ", ".join(shown)
        return ngettext(
            "%(names)s und %(num)d weitere Person",
            "%(names)s und %(num)d weitere Personen",
            hidden,
            names=names,
        )
    return _join(shown)


def _join(names):
    if len(names) == 1:
        return names[0]
    return _("%(first)s und %(last)s", first=", ".join(names[:-1]), last=names[-1])


def is_organiser(user, competition):
    """Tell whether user leads competition (instance admins lead every competition)."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return any(g.competition_id == competition.id and g.role == Role.ORGANISER for g in user.grants)


def is_published(competition):
    """Tell whether the results are public: the phase says so (published or archived)."""
    return phase(competition).results_public and competition.results_published_at is not None


def publish_check(competition):
    """Guard publishing: refuse with no locked jury, name every jury still open."""
    juries = db.session.scalars(db.select(Jury).filter_by(competition_id=competition.id)).all()
    if juries and all(not j.is_locked for j in juries):
        return _(
            "Noch keine Jury hat ihre Entscheidung abgeschlossen: es gibt nichts zu veröffentlichen."
        ), []
    if not juries:
        return _("Es gibt noch keine Jury: es gibt nichts zu veröffentlichen."), []
    unlocked = unlocked_juries(competition)
    if not unlocked:
        return None, []
    return None, [
        ngettext(
            "Diese Jury hat ihre Entscheidung noch nicht abgeschlossen; ihre Preise werden nicht "
            "veröffentlicht und nicht exportiert: %(names)s",
            "Diese %(num)d Jurys haben ihre Entscheidung noch nicht abgeschlossen; ihre Preise "
            "werden nicht veröffentlicht und nicht exportiert: %(names)s",
            len(unlocked),
            names=", ".join(j.name for j in unlocked),
        )
    ]


def unlocked_juries(competition):
    """Return the juries of competition whose decision is not locked yet, by name."""
    return by_text(
        db.session.execute(db.select(Jury).filter_by(competition_id=competition.id, locked_at=None))
        .scalars()
        .all()
    )


def locked_decisions(competition):
    """Return the decisions of locked juries in competition (unlocked ones are never shown)."""
    return (
        db.session.execute(
            db.select(Decision)
            .join(Jury, Decision.jury_id == Jury.id)
            .join(Project, Decision.project_id == Project.id)
            .where(
                Jury.competition_id == competition.id,
                Jury.locked_at.is_not(None),
                Project.competition_id == competition.id,
            )
        )
        .scalars()
        .all()
    )


@dataclass
class Entry:
    """One awarded project as it may be shown publicly."""

    project: Project
    names: str
    prize: int | None = None
    place: int | None = None
    qualified: bool = False

    @property
    def prize_label(self):
        return prize_label(self.prize) if self.prize else ""

    @property
    def school(self):
        return self.project.school.label


@dataclass
class Group:
    """The awarded projects of one jury in one Sparte: a Fachgebiet and a Sparte."""

    title: str
    jury: object
    division: object = None
    entries: list = field(default_factory=list)


def jury_groups(competition):
    """Group the prize winners and qualified projects of locked juries, best prize first.

    A group is one Fachgebiet and Sparte: places and prizes count per Sparte, also where one
    jury judges both, so its winners form one group per Sparte, each titled with it.
    """
    groups = {}
    for d in locked_decisions(competition):
        if not d.prize and not d.qualified:
            continue
        jury, division = d.jury, d.project.division or d.jury.division
        key = (jury.id, division.id if division else None)
        if key not in groups:
            title = jury.subject.name + (f" · {division.name}" if division else "")
            groups[key] = Group(title=title, jury=jury, division=division)
        groups[key].entries.append(
            Entry(
                project=d.project,
                names=public_names(d.project),
                prize=d.prize,
                place=d.place,
                qualified=d.qualified,
            )
        )
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            g.jury.subject.position,
            g.division.position if g.division else -1,
            g.jury.team,
            g.jury.id,
        ),
    )
    for g in ordered:
        g.entries.sort(key=lambda e: (e.prize or 9, e.place or 999, sort_text(e.project.title)))
    return ordered


def special_prizes(competition):
    """Return [(prize, [Entry, ...])] of the competition's Sonderpreise, by name."""
    prizes = by_text(
        db.session.execute(
            db.select(SpecialPrize)
            .filter_by(competition_id=competition.id)
            .order_by(SpecialPrize.id)
        )
        .scalars()
        .all()
    )
    return [
        (p, [Entry(project=a.project, names=public_names(a.project)) for a in p.awards])
        for p in prizes
    ]


@dataclass
class Slide:
    """One screen of the award ceremony."""

    kind: str  # "title", "special", "prize", "end"
    heading: str
    subheading: str = ""
    entries: list = field(default_factory=list)
    note: str = ""


def ceremony_slides(competition):
    """Order the ceremony: Sonderpreise first, then each jury from 3rd prize up to 1st."""
    slides = [Slide("title", competition.title, _("Preisverleihung"))]
    for prize, entries in special_prizes(competition):
        if entries:
            sub = _("gestiftet von %(sponsor)s", sponsor=prize.sponsor) if prize.sponsor else ""
            slides.append(
                Slide(
                    "special",
                    prize.name,
                    sub,
                    entries,
                    note=" · ".join(filter(None, [prize.amount, prize.description])),
                )
            )
    for group in jury_groups(competition):
        for entry in sorted(group.entries, key=lambda e: (-(e.prize or 9), e.place or 999)):
            if entry.prize:
                slides.append(Slide("prize", entry.prize_label, group.title, [entry]))
    slides.append(Slide("end", _("Herzlichen Glückwunsch!"), competition.title))
    return slides
