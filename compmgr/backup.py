"""Consistent online backups and restores: SQLite's backup API, or pg_dump/pg_restore.

pg_dump and pg_restore run with fixed argument lists and no shell.
"""

import shutil
import sqlite3
import subprocess  # nosec B404
from pathlib import Path

from compmgr.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


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


def backup(target):
    """Write a consistent copy of the live database to target while the app keeps running."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"Den Ordner {target.parent} gibt es nicht.")
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        try:
            dest = sqlite3.connect(target)
            try:
                with dest:
                    source.backup(dest)  # page by page under a read snapshot: consistent
            finally:
                dest.close()
        except sqlite3.Error as exc:  # no write permission, a file that is no database, disk full
            raise BackupError(
                f"Die Sicherung lässt sich nicht nach {target} schreiben ({exc})."
            ) from exc
        finally:
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        result = subprocess.run(  # nosec B603
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                _libpq_url(url),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump ist fehlgeschlagen: {result.stderr.strip()}")
        return target
    raise BackupError(f"Datenbank {url.get_backend_name()} wird nicht unterstützt.")


def restore(source):
    """Replace the live database's content with a backup made by backup()."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Die Datei {source} gibt es nicht.")
    head = source.read_bytes()[:16]
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError("Das ist keine SQLite-Sicherung von compmgr.")
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
            raise BackupError("Das ist keine pg_dump-Sicherung (Format custom).")
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
