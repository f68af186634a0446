"""compmgr: run a Jugend forscht competition from registration to the last certificate."""

import os
import secrets
from pathlib import Path

# One BLAS thread per process, unless the operator says otherwise: the app's matrices (a
# jury's ranking model) are tiny, its parallelism is its worker processes, and OpenBLAS's
# own threads only wait for a busy core (ranking a whole round took 6× longer in its SVDs).
# Set before numpy is first imported (compmgr.judging.ranking).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import flask_babel
from flask import Flask, g, has_request_context, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from compmgr import (
    admin,
    assets,
    audit,
    auth,
    certificates,
    commands,
    dates,
    judging,
    messaging,
    models,
    privacy,
    registration,
    results,
    security,
    statistics,
    utils,
)
from compmgr.auth import sessions
from compmgr.auth.access import public
from compmgr.auth.throttle import trust_proxies
from compmgr.competitions import phases
from compmgr.config import DefaultConfig, env_overrides
from compmgr.database import is_lock_error, ping_when_idle
from compmgr.extensions import babel, bootstrap, csrf, db, login_manager, migrate
from compmgr.mail import check_public_url
from compmgr.security import IdConverter

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the app: config, extensions, blueprints, error handlers, commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("COMPMGR_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_commands(app)
    return app


def configure(app, test_config):
    """Layer the config: defaults, instance/config.py, COMPMGR_* env, then test overrides."""
    app.config.from_object(DefaultConfig)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if test_config is None:
        _ensure_secret_key(app)
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(env_overrides())
    else:
        app.config.update(test_config)
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{Path(app.instance_path) / 'compmgr.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(url)
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set: put it in instance/config.py or COMPMGR_SECRET_KEY"
        )
    check_public_url(app)
    trust_proxies(app)


def database_uri(url):
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _ensure_secret_key(app):
    """Write a random SECRET_KEY to instance/config.py on first start, once, race-free."""
    if os.environ.get("COMPMGR_SECRET_KEY"):
        return
    path = Path(app.instance_path) / "config.py"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(
            '"""Local settings of this installation (not committed)."""\n\n'
            f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
        )


def register_extensions(app):
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id):
        """Accept the cookie only while its server-side session is live (see auth/sessions.py)."""
        uid, _, nonce = str(user_id).partition(":")
        return sessions.live_user(uid, nonce)

    sessions.register(app)


def select_locale():
    """Pick the interface language: the user's choice, else German."""
    if not has_request_context():
        return "de"
    lang = session.get("lang")
    if lang is None and current_user and current_user.is_authenticated:
        lang = current_user.locale
    return lang if lang in ("de", "en") else "de"


def register_blueprints(app):
    """Register one blueprint per feature; each brings its routes and its CLI commands."""
    app.url_map.converters["int"] = IdConverter  # before any route: every <int:…> is a bounded id
    for feature in (
        auth,
        admin,
        registration,
        judging,
        audit,
        results,
        certificates,
        privacy,
        statistics,
        messaging,
    ):
        app.register_blueprint(feature.bp)


def register_errorhandlers(app):
    def render_error(error):
        code = error.code if isinstance(error, HTTPException) else 500
        if code == 500:
            db.session.rollback()
        template = f"errors/{code}.html"
        try:
            return render_template(template, error=error), code
        except Exception:  # a template for every code is not needed
            return render_template("errors/generic.html", error=error, code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.errorhandler(code)(render_error)

    @app.errorhandler(OperationalError)
    def database_busy(error):
        """Turn lock contention into a clear 'try again' instead of a server error."""
        db.session.rollback()
        if not is_lock_error(error):
            raise error
        app.logger.warning("database busy (%s) on %s", type(error.orig).__name__, request.endpoint)
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"ok": False, "error": "busy"}, 503, {"Retry-After": "2"}
        return render_template("errors/503.html"), 503, {"Retry-After": "2"}


def register_hooks(app):
    security.register(app)  # form-data guard, NUL bytes, values the database refuses
    assets.register(app)  # compressed answers, versioned and long-cached static files
    dates.register(app)  # |date and |datetime follow the reader's language
    app.jinja_env.filters["filesize"] = utils.file_size  # "740 kB", never "0.0 MB"

    # Flask-Babel registers dateformat/datetimeformat; the function names work as filters too.
    app.jinja_env.filters.setdefault("format_date", flask_babel.format_date)
    app.jinja_env.filters.setdefault("format_datetime", flask_babel.format_datetime)

    # Every page describes a phase in the words of the one definition (competitions.phases).
    app.jinja_env.globals.update(
        phase_of=phases.phase,
        phase_steps=phases.transitions_from,
        all_phases=list(phases.PHASES.values()),
    )

    @app.context_processor
    def inject_context():
        return {
            "current_competition": g.get("competition"),
            "current_role": g.get("role"),
            "languages": app.config["LANGUAGES"],
            "current_lang": select_locale(),
        }

    @app.route("/favicon.ico")
    @public
    def favicon():
        """Answer browsers that ask for /favicon.ico by habit with our SVG icon."""
        return app.send_static_file("favicon.svg")

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint not in ("static", "bootstrap.static", "favicon"):
            # Pages and files may hold personal data: no copy in any cache. Set, not setdefault:
            # send_file's "no-cache" (stored, revalidated) must not win on downloads.
            response.headers["Cache-Control"] = "no-store"
        return response


def register_commands(app):
    """Add the app's own commands and give ``flask shell`` the database and the models."""
    commands.register(app)

    @app.shell_context_processor
    def shell_context():
        return {"db": db, **{name: getattr(models, name) for name in models.__all__}}
