"""Issue 15, Done when: a two-day competition planned with windows, halls, consultations and
remote presentations; nobody double-booked or outside their windows; consultations never meet
visits; remote presentations with their whole jury; a repair moves only what it must."""

from datetime import timedelta

import pytest

from compmgr.judging.assignment import auto_assign, coverage_report, remove_judge
from compmgr.judging.models import Assignment
from compmgr.judging.plan_models import Consultation, ScheduleChange
from compmgr.judging.timetable import build_timetable, timetable_problems
from tests.planning.scene import two_days


def _rows(db):
    return db.session.scalars(db.select(Assignment)).all()


def _visits(db):
    result = {}
    for a in _rows(db):
        result.setdefault(a.project_id, set()).add((a.judge_id, a.slot_start))
    return result


@pytest.fixture
def planned(db):
    scene = two_days(db)
    outcome = auto_assign(scene["comp"])
    assert outcome.solution.optimal
    report = build_timetable(scene["comp"])
    db.session.commit()
    scene["report"] = report
    return scene


def test_nobody_is_double_booked_and_every_visit_has_a_time(db, planned):
    rows = _rows(db)
    assert rows and all(a.slot_start is not None for a in rows)
    assert not planned["report"].unscheduled
    buffer = planned["buffer"]
    by_judge = {}
    for a in rows:
        by_judge.setdefault(a.judge_id, []).append(a)
    for visits in by_judge.values():
        visits.sort(key=lambda a: a.slot_start)
        for a, b in zip(visits, visits[1:], strict=False):
            assert a.slot_end + buffer <= b.slot_start, "double-booked or no buffer"
    for starts in _visits(db).values():
        assert len({s for _j, s in starts}) == 1  # all judges of a project visit together
    assert timetable_problems(planned["comp"]) == []


def test_nobody_is_planned_outside_their_availability(db, planned):
    for judge in (planned["morning"], planned["second"]):
        mine = [a for a in _rows(db) if a.judge_id == judge.id]
        assert mine, "a part-time judge still judges"
        for a in mine:
            assert any(
                w.starts_at <= a.slot_start and a.slot_end <= w.ends_at for w in judge.windows
            )


def test_no_patent_consultation_clashes_with_a_jury_visit(db, planned):
    consultations = db.session.scalars(db.select(Consultation)).all()
    assert len(consultations) == 3 and all(c.starts_at for c in consultations)
    attorney = planned["attorney"]
    for c in consultations:
        assert c.consultant_id == attorney.id
        assert any(w.starts_at <= c.starts_at and c.ends_at <= w.ends_at for w in attorney.windows)
        for a in _rows(db):
            if a.project_id == c.project_id:
                assert c.ends_at <= a.slot_start or a.slot_end <= c.starts_at
    starts = sorted(c.starts_at for c in consultations)
    assert all(b - a >= timedelta(minutes=30) for a, b in zip(starts, starts[1:], strict=False))


def test_every_remote_presentation_has_its_jury_together(db, planned):
    for key in ("bio", "chem"):
        remote = planned["projects"][key][-1]
        rows = [a for a in _rows(db) if a.project_id == remote.id]
        jury = planned["juries"][key]
        assert {a.judge_id for a in rows} == {m.judge_id for m in jury.members}
        assert len({a.slot_start for a in rows}) == 1
    assert coverage_report(planned["comp"]) == []


def test_a_repair_after_one_absence_moves_only_the_visits_it_must(db, planned):
    comp = planned["comp"]
    before = {p: dict(v) for p, v in ((p, {j: s for j, s in v}) for p, v in _visits(db).items())}
    gone = planned["judges"]["bio"][3]
    outcome = remove_judge(comp, gone)
    db.session.commit()
    gained = {p for j, p in outcome.added}
    report = build_timetable(comp)
    db.session.commit()
    after = _visits(db)
    moved = {project.id for project, _old, _new in report.moved}
    for project_id, visit in after.items():
        start = next(iter({s for _j, s in visit}))
        old = next(iter(before[project_id].values()))
        if project_id not in gained:
            assert start == old, "a visit that lost nobody's time moved"
        assert (start != old) == (project_id in moved)
    assert moved <= gained
    # every judge who got a new visit or a new time is told so
    told = {c.judge_id for c in db.session.scalars(db.select(ScheduleChange))}
    assert {j for j, _p in outcome.added} <= told
    assert not report.unscheduled
