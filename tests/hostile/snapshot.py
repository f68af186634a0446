"""Compare the whole database before and after a request: nothing may change half-way."""

from sqlalchemy import text

from compmgr.extensions import db

# Tables that legitimately change on a refused request: failed logins and reads are logged on purpose.
# user_sessions: the tests log in directly, and last-seen is written lazily after a request.
VOLATILE = {"login_attempts", "access_log_entries", "user_sessions"}  # who looked at personal data


def snapshot(skip=VOLATILE):
    """Return every row of every table, sorted, as plain tuples."""
    db.session.rollback()  # read what is committed, not the test's stale view
    state = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = conn.execute(text(f'SELECT * FROM "{table.name}"')).all()  # noqa: S608
            state[table.name] = sorted(tuple(map(repr, r)) for r in rows)
    return state


def diff(before, after):
    """Name the tables whose rows differ."""
    return sorted(name for name in before if before[name] != after.get(name))
