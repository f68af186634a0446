"""Score sheets: which projects a judge may score, saving scores, progress."""

from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, false, literal_column, null, true, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, load_only, selectinload
from sqlalchemy.orm.util import identity_key

from compmgr.audit.services import record, record_now
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


def _in_rubric(competition_id, division_id):
    """The condition "a criterion of the division's rubric": its own and those for every
    division. With no division (None, or a bound NULL) only the criteria for every division."""
    return (Criterion.competition_id == competition_id) & (
        Criterion.division_id.is_(None) | (Criterion.division_id == division_id)
    )


def criteria_for(competition_id, division_id):
    """Return the rubric for a division: its own criteria and those for every division."""
    return db.session.scalars(
        db.select(Criterion)
        .where(_in_rubric(competition_id, division_id))
        .order_by(Criterion.position, Criterion.id)
    ).all()


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


def _locked_in_subject(project):
    """Return the condition "a jury of the project's Fachgebiet has locked", as one EXISTS.

    While it is false, no jury that covers the project has locked (Jury.fits asks for the
    Fachgebiet first). ``project`` is a loaded project, or the Project class for a condition
    on the enclosing statement's ``projects`` row.
    """
    return (
        db.select(Jury.id)
        .where(
            Jury.competition_id == project.competition_id,
            Jury.subject_id == project.subject_id,
            Jury.locked_at.is_not(None),
        )
        .exists()
    )


def is_locked(project, locked_in_subject=None):
    """Tell whether a jury judging the project has locked its decision.

    One statement in the usual case: while no jury of the project's Fachgebiet has locked,
    none that covers it has. Only then are the competition's juries read to find the ones
    that cover the project. ``locked_in_subject``: that first answer, if already read.
    """
    if locked_in_subject is None:
        locked_in_subject = db.session.scalar(db.select(_locked_in_subject(project)))
    if not locked_in_subject:
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


# What a save reads of the project (the audit names it by title); the rest stays unloaded.
SAVE_COLUMNS = (
    Project.competition_id,
    Project.division_id,
    Project.subject_id,
    Project.school_id,
    Project.status,
    Project.title,
)

# The save's statements are built once, with bound parameters: building the permission's
# EXISTS clauses anew cost more CPU than the database spends answering them.


@cache
def _sheet_for_saving_query():
    judge_id, competition_id = bindparam("judge_id"), bindparam("competition_id")
    return (
        db.select(
            Project,
            Review,
            Judge.may_score(judge_id, competition_id).label("allowed"),
            _locked_in_subject(Project).label("locked"),
        )
        .outerjoin(Review, (Review.project_id == Project.id) & (Review.judge_id == judge_id))
        .where(Project.id == bindparam("project_id"))
        .options(load_only(*SAVE_COLUMNS))
    )


@cache
def _rubric_and_scores_query():
    """The rubric of the project's division, in order, then the judge's scores of the project:
    one statement, rows told apart by ``is_score``."""
    judge_id, project_id = bindparam("judge_id"), bindparam("project_id")
    rubric = db.select(
        false().label("is_score"),
        Criterion.position,
        Criterion.id,
        Criterion.name,
        Criterion.scale_min,
        Criterion.scale_max,
        null().label("score_id"),
        null().label("value"),
    ).where(_in_rubric(bindparam("competition_id"), bindparam("division_id")))
    scores = db.select(
        true(),
        literal_column("0"),
        Score.criterion_id,
        literal_column("''"),
        literal_column("0"),
        literal_column("0"),
        Score.id,
        Score.value,
    ).where(Score.judge_id == judge_id, Score.project_id == project_id)
    return union_all(rubric, scores).order_by("is_score", "position", "id")


@cache
def _score_statements():
    """Return the statements that write one judge's scores of one project."""
    scores = Score.__table__
    return SimpleNamespace(
        insert=db.insert(scores),  # the new id: RETURNING where the database has it
        update=db.update(scores)
        .where(scores.c.id == bindparam("score_id"))
        .values(value=bindparam("value"), updated_at=bindparam("updated_at")),
        delete=db.delete(scores).where(scores.c.id == bindparam("score_id")),
    )


def _sheet_for_saving(judge, project_id):
    """Load the project and the judge's review, ask ``Judge.can_score`` and whether a jury of
    the Fachgebiet has locked: one statement. Return (project, review, lock flag)."""
    row = db.session.execute(
        _sheet_for_saving_query(),
        {"judge_id": judge.id, "competition_id": judge.competition_id, "project_id": project_id},
    ).first()
    if row is None or not row.allowed:
        raise ScoringForbidden()
    return row.Project, row.Review, bool(row.locked)


def _forget_score(score_id, deleted=False):
    """Keep a Score the session may hold in step with a write that went around it."""
    score = db.session.identity_map.get(identity_key(Score, score_id))
    if score is not None:
        if deleted:
            db.session.expunge(score)
        else:
            db.session.expire(score)


def save_sheet(judge, project, values, note=None, submit=False, user=None):
    """Store a judge's values for a project (last write wins) and audit every change.

    ``project`` is a Project or its id. ``values`` maps criterion ids to a value or None
    (cleared); criteria not named stay as they are, so saving the same values twice changes
    nothing. Raises ScoringLocked when the jury has locked, ScoringForbidden when the judge
    may not score the project (asked here, in the write transaction, whatever the view
    checked before: the data may have changed while the save waited for the lock),
    ScoringError for invalid values. Returns the SavedSheet, uncommitted.

    A sheet is finished (``submitted``) only while every criterion has a value: ``submit`` on
    an incomplete sheet still saves the values and the note, but leaves the sheet a draft and
    names the ``missing`` criteria (``refused``); a save that clears a value of a finished
    sheet opens it again (a save of the note alone leaves it finished). So "finished" in the judge's list and the chair's matrix always means complete.

    A save that changes nothing sends four statements: the project with the permission, the
    lock and the review; the rubric; the judge's scores of the project. Each changed value
    adds its write and its audit entry (Core statements: no unit of work to flush).
    """
    project_id = project if isinstance(project, int) else project.id
    project, review, locked_in_subject = _sheet_for_saving(judge, project_id)
    if is_locked(project, locked_in_subject):
        raise ScoringLocked()
    ids = {"judge_id": judge.id, "project_id": project.id}
    criteria, existing = [], {}
    for row in db.session.execute(
        _rubric_and_scores_query(),
        {**ids, "competition_id": project.competition_id, "division_id": project.division_id},
    ):
        if row.is_score:
            existing[row.id] = (row.score_id, row.value)
        else:
            criteria.append(row)
    clean, errors = validate_values(criteria, values)
    if errors:
        raise ScoringError(errors)
    names = {c.id: c.name for c in criteria}
    sql = _score_statements()
    changed, cleared = 0, False
    for cid, value in clean.items():
        score_id, before = existing.get(cid, (None, None))
        if before == value:
            continue
        if value is None:
            db.session.execute(sql.delete, {"score_id": score_id})
            _forget_score(score_id, deleted=True)
            del existing[cid]
            cleared = True
        elif score_id is None:
            score_id = db.session.execute(
                sql.insert, {**ids, "criterion_id": cid, "value": value, "updated_at": utcnow()}
            ).inserted_primary_key[0]
        else:
            db.session.execute(
                sql.update, {"score_id": score_id, "value": value, "updated_at": utcnow()}
            )
            _forget_score(score_id)
        if value is not None:
            existing[cid] = (score_id, value)
        record_now(
            "score.set",
            (Score, score_id),
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
        review,
        note,
        finish=submit and not missing,
        reopen=cleared,
        user=user,
    )
    return SavedSheet(
        changed,
        {cid: value for cid, (_, value) in existing.items()},
        review.note if review else "",
        bool(review and review.submitted_at),
        missing=missing,
        refused=bool(submit and missing),
    )


def _save_review(judge, project, review, note, finish, reopen, user):
    """Store the note; finish the sheet, or reopen it when this save cleared a value.

    Both are audited. ``review`` is the judge's review of the project as loaded, or None.
    Returns the review, or None if there is none: an empty note on a sheet that is not being
    finished writes no review row (the score page sends the note with every change).
    """
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
    cells = _progress_cells([(judge.id, p) for p in projects])
    return {pid: cell for (_jid, pid), cell in cells.items()}


def progress_matrix(jury, projects):
    """Return the judges of a jury and {(judge_id, project_id): (scored, total, submitted)}.

    Only assigned pairs appear in the mapping; a missing pair means "not assigned". The cells
    are what ``progress`` gives each judge, read for the whole jury at once.
    """
    members = jury.members
    by_id = {
        j.id: j
        for j in db.session.scalars(
            db.select(Judge).where(Judge.id.in_([m.judge_id for m in members]))
        )
    }
    judges = [by_id[m.judge_id] for m in members]
    ids = [p.id for p in projects]
    if not (ids and judges):
        return judges, {}
    assigned = set(
        db.session.execute(
            db.select(Assignment.judge_id, Assignment.project_id).where(
                Assignment.project_id.in_(ids), Assignment.judge_id.in_(list(by_id))
            )
        ).all()
    )
    pairs = [(j.id, p) for j in judges for p in projects if (j.id, p.id) in assigned]
    return judges, _progress_cells(pairs)


def _progress_cells(pairs):
    """Return {(judge_id, project_id): (scored, total, submitted)} for (judge_id, project)
    pairs: two statements, plus one rubric read per division, whatever the number of pairs."""
    if not pairs:
        return {}
    judge_ids = list({jid for jid, _p in pairs})
    project_ids = list({p.id for _jid, p in pairs})
    counts = {
        (jid, pid): n
        for jid, pid, n in db.session.execute(
            db.select(Score.judge_id, Score.project_id, db.func.count(Score.id))
            .where(Score.judge_id.in_(judge_ids), Score.project_id.in_(project_ids))
            .group_by(Score.judge_id, Score.project_id)
        )
    }
    submitted = set(
        db.session.execute(
            db.select(Review.judge_id, Review.project_id).where(
                Review.judge_id.in_(judge_ids),
                Review.project_id.in_(project_ids),
                Review.submitted_at.is_not(None),
            )
        ).all()
    )
    totals, cells = {}, {}
    for jid, p in pairs:
        if p.division_id not in totals:
            totals[p.division_id] = len(criteria_for(p.competition_id, p.division_id))
        key = (jid, p.id)
        cells[key] = (counts.get(key, 0), totals[p.division_id], key in submitted)
    return cells
