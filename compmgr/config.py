"""Default configuration: safe defaults, nothing secret."""

import os


class DefaultConfig:
    """Settings every installation starts from; override in instance/config.py or COMPMGR_* env."""

    SECRET_KEY = None  # must come from instance/config.py or COMPMGR_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: DATABASE_URL or instance SQLite
    # No pool_pre_ping: compmgr.database.ping_when_idle checks only connections that sat idle.
    SQLALCHEMY_ENGINE_OPTIONS = {}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # The cookie lives as long as the browser; the server decides when a session ends
    # (compmgr/auth/sessions.py). It is sent again only when the session changes.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_IDLE_TIMEOUT = 4 * 3600  # a lunch break on competition day, not a night
    SESSION_ABSOLUTE_LIFETIME = 14 * 3600  # one competition day from set-up to ceremony
    SESSION_TOUCH_INTERVAL = 5 * 60  # last-seen is written at most this often per session
    DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600  # browsers an account logged in with (throttling)

    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a judge keeps a scoring page open all day

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = {"de": "Deutsch", "en": "English"}

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # hard ceiling; the per-competition paper limit is lower
    UPLOAD_FOLDER = None  # default: <instance>/uploads
    # Where stored files live (compmgr/storage.py): unset = UPLOAD_FOLDER on this host;
    # s3://bucket/prefix?endpoint=https://…&region=… for object storage shared by several hosts.
    STORAGE_URL = None
    STORAGE_S3_KEY_ID = None  # else boto3's chain: AWS_ACCESS_KEY_ID, ~/.aws, instance roles
    STORAGE_S3_SECRET = None
    STORAGE_S3_ENDPOINT = None  # e.g. https://minio.example.org, when not in STORAGE_URL
    STORAGE_S3_REGION = None
    CERTIFICATE_IMAGE_MAX_PIXELS = 25_000_000  # logo/signature; decoding costs ~3 bytes a pixel

    # Import files (registrations, next level): larger ones are refused before they are read.
    IMPORT_MAX_MB = 10
    IMPORT_MAX_ROWS = 10000
    IMPORT_MAX_COLUMNS = 100
    IMPORT_MAX_UNPACKED_MB = 30  # an XLSX unzipped; a zip bomb unpacks to gigabytes

    # Login throttling (compmgr/auth/throttle.py): failures in the window make one (account,
    # client) pair wait from 30 s up to the window; failures from unknown clients slow the
    # account, and failures across accounts an address, by at most LOGIN_MAX_DELAY seconds.
    LOGIN_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_CLIENT = 5
    LOGIN_ACCOUNT_SLOWDOWN_AFTER = 10
    LOGIN_MAX_FAILURES_PER_IP = 30
    LOGIN_MAX_DELAY = 60
    RESET_WINDOW_SECONDS = 3600
    RESET_MAX_PER_ACCOUNT = 3  # reset mails per account and hour
    RESET_MAX_PER_CLIENT = 10  # reset requests per address and hour

    # Reverse proxies in front of the app whose X-Forwarded-For / -Proto to trust (ProxyFix);
    # 0 trusts none. Behind one nginx or Caddy: 1.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0

    # The address people open, e.g. https://jufo.example.org; every link in a mail is built
    # from it, never from the request's Host header. Unset: http://127.0.0.1:5000 and a warning.
    PUBLIC_URL = None

    INVITE_MAX_AGE = 14 * 24 * 3600
    RESET_MAX_AGE = 2 * 3600

    MAIL_SERVER = None  # without one, mails stay in the outbox: <instance>/outbox/ and its page
    MAIL_PORT = 25
    MAIL_SENDER = "compmgr@localhost"  # may carry a name: "Jugend forscht Regional <jufo@…>"
    MAIL_SENDER_NAME = "compmgr"  # used when MAIL_SENDER is a bare address
    # Delivery (compmgr/outbox.py): the process that queued a mail tries it once the answer is
    # out (MAIL_DELIVER_INLINE); the worker (a thread in each app process unless
    # MAIL_WORKER_THREAD is off, or `flask worker`) retries after 1, 2, 4 … minutes, at most
    # MAIL_RETRY_MAX seconds apart, and gives up after MAIL_MAX_ATTEMPTS.
    MAIL_DELIVER_INLINE = True
    MAIL_WORKER_THREAD = True
    MAIL_POLL_SECONDS = 15
    MAIL_RETRY_SECONDS = 60
    MAIL_RETRY_MAX = 3600
    MAIL_MAX_ATTEMPTS = 10
    # Reminders of missing items go out this many days before each deadline, from this hour
    # (Berlin); the organisers' digest at MAIL_DIGEST_HOUR.
    MAIL_REMINDER_DAYS = 7
    MAIL_INVITE_REMINDER_DAYS = 5  # judges who have not accepted by then are reminded once
    MAIL_REMINDER_HOUR = 8
    MAIL_DIGEST_HOUR = 7

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
