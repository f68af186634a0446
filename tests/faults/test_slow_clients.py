"""A few clients that stall in the middle of a request body cannot stall the app.

The server is started with the very command ``make serve`` runs (read from ``make -n``), on a
free loopback port and a temporary SQLite instance. Eight connections send their headers and
half of a login form, then nothing more; meanwhile other visitors' pages must answer, and the
stalled connections are answered and closed by the server, not held for ever.

Hundreds of connections that send a byte every few seconds hold every thread of `make serve`
(one laptop can open them); README's answer for a LAN that devices you do not control can join
is nginx in front with ``deploy/nginx.conf``, tested here with exactly that file.
"""

import http.client
import shlex
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from bench.load import free_port, server_env, stop_server

ROOT = Path(__file__).resolve().parents[2]
STALLED = 8  # twice the workers of `make serve`: with sync workers this many stop every page
PAGE_WAIT = 5  # seconds another visitor's page may take at most here (a stall lasted 30 s)

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv/bin/gunicorn").exists(),
    reason="needs make and the virtualenv's gunicorn",
)


def serve_command(port):
    """Return the gunicorn command line of `make serve` for 127.0.0.1:port."""
    out = subprocess.run(
        ["make", "-n", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return shlex.split([line for line in out.splitlines() if "gunicorn" in line][-1])


@pytest.fixture
def server(sqlite_template, tmp_path):
    shutil.copy(sqlite_template, tmp_path / "serve.sqlite")
    port = free_port()
    env = server_env(f"sqlite:///{tmp_path / 'serve.sqlite'}", tmp_path)
    proc = subprocess.Popen(
        serve_command(port),
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if get_login(port) == 200:
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                stop_server(proc)
                pytest.fail("the server of `make serve` did not start")
            time.sleep(0.2)
    yield port
    stop_server(proc)


def get_login(port, timeout=PAGE_WAIT):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/login")
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def stall(port):
    """Open a connection that sends headers and half of a form body, then nothing more."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        + b"email="
        + b"x" * 494
    )
    return sock


def test_stalled_request_bodies_do_not_stop_other_pages(server):
    stalled = [stall(server) for _ in range(STALLED)]
    try:
        time.sleep(1)  # the server has read every stalled request's headers by now
        for _ in range(10):  # every one of these would wait out the stall, or time out
            assert get_login(server) == 200
        for sock in stalled:  # the server gives up on each stalled body and closes it
            sock.settimeout(60)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            assert answer == b"" or answer.startswith(b"HTTP/1.1 400"), answer[:100]
    finally:
        for sock in stalled:
            sock.close()
    assert get_login(server) == 200


DRIBBLERS = 300  # connections of one attacker; `make serve` has 64 threads
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@pytest.fixture
def behind_nginx(server, tmp_path):
    """Start nginx with deploy/nginx.conf in front of the `make serve` server; yield its port."""
    if NGINX is None:
        pytest.skip("needs nginx (Debian: apt install nginx-light)")
    port = free_port()
    site = (ROOT / "deploy/nginx.conf").read_text()
    assert "listen 80;" in site and "http://127.0.0.1:8000;" in site
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "http://127.0.0.1:8000;", f"http://127.0.0.1:{server};"
    )
    (tmp_path / "site.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{ worker_connections 2048; }}\n"
        f"http {{ access_log off; {temp} include {tmp_path}/site.conf; }}\n"
    )
    proc = subprocess.Popen(
        [
            NGINX,
            "-e",
            str(tmp_path / "error.log"),
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            if get_login(port) == 200:
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                stop_server(proc)
                pytest.fail("nginx did not start: " + (tmp_path / "error.log").read_text()[-500:])
            time.sleep(0.2)
    yield port
    stop_server(proc)


def dribble(port, n, stop):
    """Open n connections that send their request a byte or a header line every 5 s."""
    socks = []
    for k in range(n):
        sock = socket.create_connection(("127.0.0.1", port))
        if k % 2:
            sock.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        else:
            sock.sendall(
                b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\nemail="
            )
        socks.append(sock)

    def keep_sending():
        while not stop.wait(5):
            for k, sock in enumerate(socks):
                try:
                    sock.sendall(b"X-Slow: 1\r\n" if k % 2 else b"x")
                except OSError:
                    pass  # the server gave up on it: fine

    threading.Thread(target=keep_sending, daemon=True).start()
    return socks


def test_dribbling_clients_do_not_stop_pages_behind_the_readme_proxy(behind_nginx):
    stop = threading.Event()
    socks = dribble(behind_nginx, DRIBBLERS, stop)
    try:
        for _ in range(8):  # over more than one dribble round
            started = time.monotonic()
            assert get_login(behind_nginx) == 200
            time.sleep(max(0, 1.5 - (time.monotonic() - started)))
    finally:
        stop.set()
        for sock in socks:
            sock.close()
