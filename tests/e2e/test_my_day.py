"""A judge on a 390 px phone sees the own day with the next visit and downloads the .ics file,
which a calendar library parses back to the same events (issue 15)."""

from icalendar import Calendar

from compmgr.auth.models import Role
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.assignment import auto_assign
from compmgr.judging.models import Assignment
from compmgr.judging.timetable import build_timetable
from tests.e2e.conftest import login, screenshot
from tests.factories import UserFactory, grant
from tests.planning.scene import two_days


def test_judge_sees_the_next_visit_on_a_phone_and_downloads_the_calendar(
    live_app, live_server, phone
):
    with live_app.app_context():
        scene = two_days(db)
        judge = scene["judges"]["bio"][0]
        user = UserFactory(email="handy@example.org")
        judge.user = user
        judge.confidentiality_accepted_at = utcnow()
        grant(user, scene["comp"], Role.JUDGE)
        auto_assign(scene["comp"])
        build_timetable(scene["comp"])
        db.session.commit()
        cid = scene["comp"].id
        mine = sorted(
            (a.slot_start, a.slot_end, a.project.title)
            for a in db.session.scalars(db.select(Assignment).filter_by(judge_id=judge.id))
        )
    page = phone
    login(page, live_server, "handy@example.org")
    page.goto(f"{live_server}/c/{cid}/jury/")
    page.get_by_role("link", name="Mein Tag: jetzt und als Nächstes").click()
    page.get_by_role("heading", name="Mein Tag").wait_for()
    page.get_by_text("Als Nächstes").wait_for()
    assert mine[0][2] in page.locator("article").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "judge-phone-my-day")
    with page.expect_download() as info:
        page.get_by_role("link", name="In den Kalender (.ics)").click()
    calendar = Calendar.from_ical(open(info.value.path(), "rb").read())
    parsed = sorted(
        (e.decoded("dtstart"), e.decoded("dtend"), str(e.get("summary")).split(" · ", 1)[1])
        for e in calendar.walk("VEVENT")
    )
    assert parsed == mine
