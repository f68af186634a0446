"""App-level behaviour: config, database pragmas, migrations, CLI, demo."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from compmgr import create_app
from compmgr.auth.models import User
from compmgr.competitions.models import Competition
from compmgr.registration.models import Participant, Project


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app, db, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("COMPMGR_SECRET_KEY", "x")
    monkeypatch.setenv("COMPMGR_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_env_prefix_overrides_config(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COMPMGR_SECRET_KEY", "x")
    monkeypatch.setenv("COMPMGR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COMPMGR_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("COMPMGR_PAPER_LIMIT", "12")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PAPER_LIMIT"] == 12
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'compmgr.sqlite'}"


def test_first_start_writes_a_secret_key_once(monkeypatch, tmp_path):
    monkeypatch.delenv("COMPMGR_SECRET_KEY", raising=False)
    monkeypatch.setenv("COMPMGR_INSTANCE_PATH", str(tmp_path))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first and first == second and len(first) == 64


# Loaded by the pages and commands that need them, not by every CLI call and gunicorn worker.
LOADED_WHEN_USED = (
    "alembic",
    "flask_migrate",
    "icalendar",
    "lxml",
    "mako",
    "numpy",
    "openpyxl",
    "PIL",
    "pygal",
    "pygments",
    "reportlab",
    "scipy",
)


def test_app_start_leaves_the_heavy_libraries_unloaded(tmp_path):
    env = dict(
        os.environ,
        COMPMGR_INSTANCE_PATH=str(tmp_path),
        COMPMGR_SECRET_KEY="x",
        COMPMGR_PUBLIC_URL="https://jufo.example.org",
    )
    script = (
        "import sys; from compmgr import create_app; create_app(); "
        "print(' '.join(sorted({m.partition('.')[0] for m in sys.modules})))"
    )
    started = subprocess.run(  # a fresh interpreter: this one has loaded everything
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(started.stdout.split())
    assert "compmgr" in loaded and "flask" in loaded
    assert sorted(loaded.intersection(LOADED_WHEN_USED)) == []


def test_migrations_match_the_models(app, db):
    """The schema comes from Alembic; the models must not drift from it."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
        )
    assert diff == []


def test_init_command_creates_the_first_admin(runner, db):
    result = runner.invoke(
        args=[
            "init",
            "--email",
            "Chefin@Example.org",
            "--name",
            "Chefin",
            "--password",
            "sehr-geheim-123",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).filter_by(email="chefin@example.org")).scalar_one()
    assert user.is_admin and user.check_password("sehr-geheim-123")


def test_init_command_refuses_a_short_password(runner):
    result = runner.invoke(
        args=["init", "--email", "a@example.org", "--name", "A", "--password", "kurz"]
    )
    assert result.exit_code == 1
    assert "mindestens 10 Zeichen" in result.output


def test_demo_is_realistic_and_loads_once(runner, db):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "orga@demo.compmgr.de" in first.output and "vorsitz@demo.compmgr.de" in first.output
    second = runner.invoke(args=["demo"])
    assert "schon vorhanden" in second.output
    # this year's competition and last year's in the same series, purged: only figures remain
    this, last = db.session.scalars(
        db.select(Competition).order_by(Competition.round_year.desc())
    ).all()
    assert this.copied_from_id == last.id and last.round_year == this.round_year - 1
    from compmgr.statistics import figures

    assert figures.snapshot(last)["participants"] == 151
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 97
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 172
    names = " ".join(p.full_name for p in db.session.scalars(db.select(Participant)))
    assert any(ch in names for ch in "äöüß")
    assert max(len(p.full_name) for p in db.session.scalars(db.select(Participant))) > 60
    assert all(p.division_id for p in db.session.scalars(db.select(Project)))
    # judges can start at once: three judges and a slot per project, only a few flags to check
    from compmgr.judging.models import Assignment, Conflict, Judge

    per_project = db.session.execute(
        db.select(Assignment.project_id, db.func.count(Assignment.id)).group_by(
            Assignment.project_id
        )
    ).all()
    from compmgr.registration.models import Project as P

    remote = set(db.session.scalars(db.select(P.id).where(P.remote_link != "")))
    assert len(remote) == 2  # remote presentations: the whole jury (4 judges) attends
    assert len(per_project) == 97 and {n for pid, n in per_project if pid not in remote} == {3}
    assert {n for pid, n in per_project if pid in remote} == {4}
    assert (
        db.session.scalar(
            db.select(db.func.count(Assignment.id)).where(Assignment.slot_start.is_(None))
        )
        == 0
    )
    juror = db.session.scalars(db.select(Judge).filter_by(email="juror@demo.compmgr.de")).one()
    assert (
        db.session.scalar(db.select(db.func.count(Assignment.id)).filter_by(judge_id=juror.id)) >= 5
    )
    assert 0 < db.session.scalar(db.select(db.func.count(Conflict.id))) < 30


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_favicon_is_our_own_svg_served_from_this_origin(client):
    for url in ("/favicon.ico", "/static/favicon.svg"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "image/svg+xml", url
        assert response.get_data().lstrip().startswith(b"<svg"), url
    page = client.get("/login")
    assert '<link rel="icon" href="/static/favicon.svg' in page.get_data(as_text=True)
    assert "img-src 'self'" in page.headers["Content-Security-Policy"]


def test_bootstrap_is_served_locally(client):
    html = client.get("/login").get_data(as_text=True)
    assert "cdn." not in html and "https://" not in html
    assert "/bootstrap/static/css/bootstrap.min.css" in html
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_a_connection_closed_while_idle_is_replaced_before_a_request_uses_it(monkeypatch, app, db):
    """After a database restart or failover, the pool's idle connections are dead. The first
    request after it must not fail: an idle connection is pinged and replaced before use."""
    import compmgr.database

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to lose the connection to")
    with db.engine.connect() as conn:  # as a request does; the connection then sits idle
        conn.execute(text("SELECT 1"))
    killer = create_engine(db.engine.url, poolclass=NullPool)
    with killer.connect() as conn:  # as a restart does: end every session
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    monkeypatch.setattr(compmgr.database, "PING_AFTER_IDLE", 0)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
