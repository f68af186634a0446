"""Benchmark: 60 judges save their scores at once through gunicorn, on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/load.py [--judges 60] [--projects 10] [--db sqlite,postgresql]

For each database:
1. Resets it (PostgreSQL: under ``flock /tmp/pg.lock``, DROP SCHEMA public; then
   ``flask --app compmgr init --no-admin``) and seeds one competition with juries of six
   judges, each judge assigned ten projects, six criteria per sheet. Not timed.
2. Starts gunicorn as ``make serve`` does (compmgr/gunicorn_conf.py: 4 workers of 16
   threads) on a free loopback port (SQLite in WAL mode).
3. Logs every judge in (timed separately: scrypt makes a login slow on purpose).
4. Every judge, in its own thread, saves each criterion of each project through the
   autosave endpoint the score page uses (JSON + X-CSRFToken), with a random pause of
   --pause-ms between changes; then a second round changes every value again.
5. Prints requests/s, p50/p95/p99 latency and errors, then compares the database with the
   last value each judge got acknowledged: lost, duplicated and wrong values must all be 0.

With ``--rates 50,100,150,…`` the judges instead send autosaves at Poisson arrivals (open
loop, one request per judge at a time) at each rate for ``--seconds`` in turn, and the bench
prints the highest rate held at p95 <= 100 ms with 0 errors and 0 lost values. Compare
``--worker-class sync`` with the default threaded workers. Use a database of your own
(``--pg-url``): it is emptied.

With ``--wrk 2,4,8,…`` wrk (Debian's package, written in C) sends the load instead, so the
generator takes little of the CPU the server needs: that many judges at once, each sending
its next change as soon as the last is answered (closed loop), and the bench prints the
highest rate answered at p95 <= 100 ms with 0 errors and 0 lost.
"""

import argparse
import fcntl
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
JURY_SIZE = 6


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(group=None, name=None):
    """(user, system) CPU seconds used so far by the processes of a process group, or by
    every process of a name (``postgres``: the server and all its backends)."""
    tick, user, system = os.sysconf("SC_CLK_TCK"), 0, 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:  # ended meanwhile
            continue
        comm, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        fields = fields.split()
        if (group is not None and int(fields[2]) == group) or comm == name:
            user, system = user + int(fields[11]), system + int(fields[12])
    return user / tick, system / tick


def reset_database(url, instance):
    """Empty the database and build the schema with the app's own init command."""
    env = server_env(url, instance)
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        from compmgr import database_uri

        engine = create_engine(database_uri(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    subprocess.run(
        [str(BIN / "flask"), "--app", "compmgr", "init", "--no-admin"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def seed(url, instance, n_judges, n_projects, n_criteria=6):
    """Create juries of six judges; every judge of a jury is assigned its n_projects projects.

    Return (competition id, [(email, judge id, [project ids])], [criterion ids], scale).
    """
    from datetime import date

    from compmgr import create_app
    from compmgr.database import utcnow
    from compmgr.extensions import db
    from compmgr.judging.models import Criterion
    from tests.factories import (
        CompetitionFactory,
        JudgeFactory,
        JuryFactory,
        ParticipantFactory,
        ProjectFactory,
        SchoolFactory,
        UserFactory,
        assign,
    )

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "SERVER_NAME": "localhost",
        }
    )
    judges = []
    with app.app_context():
        comp = CompetitionFactory(name="Regionalwettbewerb Lasttest", status="judging")
        criteria = db.session.scalars(
            db.select(Criterion).filter_by(competition_id=comp.id).order_by(Criterion.position)
        ).all()
        for extra in criteria[n_criteria:]:
            db.session.delete(extra)
        criteria = criteria[:n_criteria]
        school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
        n_juries = -(-n_judges // JURY_SIZE)
        k = 0
        for j in range(n_juries):
            subject = comp.subjects[j % len(comp.subjects)]
            jury = JuryFactory(competition=comp, subject=subject, name=f"Jury {j + 1}")
            projects = []
            for p in range(n_projects):
                person = ParticipantFactory(
                    competition_id=comp.id,
                    school=school,
                    first_name=f"Jörg{j}-{p}",
                    birth_date=date(2009, 1, 1 + p),
                )
                projects.append(
                    ProjectFactory(
                        competition=comp,
                        school=school,
                        participants=[person],
                        subject=subject,
                        title=f"Projekt {j + 1}.{p + 1}",
                        stand=f"{j + 1}{p:02d}",
                    )
                )
            members = min(JURY_SIZE, n_judges - k)
            for m in range(members):
                k += 1
                user = UserFactory(email=f"juror{k}@example.org")
                judge = JudgeFactory(
                    competition=comp,
                    user=user,
                    jury=jury,
                    chair=m == 0,
                    first_name=f"Juror{k}",
                    last_name="Müller",
                    email=user.email,
                    confidentiality_accepted_at=utcnow(),
                )
                for project in projects:
                    assign(judge, project)
                judges.append((user.email, judge.id, [p.id for p in projects]))
        db.session.commit()
        result = (
            comp.id,
            judges,
            [c.id for c in criteria],
            (criteria[0].scale_min, criteria[0].scale_max),
        )
        db.engine.dispose()
    return result


def server_env(url, instance):
    env = dict(
        os.environ,
        DATABASE_URL=url,
        COMPMGR_SECRET_KEY="bench-secret",
        COMPMGR_INSTANCE_PATH=str(instance),
        COMPMGR_UPLOAD_FOLDER=str(instance / "uploads"),
    )
    env.pop("COMPMGR_TEST_DATABASE_URL", None)
    return env


def start_server(url, instance, port, workers=None, worker_class=None):
    """Start gunicorn as `make serve` does (compmgr/gunicorn_conf.py); workers overrides its
    count, worker_class its class (e.g. ``sync`` against the default ``gthread``)."""
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "python:compmgr.gunicorn_conf",
            *(["-w", str(workers)] if workers else []),
            *(["-k", worker_class] if worker_class else []),
            # gunicorn runs gthread instead of sync while threads > 1 (gunicorn_conf has 16)
            *(["--threads", "1"] if worker_class == "sync" else []),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "256",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=server_env(url, instance),
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("gunicorn did not start")


def stop_server(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Browser:
    """A judge's browser: one cookie, one CSRF token, a new connection per request."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}  # name -> value, as a browser keeps them (session and device cookie)
        self.token = ""

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = dict(headers or {})
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for cookie in response.msg.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value
            return response.status, data
        finally:
            conn.close()

    def fetch_token(self, path):
        status, html = self.request("GET", path)
        match = CSRF_RE.search(html.decode("utf-8", "replace"))
        if not match:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        self.token = match.group(1)

    def login(self, email):
        self.fetch_token("/login")
        form = urlencode({"email": email, "password": "password123", "csrf_token": self.token})
        status, _ = self.request(
            "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"login of {email} failed: {status}")
        self.fetch_token("/reset")  # the session was renewed at login: a token for the new one

    def autosave(self, cid, project_id, values):
        body = json.dumps({"values": {str(k): v for k, v in values.items()}})
        return self.request(
            "POST",
            f"/c/{cid}/jury/projects/{project_id}/autosave",
            body,
            {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": self.token,
            },
        )


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def run_judge(browser, cid, projects, criteria, scale, rounds, pause, rng, stats, last):
    """Save every criterion of every project, rounds times; remember what was acknowledged."""
    for _round in range(rounds):
        for project_id in rng.sample(projects, len(projects)):
            sheet = {}
            for criterion_id in criteria:
                time.sleep(rng.uniform(*pause))
                sheet[criterion_id] = rng.randint(*scale)
                start = time.perf_counter()
                try:
                    status, data = browser.autosave(cid, project_id, sheet)
                    ok = status == 200 and json.loads(data).get("ok") is True
                except (OSError, ValueError, http.client.HTTPException):
                    status, ok = "exception", False
                elapsed = time.perf_counter() - start
                with stats["lock"]:
                    stats["latencies"].append(elapsed)
                    if ok:
                        for cid_, value in sheet.items():
                            last[(project_id, cid_)] = value
                    else:
                        stats["errors"].append(status)


def verify(url, judges, last_by_judge, unanswered=None):
    """Compare the stored scores with the last acknowledged values: (lost, duplicated, wrong).

    ``unanswered`` holds, per judge and cell, the values sent since the last answer for that
    cell that were never answered: the cell may hold any of them."""
    from sqlalchemy import create_engine, text

    from compmgr import database_uri

    engine = create_engine(database_uri(url))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT judge_id, project_id, criterion_id, value FROM scores")
        ).all()
    engine.dispose()
    stored, duplicated = {}, 0
    for judge_id, project_id, criterion_id, value in rows:
        key = (judge_id, project_id, criterion_id)
        duplicated += key in stored
        stored[key] = value
    expected = {
        (judge_id, p, c): v
        for (_e, judge_id, _p), last in zip(judges, last_by_judge, strict=True)
        for (p, c), v in last.items()
    }
    sent = {
        (judge_id, p, c): values
        for (_e, judge_id, _p), cells in zip(judges, unanswered or [{}] * len(judges), strict=True)
        for (p, c), values in cells.items()
    }
    lost = sum(1 for key in expected if key not in stored)
    wrong = sum(
        1
        for key, v in expected.items()
        if key in stored and stored[key] != v and stored[key] not in sent.get(key, ())
    )
    extra = sum(1 for key in stored if key not in expected and key not in sent)
    return lost, duplicated, wrong, extra, len(expected)


def open_loop(browsers, judges, cid, criteria, scale, rate, seconds, rng):
    """Send autosaves at Poisson arrivals of ``rate`` per second for ``seconds`` (open loop: a
    slow answer does not slow the arrivals). Latency counts from the planned start, so waiting
    for a free connection counts too. One request per judge at a time (a phone waits for its
    answer), so the last acknowledged value of every cell is known.

    Returns (latencies, errors, {judge index: {(project, criterion): value}}, achieved rate).
    """
    from concurrent.futures import ThreadPoolExecutor

    free = list(range(len(browsers)))
    rng.shuffle(free)
    free_lock = threading.Lock()
    lat, errors, last = [], [], [{} for _ in browsers]
    stats_lock = threading.Lock()

    def one(k, planned, project_id, criterion_id, value):
        try:
            status, data = browsers[k].autosave(cid, project_id, {criterion_id: value})
            ok = status == 200 and json.loads(data).get("ok") is True
        except (OSError, ValueError, http.client.HTTPException):
            status, ok = "exception", False
        elapsed = time.perf_counter() - planned
        with stats_lock:
            lat.append(elapsed)
            if ok:
                last[k][(project_id, criterion_id)] = value
            else:
                errors.append(status)
        with free_lock:
            free.append(k)

    n = int(rate * seconds)
    start = time.perf_counter() + 0.2
    at = start
    with ThreadPoolExecutor(max_workers=min(len(browsers), 400)) as pool:
        for _ in range(n):
            at += rng.expovariate(rate)
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            with free_lock:
                k = free.pop(0) if free else None
            if k is None:  # every judge waits for an answer: the server is far behind
                with stats_lock:
                    errors.append("no free judge")
                continue
            project_id = rng.choice(judges[k][2])
            pool.submit(one, k, at, project_id, rng.choice(criteria), rng.randint(*scale))
    wall = time.perf_counter() - start
    return lat, errors, last, len(lat) / wall


WRK_LUA = r"""
-- compmgr autosave load for wrk: one connection per thread, one judge per connection, so a
-- judge sends the next change only after the answer to the last (as a phone does).
-- JUDGES, CID, CRITERIA, SCALE and OUT are set in front by bench/load.py.
local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("me", #threads)
end
function init(args)
  math.randomseed(me * 7919)
  acked, errors, sent, waiting = {}, 0, nil, false  -- globals: done() reads every thread's
end
function request()
  local j = JUDGES[me]
  local p = j.projects[math.random(#j.projects)]
  local c = CRITERIA[math.random(#CRITERIA)]
  local v = math.random(SCALE[1], SCALE[2])
  sent, waiting = p .. " " .. c .. " " .. v, true
  return wrk.format("POST", "/c/" .. CID .. "/jury/projects/" .. p .. "/autosave", {
    ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["X-CSRFToken"] = j.token, ["Cookie"] = j.cookie,
  }, '{"values": {"' .. c .. '": ' .. v .. '}}')
end
function response(status, headers, body)
  local p, c, v = sent:match("(%d+) (%d+) (%d+)")
  waiting = false
  if status == 200 and body:find('"ok": *true') then
    acked[p .. " " .. c] = v
  else
    errors = errors + 1
  end
end
function done(summary, latency, requests)
  local out, failed = io.open(OUT, "w"), 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("errors")
    for cell, v in pairs(t:get("acked")) do
      out:write(t:get("me"), " ", cell, " ", v, "\n")
    end
    -- wrk stops without reading the last answers: such a change may or may not be stored
    if t:get("waiting") then out:write("? ", t:get("me"), " ", t:get("sent"), "\n") end
  end
  out:close()
  local e = summary.errors
  print(string.format("RESULT %d %d %.3f %.3f %.3f %d %d", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    failed, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def run_wrk(browsers, judges, cid, criteria, scale, connections, seconds, folder):
    """Run wrk with one connection (and thread) per judge for ``seconds``: closed loop, each
    judge waits for the answer to its last change. Returns (latencies p50/p95/p99 in s,
    errors, {judge index: {(project, criterion): value}} acknowledged and sent but not
    answered when wrk stopped, requests per second)."""

    def lua(value):
        return json.dumps(value).replace("[", "{").replace("]", "}")

    entries = ",\n".join(
        f"{{cookie = {json.dumps('; '.join(f'{k}={v}' for k, v in b.cookies.items()))}, "
        f"token = {json.dumps(b.token)}, projects = {lua(j[2])}}}"
        for b, j in zip(browsers[:connections], judges, strict=False)
    )
    out = folder / "acked.txt"
    script = folder / "autosave.lua"
    script.write_text(
        f"JUDGES = {{{entries}}}\nCID = {cid}\nCRITERIA = {lua(criteria)}\n"
        f"SCALE = {lua(list(scale))}\nOUT = {json.dumps(str(out))}\n" + WRK_LUA
    )
    done = subprocess.run(
        [
            "wrk",
            "-t",
            str(connections),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{browsers[0].port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    fields = next(line for line in done.stdout.splitlines() if line.startswith("RESULT")).split()
    requests, micros = int(fields[1]), int(fields[2])
    p50, p95, p99 = (float(x) / 1000 for x in fields[3:6])
    errors = int(fields[6]) + int(fields[7])
    last, unanswered = [{} for _ in browsers], [{} for _ in browsers]
    for line in out.read_text().split("\n"):
        if line.startswith("? "):
            k, p, c, v = map(int, line[2:].split())
            unanswered[k - 1][(p, c)] = v
        elif line.strip():
            k, p, c, v = map(int, line.split())
            last[k - 1][(p, c)] = v
    return (p50, p95, p99), errors, last, unanswered, requests / (micros / 1e6)


def rate_search(name, url, args):
    """Find the highest Poisson arrival rate held at p95 <= 100 ms, 0 errors, 0 lost."""
    print(f"\n== {name}: highest sustained autosave rate ({args.worker_class or 'gthread'}) ==")
    with tempfile.TemporaryDirectory(prefix="compmgr-load-") as tmp:
        instance = Path(tmp)
        if name == "sqlite":
            url = f"sqlite:///{instance / 'load.sqlite'}"
        reset_database(url, instance)
        cid, judges, criteria, scale = seed(url, instance, args.judges, args.projects)
        port = free_port()
        proc = start_server(url, instance, port, args.workers, args.worker_class)
        best = None
        try:
            browsers = [Browser(port) for _ in judges]
            for b, j in zip(browsers, judges, strict=True):
                b.login(j[0])
                # As a judge does: the list first. The session then holds the judge's role,
                # and the cookie wrk repeats is the one the server would keep.
                b.fetch_token(f"/c/{cid}/jury/")
            rng = random.Random(7)
            last_all = [{} for _ in judges]
            maybe = [{} for _ in judges]  # cell -> values sent, never answered: stored or not
            for step in args.wrk or args.rates:
                app_before, db_before = cpu_seconds(group=proc.pid), cpu_seconds(name="postgres")
                if args.wrk:  # closed loop: `step` judges, each waiting for its answer
                    (p50, p95, _p99), errors, last, unanswered, achieved = run_wrk(
                        browsers, judges, cid, criteria, scale, step, args.seconds, instance
                    )
                    offered = f"{step:4d} judges at once"
                    errors = ["error"] * errors
                else:  # open loop: Poisson arrivals at `step` per second
                    lat, errors, last, achieved = open_loop(
                        browsers, judges, cid, criteria, scale, step, args.seconds, rng
                    )
                    p50, p95 = percentile(lat, 50), percentile(lat, 95)
                    unanswered = [{} for _ in judges]  # open_loop waits for every answer
                    offered = f"{step:4d}/s offered"
                for mine, new, sent, now in zip(last_all, last, maybe, unanswered, strict=True):
                    mine.update(new)
                    for cell in new:  # unanswered before, answered since
                        sent.pop(cell, None)
                    for cell, value in now.items():
                        sent.setdefault(cell, set()).add(value)
                app_user, app_sys = (
                    b - a for a, b in zip(app_before, cpu_seconds(group=proc.pid), strict=True)
                )
                app_cpu = app_user + app_sys
                db_cpu = sum(cpu_seconds(name="postgres")) - sum(db_before)
                saves = max(achieved * args.seconds, 1)  # none answered: no division by zero
                held = not errors and p95 <= 0.100
                print(
                    f"  {offered}, {achieved:5.0f}/s answered: p50 {p50 * 1000:6.1f} ms, "
                    f"p95 {p95 * 1000:7.1f} ms, errors {len(errors)}"
                    f"{' ' + str(sorted(set(map(str, errors)))[:3]) if errors else ''}"
                    f" {'held' if held else 'NOT held'}; CPU per save: app "
                    f"{1000 * app_cpu / saves:.1f} ms (system {1000 * app_sys / saves:.1f})"
                    + (f", PostgreSQL {1000 * db_cpu / saves:.1f} ms" if name != "sqlite" else ""),
                    flush=True,
                )
                if not held:
                    break
                best = max(best or 0, round(achieved)) if args.wrk else step
        finally:
            stop_server(proc)
        lost, duplicated, wrong, extra, expected = verify(url, judges, last_all, maybe)
        print(
            f"  stored: {expected} values acknowledged, lost {lost}, duplicated {duplicated}, "
            f"wrong {wrong}, unexpected {extra}"
        )
        best = best if lost == duplicated == wrong == 0 else None
        print(f"  highest rate held: {best or 'none'}/s", flush=True)
        return best


def bench_database(name, url, args):
    print(f"\n== {name} ==", flush=True)
    with tempfile.TemporaryDirectory(prefix="compmgr-load-") as tmp:
        instance = Path(tmp)
        if name == "sqlite":
            url = f"sqlite:///{instance / 'load.sqlite'}"
        reset_database(url, instance)
        cid, judges, criteria, scale = seed(url, instance, args.judges, args.projects)
        port = free_port()
        proc = start_server(url, instance, port, args.workers)
        try:
            browsers = [Browser(port) for _ in judges]
            login_times, failures = [], []

            def log_in(browser, email):
                start = time.perf_counter()
                try:
                    browser.login(email)
                    login_times.append(time.perf_counter() - start)
                except (RuntimeError, OSError) as exc:
                    failures.append(str(exc))

            started = time.perf_counter()
            threads = [
                threading.Thread(target=log_in, args=(b, j[0]))
                for b, j in zip(browsers, judges, strict=True)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            login_wall = time.perf_counter() - started
            print(
                f"logins:  {len(login_times)} in {login_wall:.1f} s, p50 {percentile(login_times, 50) * 1000:.0f} ms, "
                f"p95 {percentile(login_times, 95) * 1000:.0f} ms, errors {len(failures)}",
                flush=True,
            )
            if failures:
                print("  " + "\n  ".join(failures[:5]))

            stats = {"lock": threading.Lock(), "latencies": [], "errors": []}
            last_by_judge = [{} for _ in judges]
            pause = (args.pause_ms[0] / 1000, args.pause_ms[1] / 1000)
            threads = [
                threading.Thread(
                    target=run_judge,
                    args=(
                        b,
                        cid,
                        j[2],
                        criteria,
                        scale,
                        args.rounds,
                        pause,
                        random.Random(n),
                        stats,
                        last,
                    ),
                )
                for n, (b, j, last) in enumerate(zip(browsers, judges, last_by_judge, strict=True))
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
        finally:
            stop_server(proc)
        lat = stats["latencies"]
        lost, duplicated, wrong, extra, expected = verify(url, judges, last_by_judge)
        print(
            f"saves:   {len(lat)} requests in {wall:.1f} s = {len(lat) / wall:.0f} requests/s "
            f"({len(judges)} judges × {args.projects} projects × {len(criteria)} criteria × {args.rounds} rounds)"
        )
        print(
            f"latency: p50 {percentile(lat, 50) * 1000:.1f} ms, p95 {percentile(lat, 95) * 1000:.1f} ms, "
            f"p99 {percentile(lat, 99) * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms"
        )
        print(
            f"errors:  {len(stats['errors'])}"
            + (f" {sorted(set(map(str, stats['errors'])))}" if stats["errors"] else "")
        )
        print(
            f"stored:  {expected} expected values, lost {lost}, duplicated {duplicated}, wrong {wrong}, "
            f"unexpected {extra}",
            flush=True,
        )
        ok = not stats["errors"] and not failures and lost == duplicated == wrong == extra == 0
        return ok and percentile(lat, 95) <= 0.100


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judges", type=int, default=60)
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=None, help="override the workers of gunicorn_conf.py"
    )
    parser.add_argument(
        "--pause-ms",
        type=lambda s: tuple(int(x) for x in s.split("-")),
        default=(250, 1250),
        help="random pause between two changes of one judge, e.g. 250-1250 (a judge taps about once a second)",
    )
    parser.add_argument(
        "--rates",
        type=lambda s: [int(x) for x in s.split(",")],
        default=None,
        help="open loop instead: Poisson arrivals at each rate in turn (e.g. 50,100,150,200,"
        "250,300) until p95 > 100 ms or an error; prints the highest rate held",
    )
    parser.add_argument(
        "--wrk",
        type=lambda s: [int(x) for x in s.split(",")],
        default=None,
        help="closed loop with wrk (apt-get install wrk) instead: that many judges at once in "
        "turn (e.g. 2,4,8,16,32), each sending its next change when the last is answered; "
        "prints the highest rate answered at p95 <= 100 ms",
    )
    parser.add_argument("--seconds", type=int, default=20, help="length of each load step")
    parser.add_argument("--worker-class", default=None, help="gunicorn worker class, e.g. sync")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args(argv)
    if args.wrk and args.rates:
        parser.error("--wrk or --rates, not both")
    if args.wrk and max(args.wrk) > args.judges:
        parser.error(f"--wrk needs a judge per connection: --judges {max(args.wrk)} or more")
    results = {}
    run = rate_search if args.rates or args.wrk else bench_database
    for name in args.db.split(","):
        if name == "postgresql":
            with open("/tmp/pg.lock", "w") as lock:  # the shared test database: one user at a time
                fcntl.flock(lock, fcntl.LOCK_EX)
                results[name] = run(name, args.pg_url, args)
        else:
            results[name] = run(name, None, args)
    if run is rate_search:  # the target: 300 autosaves/s at p95 <= 100 ms on PostgreSQL
        print("\n" + ", ".join(f"{k}: {v or 'no'} autosaves/s held" for k, v in results.items()))
        return 0 if all(results.values()) else 1
    print(
        "\n"
        + ", ".join(f"{k}: {'target met' if v else 'TARGET MISSED'}" for k, v in results.items())
    )
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
