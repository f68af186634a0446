"""Database helpers: UTC timestamps, SQLite pragmas, small model mixins."""

import fcntl
import os
import time
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import abort, current_app, g, has_request_context, request
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

from compmgr.extensions import db
from compmgr.security import MAX_ID

# A pooled connection is checked before use only after it sat idle this long (seconds):
# under load a connection is reused within milliseconds and never pinged, and a restart
# takes longer than this, so every connection of the pool before it counts as idle.
PING_AFTER_IDLE = 1
_pinging = weakref.WeakSet()


def ping_when_idle(engine):
    """Check a pooled connection before use when it sat idle, not before every request.

    SQLAlchemy's ``pool_pre_ping`` sends one more statement on every checkout, that is on every
    request: one round trip in seven of a judge's autosave. A connection in steady use has just
    worked; one idle for PING_AFTER_IDLE seconds may have been closed by a database restart, a
    failover or a firewall, and is pinged with the dialect's own ping. A dead one is replaced
    with every other connection of the pool before the request sees it. Left to chance: a
    connection the database drops in the second after its last use fails one request, and
    the pool is renewed then.
    """
    if engine in _pinging:
        return
    _pinging.add(engine)
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, record):
        record.info["idle_from"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, proxy):
        idle_from = record.info.get("idle_from")
        if idle_from is None or time.monotonic() - idle_from < PING_AFTER_IDLE:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if not dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            # After a restart every pooled connection is dead: replace them all, not only this one
            raise InvalidatePoolError(f"connection closed while idle: {exc}") from exc


def utcnow():
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store naive UTC, return aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use compmgr.database.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # We issue BEGIN ourselves (see _sqlite_begin); pysqlite's implicit BEGIN is switched off.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Set inside writing(): every transaction begun there takes SQLite's write lock up front.
_writing = ContextVar("compmgr_sqlite_writing", default=False)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """Start write requests with BEGIN IMMEDIATE on SQLite.

    A deferred transaction that reads and then writes cannot wait for the lock when another
    writer committed in between (SQLITE_BUSY_SNAPSHOT): it fails at once with "database is
    locked". Taking the write lock up front lets busy_timeout queue concurrent writers
    instead. GET requests stay deferred, so readers never wait (WAL); what they write goes
    through writing().
    """
    if conn.dialect.name != "sqlite":
        return
    writes = _writing.get() or _request_writes()
    conn.info["sqlite_immediate"] = writes
    conn.info["sqlite_wrote"] = False
    if writes:
        _take_writer_turn(conn)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _request_writes():
    writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    # Once the request's write is committed, what follows only reads to build the response:
    # holding the write lock for that would make every other writer wait for nothing.
    writes = writes and not g.get("_sqlite_committed")
    # A view marked @reads_first does its access checks in a read transaction and calls
    # begin_writes() for the part that writes: the lock is held only for the write itself.
    if writes and _reads_first() and not g.get("_sqlite_writing"):
        writes = False
    return writes


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_note_write(conn, cursor, statement, parameters, context, executemany):
    """Note that a transaction has written (see writing())."""
    if conn.dialect.name == "sqlite" and statement.lstrip()[:7].upper().startswith(WRITES):
        conn.info["sqlite_wrote"] = True


@contextmanager
def writing():
    """Let the block write in a transaction that holds SQLite's write lock from its start.

    On SQLite a read transaction cannot become a write transaction once another connection
    has committed since it began (SQLITE_BUSY_SNAPSHOT: "database is locked" at once, no
    waiting). So a read transaction without changes is ended first (what the session loaded
    is expired and reloads on access), and the block's transaction queues for the writer's
    turn and starts with BEGIN IMMEDIATE. A transaction that holds the lock already goes on.
    The caller commits. A no-op on PostgreSQL, where a read never blocks a later write.
    """
    if db.engine.dialect.name != "sqlite":
        yield
        return
    token = _writing.set(True)
    try:
        session = db.session()
        if session.in_transaction():
            info = session.connection().info
            pending = session.new or session.dirty or session.deleted
            if not (info.get("sqlite_immediate") or info.get("sqlite_wrote") or pending):
                session.rollback()
        yield
    finally:
        _writing.reset(token)


def _reads_first():
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "_sqlite_reads_first", False)


def reads_first(view):
    """Mark a POST view whose reads come before its writes (see begin_writes)."""
    view._sqlite_reads_first = True
    return view


def begin_writes():
    """End the request's read transaction; the next one takes SQLite's write lock up front.

    Objects loaded so far are expired and reload on access inside the write transaction.
    Checks the write relies on must run again there (the autosave's ``save_sheet`` asks
    ``Judge.can_score`` again), as the data may change while a writer waits. A no-op on PostgreSQL.
    """
    if db.engine.dialect.name != "sqlite":
        return
    db.session.rollback()
    g._sqlite_writing = True
    g._sqlite_committed = False


def _take_writer_turn(conn, wait=10.0):
    """Queue for the write lock on a lock file beside the database, released at check-in.

    SQLite's own busy handler polls with sleeps growing to 100 ms, so a waiting writer often
    sleeps while the lock is free: under sixty judges the median save took over a second with
    the CPU idle. A flock is handed over within a millisecond. After ``wait`` seconds we go on
    and leave it to busy_timeout, so nothing can deadlock on this lock.
    """
    path = conn.engine.url.database
    if not path or path == ":memory:" or conn.info.get("sqlite_writer_fd") is not None:
        return
    fd = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            conn.info["sqlite_writer_fd"] = fd
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                return
            time.sleep(0.001)


@event.listens_for(Pool, "checkin")
def _give_up_writer_turn(dbapi_connection, connection_record):
    """Release the writer's turn once the connection is back in the pool (after COMMIT)."""
    fd = connection_record.info.pop("sqlite_writer_fd", None) if connection_record else None
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@event.listens_for(Engine, "commit")
def _sqlite_committed(conn):
    """Note that the request's write transaction is done (see _sqlite_begin)."""
    if conn.dialect.name == "sqlite" and has_request_context():
        g._sqlite_committed = True


def is_lock_error(error):
    """Tell whether a database error is SQLite's (or PostgreSQL's) lock contention."""
    message = str(getattr(error, "orig", error)).lower()
    return (
        "database is locked" in message
        or "database is busy" in message
        or "lock timeout" in message
    )


class TimestampMixin:
    """Creation and update times in UTC."""

    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


def get_or_404(model, ident, **filters):
    """Load one row by primary key, or abort with 404 when missing or outside the filters."""
    if (
        not isinstance(ident, int) or not 0 < ident <= MAX_ID
    ):  # no such row; the driver may overflow
        abort(404)
    obj = db.session.get(model, ident)
    if obj is None or any(getattr(obj, k) != v for k, v in filters.items()):
        abort(404)
    return obj
