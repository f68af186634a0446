"""Two app hosts behind one proxy: separate instance folders, one PostgreSQL, one S3 bucket.

Two gunicorn processes play host A and host B, as a load balancer would reach them. A browser
keeps its cookies whichever host answers. What one host does, the other sees: a paper uploaded
through A downloads through B, a login throttled on A is throttled on B, and a logout on A
ends the session on B too. That mail workers on several hosts send each queued mail once is
tested where the outbox lives: tests/messaging/test_outbox.py (two workers, one database).
"""

import os
import subprocess
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
import urllib3

from bench.load import BIN, ROOT, Browser, free_port, stop_server
from compmgr import create_app
from compmgr.auth.models import Role
from compmgr.extensions import db as _db
from tests.conftest import PG_URL, _pg_truncate, base_config
from tests.factories import (
    CompetitionFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
    make_pdf,
)
from tests.s3 import die_with_parent

pytestmark = [
    pytest.mark.skipif(
        not PG_URL, reason="several hosts share PostgreSQL: set COMPMGR_TEST_DATABASE_URL"
    ),
    pytest.mark.skipif(not (BIN / "gunicorn").exists(), reason="gunicorn is not installed"),
]
SECRET = "two-hosts-share-this-secret"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def start_host(db_url, storage_url, instance):
    """One app host: gunicorn (one worker of compmgr/gunicorn_conf.py) on a free port."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        COMPMGR_SECRET_KEY=SECRET,
        COMPMGR_INSTANCE_PATH=str(instance),
        COMPMGR_STORAGE_URL=storage_url,
        COMPMGR_PUBLIC_URL="http://jufo.example.org",
    )
    env.pop("COMPMGR_TEST_DATABASE_URL", None)
    log = open(instance.parent / f"{instance.name}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", "python:compmgr.gunicorn_conf", "-w", "1"]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,  # noqa: PLW1509
    )
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser(port).request("GET", "/login")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError((instance.parent / f"{instance.name}.log").read_text()[-3000:])


@pytest.fixture
def shared(pg_migrated, s3_url, tmp_path):
    """Seed PostgreSQL, start host A and host B on it and on one bucket; stop them after."""
    seed = create_app(base_config(pg_migrated, tmp_path / "seed"))
    with seed.app_context():
        comp = CompetitionFactory(
            registration_deadline=date(2099, 11, 30), paper_deadline=date(2099, 12, 31)
        )
        school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
        grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, school)
        grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
        project = ProjectFactory(competition=comp, school=school)
        _db.session.commit()
        ids = {"cid": comp.id, "pid": project.id}
        _db.session.remove()
        _db.engine.dispose()
    hosts = []
    try:
        for name in ("host-a", "host-b"):
            instance = tmp_path / name
            instance.mkdir()
            hosts.append((*start_host(pg_migrated, s3_url, instance), instance))
        yield ids, hosts
    finally:
        for proc, _port, _instance in hosts:
            stop_server(proc)
        _pg_truncate(seed)


def _login(browser, email, password="password123"):
    browser.fetch_token("/login")
    form = urlencode({"email": email, "password": password, "csrf_token": browser.token})
    return browser.request("POST", "/login", form, FORM)[0]


def _on(browser, port):
    """The same browser (same cookies) reaching another host through the balancer."""
    other = Browser(port)
    other.cookies = browser.cookies
    return other


def test_two_hosts_share_files_throttling_and_sessions(shared):
    ids, ((_, port_a, instance_a), (_, port_b, instance_b)) = shared[0], shared[1]
    project_url = f"/c/{ids['cid']}/school/projects/{ids['pid']}"

    # A paper uploaded through host A downloads through host B.
    school = Browser(port_a)
    assert _login(school, "schule@example.org") == 302
    school.fetch_token(project_url)
    paper = make_pdf(4)
    body, content_type = urllib3.encode_multipart_formdata(
        {
            "csrf_token": school.token,
            "kind": "paper",
            "file": ("arbeit.pdf", paper, "application/pdf"),
        }
    )
    status, _ = school.request(
        "POST", f"{project_url}/upload", body, {"Content-Type": content_type}
    )
    assert status == 302
    organiser = Browser(port_b)
    assert _login(organiser, "orga@example.org") == 302
    status, data = organiser.request(
        "GET", f"/c/{ids['cid']}/org/entries/projects/{ids['pid']}/document?kind=paper"
    )
    assert status == 200 and data == paper
    for instance in (instance_a, instance_b):  # nothing on either host's disk
        uploads = Path(instance) / "uploads"
        assert not uploads.exists() or not any(uploads.iterdir())

    # A logout on host A ends the session on host B as well.
    on_b = _on(school, port_b)
    assert on_b.request("GET", project_url)[0] == 200
    school.fetch_token("/account")
    status, _ = school.request("POST", "/logout", urlencode({"csrf_token": school.token}), FORM)
    assert status == 302
    status, _ = on_b.request("GET", project_url)
    assert status == 302  # back to the login page

    # Wrong passwords on host A: the right one is refused on host B for a while.
    guesser = Browser(port_a)
    for _attempt in range(5):
        assert _login(guesser, "orga@example.org", "falsch-geraten-123") == 200
    assert _login(Browser(port_b), "orga@example.org") == 429
