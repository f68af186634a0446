"""The organiser's control room: the figures before, on and after the competition day.

Each figure is counted with a fixed number of queries, whatever the size of the competition
(``tests/admin/test_control_room.py`` counts them at two sizes), and the rules are asked where
they live: ``missing_items`` and ``MISSING_FILTERS`` for what a project lacks,
``Project.takes_part`` for what counts.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from compmgr.auth.models import RoleGrant, RoleOffer, User
from compmgr.extensions import db
from compmgr.judging.models import (
    Assignment,
    Conflict,
    ConflictStatus,
    Judge,
    Jury,
    JuryMember,
    Review,
)
from compmgr.registration import services
from compmgr.registration.models import (
    Participant,
    Project,
    ProjectMember,
    ProjectStatus,
    School,
)
from compmgr.sorting import sort_text

MISSING_KINDS = ("paper", "consent", "animal_form", "speaker")


@dataclass
class SchoolGaps:
    """What the projects of one school still lack: kind → number of projects."""

    school: School
    counts: dict = field(default_factory=dict)


def funnel(competition):
    """Count registered, admitted and complete projects, and list each school's gaps."""
    projects = db.session.scalars(
        db.select(Project)
        .where(Project.competition_id == competition.id, Project.takes_part)
        .options(
            selectinload(Project.school),
            selectinload(Project.documents),
            selectinload(Project.members)
            .selectinload(ProjectMember.participant)
            .selectinload(Participant.consents),
        )
    ).all()
    gaps = {}
    complete = 0
    for project in projects:
        if not services.missing_items(project):
            complete += 1
        for kind in MISSING_KINDS:
            if services.MISSING_FILTERS[kind](project):
                row = gaps.setdefault(project.school_id, SchoolGaps(project.school))
                row.counts[kind] = row.counts.get(kind, 0) + 1
    admitted = sum(1 for p in projects if p.status == ProjectStatus.ADMITTED)
    return {
        "registered": len(projects),
        "admitted": admitted,
        "complete": complete,
        "incomplete": len(projects) - complete,
        "without_stand": sum(1 for p in projects if not p.stand),
        "schools": sorted(gaps.values(), key=lambda g: sort_text(g.school.label)),
    }


def juries(competition):
    """Return every jury with its members, for the chair check and the day's progress."""
    return db.session.scalars(
        db.select(Jury)
        .where(Jury.competition_id == competition.id)
        .options(selectinload(Jury.members).selectinload(JuryMember.judge))
        .order_by(Jury.name)
    ).all()


def short_of_judges(competition):
    """Return (project, judges assigned) for projects that take part with too few judges."""
    count = db.func.count(Assignment.id)
    rows = db.session.execute(
        db.select(Project, count)
        .outerjoin(Assignment, Assignment.project_id == Project.id)
        .where(Project.competition_id == competition.id, Project.takes_part)
        .group_by(Project.id)
        .having(count < competition.min_judges_per_project)
        .order_by(Project.stand, Project.id)
    ).all()
    return [(p, n) for p, n in rows]


def flagged_conflicts(competition):
    """Count the conflicts derived by the app that the organiser has not decided yet."""
    return db.session.scalar(
        db.select(db.func.count(Conflict.id))
        .join(Judge, Conflict.judge_id == Judge.id)
        .where(Judge.competition_id == competition.id, Conflict.status == ConflictStatus.FLAGGED)
    )


def open_invitations(competition):
    """Count role offers not yet accepted and granted accounts never activated."""
    offers = db.select(RoleOffer.id).where(RoleOffer.competition_id == competition.id)
    inactive = (
        db.select(RoleGrant.id)
        .join(User, RoleGrant.user_id == User.id)
        .where(RoleGrant.competition_id == competition.id, User.password_hash.is_(None))
    )
    return db.session.scalar(
        db.select(db.func.count()).select_from(offers.union_all(inactive).subquery())
    )


@dataclass
class JudgeProgress:
    judge: Judge
    assigned: int = 0
    finished: int = 0

    @property
    def open(self):
        return self.assigned - self.finished

    @property
    def share(self):
        return self.finished / self.assigned if self.assigned else 1.0


def progress(competition, jury_list):
    """Return finished sheets per judge and per jury, who is behind, and judges without jury."""
    finished = (
        db.select(Review.id)
        .where(
            Review.judge_id == Assignment.judge_id,
            Review.project_id == Assignment.project_id,
            Review.submitted_at.is_not(None),
        )
        .exists()
    )
    rows = db.session.execute(
        db.select(
            Judge,
            db.func.count(Assignment.id),
            db.func.count(Assignment.id).filter(finished),
        )
        .outerjoin(Assignment, Assignment.judge_id == Judge.id)
        .where(Judge.competition_id == competition.id)
        .group_by(Judge.id)
    ).all()
    judges = {j.id: JudgeProgress(j, assigned, done) for j, assigned, done in rows}
    per_jury = []
    placed = set()
    for jury in jury_list:
        members = [judges[m.judge_id] for m in jury.members if m.judge_id in judges]
        placed.update(m.judge_id for m in jury.members)
        per_jury.append(
            (
                jury,
                sum(m.assigned for m in members),
                sum(m.finished for m in members),
            )
        )
    busy = [p for p in judges.values() if p.assigned]
    behind = sorted((p for p in busy if p.open), key=lambda p: (p.share, -p.open))[:8]
    without_jury = sorted(
        (p.judge for jid, p in judges.items() if jid not in placed),
        key=lambda j: sort_text(j.last_name + " " + j.first_name),
    )
    return {
        "per_jury": per_jury,
        "behind": behind,
        "without_jury": without_jury,
        "assigned": sum(p.assigned for p in judges.values()),
        "finished": sum(p.finished for p in judges.values()),
    }


def figures(competition):
    """Gather every figure of the dashboard."""
    jury_list = juries(competition)
    return {
        "funnel": funnel(competition),
        "juries": jury_list,
        "without_chair": [j for j in jury_list if j.chair is None],
        "short": short_of_judges(competition),
        "flagged": flagged_conflicts(competition),
        "invitations": open_invitations(competition),
        "progress": progress(competition, jury_list),
        "locked": sum(1 for j in jury_list if j.locked_at is not None),
    }
