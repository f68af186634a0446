"""The award ceremony on a projector-sized screen: one prize at a time, keys to advance."""

from compmgr.extensions import db
from compmgr.results.models import SpecialPrize, SpecialPrizeAward
from tests.e2e.conftest import login, logout, screenshot
from tests.results.helpers import judged_competition


def test_ceremony_advances_with_the_arrow_key(live_app, live_server, page):
    with live_app.app_context():
        w = judged_competition()
        prize = SpecialPrize(
            competition_id=w.comp.id,
            name="Sonderpreis Umwelt",
            sponsor="Stadtwerke Görlitz",
            amount="150 €",
        )
        prize.awards.append(SpecialPrizeAward(project=w.second))
        db.session.add(prize)
        db.session.commit()
        cid = w.comp.id
    outside = []
    page.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None
    )
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{cid}/ceremony")

    current = page.locator(".ceremony-slide.is-current")
    counter = page.locator(".ceremony-counter")
    assert counter.inner_text() == "1 / 5"
    assert "Preisverleihung" in current.inner_text()
    screenshot(page, "ceremony-1-title")

    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == "2 / 5"
    assert "Sonderpreis Umwelt" in current.inner_text()
    screenshot(page, "ceremony-2-special-prize")

    page.keyboard.press(" ")
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == "4 / 5"
    text = current.inner_text()
    assert "1. Preis" in text and "Regionalsieg" in text
    assert "Lena Weiß und 1 weitere Person" in text and "Jörg" not in text
    assert page.locator(".ceremony-slide:visible").count() == 1
    screenshot(page, "ceremony-4-first-prize")

    page.keyboard.press("ArrowLeft")
    assert counter.inner_text() == "3 / 5"
    assert outside == [] and errors == []


def test_publish_page_and_public_results(live_app, live_server, page):
    with live_app.app_context():
        w = judged_competition()
        cid = w.comp.id
    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{cid}/org/publish")
    page.get_by_role("link", name="Ergebnisse veröffentlichen").click()
    page.get_by_text("Chemie").first.wait_for()  # the guard names the jury still open
    screenshot(page, "results-publish-confirm")
    page.get_by_label("Ich habe gelesen").check()
    page.get_by_role("button", name="Bestätigen").click()
    page.get_by_text("Neue Phase: Ergebnisse veröffentlicht").wait_for()
    page.goto(f"{live_server}/c/{cid}/org/publish")
    screenshot(page, "results-publish")
    page.goto(f"{live_server}/c/{cid}/org/prizes")
    page.get_by_label("Name des Sonderpreises").fill("Sonderpreis Umwelt")
    page.get_by_label("Stifter").fill("Stadtwerke Görlitz")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_label("Projekt").select_option(label="Bienen im Stadtpark (Gesamtschule Süd)")
    page.get_by_role("button", name="Preis vergeben").click()
    page.get_by_text("„Sonderpreis Umwelt“ geht an „Bienen im Stadtpark“.").wait_for()
    screenshot(page, "results-prizes")
    logout(page)
    page.goto(f"{live_server}/c/{cid}/results")
    page.get_by_role("heading", name="Biologie").wait_for()
    screenshot(page, "results-public")
