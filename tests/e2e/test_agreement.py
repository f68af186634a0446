"""The agreement report, the chair's flags and a judge's own chart in a real browser."""

from compmgr.extensions import db
from compmgr.judging import scoring
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility import axe_violations
from tests.judging.scene import full_values
from tests.judging.test_agreement_pages import _harsh_scene


def test_chair_sees_flags_report_and_a_judge_her_own_chart(live_app, live_server, page, phone):
    with live_app.app_context():
        scene = _harsh_scene()
        a, b, c = scene.judges
        p2 = scene.projects[1]  # brought within a point of project 1: the 1st-prize line
        almost = {**full_values(scene, 9), scene.criteria[0].id: 8}
        for judge, values in ((a, almost), (b, full_values(scene, 9)), (c, full_values(scene, 6))):
            scoring.save_sheet(judge, p2, values)
        cid, jury_id = scene.comp.id, scene.jury.id
        chair_email, harsh_email = scene.users[0].email, scene.users[2].email
        db.session.commit()
    for tab, width in ((page, "desktop"), (phone, "390")):
        login(tab, live_server, chair_email)
        tab.goto(f"{live_server}/c/{cid}/jury/chair/{jury_id}/")
        tab.get_by_text("So wird gerechnet").click()
        assert tab.locator(".ranking-neighbour").count() >= 2  # the 1st-prize line is close
        screenshot(tab, f"chair-ranking-model-{width}")
        tab.get_by_role("link", name="Wie gut stimmt die Jury überein?").click()
        tab.get_by_text("ICC =").wait_for()
        assert axe_violations(tab) == []
        screenshot(tab, f"jury-agreement-{width}")
        tab.context.clear_cookies()
    login(phone, live_server, harsh_email)
    phone.goto(f"{live_server}/c/{cid}/jury/")
    phone.get_by_role("link", name="Meine Bewertungen im Vergleich").click()
    phone.get_by_text("deutlich strenger").wait_for()
    phone.wait_for_load_state("load")
    assert phone.evaluate("document.querySelector('figure img').naturalWidth") > 0
    assert axe_violations(phone) == []
    screenshot(phone, "judge-own-offset-390")
