"""The jury's final decision: places, prizes, Regionalsieger, locking and reopening the jury."""

from dataclasses import dataclass

from flask_babel import gettext as _

from compmgr.audit.models import AuditEntry
from compmgr.audit.services import record
from compmgr.competitions.models import Competition, Status
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import Jury
from compmgr.results.models import Decision
from compmgr.results.publishing import is_published
from compmgr.signals import jury_locked

PRIZE_FIELDS = {1: "first_prizes", 2: "second_prizes", 3: "third_prizes"}


class DecisionError(Exception):
    """The decision is not valid; ``errors`` maps project ids (or "form") to messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Row:
    """The chair's entry for one project; ``division`` groups places and prizes (Sparte)."""

    project_id: int
    place: int | None
    prize: int | None = None
    qualified: bool = False
    reason: str = ""
    division: object = None  # the project's Sparte (its id); places and quota count per Sparte


def decisions_of(jury):
    """Return {project_id: Decision} of a jury."""
    rows = db.session.scalars(db.select(Decision).filter_by(jury_id=jury.id))
    return {d.project_id: d for d in rows}


def tie_decided_of(jury):
    """Tell whether the jury's stored decision was saved with an explicitly decided tie."""
    return any(d.tie_decided for d in decisions_of(jury).values())


def prize_limits(competition):
    """Return {1: n, 2: n, 3: n}, how many prizes of each kind a jury may award per Sparte."""
    return {k: getattr(competition, f) for k, f in PRIZE_FIELDS.items()}


def decisive_cuts(limits, decided=None):
    """Return the places after which the order of two projects changes something.

    These are the last place of each prize class (with the quotas ``limits``: after a 1st
    prizes, after a + b, after a + b + c) and the Regionalsieger line: after as many places
    as the jury has ticked Regionalsieger in ``decided`` ({project_id: Decision}), or after
    the 1st prizes while nothing is ticked, since Regionalsieger are 1st places. Only there is
    "nicht unterscheidbar" worth a flag.
    """
    cuts, total = set(), 0
    for prize in (1, 2, 3):
        total += limits.get(prize) or 0
        if total:
            cuts.add(total)
    qualified = sum(1 for d in (decided or {}).values() if d.qualified)
    cuts.add(qualified or limits.get(1) or 1)
    return sorted(cuts)


def check_rows(rows, suggested, limits, tie_decided=False, division_names=None):
    """Return {project_id or "form": message} for a set of rows; empty when valid.

    Places and prizes count per Fachgebiet and Sparte, as the competition's rules say: a mixed
    jury (both Sparten) ranks each Sparte from 1 and gives each its own prize quota. Rows are
    grouped by ``Row.division``. Within a group: every project gets a place from 1 on;
    places are distinct unless the jury decided a tie explicitly (``tie_decided``); a place
    that differs from the suggested place from the scores (``suggested``: {project_id: rank
    or None}) needs a reason; no more prizes of a kind than ``limits`` allow unless the tie
    was decided explicitly, and then each extra prize holder needs a reason too.
    ``division_names`` ({division: name}) names the Sparte in the messages.
    """
    errors = {}
    groups = {}
    for row in rows:
        groups.setdefault(row.division, []).append(row)
    for division, group in groups.items():
        name = (division_names or {}).get(division) if len(groups) > 1 else None
        errors.update(_check_group(group, suggested, limits, tie_decided, name))
    return errors


def _check_group(rows, suggested, limits, tie_decided, name):
    errors = {}
    seen = {}
    for row in rows:
        if row.place is None or row.place < 1:
            errors[row.project_id] = _("Bitte einen Platz ab 1 eintragen.")
            continue
        if row.place > len(rows):
            errors[row.project_id] = (
                _("Der Platz darf in der Sparte %(d)s höchstens %(n)d sein.", d=name, n=len(rows))
                if name
                else _("Der Platz darf höchstens %(n)d sein.", n=len(rows))
            )
            continue
        if row.place in seen and not tie_decided:
            errors[row.project_id] = _(
                "Platz %(p)d ist doppelt vergeben. Ein Gleichstand muss ausdrücklich "
                "beschlossen werden.",
                p=row.place,
            )
            continue
        seen.setdefault(row.place, row.project_id)
        if row.place != suggested.get(row.project_id) and not row.reason.strip():
            errors[row.project_id] = _(
                "Der Platz weicht von der Punktwertung ab: bitte die Begründung der Jury angeben."
            )
        if row.prize not in (None, 1, 2, 3):
            errors[row.project_id] = _("Unbekannter Preis.")
    for prize, limit in limits.items():
        holders = sorted((r for r in rows if r.prize == prize), key=lambda r: r.place or 0)
        if len(holders) <= limit:
            continue
        if not tie_decided:
            message = _(
                "Es sind %(n)d %(k)d. Preise vergeben, vorgesehen sind %(m)d. Ein Gleichstand "
                "muss ausdrücklich beschlossen werden.",
                n=len(holders),
                k=prize,
                m=limit,
            )
            if name:
                message = _("Sparte %(d)s: %(message)s", d=name, message=message)
            errors.setdefault("form", message)
        else:
            for r in holders[limit:]:
                if not r.reason.strip():
                    errors[r.project_id] = _(
                        "Zusätzlicher Preis durch Gleichstand: bitte begründen."
                    )
    return errors


def _state(decision):
    if decision is None:
        return None
    return {
        "place": decision.place,
        "prize": decision.prize,
        "qualified": decision.qualified,
        "reason": decision.reason,
        "tie_decided": decision.tie_decided,
    }


def save_decisions(jury, rows, suggested, user, tie_decided=False):
    """Store the chair's places, prizes and Regionalsieger for a jury; audit each change.

    Raises DecisionError when invalid or when the jury is locked. Returns the number of
    changed decisions.
    """
    if jury.is_locked:
        raise DecisionError({"form": _("Die Jury hat ihre Entscheidung bereits abgeschlossen.")})
    competition = db.session.get(Competition, jury.competition_id)
    names = {d.id: d.name for d in competition.divisions}
    errors = check_rows(rows, suggested, prize_limits(competition), tie_decided, names)
    if errors:
        raise DecisionError(errors)
    existing = decisions_of(jury)
    changed = 0
    for row in rows:
        decision = existing.get(row.project_id)
        if decision is None:
            decision = db.session.execute(
                db.select(Decision).filter_by(project_id=row.project_id)
            ).scalar_one_or_none()
        before = _state(decision)
        after = {
            "place": row.place,
            "prize": row.prize,
            "qualified": bool(row.qualified),
            "reason": row.reason.strip(),
            "tie_decided": bool(tie_decided),
        }
        if before == after and decision.jury_id == jury.id:
            continue
        if decision is None:
            decision = Decision(project_id=row.project_id, jury_id=jury.id)
            db.session.add(decision)
        decision.jury_id = jury.id
        decision.place, decision.prize = row.place, row.prize
        decision.qualified, decision.reason = after["qualified"], after["reason"]
        decision.tie_decided = after["tie_decided"]
        decision.decided_by_id = user.id if user is not None else None
        decision.decided_at = utcnow()
        db.session.flush()
        record(
            "decision.set",
            decision,
            competition_id=jury.competition_id,
            user=user,
            before=before,
            after={
                **after,
                "jury": jury.name,
                "project_id": row.project_id,
                "suggested": suggested.get(row.project_id),
            },
        )
        changed += 1
    db.session.flush()
    return changed


def lock_jury(jury, project_ids, user):
    """Lock a jury's decision once every project has a place; scores then stay as they are."""
    if jury.is_locked:
        raise DecisionError({"form": _("Die Jury ist bereits abgeschlossen.")})
    decided = decisions_of(jury)
    missing = [pid for pid in project_ids if pid not in decided or decided[pid].place is None]
    if missing:
        raise DecisionError(
            {"form": _("Bitte zuerst für alle Projekte die Plätze festlegen und speichern.")}
        )
    jury.locked_at = utcnow()
    jury.locked_by_id = user.id if user is not None else None
    db.session.flush()
    record(
        "jury.lock",
        jury,
        before={"locked": False},
        after={"locked": True, "jury": jury.name},
        competition_id=jury.competition_id,
        user=user,
    )
    jury_locked.send(jury)
    return jury


def unlock_refusal(jury, competition):
    """Return why jury may not be reopened now, or None when it may.

    A jury whose decision is public stays closed: reopening it would silently take its prizes
    off the published results page. The organiser withdraws the publication first.
    """
    if not jury.is_locked:
        return _("Die Jury „%(name)s“ ist nicht abgeschlossen.", name=jury.name)
    if competition.status == Status.ARCHIVED:
        return _("Der Wettbewerb ist archiviert: Seine Entscheidungen bleiben, wie sie sind.")
    if is_published(competition):
        return _(
            "Die Ergebnisse sind veröffentlicht. Bitte nehmen Sie zuerst unter „Ergebnisse“ "
            "die Veröffentlichung zurück; danach können Sie die Jury wieder öffnen."
        )
    return None


def unlock_jury(jury, competition, user, reason):
    """Reopen a locked jury so its chair and judges can correct scores and the decision.

    The decision stays as it is, as the chair's draft to correct and lock again. The audit
    entry keeps who reopened it, when, the reason, and who had locked it when. Raises
    DecisionError when refused (see ``unlock_refusal``), also when another request reopened
    the jury first.
    """
    reason = (reason or "").strip()
    refusal = unlock_refusal(jury, competition)
    if refusal is None and not reason:
        refusal = _("Bitte geben Sie den Grund an, z. B. welcher Fehler korrigiert werden soll.")
    if refusal is not None:
        raise DecisionError({"form": refusal})
    before = {
        "locked": True,
        "locked_at": jury.locked_at.isoformat(),
        "locked_by": jury.locked_by.name if jury.locked_by else None,
    }
    # Only the request that actually unlocks writes the audit entry (double submit, two organisers).
    done = db.session.execute(
        db.update(Jury)
        .where(Jury.id == jury.id, Jury.locked_at.is_not(None))
        .values(locked_at=None, locked_by_id=None)
    ).rowcount
    db.session.refresh(jury)
    if not done:
        raise DecisionError(
            {"form": _("Die Jury „%(name)s“ ist nicht abgeschlossen.", name=jury.name)}
        )
    record(
        "jury.unlock",
        jury,
        before=before,
        after={"locked": False, "jury": jury.name, "reason": reason},
        competition_id=jury.competition_id,
        user=user,
    )
    db.session.flush()
    return jury


def last_unlock(jury):
    """Return the audit entry of the jury's latest reopening while it is open, else None."""
    if jury.is_locked:
        return None
    return db.session.scalars(
        db.select(AuditEntry)
        .filter_by(action="jury.unlock", object_type="Jury", object_id=jury.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    ).first()
