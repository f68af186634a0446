"""Complete online backups and restores: the database and every stored file in one bundle.

A bundle is a tar file:

- ``database/compmgr.sqlite`` (SQLite's backup API) or ``database/compmgr.pgdump``
  (``pg_dump --format=custom``): the database as its own tools read it back;
- ``data/<table>.jsonl``: every table's rows from the same snapshot, in a form either database
  reads, so a bundle restores into SQLite or PostgreSQL whatever it was taken from;
- ``files/<name>``: every stored file (compmgr.storage, local folder or S3);
- ``manifest.json``: versions, schema revision, and each member's sha256 and size.

A backup is written to a hidden file next to the target and renamed into place only when it
is complete: a failed backup leaves nothing behind. A restore reads the whole bundle and checks
every checksum before it changes anything. The database part is one transaction.

pg_dump and pg_restore run with fixed argument lists and no shell. This module knows no model:
tables come from reflecting the database itself.
"""

import base64
import datetime as dt
import decimal
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
import time
from importlib import metadata
from pathlib import Path

import sqlalchemy as sa

from compmgr import storage
from compmgr.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
BUNDLE_FORMAT = 1
MANIFEST = "manifest.json"
SKIP_TABLES = {"alembic_version"}
BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


def _libpq_url(url):
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} wurde nicht gefunden. Bitte das PostgreSQL-Client-Paket installieren."
        )
    return path


# Rows in a form both databases read ----------------------------------------------------------


def _kind(column_type):
    if isinstance(column_type, sa.JSON):
        return "json"
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return "plain"
    return {
        dt.datetime: "datetime",
        dt.date: "date",
        dt.time: "time",
        bytes: "bytes",
        decimal.Decimal: "decimal",
    }.get(python_type, "plain")


def _encode(kind, value):
    if value is None or kind in ("plain", "json"):
        return value
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "decimal":
        return str(value)
    return value.isoformat()


def _decode(kind, value):
    if value is None or kind in ("plain", "json"):
        return value
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    return {"datetime": dt.datetime, "date": dt.date, "time": dt.time}[kind].fromisoformat(value)


def _tables(connection):
    meta = sa.MetaData()
    meta.reflect(bind=connection)
    return [t for t in meta.sorted_tables if t.name not in SKIP_TABLES]


def _revisions(connection):
    if not sa.inspect(connection).has_table("alembic_version"):
        return []
    return sorted(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def dump_rows(connection, directory):
    """Write every table as data/<table>.jsonl (a header line, then one JSON array a row)."""
    written = []
    for table in _tables(connection):
        columns = list(table.columns)
        path = Path(directory) / f"{table.name}.jsonl"
        order = [c for c in table.primary_key.columns] or columns
        with open(path, "w", encoding="utf-8") as out:
            header = {
                "columns": [c.name for c in columns],
                "kinds": [_kind(c.type) for c in columns],
            }
            out.write(json.dumps(header) + "\n")
            result = connection.execution_options(yield_per=BATCH).execute(
                sa.select(*columns).order_by(*order)
            )
            for row in result:
                values = [_encode(k, v) for k, v in zip(header["kinds"], row, strict=True)]
                out.write(json.dumps(values, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def _load_rows(connection, tables, read):
    """Replace every table's rows with the bundle's; ``read(name)`` opens data/<name>.jsonl."""
    backend = connection.dialect.name
    if backend == "postgresql":
        names = ", ".join(connection.dialect.identifier_preparer.quote(t.name) for t in tables)
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            connection.execute(table.delete())
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, sa.JSON):
                column.type.none_as_null = True  # SQL NULL stays SQL NULL
        try:
            fh = read(table.name)
        except KeyError:
            continue  # a table the bundle's schema did not have
        with fh:
            lines = io.TextIOWrapper(fh, encoding="utf-8")
            header = json.loads(lines.readline())
            known = [name in table.columns for name in header["columns"]]
            batch = []
            for line in lines:
                values = json.loads(line)
                batch.append(
                    {
                        name: _decode(kind, value)
                        for name, kind, value, keep in zip(
                            header["columns"], header["kinds"], values, known, strict=True
                        )
                        if keep
                    }
                )
                if len(batch) >= BATCH:
                    connection.execute(table.insert(), batch)
                    batch = []
            if batch:
                connection.execute(table.insert(), batch)
        if backend == "postgresql":
            for column in table.primary_key.columns:
                if column.autoincrement is True or (
                    column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
                ):
                    quoted = connection.dialect.identifier_preparer.quote(table.name)
                    connection.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence(:t, :c), "
                            f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                            f"FROM {quoted}"
                        ),
                        {"t": table.name, "c": column.name},
                    )


# Backup --------------------------------------------------------------------------------------


def _sqlite_snapshot(url, work):
    """Copy the live SQLite database page by page (a consistent snapshot); dump its rows."""
    native = work / "compmgr.sqlite"
    source = sqlite3.connect(url.database)
    try:
        dest = sqlite3.connect(native)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Die Datenbank lässt sich nicht sichern ({exc}).") from exc
    finally:
        source.close()
    engine = sa.create_engine(f"sqlite:///{native}")
    try:
        with engine.connect() as conn:
            dump_rows(conn, work / "data")
            return native, _revisions(conn), sqlite3.sqlite_version
    finally:
        engine.dispose()


def _pg_snapshot(engine, work):
    """pg_dump and the rows read in one exported snapshot, so both show the same moment."""
    native = work / "compmgr.pgdump"
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            server = conn.execute(sa.text("SHOW server_version")).scalar_one()
            result = subprocess.run(  # nosec B603
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(native),
                    _libpq_url(engine.url),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump ist fehlgeschlagen: {result.stderr.strip()}")
            dump_rows(conn, work / "data")
            return native, _revisions(conn), server


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


class _Bundle:
    """A tar being written, with the sha256 and size of every member."""

    def __init__(self, fileobj):
        self.tar = tarfile.open(fileobj=fileobj, mode="w", format=tarfile.PAX_FORMAT)
        self.members = {}

    def add(self, arcname, fileobj, size):
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o600
        reader = storage.HashingReader(fileobj)
        self.tar.addfile(info, reader)
        self.members[arcname] = {"sha256": reader.hexdigest(), "size": size}

    def add_path(self, arcname, path):
        with open(path, "rb") as fh:
            self.add(arcname, fh, Path(path).stat().st_size)


def backup(target):
    """Write a bundle of the live database and every stored file to target; return its path."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"Den Ordner {target.parent} gibt es nicht.")
    if target.exists() and not (target.is_file() and is_bundle(target)):
        raise BackupError(
            f"Die Sicherung lässt sich nicht nach {target} schreiben: dort liegt schon eine "
            "andere Datei (nur eine frühere Sicherung wird ersetzt)."
        )
    url = db.engine.url
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"Datenbank {url.get_backend_name()} wird nicht unterstützt.")
    store = storage.backend()
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise BackupError(
            f"Die Sicherung lässt sich nicht nach {target} schreiben ({exc})."
        ) from exc
    tmp, out = Path(tmp_name), os.fdopen(fd, "wb")
    try:
        with out, tempfile.TemporaryDirectory(prefix=".compmgr-backup-", dir=target.parent) as work:
            work = Path(work)
            (work / "data").mkdir()
            if url.get_backend_name() == "sqlite":
                native, revisions, server = _sqlite_snapshot(url, work)
            else:
                native, revisions, server = _pg_snapshot(db.engine, work)
            if True:
                bundle = _Bundle(out)
                bundle.add_path(f"database/{native.name}", native)
                for path in sorted((work / "data").iterdir()):
                    bundle.add_path(f"data/{path.name}", path)
                missing = []
                for name in store.names():  # after the snapshot: every file it names is here
                    try:
                        size = store.size(name)
                        fh = store.open(name)
                    except FileNotFoundError:
                        missing.append(name)  # deleted since (a replaced paper): not needed
                        continue
                    with fh:
                        bundle.add(f"files/{name}", fh, size)
                manifest = {
                    "format": BUNDLE_FORMAT,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "compmgr": _version("compmgr"),
                    "python": platform.python_version(),
                    "sqlalchemy": sa.__version__,
                    "database": {"backend": url.get_backend_name(), "server": server},
                    "schema": revisions,
                    "storage": type(store).__name__,
                    "files_deleted_during_backup": missing,
                    "members": bundle.members,
                }
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                bundle.tar.addfile(info, io.BytesIO(data))
                bundle.tar.close()
                out.flush()
                os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BackupError(
                f"Die Sicherung lässt sich nicht nach {target} schreiben ({exc})."
            ) from exc
        raise
    return target


# Restore -------------------------------------------------------------------------------------


def read_manifest(source):
    """Open a bundle, check every member against the manifest; return (tar, manifest).

    Nothing is changed here: a damaged, truncated or foreign file is refused with a message.
    """
    try:
        tar = tarfile.open(source, mode="r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"Das ist keine Sicherung von compmgr ({exc}).") from exc
    try:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, ValueError, AttributeError) as exc:
            raise BackupError("Das ist keine Sicherung von compmgr (kein Manifest).") from exc
        if manifest.get("format") != BUNDLE_FORMAT:
            raise BackupError(f"Unbekanntes Sicherungsformat {manifest.get('format')!r}.")
        members = manifest.get("members") or {}
        seen = set()
        for info in tar:
            if info.name == MANIFEST:
                continue
            expected = members.get(info.name)
            if expected is None or not info.isfile():
                raise BackupError(f"Die Sicherung enthält Unerwartetes: {info.name}")
            reader = storage.HashingReader(tar.extractfile(info))
            while reader.read(storage.CHUNK):
                pass
            if (reader.hexdigest(), reader.size) != (expected["sha256"], expected["size"]):
                raise BackupError(f"Die Sicherung ist beschädigt: {info.name} (Prüfsumme).")
            seen.add(info.name)
        if seen != set(members):
            lost = ", ".join(sorted(set(members) - seen)[:5])
            raise BackupError(f"Die Sicherung ist unvollständig: es fehlt {lost}.")
    except (tarfile.TarError, OSError, EOFError) as exc:
        tar.close()
        raise BackupError(f"Die Sicherung ist beschädigt ({exc}).") from exc
    except BackupError:
        tar.close()
        raise
    return tar, manifest


def is_bundle(source):
    return tarfile.is_tarfile(source)


def restore_bundle(source, prepare_schema=None):
    """Bring back every file and every row of a bundle into the configured storage and database.

    ``prepare_schema(revisions)`` is called when the database has no tables yet, to migrate it
    to the bundle's schema revision first (commands.py passes Flask-Migrate's upgrade).
    Returns the manifest.
    """
    tar, manifest = read_manifest(source)
    with tar:
        engine = db.engine
        db.session.remove()
        with engine.connect() as conn:
            current = _revisions(conn)
            empty = not sa.inspect(conn).get_table_names()
        if empty and prepare_schema is not None:
            prepare_schema(manifest["schema"])
            with engine.connect() as conn:
                current = _revisions(conn)
        if current != manifest["schema"]:
            raise BackupError(
                "Die Sicherung hat den Datenbankstand "
                f"{', '.join(manifest['schema']) or '–'}, die Datenbank {', '.join(current) or '–'}. "
                "Bitte in eine leere Datenbank wiederherstellen."
            )
        store = storage.backend()
        for info in tar.getmembers():
            if info.name.startswith("files/"):
                store.put(info.name.removeprefix("files/"), tar.extractfile(info))

        def read(name):
            return tar.extractfile(f"data/{name}.jsonl")

        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            _load_rows(conn, _tables(conn), read)
        engine.dispose()
    return manifest


def restore(source, prepare_schema=None):
    """Replace the live database's content (and add the stored files) from a backup.

    Takes a bundle made by backup(), or an older plain SQLite backup or pg_dump file.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Die Datei {source} gibt es nicht.")
    if is_bundle(source):
        return restore_bundle(source, prepare_schema)
    _restore_plain(source)
    return None


def _restore_plain(source):
    """A backup of the database alone, as compmgr wrote them before bundles."""
    with open(source, "rb") as fh:
        head = fh.read(16)
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError("Das ist keine Sicherung von compmgr.")
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            src.close()
            raise BackupError("Die Sicherung ist beschädigt (integrity_check).")
        dest = sqlite3.connect(url.database, timeout=30)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
        return
    if url.get_backend_name() == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError("Das ist keine Sicherung von compmgr (pg_dump, Format custom).")
        result = subprocess.run(  # nosec B603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq_url(url),
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore ist fehlgeschlagen: {result.stderr.strip()}")
        return
    raise BackupError(f"Datenbank {url.get_backend_name()} wird nicht unterstützt.")
