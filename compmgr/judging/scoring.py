"""Score sheets: which projects a judge may score, saving scores, progress."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from compmgr.audit.services import record
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.conflicts import conflict_pairs
from compmgr.judging.models import (
    Assignment,
    Criterion,
    Judge,
    Jury,
    JuryMember,
    Review,
    Score,
)
from compmgr.registration.models import Project
from compmgr.text import strip_bidi


class ScoringError(Exception):
    """A score sheet cannot be saved; ``errors`` maps criterion ids (or "form") to messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class ScoringLocked(Exception):
    """The jury has locked its decision; scores can no longer change."""


class ScoringForbidden(Exception):
    """The judge may not score the project (any more): unassigned, conflicted or withdrawn."""


def criteria_for(competition_id, division_id):
    """Return the rubric for a division: its own criteria and those for every division."""
    query = db.select(Criterion).where(Criterion.competition_id == competition_id)
    if division_id is None:
        query = query.where(Criterion.division_id.is_(None))
    else:
        query = query.where(
            (Criterion.division_id.is_(None)) | (Criterion.division_id == division_id)
        )
    return db.session.scalars(query.order_by(Criterion.position, Criterion.id)).all()


def visible_assignments(judge, documents=False):
    """Return the judge's assignments of projects still taking part, without conflicted ones,
    each with its project; with ``documents`` also the projects' documents (the paper)."""
    blocked = conflict_pairs(judge.competition_id)
    project = contains_eager(Assignment.project)
    query = (
        db.select(Assignment)
        .join(Project, Project.id == Assignment.project_id)
        .where(
            Assignment.judge_id == judge.id,
            Project.competition_id == judge.competition_id,
            Project.takes_part,
        )
        .options(project.selectinload(Project.documents) if documents else project)
    )
    rows = db.session.scalars(query).all()
    rows = [a for a in rows if (judge.id, a.project_id) not in blocked]
    return sorted(
        rows,
        key=lambda a: (
            a.slot_start is None,
            a.slot_start or 0,
            a.project.stand or "",
            a.project.title,
        ),
    )


def project_for_judge(judge, project_id):
    """Return the project if judge may score it (assigned, not conflicted), else None."""
    project = db.session.get(Project, project_id)
    if project is None or not judge.can_score(project):
        return None
    return project


def _competition_juries(competition_id):
    return db.session.scalars(
        db.select(Jury)
        .filter_by(competition_id=competition_id)
        .order_by(Jury.id)
        .options(selectinload(Jury.members))
    ).all()


def juries_of_project(project):
    """Return the juries that judge a project (Jury.covers), the assignments read once."""
    return Jury.covering(project, _competition_juries(project.competition_id))


def is_locked(project):
    """Tell whether a jury judging the project has locked its decision.

    One statement in the usual case: while no jury of the project's Fachgebiet has locked,
    none that covers it has (Jury.fits asks for the Fachgebiet first). Only then are the
    competition's juries read to find the ones that cover the project.
    """
    locked = db.session.execute(
        db.select(Jury.id)
        .where(
            Jury.competition_id == project.competition_id,
            Jury.subject_id == project.subject_id,
            Jury.locked_at.is_not(None),
        )
        .limit(1)
    ).first()
    if locked is None:
        return False
    return any(j.is_locked for j in juries_of_project(project))


def locked_at(project):
    """Return when a jury judging the project locked its decision, or None while open."""
    return max((j.locked_at for j in juries_of_project(project) if j.is_locked), default=None)


def locked_at_of(competition_id, projects):
    """Return {project id: locked_at(project)} for many projects of one competition, in a fixed
    number of statements: the juries once, and the assignments once if a jury has locked."""
    juries = _competition_juries(competition_id) if projects else []
    if not any(j.is_locked for j in juries):
        return dict.fromkeys((p.id for p in projects), None)
    assigned = {}
    for judge_id, project_id in db.session.execute(
        db.select(Assignment.judge_id, Assignment.project_id).where(
            Assignment.project_id.in_([p.id for p in projects])
        )
    ):
        assigned.setdefault(project_id, set()).add(judge_id)
    return {
        p.id: max(
            (
                j.locked_at
                for j in Jury.covering(p, juries, assigned.get(p.id, set()))
                if j.is_locked
            ),
            default=None,
        )
        for p in projects
    }


def jury_projects(jury):
    """Return the projects taking part that a jury judges (Jury.covers), by stand and title."""
    projects = db.session.scalars(
        db.select(Project).where(Project.competition_id == jury.competition_id, Project.takes_part)
    ).all()
    juries = db.session.scalars(
        db.select(Jury)
        .filter_by(competition_id=jury.competition_id)
        .order_by(Jury.id)
        .options(selectinload(Jury.members))
    ).all()
    assigned = {}
    for judge_id, project_id in (
        db.session.execute(
            db.select(Assignment.judge_id, Assignment.project_id).where(
                Assignment.project_id.in_([p.id for p in projects])
            )
        )
        if projects
        else ()
    ):
        assigned.setdefault(project_id, set()).add(judge_id)
    mine = [p for p in projects if jury.covers(p, juries, assigned.get(p.id, set()))]
    return sorted(mine, key=lambda p: (p.stand or "~", p.title))


def chair_jury(judge, jury_id):
    """Return the jury if judge chairs it, else None."""
    jury = db.session.get(Jury, jury_id)
    if jury is None or jury.competition_id != judge.competition_id:
        return None
    chair = db.session.execute(
        db.select(JuryMember.id).filter_by(jury_id=jury.id, judge_id=judge.id, is_chair=True)
    ).first()
    return jury if chair else None


def sheet(judge, project):
    """Return ({criterion_id: value}, review or None) of one judge for one project."""
    scores = db.session.scalars(
        db.select(Score).filter_by(judge_id=judge.id, project_id=project.id)
    ).all()
    review = db.session.execute(
        db.select(Review).filter_by(judge_id=judge.id, project_id=project.id)
    ).scalar_one_or_none()
    return {s.criterion_id: s.value for s in scores}, review


def validate_values(criteria, values):
    """Check raw values against the criteria; return ({criterion_id: int|None}, errors)."""
    by_id = {c.id: c for c in criteria}
    clean, errors = {}, {}
    for key, raw in (values or {}).items():
        try:
            cid = int(key)
        except (TypeError, ValueError):
            errors["form"] = _("Unbekanntes Kriterium.")
            continue
        criterion = by_id.get(cid)
        if criterion is None:
            errors["form"] = _("Unbekanntes Kriterium.")
            continue
        if raw is None or raw == "":
            clean[cid] = None
            continue
        try:
            if isinstance(raw, bool):  # JSON true is no score, though Python counts it as 1
                raise ValueError
            value = int(raw)
            if isinstance(raw, float) and raw != value:
                raise ValueError
        except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 is JSON for inf
            errors[cid] = _("Bitte eine ganze Zahl eingeben.")
            continue
        if not criterion.scale_min <= value <= criterion.scale_max:
            errors[cid] = _(
                "Bitte einen Wert von %(lo)d bis %(hi)d wählen.",
                lo=criterion.scale_min,
                hi=criterion.scale_max,
            )
            continue
        clean[cid] = value
    return clean, errors


@dataclass
class SavedSheet:
    """The sheet as this save wrote it (on SQLite, under the write lock, exactly what is stored)."""

    changed: int
    values: dict
    note: str
    submitted: bool
    missing: list = field(default_factory=list)  # ids of criteria without a value, rubric order
    refused: bool = False  # asked to finish, but criteria were missing: kept as a draft


def save_sheet(judge, project, values, note=None, submit=False, user=None):
    """Store a judge's values for a project (last write wins) and audit every change.

    ``values`` maps criterion ids to a value or None (cleared); criteria not named stay as
    they are, so saving the same values twice changes nothing. Raises ScoringLocked when the
    jury has locked, ScoringForbidden when the judge may no longer score the project (asked
    again here, as the view's check ran before the write lock), ScoringError for invalid
    values. Returns the SavedSheet, uncommitted.

    A sheet is finished (``submitted``) only while every criterion has a value: ``submit`` on
    an incomplete sheet still saves the values and the note, but leaves the sheet a draft and
    names the ``missing`` criteria (``refused``); a save that clears a value of a finished
    sheet opens it again (a save of the note alone leaves it finished). So "finished" in the judge's list and the chair's matrix always means complete.
    """
    if not judge.can_score(project):
        raise ScoringForbidden()
    if is_locked(project):
        raise ScoringLocked()
    criteria = criteria_for(project.competition_id, project.division_id)
    clean, errors = validate_values(criteria, values)
    if errors:
        raise ScoringError(errors)
    names = {c.id: c.name for c in criteria}
    existing = {
        s.criterion_id: s
        for s in db.session.scalars(
            db.select(Score).filter_by(judge_id=judge.id, project_id=project.id)
        )
    }
    changed, cleared = 0, False
    for cid, value in clean.items():
        score = existing.get(cid)
        before = score.value if score is not None else None
        if before == value:
            continue
        if value is None:
            db.session.delete(existing.pop(cid))
            cleared = True
        elif score is None:
            score = existing[cid] = Score(
                judge_id=judge.id, project_id=project.id, criterion_id=cid, value=value
            )
            db.session.add(score)
        else:
            score.value = value
            score.updated_at = utcnow()
        db.session.flush()
        record(
            "score.set",
            score,
            competition_id=project.competition_id,
            user=user,
            before={"value": before},
            after={
                "value": value,
                "judge": judge.full_name,
                "judge_id": judge.id,
                "project": project.title,
                "project_id": project.id,
                "criterion": names[cid],
                "criterion_id": cid,
            },
        )
        changed += 1
    missing = [c.id for c in criteria if c.id not in existing]
    review = _save_review(
        judge,
        project,
        note,
        finish=submit and not missing,
        reopen=cleared,
        user=user,
    )
    return SavedSheet(
        changed,
        {cid: s.value for cid, s in existing.items()},
        review.note if review else "",
        bool(review and review.submitted_at),
        missing=missing,
        refused=bool(submit and missing),
    )


def _save_review(judge, project, note, finish, reopen, user):
    """Store the note; finish the sheet, or reopen it when this save cleared a value.

    Both are audited. Returns the review, or None if there is none: an empty note on a sheet
    that is not being finished writes no review row (the score page sends the note with
    every change).
    """
    review = db.session.execute(
        db.select(Review).filter_by(judge_id=judge.id, project_id=project.id)
    ).scalar_one_or_none()
    if review is None and not note and not finish:
        return None
    if review is None:
        review = Review(judge_id=judge.id, project_id=project.id, note="")
        db.session.add(review)
    what = {"judge": judge.full_name, "project": project.title, "project_id": project.id}
    note = strip_bidi(note)  # the column drops them anyway; the audit entry must too
    if note is not None and note != review.note:
        before = review.note
        review.note = note
        db.session.flush()
        record(
            "review.note",
            review,
            competition_id=project.competition_id,
            user=user,
            before={"note": before},
            after={"note": note, **what},
        )
    if finish and review.submitted_at is None:
        review.submitted_at = utcnow()
        db.session.flush()
        record(
            "review.submit", review, competition_id=project.competition_id, user=user, after=what
        )
    elif reopen and review.submitted_at is not None:
        review.submitted_at = None  # a value was cleared: the sheet is a draft again
        record(
            "review.reopen", review, competition_id=project.competition_id, user=user, after=what
        )
    db.session.flush()
    return review


def save_sheet_once(judge, project, values, note=None, submit=False, user=None):
    """Save and commit in one transaction; retry once if a parallel save inserted first.

    The answer is taken from the saving transaction itself, so answering the judge costs no
    second read (and no reload of the objects the commit expires).
    """
    for attempt in (1, 2):
        try:
            result = save_sheet(judge, project, values, note, submit, user)
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
        except Exception:
            db.session.rollback()
            raise
    return None  # pragma: no cover


def progress(judge, projects):
    """Return {project_id: (scored, total, submitted)} for a judge's projects."""
    if not projects:
        return {}
    counts = dict(
        db.session.execute(
            db.select(Score.project_id, db.func.count(Score.id))
            .where(Score.judge_id == judge.id, Score.project_id.in_([p.id for p in projects]))
            .group_by(Score.project_id)
        ).all()
    )
    submitted = set(
        db.session.scalars(
            db.select(Review.project_id).where(
                Review.judge_id == judge.id, Review.submitted_at.is_not(None)
            )
        )
    )
    totals = {}
    result = {}
    for p in projects:
        if p.division_id not in totals:
            totals[p.division_id] = len(criteria_for(p.competition_id, p.division_id))
        result[p.id] = (counts.get(p.id, 0), totals[p.division_id], p.id in submitted)
    return result


def progress_matrix(jury, projects):
    """Return the judges of a jury and {(judge_id, project_id): (scored, total, submitted)}.

    Only assigned pairs appear in the mapping; a missing pair means "not assigned". The cells
    are what ``progress`` gives each judge, read for the whole jury at once.
    """
    members = jury.members
    loaded = db.session.scalars(  # held, so that m.judge finds each one in the session
        db.select(Judge).where(Judge.id.in_([m.judge_id for m in members]))
    ).all()
    judges = [m.judge for m in members]
    del loaded
    ids = [p.id for p in projects]
    judge_ids = [j.id for j in judges]
    if not (ids and judges):
        return judges, {}
    assigned = set(
        db.session.execute(
            db.select(Assignment.judge_id, Assignment.project_id).where(
                Assignment.project_id.in_(ids), Assignment.judge_id.in_(judge_ids)
            )
        ).all()
    )
    if not assigned:
        return judges, {}
    counts = {
        (jid, pid): n
        for jid, pid, n in db.session.execute(
            db.select(Score.judge_id, Score.project_id, db.func.count(Score.id))
            .where(Score.judge_id.in_(judge_ids), Score.project_id.in_(ids))
            .group_by(Score.judge_id, Score.project_id)
        )
    }
    submitted = set(
        db.session.execute(
            db.select(Review.judge_id, Review.project_id).where(
                Review.judge_id.in_(judge_ids), Review.submitted_at.is_not(None)
            )
        ).all()
    )
    totals = {}
    cells = {}
    for judge in judges:
        for p in projects:
            if (judge.id, p.id) not in assigned:
                continue
            if p.division_id not in totals:
                totals[p.division_id] = len(criteria_for(p.competition_id, p.division_id))
            key = (judge.id, p.id)
            cells[key] = (counts.get(key, 0), totals[p.division_id], key in submitted)
    return judges, cells
