"""In the browser: a mixed jury decides per Sparte and locks, the organiser publishes and
archives through the phase pages, each step confirmed after reading what it changes.

Screenshots at 390 px and desktop width land in test-artifacts/phase-*.png.
"""

from compmgr.competitions.models import Competition, Status
from compmgr.extensions import db
from compmgr.judging.models import Jury
from tests.e2e.conftest import login, logout, screenshot
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_phones import WIDER
from tests.results.helpers import mixed_jury


def _both(page, name):
    """Check the page with axe, screenshot it at desktop width and at 390 px."""
    assert axe_violations(page) == [], name
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    measured = page.evaluate(WIDER)
    assert measured["width"] <= 390, measured["wider"]
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_mixed_jury_decides_per_sparte_and_the_organiser_publishes(live_app, live_server, page):
    with live_app.app_context():
        comp, jury, projects, _users, _org = mixed_jury()
        cid, jury_id = comp.id, jury.id
        project_ids = [p.id for p in projects]

    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{cid}/org/")
    page.get_by_test_id("phase").wait_for()
    _both(page, "phase-1-dashboard")
    page.get_by_role("link", name="Ergebnisse veröffentlichen …").click()
    page.get_by_test_id("phase-refusal").wait_for()  # no jury has locked yet
    _both(page, "phase-2-publish-refused")
    logout(page)

    login(page, live_server, "juror1@example.org")
    page.goto(f"{live_server}/c/{cid}/jury/chair/{jury_id}/")
    page.get_by_test_id("per-division").wait_for()
    for pid, prize in zip(project_ids, ("1", "2", "1", "2"), strict=True):
        page.locator(f"#prize_{pid}").select_option(prize)
    page.get_by_role("button", name="Entscheidung speichern").click()
    page.get_by_text("Die Entscheidung der Jury ist gespeichert.").wait_for()
    _both(page, "phase-3-chair-per-sparte")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Jury abschließen").click()
    page.get_by_text("ist abgeschlossen.").first.wait_for()
    with live_app.app_context():
        assert db.session.get(Jury, jury_id).is_locked
    logout(page)

    login(page, live_server, "juror2@example.org")
    page.goto(f"{live_server}/c/{cid}/jury/")
    page.get_by_test_id("jury-locked").first.wait_for()
    assert page.get_by_text("Bewertung ändern").count() == 0
    _both(page, "phase-4-judge-locked")
    logout(page)

    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{cid}/org/phase?to=published")
    page.get_by_text("Was sich ändert").wait_for()
    _both(page, "phase-5-publish-confirm")
    page.get_by_label("Ich habe gelesen").check()
    page.get_by_role("button", name="Bestätigen").click()
    page.get_by_text("Neue Phase: Ergebnisse veröffentlicht").wait_for()
    page.get_by_role("link", name="Archivieren …").click()
    page.get_by_role("button", name="Bestätigen").click()  # not ticked: refused
    page.get_by_text("Bitte bestätigen Sie").first.wait_for()
    page.get_by_label("Ich habe gelesen").check()
    page.get_by_role("button", name="Bestätigen").click()
    page.get_by_text("Neue Phase: Archiviert").wait_for()
    _both(page, "phase-6-archived")
    with live_app.app_context():
        assert db.session.get(Competition, cid).status == Status.ARCHIVED
    logout(page)

    page.goto(f"{live_server}/c/{cid}/results")
    page.get_by_role("heading", name="Biologie · Jugend forscht junior").wait_for()
    _both(page, "phase-7-results-per-sparte")
