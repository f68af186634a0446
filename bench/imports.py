"""Benchmark: a 5,000-row registration import while judges autosave, on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/imports.py [--rows 5000] [--judges 30] [--db sqlite,postgresql]
       [--pg-url postgresql://postgres@127.0.0.1:5432/test]

For each database:
1. Resets it (PostgreSQL under ``flock /tmp/pg.lock``, as bench/load.py does) and seeds juries
   of judges with their assignments, an organiser and a second, empty competition.
2. Starts gunicorn as ``make serve`` does (bench/load.py's start_server) on a free port.
3. The judges autosave as in bench/load.py (a change every 0.25–1.25 s each, --pause-ms) from
   before the import until after it; every save's latency and answer is kept.
4. The organiser imports the file through the web page, then the same file again (which must
   change nothing); both are timed, and the page must say "Import abgeschlossen".
5. An oversized CSV and an XLSX zip bomb are posted; both must be refused with a 4xx at once.
6. The same file is imported into the empty competition with the CLI in a fresh process:
   its time and peak memory (maximum resident set size, from wait4).
Prints the import times, the autosaves' latency during the imports (longest, p95) and outside,
the peak memory of the gunicorn workers and of the CLI import.
"""

import argparse
import csv
import fcntl
import http.client
import io
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    BIN,
    PG_URL,
    Browser,
    free_port,
    percentile,
    reset_database,
    seed,
    server_env,
    start_server,
    stop_server,
)

HEADER = [
    "Projektschlüssel",
    "Projekttitel",
    "Fachgebiet",
    "Kurzfassung",
    "Vorname",
    "Nachname",
    "Geburtsdatum",
    "Klasse",
    "Schule",
    "Ort",
    "Betreuer(in)",
    "E-Mail",
    "Gruppensprecher(in)",
]
SUBJECTS = [
    "Arbeitswelt",
    "Biologie",
    "Chemie",
    "Geo- und Raumwissenschaften",
    "Mathematik/Informatik",
    "Physik",
    "Technik",
]
LAST = ["Müller", "Öztürk", "Weiß", "Groß", "Schäfer", "Kowalczyk", "Nguyễn", "Bäcker"]
CITIES = ["Musterstadt", "Großenhain", "Öhringen", "Bad Säckingen"]


def registration_rows(n, cutoff_year=2026, key_prefix="P"):
    """Return n valid import rows: teams of 1, 2, 3, 2 … pupils, 25 per school, ages 10–19."""
    rows, person, project = [], 0, 0
    sizes = [1, 2, 3, 2]
    while person < n:
        size = min(sizes[project % len(sizes)], n - person)
        school = person // 25
        age = 10 + project % 10
        for member in range(size):
            rows.append(
                [
                    f"{key_prefix}-{project:05d}",
                    f"Projekt {project}: Wärme aus der Straße",
                    SUBJECTS[project % len(SUBJECTS)],
                    "Wir messen, wie viel Wärme ein Gehweg speichert. " * 3,
                    f"Jörg{person}",
                    LAST[person % len(LAST)],
                    date(cutoff_year - age, 1 + member, 1 + project % 28).strftime("%d.%m.%Y"),
                    str(min(13, age - 5)),
                    f"Schule am Weißen Berg {school}",
                    CITIES[school % len(CITIES)],
                    "Frau Öztürk",
                    f"p{person}@schule.example",
                    "ja" if member == 0 else "nein",
                ]
            )
            person += 1
        project += 1
    return rows


def to_csv(rows, header=HEADER):
    """Write rows as German Excel saves CSV: UTF-8 with BOM, semicolons."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bomb(unpacked_mb=200):
    """Return a small XLSX whose one sheet unpacks to unpacked_mb of identical rows."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEADER)
    plain = io.BytesIO()
    wb.save(plain)
    row = b'<row><c t="inlineStr"><is><t>Bombe</t></is></c></row>'
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
                continue
            with dst.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b"<sheetData>"
                )
                chunk = row * (1024 * 1024 // len(row))
                for _ in range(unpacked_mb):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def multipart(fields, filename, data):
    """Encode a form with one file as multipart/form-data; return (body, content type)."""
    boundary = "compmgr" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_import(browser, cid, filename, data, timeout=300):
    """Post a file to the organiser's import page; return (status, seconds, page text)."""
    browser.fetch_token(f"/c/{cid}/org/entries/import")
    body, ctype = multipart({"csrf_token": browser.token}, filename, data)
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=timeout)
    try:
        conn.request(
            "POST",
            f"/c/{cid}/org/entries/import",
            body,
            {"Content-Type": ctype, "Cookie": browser.cookie},
        )
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, time.perf_counter() - start, text
    except (OSError, http.client.HTTPException) as exc:
        return f"no answer ({type(exc).__name__})", time.perf_counter() - start, ""
    finally:
        conn.close()


def seed_organiser(url, instance):
    """Add an organiser of the benchmark's competition and an empty second competition."""
    from compmgr import create_app
    from compmgr.auth.models import Role
    from compmgr.extensions import db
    from tests.factories import CompetitionFactory, UserFactory, grant

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        from compmgr.competitions.models import Competition

        comp = db.session.scalars(db.select(Competition)).one()
        grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
        other = CompetitionFactory(name="Zweiter Wettbewerb")
        db.session.commit()
        other_id = other.id
        db.engine.dispose()
    return other_id


def autosave_until(stop, browser, cid, projects, criteria, log, n, pause):
    """Change one criterion after another, pausing as a judge does; log (start, end, ok) of each save."""
    k, rng = 0, random.Random(n)
    while not stop.wait(rng.uniform(*pause)):
        k += 1
        project = projects[k % len(projects)]
        start = time.perf_counter()
        try:
            status, data = browser.autosave(
                cid, project, {criteria[k % len(criteria)]: (k + n) % 11}
            )
            ok = status == 200 and b'"ok":true' in data.replace(b" ", b"")
        except (OSError, http.client.HTTPException):
            ok = False
        log.append((start, time.perf_counter(), ok))


def worker_peak_rss(pid):
    """Return the largest peak resident set size (MiB) of a gunicorn master's workers."""
    peak = 0
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                if int(fh.read().rsplit(")", 1)[1].split()[1]) != pid:
                    continue
            with open(f"/proc/{entry}/status") as fh:
                peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", fh.read()).group(1)))
        except (OSError, ValueError, AttributeError):
            continue
    return peak / 1024


# A fresh small process starts the CLI and reports its peak: forked straight from this one, the
# child would count this process's memory (the oversized test files) as its own until exec.
MEASURE = (
    "import resource, subprocess, sys, time; start = time.perf_counter(); "
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(code, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def cli_import(url, instance, cid, path):
    """Import with the CLI in a fresh process; return (exit code, seconds, peak RSS in MiB)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            str(BIN / "flask"),
            "--app",
            "compmgr",
            "import-registrations",
            "--competition",
            str(cid),
            str(path),
        ],
        cwd=ROOT,
        env=server_env(url, instance),
        capture_output=True,
        text=True,
        check=True,
    )
    code, seconds, kib = out.stdout.split()
    return int(code), float(seconds), int(kib) / 1024


def summarise(log, windows):
    """Split autosave latencies into those overlapping an import window and the rest."""
    during, outside, failed = [], [], 0
    for start, end, ok in log:
        failed += not ok
        overlaps = any(start < w_end and end > w_start for w_start, w_end in windows)
        (during if overlaps else outside).append(end - start)
    return during, outside, failed


def bench_database(name, url, args):
    print(f"\n== {name} ==", flush=True)
    with tempfile.TemporaryDirectory(prefix="compmgr-imports-") as tmp:
        instance = Path(tmp)
        if name == "sqlite":
            url = f"sqlite:///{instance / 'imports.sqlite'}"
        reset_database(url, instance)
        cid, judges, criteria, _scale = seed(url, instance, args.judges, 5)
        other_id = seed_organiser(url, instance)
        data = to_csv(registration_rows(args.rows))
        (instance / "anmeldungen.csv").write_bytes(data)
        port = free_port()
        server = start_server(url, instance, port)
        stop, log, windows, results = threading.Event(), [], [], []
        try:
            browsers = []
            for email, _judge_id, _projects in judges:
                browsers.append(Browser(port))
                browsers[-1].login(email)
            organiser = Browser(port)
            organiser.login("orga@example.org")
            pause = (args.pause_ms[0] / 1000, args.pause_ms[1] / 1000)
            threads = [
                threading.Thread(
                    target=autosave_until, args=(stop, b, cid, j[2], criteria, log, n, pause)
                )
                for n, (b, j) in enumerate(zip(browsers, judges, strict=True))
            ]
            for t in threads:
                t.start()
            time.sleep(3)  # latency without an import, for comparison
            for label in ("first import", "re-import"):
                begin = time.perf_counter()
                status, seconds, text = post_import(organiser, cid, "anmeldungen.csv", data)
                windows.append((begin, time.perf_counter()))
                summary = re.search(r"Import abgeschlossen: [^<]*", text)
                results.append((label, status, seconds, summary.group(0) if summary else text[:0]))
                time.sleep(2)
            if args.hostile:
                for label, filename, payload in (
                    ("50 MB CSV", "gross.csv", data * (50 * 1024 * 1024 // len(data) + 1)),
                    ("XLSX bomb (200 MB unpacked)", "bombe.xlsx", xlsx_bomb()),
                ):
                    status, seconds, text = post_import(organiser, cid, filename, payload)
                    message = re.search(r'class="invalid-feedback[^>]*>([^<]*)', text)
                    results.append(
                        (label, status, seconds, message.group(1).strip() if message else "")
                    )
            stop.set()
            for t in threads:
                t.join()
            worker_rss = worker_peak_rss(server.pid)
        finally:
            stop.set()
            stop_server(server)
        code, cli_seconds, cli_rss = cli_import(
            url, instance, other_id, instance / "anmeldungen.csv"
        )
    for label, status, seconds, detail in results:
        print(f"{label + ':':32} {status} in {seconds:6.2f} s  {detail}")
    during, outside, failed = summarise(log, windows)
    print(
        f"autosaves during the imports: {len(during)}, longest {max(during, default=0) * 1000:.0f} ms, "
        f"p95 {percentile(during, 95) * 1000:.0f} ms"
    )
    print(
        f"autosaves otherwise:          {len(outside)}, p50 {percentile(outside, 50) * 1000:.0f} ms, "
        f"p95 {percentile(outside, 95) * 1000:.0f} ms, longest {max(outside, default=0) * 1000:.0f} ms"
    )
    print(f"failed autosaves:             {failed}")
    print(f"gunicorn worker peak RSS:     {worker_rss:.0f} MiB")
    print(
        f"CLI import, fresh process:    exit {code} in {cli_seconds:.2f} s, peak RSS {cli_rss:.0f} MiB",
        flush=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--judges", type=int, default=30)
    parser.add_argument(
        "--pause-ms",
        type=lambda s: tuple(int(x) for x in s.split("-")),
        default=(250, 1250),
        help="random pause between two saves of one judge, as in bench/load.py",
    )
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument(
        "--no-hostile",
        dest="hostile",
        action="store_false",
        help="skip the oversized CSV and the XLSX bomb",
    )
    args = parser.parse_args(argv)
    for name in args.db.split(","):
        if name == "postgresql" and args.pg_url == PG_URL:
            with open("/tmp/pg.lock", "w") as lock:  # the shared test database: one user at a time
                fcntl.flock(lock, fcntl.LOCK_EX)
                bench_database(name, args.pg_url, args)
        elif name == "postgresql":
            bench_database(name, args.pg_url, args)
        else:
            bench_database(name, None, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
