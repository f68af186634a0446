"""Benchmark: a national round in one PostgreSQL instance, page by page.

Usage: .venv/bin/python bench/round.py --pg-url postgresql://postgres@127.0.0.1:5432/DB
       [--competitions 120] [--projects 6300] [--judges 3000] [--keep] [--reuse]

1. Empties the database (DROP SCHEMA public), migrates it with the app's own migrations and
   builds the round with ``tests.round_data.populate``: 119 competitions of about 50 projects
   and one of 300 projects, 600 participants and 100 judges; about 500 schools, 11,300
   participants, 3,000 judges, 840 juries and 40,000 scores; then ANALYZEs it, as
   autovacuum would. Prints how long that took.
   ``--reuse`` skips this and uses the round already in the database.
2. Requests every GET page an organiser or the admin can open, for the 300-project
   competition, through the app (Flask's test client, in this process: no network), twice;
   prints the server time of the faster run and the number of SQL statements, slowest first.
3. Ranks every jury of the round at once (``judging.ranking.rank_juries``) and prints time and
   statements.
4. One judge autosaves 200 changes through the score page's endpoint: CPU time and statements
   per autosave (the median), and per save that changes nothing.
5. The judge's score page as served with ``Accept-Encoding: gzip``: bytes on the wire of the
   page and of every stylesheet, script and image it loads.

The machine may be shared: times are noisy, statement counts are not.
"""

import argparse
import gzip
import os
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIG = {"projects": 300, "judges": 100, "schools": 25}


def make_app(url):
    from compmgr import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": "/tmp/compmgr-round-uploads",
            "SERVER_NAME": "localhost",
            "WTF_CSRF_ENABLED": False,
            # The mail worker thread would poll every competition's outbox and digests in
            # this process: its statements would be counted against the page being timed.
            "MAIL_WORKER_THREAD": False,
        }
    )


def build(app, args):
    """Reset, migrate and fill the database; return the big competition's id."""
    import random

    from flask_migrate import upgrade
    from sqlalchemy import text

    from compmgr.auth.models import Role, RoleGrant, User
    from compmgr.competitions.services import create_competition
    from compmgr.extensions import db
    from tests.factories import password_hash
    from tests.round_data import populate

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        rng = random.Random(2027)
        n_small = args.competitions - 1
        small_projects = args.projects - BIG["projects"]
        small_judges = args.judges - BIG["judges"]
        small_schools = 500 - BIG["schools"]
        totals = {"projects": 0, "participants": 0, "judges": 0, "juries": 0, "scores": 0}
        totals.update(schools=0, users=0)
        big_cid = None
        for i in range(args.competitions):
            big = i == n_small // 2
            comp = create_competition(
                f"Regionalwettbewerb Nr. {i + 1} – Süd" if not big else "Landeswettbewerb Groß",
                2027,
                status="judging",
                starts_on=date(2027, 2, 25),
                ends_on=date(2027, 2, 26),
            )
            db.session.flush()
            if big:
                made = populate(comp, rng=rng, tag="-big", **BIG)
                big_cid = comp.id
            else:
                k = i if i < n_small // 2 else i - 1
                share = lambda total, k=k: total * (k + 1) // n_small - total * k // n_small  # noqa: E731
                made = populate(
                    comp,
                    share(small_projects),
                    share(small_judges),
                    schools=share(small_schools),
                    rng=rng,
                )
            organiser = User(
                email=f"org{i}@example.org",
                name=f"Organisator {i}",
                password_hash=password_hash(),
                auth_nonce=1,
            )
            db.session.add(organiser)
            db.session.flush()
            db.session.add(
                RoleGrant(user_id=organiser.id, competition_id=comp.id, role=Role.ORGANISER)
            )
            for key in totals:
                totals[key] += made[key]
            totals["users"] += 1
            db.session.commit()
        db.session.add(
            User(
                email="admin@example.org",
                name="Admin",
                password_hash=password_hash(),
                is_admin=True,
                auth_nonce=1,
            )
        )
        db.session.commit()
        # Planner statistics, as autovacuum gathers them in a running instance: without them
        # PostgreSQL guesses one row per competition and picks nested loops over seq scans.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        db.engine.dispose()
    print("round:   " + ", ".join(f"{v:,} {k}" for k, v in totals.items()))
    return big_cid


class Counter:
    """Count the SQL statements sent while active."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.n = 0
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.n += 1


def sign_in(client, user):
    from compmgr.auth.sessions import SESSION_KEY, open_session
    from compmgr.extensions import db

    with client.application.app_context():
        user = db.session.merge(user)
        token = open_session(user)
        db.session.commit()
        session = {SESSION_KEY: token, "_user_id": user.get_id(), "_fresh": True}
    with client.session_transaction() as sess:
        sess.clear()
        sess.update(session)


def url_args(cid):
    """URL arguments naming objects of the competition (the first of each kind)."""
    from compmgr.auth.models import RoleGrant
    from compmgr.extensions import db
    from compmgr.judging.models import Conflict, Criterion, Judge, Jury
    from compmgr.registration.models import Participant, Project, School
    from compmgr.results.models import SpecialPrize

    def first(model, *where):
        return db.session.scalar(db.select(model.id).where(*where).order_by(model.id).limit(1))

    return {
        "cid": cid,
        "project_id": first(Project, Project.competition_id == cid),
        "participant_id": first(Participant, Participant.competition_id == cid),
        "school_id": first(School, School.competition_id == cid),
        "judge_id": first(Judge, Judge.competition_id == cid),
        "jury_id": first(Jury, Jury.competition_id == cid),
        "criterion_id": first(Criterion, Criterion.competition_id == cid),
        "prize_id": first(SpecialPrize, SpecialPrize.competition_id == cid),
        "conflict_id": first(Conflict),
        "user_id": db.session.scalar(
            db.select(RoleGrant.user_id).filter_by(competition_id=cid, role="judge").limit(1)
        ),
        "slug": "datenschutz",
        "fmt": "csv",
    }


def organiser_pages(app, args_by_name):
    """Yield (endpoint, url, persona) for every GET page of an organiser or the admin."""
    from flask import url_for

    from compmgr.auth.access import policy_of
    from compmgr.auth.models import Role

    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in ("static", "bootstrap.static"):
                continue
            policy = policy_of(app.view_functions[rule.endpoint]) or ()
            if Role.ORGANISER in policy:
                persona = "organiser"
            elif Role.ADMIN in policy:
                persona = "admin"
            else:
                continue
            values = {a: args_by_name.get(a) for a in rule.arguments}
            if any(v is None for v in values.values()):
                continue
            yield rule.endpoint, url_for(rule.endpoint, **values), persona


def time_pages(app, cid, runs=2, only=""):
    from compmgr.auth.models import RoleGrant, User
    from compmgr.extensions import db

    with app.app_context():
        args = url_args(cid)
        organiser = db.session.scalar(
            db.select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.competition_id == cid, RoleGrant.role == "organiser")
        )
        admin = db.session.scalar(db.select(User).filter_by(is_admin=True))
        pages = [p for p in organiser_pages(app, args) if only in p[1]]
        counter = Counter(db.engine)
        clients = {}
        for persona, user in (("organiser", organiser), ("admin", admin)):
            clients[persona] = app.test_client()
            sign_in(clients[persona], user)
        db.session.remove()
    rows = []
    for _endpoint, url, persona in pages:
        best, statements, status, size = None, None, None, 0
        for _ in range(runs):
            counter.n = 0
            start = time.perf_counter()
            response = clients[persona].get(url)
            elapsed = time.perf_counter() - start
            status, size = response.status_code, len(response.data)
            statements = counter.n
            best = elapsed if best is None else min(best, elapsed)
        rows.append((best, statements, status, size, url, persona))
    rows.sort(reverse=True)
    print(f"\npages of the {BIG['projects']}-project competition (best of {runs}, server time):")
    print(f"  {'ms':>7} {'stmts':>6} {'code':>4} {'KiB':>7}  page")
    for best, statements, status, size, url, persona in rows:
        print(
            f"  {best * 1000:7.0f} {statements:6d} {status:4d} {size / 1024:7.1f}  {url} ({persona})"
        )
    over = [r for r in rows if r[0] > 0.2]
    print(
        f"slowest: {rows[0][0] * 1000:.0f} ms {rows[0][4]}; {len(over)} of {len(rows)} pages over 200 ms"
    )


def time_ranking(app):
    from compmgr.extensions import db
    from compmgr.judging.models import Jury
    from compmgr.judging.ranking import rank_juries

    with app.app_context():
        counter = Counter(db.engine)
        juries = db.session.scalars(db.select(Jury).order_by(Jury.id)).all()
        counter.n = 0
        start = time.perf_counter()
        ranked = sum(len(lines) for lines in rank_juries(juries).values())
        elapsed = time.perf_counter() - start
        print(
            f"\nranking: {len(juries)} juries, {ranked:,} projects ranked in {elapsed * 1000:.0f} ms, "
            f"{counter.n:,} statements"
        )
        db.session.remove()


def time_autosave(app, cid, n=200):
    """Autosave n changes as one judge; return per-save CPU ms and statements (medians)."""
    import random

    from compmgr.auth.models import User
    from compmgr.extensions import db
    from compmgr.judging.models import Assignment, Judge
    from compmgr.judging.scoring import criteria_for
    from compmgr.registration.models import Project

    with app.app_context():
        judge = db.session.scalar(
            db.select(Judge)
            .join(Assignment, Assignment.judge_id == Judge.id)
            .where(Judge.competition_id == cid)
            .limit(1)
        )
        projects = db.session.scalars(
            db.select(Project)
            .join(Assignment, Assignment.project_id == Project.id)
            .where(Assignment.judge_id == judge.id)
        ).all()
        sheets = [
            (p.id, [(c.id, c.scale_min, c.scale_max) for c in criteria_for(cid, p.division_id)])
            for p in projects
        ]
        user = db.session.get(User, judge.user_id)
        client = app.test_client()
        sign_in(client, user)
        counter = Counter(db.engine)
        score_url = f"/c/{cid}/jury/projects/{sheets[0][0]}/"
        db.session.remove()
    rng = random.Random(3)

    def save(values, pid):
        counter.n = 0
        cpu = time.process_time()
        response = client.post(
            f"/c/{cid}/jury/projects/{pid}/autosave",
            json={"values": values},
            headers={"Accept": "application/json"},
        )
        cpu = time.process_time() - cpu
        assert response.status_code == 200, response.data[:300]
        return cpu, counter.n

    changed, same = [], []
    for _ in range(n):
        pid, criteria = rng.choice(sheets)
        c_id, lo, hi = rng.choice(criteria)
        value = rng.randint(lo, hi)
        changed.append(save({str(c_id): value}, pid))
        same.append(save({str(c_id): value}, pid))  # the same value again: nothing changes
    for label, runs in (("a change", changed), ("no change", same)):
        print(
            f"autosave ({label}): CPU {statistics.median(c for c, _ in runs) * 1000:.2f} ms "
            f"(in this process: app and driver), statements {statistics.median(s for _, s in runs):.0f} "
            f"(min {min(s for _, s in runs)}, max {max(s for _, s in runs)})"
        )
    return client, score_url


def _decoded(data, encoding):
    import brotli  # Flask-Compress's own dependency

    if encoding == "gzip":
        return gzip.decompress(data)
    if encoding == "br":
        return brotli.decompress(data)
    return data


def page_weight(client, score_url):
    """Bytes on the wire for the judge's score page and what it loads, gzip accepted."""
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    response = client.get(score_url, headers=headers)
    html = response.data
    text = _decoded(html, response.headers.get("Content-Encoding")).decode()
    assets = sorted(set(re.findall(r'(?:href|src)="(/(?:bootstrap/)?static/[^"]+)"', text)))
    total, rows = len(html), [(score_url, response.status_code, len(html), response.headers)]
    for asset in assets:
        r = client.get(asset, headers=headers)
        total += len(r.data)
        rows.append((asset, r.status_code, len(r.data), r.headers))
    print(
        f"\njudge's score page with its assets, as served (Accept-Encoding gzip, deflate, br): {total / 1024:.1f} KiB in {len(rows)} requests"
    )
    for url, status, size, h in rows:
        print(
            f"  {size / 1024:7.1f} KiB {status} {h.get('Content-Encoding', '-'):5} "
            f"{h.get('Cache-Control', '-')[:40]:40} {url}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("COMPMGR_BENCH_DATABASE_URL"),
        help="a PostgreSQL database this bench may empty (never a shared one)",
    )
    parser.add_argument("--competitions", type=int, default=120)
    parser.add_argument("--projects", type=int, default=6300)
    parser.add_argument("--judges", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true", help="use the round already built")
    parser.add_argument("--pages", default="", help="time only pages whose URL contains this")
    parser.add_argument("--skip", default="", help="comma list of: pages,ranking,autosave,weight")
    args = parser.parse_args(argv)
    if not args.pg_url:
        parser.error("give --pg-url (or COMPMGR_BENCH_DATABASE_URL): the database is emptied")
    from compmgr import database_uri

    app = make_app(database_uri(args.pg_url))
    skip = set(args.skip.split(","))
    if args.reuse:
        from compmgr.competitions.models import Competition
        from compmgr.extensions import db

        with app.app_context():
            cid = db.session.scalar(
                db.select(Competition.id).filter_by(name="Landeswettbewerb Groß")
            )
    else:
        start = time.perf_counter()
        cid = build(app, args)
        print(f"build:   {time.perf_counter() - start:.1f} s", flush=True)
    if "pages" not in skip:
        time_pages(app, cid, only=args.pages)
    if "ranking" not in skip:
        time_ranking(app)
    if "autosave" not in skip:
        client, score_url = time_autosave(app, cid)
        if "weight" not in skip:
            page_weight(client, score_url)
    print(f"\nload average while measuring: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    sys.exit(main())
