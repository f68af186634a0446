"""The organiser puts judges on a jury through its page: members, chair, removal."""

import pytest

from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging.models import JuryMember
from tests.factories import CompetitionFactory, JudgeFactory, JuryFactory, UserFactory, grant
from tests.forms import submit


@pytest.fixture
def scene(db):
    comp = CompetitionFactory()
    jury = JuryFactory(competition=comp, subject=comp.subjects[1])
    judges = [
        JudgeFactory(
            competition=comp,
            first_name=name,
            last_name="Jurorin",
            email=f"{name.lower()}@example.org",
        )
        for name in ("Anna", "Berta")
    ]
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    return comp, jury, judges, org


def _chairs(jury):
    db.session.expire_all()
    return [
        m.judge_id
        for m in db.session.scalars(db.select(JuryMember).filter_by(jury_id=jury.id))
        if m.is_chair
    ]


def test_the_organiser_adds_members_and_hands_on_the_chair(scene, login_as):
    comp, jury, (anna, berta), org = scene
    web = login_as(org)
    url = f"/c/{comp.id}/org/judging/juries/{jury.id}"
    assert submit(web.get(url), judge_id=anna.id).status_code == 302
    assert submit(web.get(url), judge_id=berta.id).status_code == 302
    assert {m.judge_id for m in db.session.scalars(db.select(JuryMember))} == {anna.id, berta.id}
    page = web.get(url)
    assert submit(page, action=f"{url}/members/{berta.id}/chair").status_code == 302
    assert _chairs(jury) == [berta.id]
    assert submit(web.get(url), action=f"{url}/members/{anna.id}/remove").status_code == 302
    assert [m.judge_id for m in db.session.scalars(db.select(JuryMember))] == [berta.id]


@pytest.mark.parametrize("tick", [True, False], ids=["chair ticked", "first member"])
def test_a_new_member_chairs_when_ticked_or_when_the_jury_has_no_chair(scene, login_as, tick):
    comp, jury, (anna, _berta), org = scene
    web = login_as(org)
    url = f"/c/{comp.id}/org/judging/juries/{jury.id}"
    assert submit(web.get(url), judge_id=anna.id, is_chair=tick).status_code == 302
    assert _chairs(jury) == [anna.id]


def test_a_jury_whose_chair_left_says_it_lacks_one(scene, login_as):
    comp, jury, (anna, berta), org = scene
    web = login_as(org)
    url = f"/c/{comp.id}/org/judging/juries/{jury.id}"
    assert submit(web.get(url), judge_id=anna.id, is_chair=True).status_code == 302
    assert submit(web.get(url), judge_id=berta.id, is_chair=True).status_code == 302
    assert _chairs(jury) == [berta.id]  # exactly one chair: the newcomer took it over
    assert 'data-testid="no-chair"' not in web.get(url).get_data(as_text=True)
    assert submit(web.get(url), action=f"{url}/members/{berta.id}/remove").status_code == 302
    assert "Diese Jury hat keinen Vorsitz" in web.get(url).get_data(as_text=True)
