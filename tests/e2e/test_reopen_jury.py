"""The organiser reopens a locked jury in the browser; the page passes axe, also with errors.

The demo has no locked jury, so the accessibility crawl never reaches this page.
"""

from compmgr.extensions import db
from compmgr.judging.models import Jury
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility import axe_violations
from tests.results.helpers import judged_competition


def test_organiser_reopens_a_locked_jury(live_app, live_server, page):
    with live_app.app_context():
        w = judged_competition()
        cid, jury_id = w.comp.id, w.jury.id
    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{cid}/org/judging/juries")
    assert axe_violations(page) == []
    screenshot(page, "jury-reopen-1-overview")

    page.get_by_role("link", name="Wieder öffnen … (Biologie)").click()
    page.get_by_role("heading", name="Jury Biologie wieder öffnen").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "jury-reopen-2-confirm")

    page.get_by_role("button", name="Jury wieder öffnen").click()
    page.get_by_text("Bitte geben Sie den Grund an").wait_for()
    assert page.locator("#reason[aria-invalid=true]").count() == 1
    assert page.locator("#confirm[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "jury-reopen-3-errors")

    page.get_by_role("textbox", name="Grund").fill("Platz 2 und 3 vertauscht")
    page.get_by_label("Ja, die Jury wieder öffnen", exact=False).check()
    page.get_by_role("button", name="Jury wieder öffnen").click()
    page.get_by_text("ist wieder offen").wait_for()
    with live_app.app_context():
        assert not db.session.get(Jury, jury_id).is_locked
