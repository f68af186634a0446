"""Keep one-time tokens and searched names out of the logs: werkzeug's, gunicorn's, the app's.

Access logs are read by whoever runs the server and often kept for months. A reset or
invitation link in them is a way into an account; ``?q=Öztürk`` names a pupil. Every record
of these loggers passes through one filter that keeps paths and parameter names but replaces
token path segments and every query value with ``***``.
"""

import logging
import re
from urllib.parse import unquote

TOKEN_ROUTES = (
    "reset",
    "invite",
    "verify",
    "offer",
    "unsubscribe",
)  # routes whose last path part is a token
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")
QUERY_KEYS = ("q", "{query_string}e")  # gunicorn atoms that hold a bare query string
MASK = "***"

_TOKEN = re.compile(r"(/(?:" + "|".join(TOKEN_ROUTES) + r")/)[^/?#\s\"]+")
_QUERY = re.compile(r"\?[^\s\"#]*")
_REQUEST_LINE = re.compile(r"([A-Z]+ )(.*)( HTTP/\d(?:\.\d)?)", re.S)  # werkzeug decodes %20, %22


def _mask_query(query):
    """Turn ``q=Lena&page=2`` into ``q=***&page=***``; a part without ``=`` is a value too."""
    return "&".join(
        f"{part.split('=', 1)[0]}={MASK}" if "=" in part else MASK
        for part in query.split("&")
        if part
    )


def _redact_url(url):
    path, mark, query = url.partition("?")
    # The server routes the decoded path: /reset%2F<token> reaches the reset page, so match
    # what it routes, not what the client spelled.
    path = unquote(path)
    return _TOKEN.sub(rf"\g<1>{MASK}", path) + (mark + _mask_query(query) if mark else "")


def redact(text):
    """Return text (a URL, a request line, a log message) without tokens and query values."""
    if line := _REQUEST_LINE.fullmatch(text):
        return line.group(1) + _redact_url(line.group(2)) + line.group(3)
    if not any(ch.isspace() for ch in text):  # a URL or path, e.g. the Referer
        return _redact_url(text)
    text = _TOKEN.sub(rf"\g<1>{MASK}", text)
    return _QUERY.sub(lambda m: "?" + _mask_query(m.group(0)[1:]), text)


class RedactFilter(logging.Filter):
    """Redact every string a log record carries: its message and its arguments."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):  # gunicorn's access atoms: change in place, it is a
            for key, value in list(record.args.items()):  # SafeAtoms that answers "-" when asked
                if isinstance(value, str):
                    record.args[key] = _mask_query(value) if key in QUERY_KEYS else redact(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


FILTER = RedactFilter()


def install(*extra_loggers):
    """Add the filter to the servers' loggers and to extra_loggers (e.g. the app's), once."""
    for name in (*LOGGERS, *extra_loggers):
        logger = logging.getLogger(name)
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)
