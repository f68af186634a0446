"""The timetable: slots from the start, breaks skipped, no double booking, PDF, judge's view."""

from datetime import UTC, date, datetime, time

import pytest

from compmgr.judging.assignment import auto_assign
from compmgr.judging.models import Assignment
from compmgr.judging.timetable import (
    TimetableError,
    build_timetable,
    jury_timetables,
    slot_times,
    slots_for_judge,
    timetable_problems,
)
from compmgr.pdf.timetable import Timetable, TimetableBuilder
from tests.factories import CompetitionFactory, JudgeFactory, JuryFactory, SchoolFactory, assign
from tests.judging_admin.test_assignment import _judges, _projects


@pytest.fixture
def comp(db):
    c = CompetitionFactory(
        min_judges_per_project=3,
        starts_on=date(2027, 2, 25),
        judging_starts_at=time(9, 0),
        judging_breaks="10:00-10:30",
        slot_minutes=20,
    )
    c.school = SchoolFactory(competition_id=c.id, name="Gymnasium Nord")
    return c


def test_slots_start_on_the_first_day_in_berlin_time_and_skip_breaks(comp):
    times = slot_times(comp, 5)
    utc = [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in times]
    # 09:00 CET is 08:00 UTC; 09:40-10:00 fits, 10:00-10:30 is the break
    assert utc == [
        ("08:00", "08:20"),
        ("08:20", "08:40"),
        ("08:40", "09:00"),
        ("09:30", "09:50"),
        ("09:50", "10:10"),
    ]
    assert times[0][0] == datetime(2027, 2, 25, 8, 0, tzinfo=UTC)


def test_a_slot_that_would_run_into_a_break_starts_after_it(comp):
    comp.judging_breaks = "09:30-09:45"
    starts = [s.strftime("%H:%M") for s, _e in slot_times(comp, 3)]
    assert starts == ["08:00", "08:45", "09:05"]  # 09:20-09:40 would overlap the break


def test_missing_start_is_explained(comp):
    comp.judging_starts_at = None
    with pytest.raises(TimetableError, match="Beginn der Standbesuche"):
        slot_times(comp, 1)


def test_no_judge_is_in_two_places_and_each_stand_gets_one_team_visit(db, comp):
    bio, chem = comp.subjects[1], comp.subjects[2]
    bio_jury, chem_jury = (
        JuryFactory(competition=comp, subject=bio),
        JuryFactory(competition=comp, subject=chem),
    )
    _projects(comp, comp.school, bio, 7)
    _projects(comp, comp.school, chem, 4)
    _judges(comp, bio_jury, 5)
    chem_judges = _judges(comp, chem_jury, 3)
    bio_jury.members.append(type(bio_jury.members[0])(judge=chem_judges[0]))  # in two juries
    auto_assign(comp)
    slots = build_timetable(comp).slots
    db.session.commit()
    rows = db.session.scalars(db.select(Assignment)).all()
    assert all(a.slot_start is not None and a.slot_end > a.slot_start for a in rows)
    seen = {}
    for a in rows:
        assert (a.judge_id, a.slot_start) not in seen, "judge double-booked"
        seen[(a.judge_id, a.slot_start)] = a.project_id
    by_project = {}
    for a in rows:
        by_project.setdefault(a.project_id, set()).add(a.slot_start)
    assert all(len(starts) == 1 for starts in by_project.values())  # one visit per stand
    assert timetable_problems(comp) == []
    assert slots <= 7 + 4
    plans, unplanned = jury_timetables(comp)
    assert not unplanned and {j.id for j, _v in plans} == {bio_jury.id, chem_jury.id}


def test_problems_are_detected_when_times_collide(db, comp):
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio)
    p1, p2 = _projects(comp, comp.school, bio, 2)
    judge = JudgeFactory(competition=comp, jury=jury, email="x@example.org")
    a1, a2 = assign(judge, p1), assign(judge, p2)
    a1.slot_start, a1.slot_end = slot_times(comp, 1)[0]
    a2.slot_start, a2.slot_end = slot_times(comp, 1)[0]
    assert any("zwei Ständen" in p for p in timetable_problems(comp))


def test_rerun_keeps_existing_slots(db, comp):
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio)
    _projects(comp, comp.school, bio, 6)
    _judges(comp, jury, 4)
    auto_assign(comp)
    build_timetable(comp)
    before = {
        (a.judge_id, a.project_id): a.slot_start for a in db.session.scalars(db.select(Assignment))
    }
    build_timetable(comp)
    after = {
        (a.judge_id, a.project_id): a.slot_start for a in db.session.scalars(db.select(Assignment))
    }
    assert before == after


def test_judge_sees_own_slots_in_time_order(db, comp):
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio)
    _projects(comp, comp.school, bio, 4)
    judges = _judges(comp, jury, 3)
    auto_assign(comp)
    build_timetable(comp)
    mine = slots_for_judge(judges[0])
    assert len(mine) == 4
    assert [s for s, _e, _p in mine] == sorted(s for s, _e, _p in mine)


def test_pdf_builder_returns_a_pdf_with_umlauts():
    pdf = TimetableBuilder(
        Timetable(
            "Zeitplan Großstadt",
            "Donnerstag",
            [
                (
                    "Biologie – Jugend forscht",
                    [("09:00–09:20", "B01", "Würmer im Süßwasser", "Jörg Straßmann, Ülkü Öz")],
                )
            ],
            ["Zeit", "Stand", "Projekt", "Jury"],
            footer="compmgr",
        )
    ).build()
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Würmer im Süßwasser" in text and "Jörg Straßmann" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any(
        "/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        if "/DescendantFonts" in f.get_object()
        else "/FontDescriptor" in f.get_object()
        and "/FontFile2" in f.get_object()["/FontDescriptor"]
        for f in fonts.values()
    )  # the TrueType font is embedded
