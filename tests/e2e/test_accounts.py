"""In the browser: an offered role is accepted by its holder; the password change page."""

from urllib.parse import urlsplit

import pytest

from compmgr.auth.models import Role
from compmgr.extensions import db
from tests.e2e.conftest import login, logout, screenshot
from tests.factories import CompetitionFactory, JudgeFactory, UserFactory, grant
from tests.mailbox import links, outbox


@pytest.fixture
def seeded(live_app):
    with live_app.app_context():
        home = CompetitionFactory(name="Regionalwettbewerb Teststadt")
        other = CompetitionFactory(name="Landeswettbewerb Musterland")
        grant(UserFactory(email="orga@example.org", name="Käthe Groß"), home, Role.ORGANISER)
        judge = UserFactory(email="jurorin@example.org", name="Jana Jurorin")
        JudgeFactory(competition=other, user=judge)
        db.session.commit()
        return home.id


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_existing_account_accepts_an_offered_role(
    request, live_app, live_server, seeded, device
):
    page = request.getfixturevalue(device)
    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{seeded}/org/judging/judges")
    page.get_by_label("Vorname").fill("Jana")
    page.get_by_label("Nachname").fill("Jurorin")
    page.get_by_label("E-Mail-Adresse").fill("jurorin@example.org")
    page.get_by_role("button", name="Einladen").click()
    assert page.get_by_text("hat schon ein Konto").is_visible()
    assert "/invite/" not in page.content()
    screenshot(page, f"accounts-offered-{device}")
    logout(page)  # waits for the login page: a new page would race the logout

    login(page, live_server, "jurorin@example.org")
    assert page.get_by_role("heading", name="Angebotene Rollen").is_visible()
    screenshot(page, f"accounts-offer-{device}")
    (mail,) = outbox(live_app)  # the role is taken through the link of the mail
    (link,) = [u for u in links(mail) if "/offer/" in u]
    page.goto(live_server + urlsplit(link).path)
    screenshot(page, f"accounts-offer-link-{device}")
    page.get_by_role("button", name="Annehmen").click()
    assert page.get_by_text("angenommen").first.is_visible()

    page.goto(f"{live_server}/account")
    page.get_by_label("Bisheriges Passwort").fill("password123")
    page.get_by_label("Neues Passwort").fill("iloveyou12")
    page.get_by_label("Passwort wiederholen").fill("iloveyou12")
    page.get_by_role("button", name="Passwort ändern").click()
    assert page.locator("#password-error").get_by_text("geleakt").is_visible()
    screenshot(page, f"accounts-password-{device}")
