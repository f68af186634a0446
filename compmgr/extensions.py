"""Unbound extension objects, bound to the app in create_app."""

import click
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Deterministic constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))


class LazyMigrate:
    """Flask-Migrate, imported when a migration runs: not at every app start.

    Importing flask_migrate imports Alembic, Mako and Pygments, about 0.2 s of every CLI call
    and gunicorn worker. ``init_app`` leaves two stand-ins that bind Flask-Migrate's
    ``Migrate`` to the app on first use: the ``flask db`` group and ``app.extensions["migrate"]``
    (read by Flask-Migrate's functions, e.g. ``upgrade``, and by migrations/env.py).
    """

    def __init__(self, **options):
        self.options = options

    def init_app(self, app, db, directory):
        def bind():
            if isinstance(app.extensions.get("migrate"), _Unbound):
                from flask_migrate import Migrate

                Migrate(app, db, directory=directory, **self.options)  # replaces both stand-ins
            return app.extensions["migrate"]

        def db_group():
            bind()
            from flask_migrate.cli import db as group

            return group

        app.extensions["migrate"] = _Unbound(bind)
        app.cli.add_command(_LazyGroup("db", db_group, help="Perform database migrations."))


class _Unbound:
    """app.extensions["migrate"] until Flask-Migrate is bound: binds it on first use."""

    def __init__(self, bind):
        self._bind = bind

    def __getattr__(self, name):
        if name.startswith("_"):  # e.g. copy's __setstate__ lookup before _bind is set
            raise AttributeError(name)
        return getattr(self._bind(), name)


class _LazyGroup(click.Group):
    """A click group that takes its options and commands from load() when it is invoked."""

    def __init__(self, name, load, **attrs):
        super().__init__(name, **attrs)
        self._load = load

    def parse_args(self, ctx, args):
        group = self._load()
        self.params, self.callback, self.commands = group.params, group.callback, group.commands
        return super().parse_args(ctx, args)


migrate = LazyMigrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
