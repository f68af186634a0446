"""The reset page does not tell whether an account exists, however the mail server behaves.

An attacker asks for resets of addresses and watches the answer. It must be the same for an
account, an unknown address and a throttled one: not slower by the time a distant mail server
takes (a real HTTP server and a real, slow SMTP server here), and not a server error when
the mail server is down.
"""

import http.client
import logging
import socket
import threading
import time
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from tests.factories import UserFactory
from tests.forms import CSRF_RE, submit
from tests.mailbox import SmtpSink

RELAY_DELAY = 1.5  # seconds a distant relay takes to accept a mail


@pytest.fixture
def accounts(db):
    UserFactory(email="jurorin@example.org")
    UserFactory(email="neu@example.org", password_hash=None)  # invited, never activated
    db.session.commit()


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def _timed_reset(port, email):
    """Fetch the reset form, then ask for a reset; return status, Location and seconds taken."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/reset")
    form = conn.getresponse()
    cookie = form.getheader("Set-Cookie").split(";", 1)[0]
    token = CSRF_RE.search(form.read().decode()).group(1)
    body = urlencode({"email": email, "csrf_token": token})
    start = time.perf_counter()
    conn.request(
        "POST",
        "/reset",
        body,
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = conn.getresponse()
    answer.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return answer.status, answer.getheader("Location"), elapsed


def test_a_slow_mail_server_does_not_reveal_which_addresses_have_accounts(app, accounts, served):
    with SmtpSink(delay=RELAY_DELAY) as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
        known = _timed_reset(served, "jurorin@example.org")
        invited = _timed_reset(served, "neu@example.org")
        unknown = _timed_reset(served, "niemand@example.org")
        deadline = time.monotonic() + 10
        while len(sink.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert known[:2] == invited[:2] == unknown[:2] == (302, "/login")
    assert max(known[2], invited[2]) < RELAY_DELAY / 2, (known, invited, unknown)
    assert sorted(m["to"] for m in sink.received) == ["jurorin@example.org", "neu@example.org"]


def test_a_mail_server_that_is_down_gives_the_same_answer(app, client, web, accounts, caplog):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with caplog.at_level(logging.ERROR):
        known = submit(web.get("/reset"), email="jurorin@example.org")
        unknown = submit(web.get("/reset"), email="niemand@example.org")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    assert known.status_code == 302
    assert "jurorin@example.org" in caplog.text  # the operator learns that the mail did not go out
