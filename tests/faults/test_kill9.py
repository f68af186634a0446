"""kill -9 in the middle of the scoring load: acknowledged saves survive, nothing is half-written.

gunicorn (2 workers) serves a temporary SQLite file while four judges save full score sheets
through the autosave endpoint. One worker is killed with SIGKILL, then the whole server; a new
server starts on the same file. Every value whose save was acknowledged is there (or a later
one still in flight when the server died), every stored sheet is one the browser sent as a
whole, and the audit trail agrees with the scores.
"""

import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import threading
import time

import pytest

from bench.load import Browser, free_port, start_server, stop_server
from compmgr import create_app
from compmgr.extensions import db as _db
from tests.conftest import base_config
from tests.judging.scene import build_scene

pytestmark = pytest.mark.skipif(
    shutil.which("gunicorn", path=os.path.dirname(os.sys.executable)) is None,
    reason="gunicorn is not installed",
)


def children(pid):
    """Return the pids of a process's children (the gunicorn workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    stat = fh.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.fixture
def scene_db(sqlite_template, tmp_path):
    path = tmp_path / "kill.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app(base_config(f"sqlite:///{path}", tmp_path))
    with app.app_context():
        scene = build_scene(n_projects=2, n_judges=4)
        info = {
            "cid": scene.comp.id,
            "criteria": [c.id for c in scene.criteria][:6],
            "projects": [p.id for p in scene.projects],
            "judges": [(u.email, j.id) for u, j in zip(scene.users, scene.judges, strict=True)],
        }
        _db.session.remove()
        _db.engine.dispose()
    return path, info


def test_kill_a_worker_then_the_server_and_lose_nothing_acknowledged(scene_db, tmp_path):
    path, info = scene_db
    url, port = f"sqlite:///{path}", free_port()
    instance = tmp_path / "instance"
    instance.mkdir()
    server = start_server(url, instance, port, workers=2)
    acked, sent, errors = {}, {}, []  # (judge, project) -> [sheets]
    lock, stop = threading.Lock(), threading.Event()
    count = [0]

    def judge(n, email, judge_id):
        rng, browser = random.Random(n), Browser(port)
        browser.login(email)
        sheets = {p: {} for p in info["projects"]}
        failures = 0
        for _ in range(400):  # bounded, whatever happens to the server
            if stop.is_set() or failures > 20:
                return
            project = rng.choice(info["projects"])
            sheet = sheets[project]
            sheet[rng.choice(info["criteria"])] = rng.randint(0, 10)
            snapshot = dict(sheet)
            with lock:
                sent.setdefault((judge_id, project), []).append(snapshot)
            try:
                status, body = browser.autosave(info["cid"], project, snapshot)
                ok = status == 200 and json.loads(body)["ok"]
            except (OSError, ValueError, http.client.HTTPException):  # the server died mid-answer
                ok, status = False, "no answer"
            with lock:
                if ok:
                    acked.setdefault((judge_id, project), []).append(snapshot)
                    count[0] += 1
                elif status not in ("no answer", 502, 503):
                    errors.append(status)
            if not ok:
                failures += 1
                time.sleep(0.05)

    threads = [
        threading.Thread(target=judge, args=(n, e, j)) for n, (e, j) in enumerate(info["judges"])
    ]
    for t in threads:
        t.start()
    try:

        def wait_for(n, timeout=20):
            deadline = time.monotonic() + timeout
            while count[0] < n and time.monotonic() < deadline:
                time.sleep(0.02)

        wait_for(20)
        workers = children(server.pid)
        assert workers, "no gunicorn worker found"
        os.kill(workers[0], signal.SIGKILL)
        wait_for(count[0] + 20)
        os.killpg(server.pid, signal.SIGKILL)  # the whole server: master and workers
        server.wait()
        stop.set()
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        if server.poll() is None:
            stop_server(server)
    assert errors == []
    assert count[0] >= 25, "the load did not get going"

    server = start_server(url, instance, port, workers=1)  # restart on the same file
    try:
        browser = Browser(port)
        email, judge_id = info["judges"][0]
        browser.login(email)
        status, _body = browser.autosave(info["cid"], info["projects"][0], {info["criteria"][0]: 7})
        assert status == 200
    finally:
        stop_server(server)

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {}
        for judge, project, criterion, value in conn.execute(
            "SELECT judge_id, project_id, criterion_id, value FROM scores"
        ):
            stored.setdefault((judge, project), {})[criterion] = value
        audit = {}
        for (after,) in conn.execute(
            "SELECT after FROM audit_entries WHERE action = 'score.set' ORDER BY id"
        ):
            after = json.loads(after) if isinstance(after, str) else after
            audit[(after["judge_id"], after["project_id"], after["criterion_id"])] = after["value"]
    finally:
        conn.close()

    def possible(key):
        """The sheets that may be stored: the last acknowledged one or one sent after it (in
        flight when the server was killed; it may have been saved without an answer)."""
        sheets, sent_here = acked.get(key), sent.get(key, [])
        if not sheets:
            return [{}, *sent_here]
        positions = [i for i, s in enumerate(sent_here) if s is sheets[-1]]  # the same object
        return sent_here[positions[-1] :] if positions else [sheets[-1]]

    restarted = (judge_id, info["projects"][0])  # saved once more after the restart
    for key in set(acked) | {restarted}:
        later = possible(key)
        if key == restarted:
            later = [{**sheet, info["criteria"][0]: 7} for sheet in later]
        assert stored.get(key) in later, f"{key}: acknowledged sheet lost or half-written"
    for (judge, project), values in stored.items():
        if (judge, project) != restarted:
            assert values in sent[(judge, project)], "a sheet never sent"
        for criterion, value in values.items():
            assert audit[(judge, project, criterion)] == value, "score and audit trail disagree"
