"""Default configuration: safe defaults, nothing secret."""

import os


class DefaultConfig:
    """Settings every installation starts from; override in instance/config.py or COMPMGR_* env."""

    SECRET_KEY = None  # must come from instance/config.py or COMPMGR_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: DATABASE_URL or instance SQLite
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 12 * 3600

    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a judge keeps a scoring page open all day

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = {"de": "Deutsch", "en": "English"}

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # hard ceiling; the per-competition paper limit is lower
    UPLOAD_FOLDER = None  # default: <instance>/uploads

    # Import files (registrations, next level): larger ones are refused before they are read.
    IMPORT_MAX_MB = 10
    IMPORT_MAX_ROWS = 10000
    IMPORT_MAX_COLUMNS = 100
    IMPORT_MAX_UNPACKED_MB = 30  # an XLSX unzipped; a zip bomb unpacks to gigabytes

    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_IP = 30
    LOGIN_WINDOW_SECONDS = 15 * 60

    INVITE_MAX_AGE = 14 * 24 * 3600
    RESET_MAX_AGE = 2 * 3600

    MAIL_SERVER = None  # without one, mails are written to <instance>/outbox/
    MAIL_PORT = 25
    MAIL_SENDER = "compmgr@localhost"

    PREFERRED_URL_SCHEME = "http"


def env_overrides(environ=None):
    """Return settings from COMPMGR_* environment variables, with simple type coercion."""
    environ = os.environ if environ is None else environ
    result = {}
    for key, raw in environ.items():
        if not key.startswith("COMPMGR_") or key.startswith("COMPMGR_TEST_"):
            continue
        name = key[len("COMPMGR_") :]
        lowered = raw.strip().lower()
        if lowered in {"true", "false"}:
            value = lowered == "true"
        elif raw.strip().isdigit():
            value = int(raw.strip())
        else:
            value = raw
        result[name] = value
    return result
