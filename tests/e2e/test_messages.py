"""In the browser: an organiser writes to all schools of the demo, sees each recipient's
status (one mailbox refuses), and sends the failed mail again once the mailbox is back."""

import time

import pytest

from compmgr.demo import DEMO_PASSWORD, find_demo, load_demo
from compmgr.extensions import db
from tests.e2e.conftest import login, screenshot
from tests.mailbox import SmtpSink


@pytest.fixture
def mail_worker(live_app):
    """The mail worker beside the server, as in production (MAIL_WORKER_THREAD, `flask worker`).

    The app also delivers once an answer is out; under werkzeug's test server that sometimes
    does not happen, and the worker's next round (here every half second) sends the mail.
    """
    import threading

    from compmgr.messaging.worker import run_forever

    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(live_app, 0.5, stop), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=10)


@pytest.fixture
def demo(live_app):
    with live_app.app_context():
        load_demo()
        cid = find_demo().id
        db.session.remove()
    return cid


def _wait_for(page, url, selector, count, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        if page.locator(selector).count() == count or time.monotonic() > deadline:
            return
        time.sleep(0.3)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_message_to_all_schools_with_status_and_resend(
    browser, live_app, live_server, demo, mail_worker, width
):
    with SmtpSink(refuse_to={"schule2@demo.compmgr.de"}) as sink:
        live_app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_RETRY_SECONDS=3600
        )
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, live_server, "orga@demo.compmgr.de", DEMO_PASSWORD)
        page.goto(f"{live_server}/c/{demo}/org/mail/messages/new")
        screenshot(page, f"messages-new-{width}")
        page.locator("select[name=selection]").select_option("schools")
        page.get_by_label("Betreff").fill("Aufbau am Freitag")
        page.get_by_label("Text").fill(
            "Hallo {{ name }},\nder Aufbau für {{ school }} beginnt um 8 Uhr."
        )
        page.get_by_role("button", name="Vorschau").click()
        preview = page.locator("#preview")
        assert "schule1@demo.compmgr.de" in preview.inner_text()
        assert "schule2@demo.compmgr.de" in preview.inner_text()
        assert "Hallo Frau Özlem Yılmaz," in preview.inner_text()  # schools by name
        screenshot(page, f"messages-preview-{width}")
        page.get_by_role("button", name="Senden").click()
        status_url = page.url
        assert "/org/mail/messages/" in status_url
        _wait_for(page, status_url, '[data-status="failed"]', 1)
        sent = 'tr[data-recipient="schule1@demo.compmgr.de"] [data-status="sent"]'
        _wait_for(page, status_url, sent, 1)  # the two mails may go out in different rounds
        row = page.locator('tr[data-recipient="schule2@demo.compmgr.de"]')
        assert "550 5.1.1 Postfach unbekannt" in row.inner_text()
        assert page.locator(sent).count() == 1
        screenshot(page, f"messages-status-{width}")

        sink.refuse_to.clear()  # the school fixed its mailbox
        row.get_by_role("button", name="Erneut senden").click()
        _wait_for(page, status_url, '[data-status="sent"]', 2)
        assert page.locator('[data-status="sent"]').count() == 2
        assert page.locator('[data-status="failed"]').count() == 0
        screenshot(page, f"messages-resent-{width}")
        context.close()
    got = sorted(m["to"] for m in sink.received)
    assert got == ["schule1@demo.compmgr.de", "schule2@demo.compmgr.de"]
    assert all(m["subject"] == "Aufbau am Freitag" for m in sink.received)
