"""The control room and the statistics page on the demo: German and English, desktop and
phone, zero axe violations, charts that load, nothing wider than a 390 px screen."""

from compmgr.demo import find_demo
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import _new_page, axe_violations, demo_site  # noqa: F401

WIDE = "el => [...el.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392 && getComputedStyle(e).position !== 'fixed' && !e.closest('.table-responsive')).map(e => e.tagName + '.' + e.className).slice(0, 5)"


def _login(page, base):
    page.goto(f"{base}/login")
    page.get_by_label("E-Mail-Adresse").fill("orga@demo.compmgr.de")
    page.get_by_label("Passwort").fill("demo-passwort")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def test_control_room_and_statistics_in_both_languages(browser, demo_site):  # noqa: F811
    app, base = demo_site
    with app.app_context():
        cid = find_demo().id
    context, page = _new_page(browser)
    try:
        _login(page, base)
        for lang in ("de", "en"):
            if lang == "en":
                page.set_viewport_size({"width": 1280, "height": 900})
                page.goto(f"{base}/c/{cid}/org/")
                page.get_by_role("button", name="English").click()
                page.wait_for_load_state()
            for name, path in (("dashboard", "/org/"), ("statistics", "/org/statistics/")):
                page.set_viewport_size({"width": 1280, "height": 900})
                page.goto(f"{base}/c/{cid}{path}")
                page.wait_for_load_state("networkidle")
                assert page.locator("html").get_attribute("lang") == lang
                assert axe_violations(page) == [], f"{name} ({lang})"
                loaded = page.evaluate(
                    "[...document.images].filter(i => i.classList.contains('stat-chart'))"
                    ".map(i => i.complete && i.naturalWidth > 0)"
                )
                assert all(loaded), f"a chart did not load on {name}"
                screenshot(page, f"stats-{name}-{lang}-desktop")
                page.set_viewport_size({"width": 390, "height": 844})
                page.wait_for_timeout(200)
                assert page.evaluate(WIDE, page.query_selector("body")) == [], name
                screenshot(page, f"stats-{name}-{lang}-390")
        text = page.content()
        assert "Year over year" in text and "pupils took part" in text
    finally:
        context.close()
