"""A small jury scene: one Biologie jury, three judges (the first chairs), three projects."""

from dataclasses import dataclass, field
from datetime import date

from compmgr.database import utcnow
from compmgr.extensions import db
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    assign,
)


@dataclass
class Scene:
    comp: object
    jury: object
    judges: list = field(default_factory=list)
    users: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    criteria: list = field(default_factory=list)


def build_scene(n_projects=3, n_judges=3, assign_all=True, **comp_fields):
    comp = CompetitionFactory(**comp_fields)
    school = SchoolFactory(competition_id=comp.id)
    biologie = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=biologie, name="Biologie")
    scene = Scene(comp=comp, jury=jury)
    for k in range(n_projects):
        person = ParticipantFactory(
            competition_id=comp.id, school=school, birth_date=date(2009, 1, 1 + k)
        )
        scene.projects.append(
            ProjectFactory(
                competition=comp,
                school=school,
                participants=[person],
                subject=biologie,
                title=f"Projekt {k + 1}",
                stand=f"B{k + 1:02d}",
                abstract="Wir messen, wie schnell Kresse keimt.",
            )
        )
    for k in range(n_judges):
        user = UserFactory(email=f"juror{k + 1}@example.org")
        judge = JudgeFactory(
            competition=comp,
            user=user,
            jury=jury,
            chair=k == 0,
            first_name=f"Juror{k + 1}",
            last_name=f"Nachname{k + 1}",
            confidentiality_accepted_at=utcnow(),
        )
        scene.users.append(user)
        scene.judges.append(judge)
        if assign_all:
            for p in scene.projects:
                assign(judge, p)
    from compmgr.judging.scoring import criteria_for

    scene.criteria = criteria_for(comp.id, scene.projects[0].division_id)
    db.session.commit()
    return scene


def full_values(scene, value):
    """Return {criterion_id: value} for every criterion of the scene's rubric."""
    return {c.id: value for c in scene.criteria}
