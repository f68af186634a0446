"""Backup bundles: every row and every stored file, restored into the other database and store.

Papers and a logo are stored, a writer keeps inserting while the backup runs, and the bundle
is restored into an empty instance on the other database (SQLite ↔ PostgreSQL; SQLite again
when PostgreSQL is not configured) and the other kind of store (local folder ↔ SeaweedFS).
"""

import io
import secrets
import tarfile
import threading

import pytest
import sqlalchemy as sa

from compmgr import create_app, storage
from compmgr.auth.models import User
from compmgr.certificates.models import CertificateTemplate
from compmgr.extensions import db as _db
from tests.certificates.test_images import png
from tests.conftest import PG_URL, _pg_truncate, base_config, live_session
from tests.factories import make_document, make_pdf
from tests.test_backup import _writer
from tests.world import build_world


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
    paper = world.objects["project1"].document("paper").stored_name
    org1_id, project = world.users["org1"].id, world.objects["project1"]
    document_url = f"/c/{comp_id}/org/entries/projects/{project.id}/document?kind=paper"
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
        with target.app_context():
            # Ids only: an object of the source's session would reload through this app.
            state = live_session(_db.session.get(User, org1_id))
            _db.session.remove()
        with client.session_transaction() as sess:
            sess.update(state)
        response = client.get(
            document_url,
            buffered=True,  # read and closed, as a server does: the request's session ends
        )
        assert response.status_code == 200 and response.data == source_files[paper]
    finally:
        if target_db.startswith("postgresql"):
            _pg_truncate(target)


def _bundle_with_files(db, runner, tmp_path):
    build_world()
    bundle = tmp_path / "sicherung.tar"
    assert runner.invoke(args=["backup", "-o", str(bundle)]).exit_code == 0
    return bundle


def _rewrite(bundle, damage):
    """Copy a bundle member by member, letting damage(name, data) change a member's bytes."""
    out = bundle.with_name("beschaedigt.tar")
    with tarfile.open(bundle) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for info in src.getmembers():
            data = damage(info.name, src.extractfile(info).read())
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.parametrize("source_storage", ["local"])
@pytest.mark.parametrize(
    "what",
    ["a stored file", "a table", "truncated", "a member too many"],
)
def test_a_damaged_bundle_is_refused_before_anything_changes(db, runner, tmp_path, what):
    bundle = _bundle_with_files(db, runner, tmp_path)
    if what == "truncated":
        damaged = tmp_path / "abgeschnitten.tar"
        damaged.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    elif what == "a member too many":
        damaged = _rewrite(bundle, lambda name, data: data)
        with tarfile.open(damaged, "a") as tar:
            info = tarfile.TarInfo("files/" + "f" * 32)
            info.size = 3
            tar.addfile(info, io.BytesIO(b"bad"))
    else:
        prefix = {"a stored file": "files/", "a table": "data/users"}[what]

        def flip(name, data):
            if name.startswith(prefix):
                return data[:-9] + bytes([data[-9] ^ 1]) + data[-8:]
            return data

        damaged = _rewrite(bundle, flip)
    before_rows, before_files = _rows(db.engine), storage.backend().names()
    # Something changed after the backup: a refused restore must leave it as it is.
    db.session.execute(sa.text("UPDATE users SET name = 'Nach der Sicherung'"))
    db.session.commit()
    result = runner.invoke(args=["restore", "--yes", str(damaged)])
    assert result.exit_code == 1, result.output
    assert "beschädigt" in result.output or "Unerwartetes" in result.output
    after = _rows(db.engine)
    assert {row[2] for row in after["users"]} == {"Nach der Sicherung"}
    assert len(after["users"]) == len(before_rows["users"])
    assert storage.backend().names() == before_files


@pytest.mark.parametrize("source_storage", ["local", "s3"])
def test_a_failed_backup_leaves_no_file_behind(db, runner, tmp_path):
    build_world()
    store = storage.backend()
    names = store.names()
    broken = names[0]
    opener = store.open

    class FailingDisk:
        """A stored file whose disk fails when it is read."""

        def __init__(self, fh):
            self.fh = fh

        def read(self, n=-1):
            raise OSError(5, "Input/output error")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    store.open = lambda name: FailingDisk(opener(name)) if name == broken else opener(name)
    target = tmp_path / "out" / "sicherung.tar"
    target.parent.mkdir()
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 1
    assert "Input/output error" in result.output and "Traceback" not in result.output
    assert list(target.parent.iterdir()) == []  # no bundle, no temporary file or folder
