"""End-to-end fixtures: a live server in a thread and Debian's Chromium driven by Playwright.

Browser tests skip, with the reason printed, only where /usr/bin/chromium is absent.
Screenshots land in test-artifacts/ (git-ignored) so a person can look at them.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from compmgr import create_app
from compmgr.extensions import db as _db
from tests.conftest import base_config

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        reason = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        print(f"\nSKIPPING browser tests: {reason}")
        for item in items:
            if item.get_closest_marker("e2e"):  # set by the root conftest, by folder
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_app(sqlite_template, tmp_path):
    """An app on its own SQLite file; the test seeds it through ``live_app.app_context()``."""
    target = tmp_path / "live.sqlite"
    shutil.copy(sqlite_template, target)
    app = create_app({**base_config(f"sqlite:///{target}", tmp_path), "SERVER_NAME": None})
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    return app


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_URL"] = url  # as a deployment sets it: every absolute link
    yield url
    server.shutdown()
    with live_app.app_context():
        _db.engine.dispose()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="de-DE",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def screenshot(page, name):
    """Save a full-page screenshot to test-artifacts/NAME.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def logout(page):
    """Log out through the menu (unfolded first on a phone) and wait for the login page."""
    if page.locator(".navbar-toggler").is_visible():  # the phone's folded menu
        page.locator(".navbar-toggler").click()
        page.locator(".navbar-collapse.show").wait_for()  # unfolded, not still moving
    with page.expect_navigation(url="**/login", timeout=30000):  # a loaded machine is slow
        page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("E-Mail-Adresse").wait_for()


def login(page, base, email, password="password123"):
    page.goto(f"{base}/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    # A login hashes a password on purpose: under a loaded machine the answer can take a while.
    page.get_by_role("button", name="Anmelden").click(timeout=30000)
