"""Publish results: what the public page and the ceremony show, and who may see a name."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from compmgr.auth.models import Role
from compmgr.competitions.models import Status
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import Jury
from compmgr.registration.models import ConsentKind, Project
from compmgr.results.models import Decision, SpecialPrize
from compmgr.signals import results_published
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
    names = _join(shown)
    if hidden:
        return ngettext(
            "%(names)s und %(num)d weitere Person",
            "%(names)s und %(num)d weitere Personen",
            hidden,
            names=names,
        )
    return names


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
    return competition.status == Status.PUBLISHED and competition.results_published_at is not None


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
    """The awarded projects of one jury: a Fachgebiet, possibly one division."""

    title: str
    jury: object
    entries: list = field(default_factory=list)


def jury_groups(competition):
    """Group the prize winners and qualified projects of locked juries, best prize first."""
    groups = {}
    for d in locked_decisions(competition):
        if not d.prize and not d.qualified:
            continue
        jury = d.jury
        if jury.id not in groups:
            title = jury.subject.name + (f" · {jury.division.name}" if jury.division else "")
            groups[jury.id] = Group(title=title, jury=jury)
        groups[jury.id].entries.append(
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
            g.jury.division.position if g.jury.division else -1,
            g.jury.team,
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


def publish(competition, now=None):
    """Publish the results of competition; return the juries still unlocked (not shown)."""
    first = competition.results_published_at is None
    competition.status = Status.PUBLISHED
    competition.results_published_at = now or utcnow()
    if first:
        results_published.send(competition)
    return unlocked_juries(competition)


def unpublish(competition):
    """Take the results offline again: the competition goes back to judging."""
    competition.status = Status.JUDGING
    competition.results_published_at = None
