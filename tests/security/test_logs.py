"""One-time links and searched names stay out of the access logs of both servers."""

import http.client
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bench.load import free_port
from compmgr import logs
from compmgr.auth.models import Role
from compmgr.auth.tokens import make_token
from tests.factories import CompetitionFactory, UserFactory, grant

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRETS = ("Öztürk", "%C3%96zt%C3%BCrk", "Lena")


@pytest.fixture
def probes(db):
    """Paths an attacker would love to find in a log: live tokens and a pupil's name."""
    user = UserFactory(email="lehrerin@example.org")
    comp = CompetitionFactory()
    grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    reset, invite = make_token(user, "reset"), make_token(user, "invite")
    return {
        "tokens": (reset, invite),
        "paths": [
            f"/reset/{reset}",
            f"/invite/{invite}",
            f"/reset/{reset}?next=/x",
            f"/reset%2F{reset}",  # the server decodes %2F and routes it to the reset page
            f"/%72eset/{invite}",
            f"/c/{comp.id}/org/privacy/?q=%C3%96zt%C3%BCrk&page=1",
            f"/c/{comp.id}/org/privacy/?q=Lena+Wei%C3%9F",
            "/verify/abc.def",
        ],
    }


def _leaks(text, probes):
    return [s for s in (*probes["tokens"], *SECRETS, "abc.def") if s in text]


def test_the_development_server_logs_no_token_and_no_name(app, probes, caplog):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for path in probes["paths"]:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                conn.request("GET", path, headers={"Referer": f"http://x{probes['paths'][0]}"})
                conn.getresponse().read()
                conn.close()
    finally:
        server.shutdown()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len(lines) >= len(probes["paths"])  # each request was logged …
    assert any("/reset/*** " in line for line in lines)  # … with the token masked
    assert any("?q=***&page=***" in line for line in lines)
    assert _leaks("\n".join(lines), probes) == []


def test_the_apps_own_error_log_masks_the_path(app, caplog):
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        app.logger.error("Exception on /reset/eyJ1IjoxfQ.secret [GET]")
    assert caplog.records[-1].getMessage() == "Exception on /reset/*** [GET]"


@pytest.mark.parametrize("logger_class", [None, "compmgr.gunicorn_logging.RedactingLogger"])
@pytest.mark.skipif(shutil.which("gunicorn", path=str(BIN)) is None, reason="gunicorn is missing")
def test_gunicorns_access_log_has_no_token_and_no_name(
    app, probes, sqlite_template, tmp_path, logger_class, backend
):
    if backend != "sqlite":
        pytest.skip("one server run is enough")
    db_path = tmp_path / "served.sqlite"  # the tokens need not be valid to be logged
    shutil.copy(sqlite_template, db_path)
    access, port = tmp_path / "access.log", free_port()
    cmd = [
        str(BIN / "gunicorn"),
        "-w",
        "1",
        "-b",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access),
        "--access-logformat",
        '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s %({raw_uri}e)s %({query_string}e)s',
        "wsgi:app",
    ]
    if logger_class:
        cmd[1:1] = ["--logger-class", logger_class]
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db_path}",
        COMPMGR_SECRET_KEY=app.config["SECRET_KEY"],
        COMPMGR_INSTANCE_PATH=str(tmp_path / "instance"),
    )
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        for path in probes["paths"]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path, headers={"Referer": f"http://x{path}"})
            conn.getresponse().read()
            conn.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    text = access.read_text(encoding="utf-8")
    assert text.count("\n") >= len(probes["paths"])  # each request was logged …
    assert '"GET /reset/*** HTTP/1.1"' in text and '"GET /invite/*** HTTP/1.1"' in text
    assert "?q=***&page=***" in text  # … keeping the path and the parameter names
    assert _leaks(text, probes) == []


def _wait_for(port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def test_every_token_route_is_masked(app):
    """A new route with a <token> in its path must be added to compmgr.logs.TOKEN_ROUTES."""
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            path = rule.rule.replace("<token>", "s3cr3t")
            assert "s3cr3t" not in logs.redact(f"GET {path} HTTP/1.1"), rule.rule
