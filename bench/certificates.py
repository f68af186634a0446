"""Benchmark: N certificates through the CLI's code path versus WeasyPrint from equivalent HTML.

Usage: .venv/bin/python bench/certificates.py [-n 1000] [--keep DIR]

1. Builds a throw-away SQLite database with one competition and N participants (teams of
   one to three, umlauts in names, schools, stands), not timed.
2. Runs ``flask --app compmgr certificates --competition ID --kind participation -o FILE``
   in a fresh process and reports its wall time (whole process: interpreter, imports, app
   start, query, PDF), pages per second and the peak resident memory of that process.
3. Prints the app's start time (``import compmgr`` + ``create_app()``, median of five).
4. Compares the per-page marginal CPU cost between 1,000 and 5,000 certificates (``--marginal``)
   with a bare ReportLab canvas page of the same content (border, texts, QR, signatures).
5. Renders the same certificate N times with WeasyPrint from an equivalent HTML page (same
   text, border, embedded Vera font, QR code as SVG) in a fresh process, and prints the
   ratio. WeasyPrint comes from the ``bench`` extra: pip install -e .[bench]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_database(instance, n):
    """Create the database by migrations and fill it with n participants; return the cid."""
    import random
    from datetime import date

    from flask_migrate import upgrade

    from compmgr import create_app
    from compmgr.competitions.services import create_competition, division_for
    from compmgr.extensions import db
    from compmgr.registration.models import Participant, Project, ProjectMember, School

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.sqlite'}",
            "UPLOAD_FOLDER": str(instance),
        }
    )
    rng = random.Random(5)
    first = ["Jörg", "Änne", "Ömer", "Zoë", "Lena", "Björn", "Müge", "Sören", "Käthe", "Luca"]
    last = ["Müller", "Weiß", "Groß", "Öztürk", "Schäfer", "Süßmilch", "Bäßler", "Krüger"]
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        comp = create_competition(
            "Regionalwettbewerb Musterstadt",
            2027,
            host="IHK Süd",
            venue="Stadthalle Musterstadt",
            starts_on=date(2027, 2, 25),
            ends_on=date(2027, 2, 26),
            status="published",
        )
        schools = [
            School(
                competition_id=comp.id, name=f"Gymnasium Nr. {i} am Weißen Berg", city="Musterstadt"
            )
            for i in range(20)
        ]
        db.session.add_all(schools)
        db.session.flush()
        made, k = 0, 0
        while made < n:
            size = min(rng.choice([1, 1, 2, 3]), n - made)
            school = rng.choice(schools)
            subject = comp.subjects[k % len(comp.subjects)]
            project = Project(
                competition_id=comp.id,
                school=school,
                subject=subject,
                title=f"Wie „grün“ ist unser Schulhof? Messreihe {k}",
                stand=f"{subject.code}{k:04d}",
                status="admitted",
            )
            people = []
            for pos in range(size):
                person = Participant(
                    competition_id=comp.id,
                    school=school,
                    first_name=rng.choice(first),
                    last_name=f"{rng.choice(last)}-{made}",
                    birth_date=date(2009, 1 + made % 12, 1 + made % 28),
                    grade=10,
                )
                people.append(person)
                project.members.append(
                    ProjectMember(participant=person, position=pos, is_speaker=pos == 0)
                )
                made += 1
            project.division = division_for(people, comp.divisions, comp.age_cutoff).division
            db.session.add(project)
            k += 1
        db.session.commit()
        cid = comp.id
        db.engine.dispose()
    return cid


def run_measured(cmd, env):
    """Run cmd in a new process; return (wall seconds, peak RSS in MiB, output)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{cmd[0]} failed:\n{out.decode()}")
    return wall, usage.ru_maxrss / 1024, out.decode()


WEASY_SCRIPT = r'''
import sys, os
from weasyprint import HTML
import reportlab
from compmgr.pdf import qr
n, target = int(sys.argv[1]), sys.argv[2]
font = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
modules = qr.matrix("http://localhost:5000/verify/WzEyMyw0NSwidCJd.abcdefghijklmnopqrstuvwxyz0")
size = len(modules)
path = "".join(f"M{c} {r}h1v1h-1z" for r, row in enumerate(modules)
               for c, dark in enumerate(row) if dark)  # one path, as on the canvas
svg = (f'<svg class="qr" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
       f'<path d="{path}"/></svg>')
page = f"""<section class="page">
<div class="head">Regionalwettbewerb Musterstadt 2027</div>
<div class="sub">Regionalwettbewerb · Patenunternehmen: IHK Süd</div>
<h1>Teilnahmeurkunde</h1>
<div class="name">Jörg Müller-Weiß</div>
<div class="school">Gymnasium Nr. 3 am Weißen Berg, Musterstadt</div>
<p class="body">hat mit dem Projekt „Wie »grün« ist unser Schulhof? Messreihe 3“ im Fachgebiet
Biologie (Sparte Jugend forscht) erfolgreich am Regionalwettbewerb 2027 teilgenommen.</p>
<div class="footer">Stadthalle Musterstadt, 25.–26. Februar 2027</div>
<div class="sigs"><div class="sig">Dr. Käthe Großmann<br><i>Wettbewerbsleitung</i></div>
<div class="sig">Dr. Jürgen Weiß<br><i>Patenbeauftragte(r)</i></div>{svg}</div>
</section>"""
css = f"""
@font-face {{ font-family: Vera; src: url(file://{font}/Vera.ttf); }}
@font-face {{ font-family: Vera; font-weight: bold; src: url(file://{font}/VeraBd.ttf); }}
@font-face {{ font-family: Vera; font-style: italic; src: url(file://{font}/VeraIt.ttf); }}
@page {{ size: A4; margin: 0; }}
body {{ font-family: Vera; margin: 0; color: #1a1a1a; }}
.page {{ position: relative; height: 297mm; box-sizing: border-box; padding: 25mm;
        border: 2.5pt solid #1f4e79; outline: 0.7pt solid #1f4e79; outline-offset: -3mm;
        page-break-after: always; }}
.head {{ font-weight: bold; font-size: 18pt; color: #1f4e79; }}
.sub {{ font-size: 10pt; }}
h1 {{ text-align: center; font-size: 34pt; color: #1f4e79; margin-top: 18mm; }}
.name {{ text-align: center; font-size: 26pt; font-weight: bold; }}
.school {{ text-align: center; font-size: 12pt; }}
.body {{ text-align: center; font-size: 13pt; line-height: 1.35; }}
.footer {{ position: absolute; bottom: 65mm; width: 160mm; text-align: center; font-size: 11pt; }}
.sigs {{ position: absolute; bottom: 20mm; left: 25mm; right: 25mm; display: flex; gap: 10mm; }}
.sig {{ border-top: 0.6pt solid black; width: 55mm; text-align: center; font-size: 10pt; }}
.qr {{ width: 22mm; height: 22mm; margin-left: auto; }}
"""
html = f"<html><head><style>{css}</style></head><body>{page * n}</body></html>"
HTML(string=html).write_pdf(target)
'''


BARE_SCRIPT = r"""
import sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from compmgr.pdf import fonts, qr
n, target = int(sys.argv[1]), sys.argv[2]
fonts.register_fonts()
c = Canvas(target, pagesize=A4, initialFontName=fonts.REGULAR)
w, h = A4
for i in range(n):
    c.setStrokeColorRGB(0.12, 0.31, 0.47)
    c.setLineWidth(2.5)
    c.rect(12 * mm, 12 * mm, w - 24 * mm, h - 24 * mm)
    c.setLineWidth(0.7)
    c.rect(15 * mm, 15 * mm, w - 30 * mm, h - 30 * mm)
    c.setFillColorRGB(0.12, 0.31, 0.47)
    c.setFont(fonts.BOLD, 18)
    c.drawString(25 * mm, h - 35 * mm, "Regionalwettbewerb Musterstadt 2027")
    c.setFont(fonts.REGULAR, 10)
    c.drawString(25 * mm, h - 42 * mm, "Regionalwettbewerb · Patenunternehmen: IHK Süd")
    c.setFont(fonts.BOLD, 34)
    c.drawCentredString(w / 2, h - 80 * mm, "Teilnahmeurkunde")
    c.setFillColorRGB(0.1, 0.1, 0.1)
    c.setFont(fonts.BOLD, 26)
    c.drawCentredString(w / 2, h - 105 * mm, f"Jörg Müller-Weiß {i}")
    c.setFont(fonts.REGULAR, 12)
    c.drawCentredString(w / 2, h - 114 * mm, "Gymnasium Nr. 3 am Weißen Berg, Musterstadt")
    c.setFont(fonts.REGULAR, 13)
    for k, line in enumerate((
        "hat mit dem Projekt „Wie »grün« ist unser Schulhof? Messreihe 3“",
        "im Fachgebiet Biologie (Sparte Jugend forscht) erfolgreich",
        "am Regionalwettbewerb 2027 teilgenommen.",
    )):
        c.drawCentredString(w / 2, h - (135 + 7 * k) * mm, line)
    c.setFont(fonts.REGULAR, 11)
    c.drawCentredString(w / 2, 65 * mm, "Stadthalle Musterstadt, 25.–26. Februar 2027")
    for k, (name, role) in enumerate((("Dr. Käthe Großmann", "Wettbewerbsleitung"),
                                      ("Dr. Jürgen Weiß", "Patenbeauftragte(r)"))):
        x = 25 * mm + k * 65 * mm
        c.line(x, 35 * mm, x + 55 * mm, 35 * mm)
        c.setFont(fonts.REGULAR, 10)
        c.drawCentredString(x + 27.5 * mm, 30 * mm, name)
        c.setFont(fonts.ITALIC, 9)
        c.drawCentredString(x + 27.5 * mm, 26 * mm, role)
    qr.draw(c, f"http://localhost:5000/verify/WzEyMyw0NSwidCJd.abcdefghijklmno{i:08d}",
            w - 47 * mm, 22 * mm, 22 * mm)
    c.showPage()
c.save()
"""


def cpu_of(cmd, env):
    """Run cmd in a new process; return its CPU seconds (user + system, from wait4)."""
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{cmd[0]} failed:\n{out.decode()}")
    return usage.ru_utime + usage.ru_stime


def marginal(sizes, runs=3):
    """Per-page marginal CPU cost of the CLI's certificates and of a bare ReportLab canvas page
    with the same content, between the two sizes; prints both and their ratio.

    The four commands run by turns, ``runs`` times, and the cheapest run of each counts: the
    machine's speed may drift, and by turns the drift falls on both sides alike."""
    small, large = sizes
    flask = str(Path(sys.executable).parent / "flask")
    commands = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (small, large):
            instance = Path(tmp) / str(n)
            instance.mkdir()
            built = subprocess.run(
                [sys.executable, __file__, "--build", str(instance), str(n)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if built.returncode:
                sys.exit(f"Datenbank anlegen fehlgeschlagen:\n{built.stderr}")
            cid = built.stdout.split()[-1]
            env = dict(
                os.environ,
                COMPMGR_INSTANCE_PATH=str(instance),
                DATABASE_URL=f"sqlite:///{instance / 'bench.sqlite'}",
                COMPMGR_SECRET_KEY="bench-secret",
                COMPMGR_UPLOAD_FOLDER=str(instance),
                PYTHONPATH=str(ROOT),
            )
            app_cmd = [flask, "--app", "compmgr", "certificates", "--competition", cid]
            app_cmd += ["--kind", "participation", "-o", str(instance / "app.pdf")]
            bare_cmd = [sys.executable, "-c", BARE_SCRIPT, str(n), str(instance / "bare.pdf")]
            commands[("app", n)] = (app_cmd, env)
            commands[("bare", n)] = (bare_cmd, env)
        cost = {}
        for _ in range(runs):
            for key, (cmd, env) in commands.items():
                cpu = cpu_of(cmd, env)
                cost[key] = min(cost.get(key, cpu), cpu)
    per_page = {k: (cost[k, large] - cost[k, small]) / (large - small) for k in ("app", "bare")}
    print(
        f"Grenzkosten je Seite ({small}–{large} Seiten, CPU-Zeit, bestes von {runs}, "
        f"abwechselnd): Urkunde {per_page['app'] * 1000:.2f} ms, bloße ReportLab-Seite "
        f"{per_page['bare'] * 1000:.2f} ms, Verhältnis {per_page['app'] / per_page['bare']:.2f}×"
    )


def app_start(env, runs=5):
    """Median wall and CPU time of ``import compmgr`` plus ``create_app()`` in a new process."""
    cmd = [sys.executable, "-c", "from compmgr import create_app; create_app()"]
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        cpus.append(cpu_of(cmd, env))
        walls.append(time.perf_counter() - start)
    walls.sort()
    cpus.sort()
    print(
        f"App-Start (import compmgr + create_app, Median von {runs}): "
        f"{walls[runs // 2]:.2f} s Wandzeit, {cpus[runs // 2]:.2f} s CPU"
    )


def main():
    if sys.argv[1:2] == ["--build"]:
        print(build_database(Path(sys.argv[2]), int(sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="number of certificates")
    parser.add_argument("--keep", help="keep the PDFs in this folder")
    parser.add_argument("--skip-weasyprint", action="store_true")
    parser.add_argument(
        "--marginal",
        default="1000,5000",
        help="sizes between which the per-page cost is compared with bare ReportLab ('' skips)",
    )
    args = parser.parse_args()
    if args.marginal:
        marginal([int(x) for x in args.marginal.split(",")])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        instance = Path(tmp)
        print(f"Datenbank mit {args.n} Teilnehmenden anlegen …", flush=True)
        # In a child process: a forked child's peak memory starts at its parent's size, so
        # the parent stays small (no app, no ORM) until every measured process has run.
        built = subprocess.run(
            [sys.executable, __file__, "--build", str(instance), str(args.n)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if built.returncode:
            sys.exit(f"Datenbank anlegen fehlgeschlagen:\n{built.stderr}")
        cid = int(built.stdout.split()[-1])
        env = dict(
            os.environ,
            COMPMGR_INSTANCE_PATH=str(instance),
            DATABASE_URL=f"sqlite:///{instance / 'bench.sqlite'}",
            COMPMGR_SECRET_KEY="bench-secret",
            COMPMGR_UPLOAD_FOLDER=str(instance),
        )
        flask = str(Path(sys.executable).parent / "flask")
        target = folder / "reportlab.pdf"
        wall, peak, out = run_measured(
            [
                flask,
                "--app",
                "compmgr",
                "certificates",
                "--competition",
                str(cid),
                "--kind",
                "participation",
                "-o",
                str(target),
            ],
            env,
        )
        base_wall, base_peak, _ = run_measured(
            [sys.executable, "-c", "from compmgr import create_app; create_app()"], env
        )
        app_start(env)
        if not args.skip_weasyprint:
            weasy_target = folder / "weasyprint.pdf"
            w_wall, w_peak, _ = run_measured(
                [sys.executable, "-c", WEASY_SCRIPT, str(args.n), str(weasy_target)],
                dict(env, PYTHONPATH=str(ROOT)),
            )
        from pypdf import PdfReader  # only now: every measured process has run

        pages = len(PdfReader(target).pages)
        print(
            f"App-Start allein: {base_wall:.2f} s, Spitze {base_peak:.0f} MiB "
            "(Python, Flask, alle Blueprints und ihre Importe)"
        )
        print(
            f"ReportLab (CLI):  {pages} Seiten in {wall:.2f} s Wandzeit (ganzer Prozess), "
            f"{pages / wall:.0f} Seiten/s, Spitze {peak:.0f} MiB, "
            f"{target.stat().st_size / 1024:.0f} KiB"
        )
        if not args.skip_weasyprint:
            print(
                f"WeasyPrint:       {args.n} Seiten in {w_wall:.2f} s Wandzeit (ganzer Prozess), "
                f"{args.n / w_wall:.0f} Seiten/s, Spitze {w_peak:.0f} MiB"
            )
            print(
                f"Verhältnis:       ReportLab ist {w_wall / wall:.1f}× schneller "
                f"(ohne App-Start: {w_wall / max(wall - base_wall, 1e-3):.1f}×)"
            )
        with open("/proc/loadavg") as fh:
            print(f"Last (loadavg):   {fh.read().split()[0]} auf {os.cpu_count()} Kernen")


if __name__ == "__main__":
    main()
