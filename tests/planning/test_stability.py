"""Assignment stays put (issue 13): a re-run keeps what exists, a change stays in its jury."""

import pytest

from compmgr.auth.models import Role
from compmgr.judging.assignment import auto_assign, loads
from compmgr.judging.juries import add_member
from compmgr.judging.models import Assignment
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    SchoolFactory,
    UserFactory,
    grant,
)
from tests.forms import submit
from tests.judging_admin.test_assignment import _judges, _projects


def _pairs(db):
    return {(a.judge_id, a.project_id) for a in db.session.scalars(db.select(Assignment))}


@pytest.fixture
def season(db):
    """Five juries of 6–8 judges over 10–14 projects each, assigned once."""
    comp = CompetitionFactory(min_judges_per_project=3)
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium Nord")
    juries, projects = [], {}
    for n, subject in enumerate(comp.subjects[1:6]):
        jury = JuryFactory(competition=comp, subject=subject, name=subject.name)
        projects[jury.id] = {p.id for p in _projects(comp, school, subject, 10 + n)}
        _judges(comp, jury, 6 + n % 3)
        juries.append(jury)
    auto_assign(comp)
    db.session.commit()
    return comp, juries, projects


def test_a_rerun_with_nothing_changed_moves_nothing(db, season):
    comp, _juries, _projects_by_jury = season
    before = _pairs(db)
    outcome = auto_assign(comp)
    db.session.commit()
    assert outcome.changed == 0 and not outcome.added and not outcome.removed
    assert _pairs(db) == before


def test_a_new_judge_in_one_jury_changes_only_that_jury_with_the_fewest_moves(db, season):
    comp, juries, projects = season
    before = _pairs(db)
    physics = juries[2]
    newcomer = JudgeFactory(
        competition=comp, first_name="Nora", last_name="Neu", email="nora@example.org"
    )
    add_member(physics, newcomer)
    outcome = auto_assign(comp)
    db.session.commit()
    touched = {p for _j, p in outcome.added | outcome.removed}
    assert touched and touched <= projects[physics.id]  # no other jury moves
    # every move hands one visit to the newcomer: nothing else is reshuffled
    assert {j for j, _p in outcome.added} == {newcomer.id}
    assert len(outcome.removed) == len(outcome.added)
    members = [m.judge_id for m in physics.members]
    load = loads(comp)
    assert max(load[j] for j in members) - min(load.get(j, 0) for j in members) <= 1
    assert _pairs(db) == (before - outcome.removed) | outcome.added


def test_the_organiser_reads_0_geaendert_on_a_rerun(db, season, login_as):
    comp, _juries, _projects_by_jury = season
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    web = login_as(org)
    url = f"/c/{comp.id}/org/judging/assignments"
    page = submit(web.get(url), action=url + "/run")
    html = web.get(url).get_data(as_text=True)
    assert page.status_code == 302
    assert "0 geändert" in html


def test_cross_jury_picks_are_marked_and_warned(db, season, login_as):
    comp, juries, projects = season
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    biology, chemistry = juries[0], juries[1]
    chemist = chemistry.members[0].judge
    db.session.commit()
    web = login_as(org)
    # Mitglied aufnehmen: the chemist is offered under "other juries", named with the jury
    url = f"/c/{comp.id}/org/judging/juries/{biology.id}"
    page = web.get(url)
    html = page.get_data(as_text=True)
    assert "Aus anderen Jurys – Achtung" in html
    assert f"{chemist.last_name}, {chemist.first_name} (Jury {chemistry.name})" in html
    submit(page, judge_id=chemist.id)
    shown = web.get(url).get_data(as_text=True)
    assert f"Achtung: {chemist.full_name} gehört auch zur Jury {chemistry.name}." in shown
    # Von Hand zuteilen: a chemistry judge on a physics project is warned and marked
    physicist_project = sorted(projects[juries[2].id])[0]
    other = chemistry.members[1].judge
    url = f"/c/{comp.id}/org/judging/assignments/{physicist_project}"
    page = web.get(url)
    assert f"(Jury {chemistry.name})" in page.get_data(as_text=True)
    submit(page, judge_id=other.id)
    shown = web.get(url).get_data(as_text=True)
    assert f"Achtung: {other.full_name} gehört zur Jury {chemistry.name}" in shown
    assert "andere Jury" in shown
