"""The day plan through its pages: the organiser enters days, windows, stands and consultants;
the judge reads their own day and takes it away as .ics and PDF; the school sees its slot."""

from datetime import UTC, datetime, time
from io import BytesIO

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from compmgr.auth.models import Role
from compmgr.database import utcnow
from compmgr.judging.assignment import auto_assign, remove_judge
from compmgr.judging.models import Assignment, Judge
from compmgr.judging.plan_models import Consultant, Hall, JudgingDay, Stand
from compmgr.judging.timetable import build_timetable
from tests.factories import UserFactory, grant
from tests.forms import submit
from tests.planning.scene import two_days


@pytest.fixture
def scene(db):
    s = two_days(db)
    s["org"] = grant(UserFactory(email="orga@example.org"), s["comp"], Role.ORGANISER)
    db.session.commit()
    return s


def test_organiser_enters_a_day_and_a_wrong_break_is_explained(db, scene, login_as):
    web = login_as(scene["org"])
    cid = scene["comp"].id
    page = web.get(f"/c/{cid}/org/planning")
    bad = submit(page, day="2027-02-27", starts_at="09:00", ends_at="15:00", breaks="12-nachher")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "09:00-12:00, 14:00-16:00" in html
    assert 'value="12-nachher"' in html  # what was typed survives
    ok = submit(
        web.get(f"/c/{cid}/org/planning"),
        day="2027-02-27",
        starts_at="09:00",
        ends_at="15:00",
        breaks="12:00-12:45",
    )
    assert ok.status_code == 302
    row = db.session.scalars(
        db.select(JudgingDay).filter_by(day=datetime(2027, 2, 27).date())
    ).one()
    assert row.starts_at == time(9) and row.breaks == "12:00-12:45"


def test_organiser_enters_a_judges_windows_per_day(db, scene, login_as):
    web = login_as(scene["org"])
    comp, judge = scene["comp"], scene["judges"]["bio"][4]
    days = db.session.scalars(db.select(JudgingDay).order_by(JudgingDay.day)).all()
    url = f"/c/{comp.id}/org/judging/judges/{judge.id}/availability"
    fields = {f"day_{days[0].id}": "09:00-10:30", f"day_{days[1].id}": ""}
    bad = submit(web.get(url), always=False, **{f"day_{days[0].id}": "08:00-10:00"})
    assert bad.status_code == 422 and "innerhalb der Stunden dieses Tages" in bad.get_data(
        as_text=True
    )
    assert submit(web.get(url), always=False, **fields).status_code == 302
    db.session.expire_all()
    judge = db.session.get(Judge, judge.id)
    # 09:00 Berlin in February is 08:00 UTC
    assert [(w.starts_at, w.ends_at) for w in judge.windows] == [
        (datetime(2027, 2, 25, 8, 0, tzinfo=UTC), datetime(2027, 2, 25, 9, 30, tzinfo=UTC))
    ]
    assert "Do. 25.02. 09:00–10:30" in web.get(url).get_data(as_text=True)


def test_stands_are_numbered_by_equipment_and_unmet_needs_are_reported(db, scene, login_as):
    comp = scene["comp"]
    web = login_as(scene["org"])
    url = f"/c/{comp.id}/org/planning/halls"
    assert submit(web.get(url), name="Halle C").status_code == 302
    hall_c = db.session.scalars(db.select(Hall).filter_by(name="Halle C")).one()
    page = web.get(url)
    assert submit(page, hall_id=hall_c.id, numbers="C01-C03", water=True).status_code == 302
    wet, gassy = scene["projects"]["bio"][2], scene["projects"]["bio"][3]
    wet.stand, gassy.stand = None, None
    wet.needs_water, gassy.needs_gas = True, True
    db.session.commit()
    shown = submit(web.get(url), only_missing=True)
    html = shown.get_data(as_text=True)
    db.session.expire_all()
    stands = {s.number: s for s in db.session.scalars(db.select(Stand))}
    assert stands[db.session.get(type(wet), wet.id).stand].water
    assert f"„{gassy.title}“ steht an" in html and "ohne Gas" in html


def test_consultant_gets_a_pdf_and_the_school_sees_its_slot(db, scene, login_as):
    comp = scene["comp"]
    auto_assign(comp)
    build_timetable(comp)
    db.session.commit()
    web = login_as(scene["org"])
    page = web.get(f"/c/{comp.id}/org/planning/consultations")
    html = page.get_data(as_text=True)
    assert "Dr. Petra Patent" in html and "noch ohne Termin" not in html
    attorney = db.session.scalars(db.select(Consultant)).one()
    pdf = web.get(f"/c/{comp.id}/org/planning/consultants/{attorney.id}/schedule.pdf")
    text = PdfReader(BytesIO(pdf.data)).pages[0].extract_text()
    assert "Patentberatung: Dr. Petra Patent" in text
    assert scene["projects"]["bio"][0].title in text
    # the school of the project sees the slot
    project = scene["projects"]["bio"][0]
    school_user = grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, project.school)
    db.session.commit()
    web.logout()
    login_as(school_user)
    mine = web.get(f"/c/{comp.id}/school/projects/{project.id}").get_data(as_text=True)
    assert "Patentberatung:" in mine and "Dr. Petra Patent" in mine


def _judge_users(db, comp, judges):
    users = {}
    for n, judge in enumerate(judges):
        user = UserFactory(email=f"richter{n}@example.org")
        judge.user = user
        judge.confidentiality_accepted_at = utcnow()
        grant(user, comp, Role.JUDGE)
        users[judge.id] = user
    return users


def test_a_judge_sees_the_day_and_takes_it_away_as_ics_and_pdf(db, scene, login_as):
    comp = scene["comp"]
    judge = scene["judges"]["bio"][0]
    _judge_users(db, comp, [judge])
    auto_assign(comp)
    build_timetable(comp)
    db.session.commit()
    web = login_as(judge.user)
    page = web.get(f"/c/{comp.id}/jury/day")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Mein Tag" in html and "Alle Besuche" in html
    assert "Als Nächstes" in html  # the competition lies ahead: the first visit comes next
    ics = web.get(f"/c/{comp.id}/jury/day.ics")
    assert ics.mimetype == "text/calendar"
    events = Calendar.from_ical(ics.data).walk("VEVENT")
    mine = sorted(
        (a.slot_start, a.slot_end, a.project.title)
        for a in db.session.scalars(db.select(Assignment).filter_by(judge_id=judge.id))
    )
    parsed = sorted(
        (e.decoded("dtstart"), e.decoded("dtend"), str(e.get("summary")).split(" · ", 1)[1])
        for e in events
    )
    assert mine and parsed == mine
    pdf = web.get(f"/c/{comp.id}/jury/day.pdf")
    assert pdf.mimetype == "application/pdf"
    assert "Mein Zeitplan" in PdfReader(BytesIO(pdf.data)).pages[0].extract_text()


def test_after_an_absence_a_judge_reads_what_changed_since_the_last_visit(db, scene, login_as):
    comp = scene["comp"]
    bio = scene["judges"]["bio"]
    users = _judge_users(db, comp, bio)
    auto_assign(comp)
    build_timetable(comp)
    db.session.commit()
    for judge in bio:  # everyone has seen the plan once
        web = login_as(users[judge.id])
        assert "Geändert seit" not in web.get(f"/c/{comp.id}/jury/day").get_data(as_text=True)
        web.logout()
    outcome = remove_judge(comp, bio[2])
    build_timetable(comp)
    db.session.commit()
    taker, project_id = sorted(outcome.added)[0]
    web = login_as(users[taker])
    html = web.get(f"/c/{comp.id}/jury/day").get_data(as_text=True)
    title = next(p.title for p in scene["projects"]["bio"] if p.id == project_id)
    assert "Geändert seit Ihrem letzten Besuch" in html and "Neu: Stand" in html and title in html
    again = web.get(f"/c/{comp.id}/jury/day").get_data(as_text=True)
    assert "Geändert seit" not in again  # seen once, gone


def test_the_jury_timetable_and_the_hall_overview_print(db, scene, login_as):
    comp = scene["comp"]
    auto_assign(comp)
    build_timetable(comp)
    db.session.commit()
    web = login_as(scene["org"])
    html = web.get(f"/c/{comp.id}/org/judging/timetable").get_data(as_text=True)
    assert "Online" in html and "(Do. 25.02. 09:00–11:00)" in html  # the part-time judge
    pdf = web.get(f"/c/{comp.id}/org/judging/timetable-halls.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Hallenübersicht der Standbesuche" in text
    assert all(name in text for name in ("A", "B", "Online"))
    jury_pdf = web.get(f"/c/{comp.id}/org/judging/timetable.pdf")
    assert "Biologie" in "".join(p.extract_text() for p in PdfReader(BytesIO(jury_pdf.data)).pages)


def test_a_judge_enters_own_windows_and_the_repair_respects_them(db, scene, login_as):
    comp = scene["comp"]
    judge = scene["judges"]["chem"][3]
    _judge_users(db, comp, [judge])
    auto_assign(comp)
    build_timetable(comp)
    db.session.commit()
    web = login_as(judge.user)
    days = db.session.scalars(db.select(JudgingDay).order_by(JudgingDay.day)).all()
    url = f"/c/{comp.id}/jury/availability"
    page = web.get(url)
    assert page.status_code == 200 and "Meine Verfügbarkeit" in page.get_data(as_text=True)
    fields = {f"day_{days[0].id}": "", f"day_{days[1].id}": "09:00-13:00"}
    assert submit(page, always=False, **fields).status_code == 302
    # the organiser re-runs: the assignment and the repaired timetable keep to the window
    auto_assign(comp)
    report = build_timetable(comp)
    db.session.commit()
    db.session.expire_all()
    window = db.session.get(Judge, judge.id).windows
    assert len(window) == 1
    for a in db.session.scalars(db.select(Assignment).filter_by(judge_id=judge.id)):
        assert window[0].starts_at <= a.slot_start and a.slot_end <= window[0].ends_at
    assert not report.unscheduled
