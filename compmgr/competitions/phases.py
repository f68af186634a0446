"""The phases of a competition as one state machine: transitions, guards, effects and texts.

Phases run in a line, setup → registration → closed → judging → published → archived. Each
transition moves one step forward or one step back, so going back always returns to the
phase the competition came from and no sequence of clicks can strand it somewhere no button
leads out of. Every page that describes a phase takes its words from ``PHASES`` here.

Higher layers add their guards with ``register_check`` (the results layer names the juries
still open before publishing, the privacy layer refuses to un-archive purged data), the way
features add audit labels: this module never imports them.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from compmgr import signals
from compmgr.competitions.models import STATUS_ORDER, Status
from compmgr.database import utcnow


class PhaseError(Exception):
    """A phase change was refused; the message is for the organiser."""


@dataclass(frozen=True)
class Phase:
    """What one phase means, for every role, in the words every page shows."""

    status: Status
    summary: object  # one sentence for the organiser's dashboard
    school: object  # what a school reads on its pages
    judge: object  # what a judge reads
    public: object  # what the public results page says before results are out
    registration: bool = False  # schools may register (until the deadline)
    frozen: bool = False  # school entries can no longer change
    results_public: bool = False

    @property
    def label(self):
        return self.status.label


@dataclass(frozen=True)
class Transition:
    """One allowed step between two phases, with what it opens or freezes for whom."""

    source: Status
    target: Status
    action: object  # the button's words
    effects: tuple = ()  # (who, what) pairs, shown before confirming
    admin_only: bool = False
    checks: list = field(default_factory=list, compare=False, hash=False)

    @property
    def backward(self):
        return STATUS_ORDER.index(self.target) < STATUS_ORDER.index(self.source)


SCHOOLS, JUDGES, ORGANISERS, PUBLIC = (
    _l("Schulen"),
    _l("Jury"),
    _l("Wettbewerbsleitung"),
    _l("Öffentlichkeit"),
)

PHASES = {
    Status.SETUP: Phase(
        Status.SETUP,
        summary=_l("Der Wettbewerb wird vorbereitet; Schulen können sich noch nicht anmelden."),
        school=_l("Die Anmeldung ist noch nicht geöffnet."),
        judge=_l("Der Wettbewerb wird vorbereitet."),
        public=_l("Der Wettbewerb wird vorbereitet."),
    ),
    Status.REGISTRATION_OPEN: Phase(
        Status.REGISTRATION_OPEN,
        summary=_l("Schulen melden Projekte an, bis die Anmeldefrist abläuft."),
        school=_l("Die Anmeldung ist offen."),
        judge=_l("Die Anmeldung läuft; die Bewertung hat noch nicht begonnen."),
        public=_l("Die Anmeldung läuft; Ergebnisse gibt es noch nicht."),
        registration=True,
    ),
    Status.REGISTRATION_CLOSED: Phase(
        Status.REGISTRATION_CLOSED,
        summary=_l(
            "Die Anmeldung ist geschlossen; nur Schulen mit verlängerter Frist ändern noch etwas."
        ),
        school=_l(
            "Die Anmeldung ist geschlossen. Sie können Ihre Angaben ansehen, aber nicht mehr ändern."
        ),
        judge=_l("Die Anmeldung ist geschlossen; die Bewertung hat noch nicht begonnen."),
        public=_l("Die Anmeldung ist geschlossen; Ergebnisse gibt es noch nicht."),
    ),
    Status.JUDGING: Phase(
        Status.JUDGING,
        summary=_l("Die Jurys bewerten; die Anmeldungen der Schulen sind eingefroren."),
        school=_l("Die Bewertung hat begonnen: Ihre Anmeldungen sind eingefroren."),
        judge=_l("Die Bewertung läuft."),
        public=_l("Die Jurys bewerten; die Ergebnisse folgen."),
        frozen=True,
    ),
    Status.PUBLISHED: Phase(
        Status.PUBLISHED,
        summary=_l("Die Ergebnisse der abgeschlossenen Jurys sind öffentlich."),
        school=_l(
            "Die Ergebnisse sind veröffentlicht. Ihre Anmeldungen lassen sich nicht mehr ändern."
        ),
        judge=_l("Die Ergebnisse sind veröffentlicht."),
        public=_l("Die Ergebnisse sind veröffentlicht."),
        frozen=True,
        results_public=True,
    ),
    Status.ARCHIVED: Phase(
        Status.ARCHIVED,
        summary=_l(
            "Der Wettbewerb ist abgeschlossen und archiviert; nichts lässt sich mehr ändern."
        ),
        school=_l(
            "Der Wettbewerb ist abgeschlossen und archiviert. Vielen Dank für Ihre Teilnahme!"
        ),
        judge=_l("Der Wettbewerb ist abgeschlossen und archiviert."),
        public=_l("Der Wettbewerb ist abgeschlossen."),
        frozen=True,
        results_public=True,
    ),
}

TRANSITIONS = [
    Transition(
        Status.SETUP,
        Status.REGISTRATION_OPEN,
        _l("Anmeldung öffnen"),
        ((SCHOOLS, _l("können Personen und Projekte anmelden, bis die Anmeldefrist abläuft.")),),
    ),
    Transition(
        Status.REGISTRATION_OPEN,
        Status.SETUP,
        _l("Zurück in die Vorbereitung"),
        ((SCHOOLS, _l("können nichts mehr anmelden oder ändern; ihre Angaben bleiben.")),),
    ),
    Transition(
        Status.REGISTRATION_OPEN,
        Status.REGISTRATION_CLOSED,
        _l("Anmeldung schließen"),
        (
            (
                SCHOOLS,
                _l(
                    "können nichts mehr anmelden oder ändern, außer mit einer verlängerten "
                    "Frist; schriftliche Arbeiten lassen sich bis zur Abgabefrist hochladen."
                ),
            ),
        ),
    ),
    Transition(
        Status.REGISTRATION_CLOSED,
        Status.REGISTRATION_OPEN,
        _l("Anmeldung wieder öffnen"),
        ((SCHOOLS, _l("können wieder anmelden und ändern, bis die Anmeldefrist abläuft.")),),
    ),
    Transition(
        Status.REGISTRATION_CLOSED,
        Status.JUDGING,
        _l("Bewertung beginnen"),
        (
            (
                SCHOOLS,
                _l(
                    "Anmeldungen und schriftliche Arbeiten werden eingefroren, auch bei "
                    "verlängerter Frist."
                ),
            ),
            (JUDGES, _l("bewerten ihre Projekte; die Vorsitzenden schließen ihre Jury ab.")),
            (ORGANISERS, _l("ändern den Status von Projekten; Schulen können das nicht mehr.")),
        ),
    ),
    Transition(
        Status.JUDGING,
        Status.REGISTRATION_CLOSED,
        _l("Zurück: Anmeldung geschlossen"),
        (
            (
                SCHOOLS,
                _l(
                    "Die Anmeldungen sind nicht mehr eingefroren: Schulen mit verlängerter Frist "
                    "ändern wieder; schriftliche Arbeiten bis zur Abgabefrist."
                ),
            ),
            (JUDGES, _l("Bewertungen und Jury-Entscheidungen bleiben erhalten.")),
        ),
    ),
    Transition(
        Status.JUDGING,
        Status.PUBLISHED,
        _l("Ergebnisse veröffentlichen"),
        (
            (
                PUBLIC,
                _l(
                    "sieht die Ergebnisseite mit den Preisen der abgeschlossenen Jurys; Namen "
                    "nur mit Einwilligung zur Veröffentlichung."
                ),
            ),
            (SCHOOLS, _l("können die Urkunden ihrer Preisträger herunterladen.")),
            (JUDGES, _l("Abgeschlossene Jurys lassen sich nicht mehr wieder öffnen.")),
        ),
    ),
    Transition(
        Status.PUBLISHED,
        Status.JUDGING,
        _l("Veröffentlichung zurücknehmen"),
        (
            (PUBLIC, _l("Die Ergebnisseite ist nicht mehr öffentlich.")),
            (
                ORGANISERS,
                _l("können abgeschlossene Jurys wieder öffnen; die Schulen bleiben eingefroren."),
            ),
        ),
    ),
    Transition(
        Status.PUBLISHED,
        Status.ARCHIVED,
        _l("Archivieren"),
        (
            (
                ORGANISERS,
                _l(
                    "Der Wettbewerb ist abgeschlossen: Veröffentlichung und Jurys lassen sich "
                    "nicht mehr ändern. Nur die Instanz-Administration kann das Archivieren "
                    "rückgängig machen, solange die Daten nicht gelöscht sind."
                ),
            ),
            (PUBLIC, _l("Die Ergebnisseite bleibt öffentlich.")),
        ),
    ),
    Transition(
        Status.ARCHIVED,
        Status.PUBLISHED,
        _l("Archivierung aufheben"),
        (
            (
                ORGANISERS,
                _l("Der Wettbewerb ist wieder „Ergebnisse veröffentlicht“ und lässt sich ändern."),
            ),
        ),
        admin_only=True,
    ),
]

_BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}


def phase(competition):
    """Return the Phase the competition is in."""
    return PHASES[Status(competition.status)]


def transitions_from(competition):
    """Return the transitions out of the competition's phase: forward first, then back."""
    here = Status(competition.status)
    return sorted((t for t in TRANSITIONS if t.source == here), key=lambda t: t.backward)


def transition_to(competition, target):
    """Return the transition from the competition's phase to target, or None."""
    try:
        return _BY_STEP.get((Status(competition.status), Status(target)))
    except ValueError:
        return None


def register_check(source, target, check):
    """Add a guard to a transition: check(competition) returns (refusal, warnings).

    refusal is a message that forbids the step (or None); warnings are messages the
    organiser must read and confirm before the step is taken.
    """
    _BY_STEP[(Status(source), Status(target))].checks.append(check)


def review(competition, step, user):
    """Return (refusals, warnings) for taking step now as user."""
    refusals, warnings = [], []
    if step.admin_only and not getattr(user, "is_admin", False):
        refusals.append(_l("Nur die Instanz-Administration kann diesen Schritt ausführen."))
    for check in step.checks:
        refusal, more = check(competition)
        if refusal:
            refusals.append(refusal)
        warnings.extend(more)
    return refusals, warnings


def change(competition, target, user, now=None):
    """Move competition to target along an allowed transition; return the transition.

    Raises PhaseError when no transition leads there from the current phase or a guard
    refuses. Publishing stamps the publication time, leaving published clears it.
    """
    step = transition_to(competition, target)
    if step is None:
        raise PhaseError(
            _l(
                "Von „%(source)s“ führt kein Schritt zu „%(target)s“.",
                source=Status(competition.status).label,
                target=_label(target),
            )
        )
    refusals, _warnings = review(competition, step, user)
    if refusals:
        raise PhaseError(" ".join(str(r) for r in refusals))
    competition.status = step.target
    if step.target == Status.PUBLISHED and step.source == Status.JUDGING:
        competition.results_published_at = now or utcnow()
        signals.results_published.send(competition)  # messaging tells the schools
    elif step.target == Status.JUDGING:
        competition.results_published_at = None
    return step


def _label(value):
    try:
        return Status(value).label
    except ValueError:
        return value
