"""The rubric: criteria per competition and division, locked once scores exist."""

from compmgr.audit.services import record
from compmgr.competitions import defaults
from compmgr.competitions.models import Competition
from compmgr.extensions import db
from compmgr.judging.models import Criterion, Review, Score
from compmgr.signals import competition_copied, competition_created

FIELDS = (
    "group",
    "name",
    "description",
    "weight",
    "scale_min",
    "scale_max",
    "division_id",
    "position",
)


class RubricLocked(Exception):
    """Scores exist: the rubric cannot change until the organiser resets them."""


@competition_created.connect
def seed_rubric(competition, **_kwargs):
    """Give a new competition the default rubric of five criteria groups (for all divisions)."""
    for pos, (group, name, description, weight) in enumerate(defaults.CRITERIA):
        db.session.add(
            Criterion(
                competition_id=competition.id,
                group=group,
                name=name,
                description=description,
                weight=weight,
                position=pos,
            )
        )


@competition_copied.connect
def copy_rubric(competition, source, divisions, **_kwargs):
    """Copy the rubric of source into its copy; divisions maps old division ids to new ones."""
    for c in db.session.scalars(db.select(Criterion).filter_by(competition_id=source.id)):
        db.session.add(
            Criterion(
                competition_id=competition.id,
                group=c.group,
                name=c.name,
                description=c.description,
                weight=c.weight,
                scale_min=c.scale_min,
                scale_max=c.scale_max,
                position=c.position,
                division_id=divisions[c.division_id].id if c.division_id else None,
            )
        )


def criteria(competition_id, division_id="all"):
    """Return a competition's criteria; with a division id only those of that division."""
    query = db.select(Criterion).filter_by(competition_id=competition_id)
    if division_id != "all":
        query = query.filter_by(division_id=division_id)
    return db.session.scalars(query.order_by(Criterion.position, Criterion.id)).all()


def score_count(competition_id):
    """Count the scores given in a competition."""
    return db.session.scalar(
        db.select(db.func.count(Score.id))
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(Criterion.competition_id == competition_id)
    )


def is_locked(competition_id):
    """Tell whether the rubric is locked because scores exist."""
    return score_count(competition_id) > 0


def _state(c):
    return {f: getattr(c, f) for f in FIELDS}


def save_criterion(competition_id, data, criterion=None, user=None):
    """Create or update a criterion from a dict of FIELDS; raise RubricLocked if scored."""
    if is_locked(competition_id):
        raise RubricLocked()
    before = _state(criterion) if criterion is not None else None
    if criterion is None:
        last = db.session.scalar(
            db.select(db.func.max(Criterion.position)).filter_by(competition_id=competition_id)
        )
        criterion = Criterion(competition_id=competition_id, position=(last or 0) + 1)
        db.session.add(criterion)
    for f in FIELDS:
        if f in data:
            setattr(criterion, f, data[f])
    db.session.flush()
    record(
        "criterion.save",
        criterion,
        before=before,
        after=_state(criterion),
        competition_id=competition_id,
        user=user,
    )
    return criterion


def delete_criterion(criterion, user=None):
    """Delete a criterion; raise RubricLocked if scored."""
    if is_locked(criterion.competition_id):
        raise RubricLocked()
    record(
        "criterion.delete",
        criterion,
        before=_state(criterion),
        after=None,
        competition_id=criterion.competition_id,
        user=user,
    )
    db.session.delete(criterion)
    db.session.flush()


def reset_scores(competition_id, user=None):
    """Delete every score of a competition and reopen the score sheets; audited. Return count."""
    ids = db.select(Criterion.id).filter_by(competition_id=competition_id).scalar_subquery()
    scores = db.session.scalars(db.select(Score).where(Score.criterion_id.in_(ids))).all()
    n = len(scores)
    judge_ids = {s.judge_id for s in scores}
    for s in scores:
        db.session.delete(s)
    if judge_ids:
        for review in db.session.scalars(db.select(Review).where(Review.judge_id.in_(judge_ids))):
            review.submitted_at = None
    comp = db.session.get(Competition, competition_id)
    record(
        "scores.reset",
        comp,
        before={"scores": n},
        after={"scores": 0},
        competition_id=competition_id,
        user=user,
    )
    db.session.flush()
    return n
