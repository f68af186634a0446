"""The foundation in a real browser: login lands on the role's dashboard; no request leaves."""

from compmgr.auth.models import Role
from compmgr.extensions import db
from tests.e2e.conftest import login, screenshot
from tests.factories import CompetitionFactory, UserFactory, grant


def test_organiser_logs_in_sees_dashboard_and_switches_to_english(live_app, live_server, page):
    with live_app.app_context():
        comp = CompetitionFactory(name="Regionalwettbewerb Süd")
        grant(UserFactory(email="orga@example.org", name="Käthe Groß"), comp, Role.ORGANISER)
        db.session.commit()
    outside = []
    page.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None
    )

    login(page, live_server, "orga@example.org")
    page.get_by_role("heading", name="Regionalwettbewerb Süd 2027").wait_for()
    assert page.locator("html").get_attribute("lang") == "de"
    screenshot(page, "organiser-dashboard")

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert outside == []


def test_wrong_password_shows_the_message_next_to_the_field(live_app, live_server, page):
    with live_app.app_context():
        UserFactory(email="orga@example.org")
        db.session.commit()
    login(page, live_server, "orga@example.org", "falsch")
    error = page.locator("#password-error")
    assert "E-Mail-Adresse oder Passwort ist falsch." in error.inner_text()
    assert page.get_by_label("E-Mail-Adresse").input_value() == "orga@example.org"
    screenshot(page, "login-error")
