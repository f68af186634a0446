"""Backup and restore round trip, taken while writes go on."""

import secrets
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, text

from compmgr import create_app, storage
from compmgr.auth.models import User
from compmgr.certificates.models import CertificateTemplate
from compmgr.extensions import db as _db
from compmgr.registration.models import School
from tests.certificates.test_images import png
from tests.conftest import PG_URL, _pg_truncate, base_config, sign_in
from tests.factories import CompetitionFactory, make_document, make_pdf
from tests.world import build_world


def _writer(url, competition_id, stop, written):
    """Insert schools one transaction at a time, as a running app would."""
    engine = create_engine(url)
    n = 0
    while not stop.is_set() and n < 2000:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO schools (competition_id, name, city, created_at, updated_at) "
                    "VALUES (:c, :n, 'Neuß', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"c": competition_id, "n": f"Schule {n}"},
            )
        n += 1
        written.append(n)
    engine.dispose()


def test_backup_while_writing_then_restore(app, db, runner, tmp_path):
    comp = CompetitionFactory(name="Regionalwettbewerb Großstadt")
    db.session.commit()
    comp_id = comp.id
    db.session.rollback()  # no read snapshot of ours may outlive the writer's work
    url = db.engine.url.render_as_string(hide_password=False)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(url, comp_id, stop, written))
    thread.start()
    while len(written) < 20:
        pass
    target = tmp_path / "backup.dump"
    result = runner.invoke(args=["backup", "-o", str(target)])
    at_backup = len(written)
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    db.session.rollback()
    total = db.session.scalar(db.select(db.func.count(School.id)))
    assert total == len(written) > at_backup - 1

    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    restored = db.session.scalar(db.select(db.func.count(School.id)))
    # A consistent snapshot: whole transactions only, taken while the writer ran.
    assert 20 <= restored <= total
    names = set(db.session.scalars(db.select(School.name)))
    assert names == {f"Schule {i}" for i in range(restored)}
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(School).where(School.city == "Neuß")
        )
        == restored
    )


def test_restore_refuses_a_file_that_is_no_backup(runner, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("kein Backup")
    result = runner.invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code == 1
    assert "keine" in result.output and "Sicherung" in result.output


def test_restore_refuses_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "fehlt.db")])
    assert result.exit_code == 1
    assert "gibt es nicht" in result.output


# Bundles: the database and every stored file -------------------------------------------------


def _rows(engine):
    """Every table's rows in primary-key order, read by reflection (no model involved)."""
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    with engine.connect() as conn:
        return {
            t.name: [
                tuple(row)
                for row in conn.execute(sa.select(t).order_by(*(t.primary_key.columns or t.c)))
            ]
            for t in meta.sorted_tables
        }


def _other_database(backend, request, tmp_path):
    """An empty database of the other kind (SQLite when PostgreSQL is not configured)."""
    if backend == "sqlite" and PG_URL:
        url = request.getfixturevalue("pg_migrated")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path / 'restored.sqlite'}"


@pytest.fixture(params=["local", "s3"])
def source_storage(request):
    return request.param


@pytest.fixture
def app_config(source_storage, request):
    if source_storage == "s3":
        return {"STORAGE_URL": request.getfixturevalue("s3_url")}
    return {}


def test_a_bundle_brings_back_every_row_and_file_on_the_other_database_and_store(
    app, db, runner, tmp_path, backend, source_storage, request, s3_server
):
    world = build_world()
    for i in range(4):
        make_document(world.objects["project2"], f"k{i}", data=make_pdf(i + 2))
    logo, _ = storage.store_bytes(png(40, 20))
    db.session.add(
        CertificateTemplate(competition_id=world.objects["c1"].id, logo_stored_name=logo)
    )
    comp_id = world.objects["c1"].id
    db.session.commit()
    db.session.rollback()
    url = db.engine.url.render_as_string(hide_password=False)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(url, comp_id, stop, written))
    thread.start()
    while len(written) < 20:
        pass
    bundle = tmp_path / "sicherung.tar"
    result = runner.invoke(args=["backup", "-o", str(bundle)])
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    source_rows = _rows(db.engine)
    source_store = storage.backend()
    source_files = {n: storage.read_bytes(n) for n in source_store.names()}
    assert logo in source_files and len(source_files) == 6

    # A fresh instance: the other database, the other kind of store, nothing in either.
    target_db = _other_database(backend, request, tmp_path)
    other_store = (
        (tmp_path / "restored-files").as_uri()
        if source_storage == "s3"
        else s3_server.url("restored-" + secrets.token_hex(4))
    )
    target = create_app(
        {
            **base_config(target_db, tmp_path / "target"),
            "STORAGE_URL": other_store,
        }
    )
    try:
        with target.app_context():  # the command runs in the app whose context is current
            result = target.test_cli_runner().invoke(args=["restore", "--yes", str(bundle)])
        assert result.exit_code == 0, result.output
        assert "6 Dateien geprüft und abgelegt" in result.output
        with target.app_context():
            restored_rows = _rows(_db.engine)
            store = storage.backend()
            assert {n: storage.read_bytes(n) for n in store.names()} == source_files
            _db.engine.dispose()
        schools = restored_rows.pop("schools")
        assert 20 <= len(schools) <= len(source_rows["schools"])
        assert schools == source_rows.pop("schools")[: len(schools)]  # whole transactions
        assert restored_rows == source_rows
        # The restored instance serves the paper as the old one did.
        client = target.test_client()
        with client.session_transaction() as sess, target.app_context():
            sign_in(sess, _db.session.get(User, world.users["org1"].id))
        project = world.objects["project1"]
        response = client.get(
            f"/c/{project.competition_id}/org/entries/projects/{project.id}/document?kind=paper"
        )
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    finally:
        if target_db.startswith("postgresql"):
            _pg_truncate(target)
