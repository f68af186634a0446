"""Request hygiene that holds for every form: hostile input gets a clear 400, never a 500."""

from flask import abort, render_template, request
from flask.json.provider import DefaultJSONProvider
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from compmgr import logs
from compmgr.extensions import db

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL; no row has a larger id
MAX_JSON_DEPTH = 20  # the score page sends two levels; deeper is no request of ours


def _digits_up_to(n):
    """Return a regex of the decimal numbers from 0 to n (leading zeros allowed)."""
    text = str(n)
    parts = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            parts.append(text[:i] + f"[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "0*(?:" + "|".join([*parts, text]) + ")"


class IdConverter(IntegerConverter):
    """Match ``<int:…>`` URL parts only up to MAX_ID: a larger number is no path, so a 404.

    The limit sits in the regex: a check in ``to_python`` would turn a POST to a path that
    also has a GET-only rule into a 405; a larger value passed on would reach PostgreSQL as
    an INTEGER parameter and fail there.
    """

    regex = _digits_up_to(MAX_ID)


def as_id(value):
    """Convert a query value to an id in 1..MAX_ID; raise ValueError otherwise (``type=`` of args.get)."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        raise ValueError(value)
    return int(text)


def id_arg(name):
    """Return the id in query argument name, None when it is absent; 404 when it is no id."""
    if not request.args.get(name):
        return None
    value = request.args.get(name, type=as_id)
    if value is None:
        abort(404)
    return value


def page_arg(name="page"):
    """Return a page number from the query: 1 when absent, garbage or out of range."""
    return request.args.get(name, 1, type=as_id)


class JSONProvider(DefaultJSONProvider):
    """Parse request JSON strictly: too deep or NaN/Infinity is invalid JSON (a 400), never a 500."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _no_constant)
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _refused_value(value):
    """Say whether value holds a NUL character or nests deeper than MAX_JSON_DEPTH.

    Walks with a stack, not by recursion: a request decides how deep the value goes.
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, (dict, list)):
            if depth >= MAX_JSON_DEPTH:
                return True
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def refuse_nul_bytes():
    """Refuse input with NUL characters or JSON nested too deeply: no page of ours sends either."""
    if request.method in ("GET", "HEAD", "OPTIONS") and "\x00" not in request.query_string.decode(
        "latin-1"
    ):
        return None
    values = [*request.args.values(), *request.args.keys()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *(v for vs in request.form.listvalues() for v in vs)]
    elif request.is_json:
        values.append(request.get_json(silent=True))
    if any(_refused_value(v) for v in values) or "%00" in request.query_string.decode("latin-1"):
        return render_template("errors/400.html", error=None), 400
    return None


def register(app):
    """Install the NUL check, the handler for values the database refuses and the redaction of
    tokens and query values in the logs (the forms' guards are in forms.BaseForm)."""
    logs.install(app.logger.name)
    app.json = JSONProvider(app)
    app.before_request(refuse_nul_bytes)

    @app.errorhandler(DataError)
    def value_refused(error):
        """A value too long or out of range for its column: say so instead of a server error."""
        db.session.rollback()
        app.logger.warning(
            "value refused by the database (%s) on %s", type(error.orig).__name__, request.endpoint
        )
        if request.is_json:
            return {"ok": False, "error": "invalid"}, 422
        return render_template("errors/422.html"), 422
