"""The factories build what the app's services build: derived fields are never typed in."""

from datetime import date

from compmgr.auth.models import Role
from compmgr.registration.models import ProjectStatus
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
)


def test_a_project_gets_its_speaker_and_division_from_its_team(db):
    comp = CompetitionFactory()
    school = SchoolFactory(competition_id=comp.id)
    junior = ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2014, 1, 1))
    older = ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2009, 1, 1))
    project = ProjectFactory(competition=comp, school=school, participants=[junior, older])
    assert project.speaker is junior and [m.position for m in project.members] == [0, 1]
    assert project.division.code == "jf"  # the oldest member decides
    alone = ProjectFactory(
        competition=comp,
        school=school,
        participants=[
            ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2014, 1, 1))
        ],
    )
    assert alone.division.code == "junior"


def test_a_withdrawn_project_keeps_the_division_it_had(db):
    project = ProjectFactory(status=ProjectStatus.WITHDRAWN)
    assert project.status == ProjectStatus.WITHDRAWN and project.division is not None
    assert project.school.competition_id == project.competition_id == project.subject.competition_id


def test_juries_are_named_as_the_app_names_them(db):
    comp = CompetitionFactory()
    assert JuryFactory(competition=comp).name == comp.subjects[0].name
    junior = comp.divisions[1]
    jury = JuryFactory(competition=comp, subject=comp.subjects[1], division=junior, team=2)
    assert jury.name == f"{comp.subjects[1].name} – {junior.name} (Team 2)"


def test_a_judge_with_an_account_holds_the_role_and_chairs_when_asked(db):
    comp = CompetitionFactory()
    jury = JuryFactory(competition=comp)
    user = UserFactory(email="jurorin@example.org")
    chair = JudgeFactory(competition=comp, user=user, jury=jury, chair=True)
    member = JudgeFactory(competition=comp, jury=jury, email="zweite@example.org")
    assert chair.email == "jurorin@example.org" and user.has_role(Role.JUDGE, comp.id)
    assert jury.chair is chair and {m.judge for m in jury.members} == {chair, member}
