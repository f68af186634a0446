"""Sonderpreise: define special prizes and award them to projects of the competition."""

from sqlalchemy.orm import selectinload

from compmgr.extensions import db
from compmgr.registration.models import Project
from compmgr.results.models import SpecialPrize, SpecialPrizeAward
from compmgr.sorting import by_stand, by_text

PRIZE_FIELDS = ("name", "sponsor", "amount", "description")


def list_prizes(competition):
    """Return the competition's special prizes by name."""
    return by_text(
        db.session.execute(
            db.select(SpecialPrize)
            .filter_by(competition_id=competition.id)
            .order_by(SpecialPrize.id)
        )
        .scalars()
        .all()
    )


def save_prize(prize, **values):
    """Copy name, sponsor, amount and description onto prize (stripped of blanks)."""
    for name in PRIZE_FIELDS:
        setattr(prize, name, (values.get(name) or "").strip())
    db.session.add(prize)
    return prize


def awardable_projects(competition):
    """Return the projects a special prize may go to: every entry that takes part."""
    return by_stand(
        db.session.execute(
            db.select(Project)
            .filter_by(competition_id=competition.id)
            .where(Project.takes_part)
            .options(selectinload(Project.school))  # the choice names the school
        )
        .scalars()
        .all()
    )


def award(prize, project):
    """Give prize to project once; return the award (the existing one on a repeat)."""
    if project.competition_id != prize.competition_id:
        raise ValueError("project and prize belong to different competitions")
    existing = next((a for a in prize.awards if a.project_id == project.id), None)
    if existing is not None:
        return existing
    award = SpecialPrizeAward(project=project)
    prize.awards.append(award)
    return award


def revoke(prize, project_id):
    """Take prize away from a project; return whether it had it."""
    award = next((a for a in prize.awards if a.project_id == project_id), None)
    if award is None:
        return False
    prize.awards.remove(award)
    return True
