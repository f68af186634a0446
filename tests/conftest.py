"""Test fixtures: an app per test on a fresh database, SQLite always, PostgreSQL when configured.

Set COMPMGR_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run every
database test on PostgreSQL as well; each such test then shows up as [sqlite] and [postgresql].
The schema comes from the Alembic migrations, built once per run and per database.
"""

import os
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import create_engine, make_url, text
from werkzeug.routing.rules import Rule

from compmgr import create_app, database_uri
from compmgr.extensions import db as _db
from tests.factories import PASSWORD
from tests.forms import post_raw, submit
from tests.mailbox import smtp_sink  # noqa: F401  (a real SMTP server for mail tests)
from tests.s3 import s3_server, s3_url  # noqa: F401  (a real S3 server: SeaweedFS)

# Slow groups by folder, so `-m "not e2e and not faults"` gives a quick run. A `pytestmark`
# in a conftest.py marks nothing: pytest reads it only from test modules.
GROUP_MARKERS = {"e2e": "e2e", "faults": "faults"}
TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items):
    for item in items:
        parts = item.path.resolve().relative_to(TESTS).parts
        marker = GROUP_MARKERS.get(parts[0]) if len(parts) > 1 else None
        if marker:
            item.add_marker(marker)
    # The slow groups first. Under `make test` xdist then orders files by their number of
    # tests (most first), this order breaking ties; measured, that balances the two workers
    # better than the browser files first (24 min against 28 for the whole CI run).
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in ("e2e", "faults")))


def _database_of_this_worker(url):
    """Under pytest-xdist each worker gets a database of its own: test → test_gw0, test_gw1 …"""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    url = make_url(url)
    return url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)


def _reuse_compiled_url_builders():
    """Build each URL rule's builder once per test run instead of once per app.

    Every test creates an app, and werkzeug compiles Python code for each of its ~170 URL
    rules: 0.3 s a test, a quarter of the suite. The code depends only on the rule's parts
    and defaults (it gets the rule itself as an argument), so equal rules share it.
    """
    compile_builder = Rule._compile_builder
    built = {}

    def cached(self, append_unknown=True):
        key = (tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    Rule._compile_builder = cached


_reuse_compiled_url_builders()


def _reuse_engines():
    """One SQLAlchemy engine per database and engine options for the whole run.

    Every test creates an app, and Flask-SQLAlchemy a new engine for it; SQLAlchemy keeps its
    compiled statements on the engine, so each test compiled every statement it ran again
    (a fifth of a database test's time). Each test's SQLite copy lies at the same path of its
    worker (``app`` below), so that engine too is shared; ``dispose()`` after each test closes
    its connections and keeps the compiled statements.
    """
    make_engine = SQLAlchemy._make_engine
    engines = {}

    def shared(self, bind_key, options, app):
        key = (bind_key, repr(sorted((k, repr(v)) for k, v in options.items())))
        if key not in engines:
            engines[key] = make_engine(self, bind_key, options, app)
        return engines[key]

    SQLAlchemy._make_engine = shared


_reuse_engines()

PG_URL = _database_of_this_worker(os.environ.get("COMPMGR_TEST_DATABASE_URL"))
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def base_config(uri, tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": uri,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SERVER_NAME": "localhost",
    }


def _migrate(uri, tmp_path):
    from flask_migrate import upgrade

    app = create_app(base_config(uri, tmp_path))
    with app.app_context():
        upgrade(revision="heads")
        _db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    _migrate(f"sqlite:///{path}", path.parent)
    return path


@pytest.fixture(scope="session")
def pg_migrated(tmp_path_factory):
    """Create (for an xdist worker) and reset the PostgreSQL test database, migrate it once."""
    url = make_url(database_uri(PG_URL))
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _migrate(PG_URL, tmp_path_factory.mktemp("pg"))
    return database_uri(PG_URL)


def _pg_truncate(app):
    """Empty every table and restart every id at 1, as a fresh database has them.

    DELETE, children first, instead of TRUNCATE: on a test's few rows it takes 30 ms where
    TRUNCATE of the 48 tables takes 700 ms or more (it rewrites each table's files).
    """
    with app.app_context():
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
            sequences = conn.scalars(
                text("SELECT sequence_name FROM information_schema.sequences")
            ).all()
            if sequences:
                restart = ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences)
                conn.execute(text(f"SELECT {restart}"))
        _db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def app_config():
    """Override in a test module to change the app's config."""
    return {}


@pytest.fixture
def app(backend, request, tmp_path, app_config):
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        # The same path for every test of this worker (its engine is shared, see
        # _reuse_engines): a fresh copy under a new inode, no journal of the last test left.
        target = template.parent.parent / "test.sqlite"
        for leftover in (target.with_name("test.sqlite-wal"), target.with_name("test.sqlite-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copy(template, target.with_name("test.sqlite.new"))
        os.replace(target.with_name("test.sqlite.new"), target)
        uri = f"sqlite:///{target}"
    else:
        uri = request.getfixturevalue("pg_migrated")
    app = create_app({**base_config(uri, tmp_path), **app_config})
    app.config["COMPMGR_INSTANCE_PATH_FOR_TESTS"] = str(tmp_path)
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    ctx = app.app_context()
    ctx.push()
    yield app
    _db.session.remove()
    ctx.pop()
    if backend == "postgresql":
        _pg_truncate(app)
    else:
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


class IsolatedClient(FlaskClient):
    """Run each request in its own app context, as in production: ``g`` and the request's
    database session never leak into the next request or into the test's own session."""

    def open(self, *args, **kwargs):
        _db.session.commit()  # what the test set up is saved before the user acts
        # Read the whole answer and close it, as a server does: what the app does once the
        # answer is out (e.g. a reset mail, see compmgr.mail) has happened when open() returns.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()  # the test's session sees what the request committed
        response.client = self  # tests.forms.submit sends the page's form with this client
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Browserish:
    """A test client helper that logs in and out through the pages' own forms."""

    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD):
        page = self.client.get("/login")
        assert page.status_code == 200, f"GET /login answered {page.status_code}: log out first"
        return submit(page, email=email, password=password)

    def logout(self):
        return submit(self.client.get("/account"), action="/logout")

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post_raw(self, url, data=None, **kwargs):
        """Post hand-made data (see tests.forms.post_raw): only for requests no page renders."""
        return post_raw(self.client, url, data, **kwargs)


def live_session(user):
    """Open a server-side session for user; return what a client's session must hold to use it."""
    from compmgr.auth.sessions import SESSION_KEY, open_session

    token = open_session(user)
    _db.session.commit()
    return {SESSION_KEY: token, "_user_id": user.get_id(), "_fresh": True}


def sign_in(sess, user):
    """Log a client in directly, with a live server-side session (for tests about guards)."""
    sess.update(live_session(user))


@pytest.fixture
def web(client):
    return Browserish(client)


@pytest.fixture
def login_as(app, web):
    """Log the test client in as a user (a factory-made user has the password 'password123')."""

    def _login(user):
        response = web.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return web

    return _login
