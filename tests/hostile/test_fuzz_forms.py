"""Random and malformed data into every form: never a server error, never a half-saved change.

Each POST route is fuzzed as the persona the access layer lets through (tests.world), with a
valid CSRF token, so the data reaches the form and the service behind it. Field names come from
the route's own page when it has one, else from every form class of the app. A refused request
(4xx) must leave the database exactly as it was. COMPMGR_FUZZ_EXAMPLES raises the depth.
"""

import io
import os
import re

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tests.forms import csrf_token
from tests.hostile.snapshot import diff, snapshot
from tests.security.test_csrf import _log_in, rightful_persona, state_changing_routes
from tests.test_access import _url
from tests.world import build_world

EXAMPLES = int(os.environ.get("COMPMGR_FUZZ_EXAMPLES", "3"))
NAME_RE = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "99999999999999999999",
    "2147483648",
    "-2147483649",
    "1e309",
    "NaN",
    "2010-05-17",
    "31.02.2010",
    "17.05.2010",
    "2010-13-45",
    "00:00",
    "25:61",
    "y",
    "on",
    "true",
    "\x00",
    "a\x00b",
    "\r\n",
    "\u202e",
    "😀",
    "ß" * 5001,
    "x" * 70000,
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%n",
    "{{7*7}}",
]
text_values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
ROUTES = None


def all_form_fields():
    """Return the field names of every FlaskForm class in the app."""
    import compmgr  # noqa: F401

    names, todo = set(), list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        for attr in dir(cls):
            if isinstance(getattr(cls, attr, None), UnboundField):
                names.add(attr)
    return sorted(names - {"csrf_token"})


def _rules():
    from compmgr import create_app

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    return [(r.endpoint, m) for r, m in state_changing_routes(app)]


def field_names(client, rule, url):
    if url in FIELD_NAMES:
        return FIELD_NAMES[url]
    FIELD_NAMES[url] = _field_names(client, rule, url)
    return FIELD_NAMES[url]


FIELD_NAMES = {}


def _field_names(client, rule, url):
    if "GET" in rule.methods:
        response = client.get(url)
        if response.status_code == 200:
            found = sorted(set(NAME_RE.findall(response.get_data(as_text=True))) - {"csrf_token"})
            if found:
                return found
    return all_form_fields()


def form_data(draw, names):
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=12)) if names else []
    data = {}
    for name in chosen:
        kind = draw(st.sampled_from(["text", "text", "list", "file"]))
        if kind == "list":
            data[name] = draw(st.lists(text_values, max_size=4))
        elif kind == "file":
            content = draw(
                st.one_of(
                    st.binary(max_size=200),
                    st.sampled_from(
                        [
                            b"%PDF-1.4\n",
                            b"PK\x03\x04",
                            b"\xef\xbb\xbfProjektschl\xc3\xbcssel;Titel\n1;=1+1\n",
                            b"\x89PNG\r\n\x1a\n",
                        ]
                    ),
                )
            )
            filename = draw(
                st.sampled_from(["a.pdf", "../x.csv", "a.xlsx", "bild.png", "\x00.pdf", ""])
            )
            data[name] = (io.BytesIO(content), filename)
        else:
            data[name] = draw(text_values)
    return data


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(NASTY),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture
def app_config():
    return {"PDF_MAX_EXPANDED_MB": 8}


@pytest.mark.parametrize("endpoint,method", _rules())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the report names the draws
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_fuzz_every_form(app, client, db, endpoint, method, data):
    # One world per test (all examples share it); kept on the app object itself, since an
    # id() of a finished test's app can be reused by the next one.
    world = getattr(app, "_fuzz_world", None)
    if world is None:
        world = app._fuzz_world = build_world()
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods
    )
    persona = rightful_persona(app, rule)
    _log_in(client, world, persona)
    url = _url(app, rule, world)
    token = csrf_token(client)
    before = snapshot()
    if endpoint == "judging.autosave":
        payload = data.draw(
            st.one_of(
                json_values,
                st.fixed_dictionaries(
                    {
                        "values": st.dictionaries(
                            st.text(max_size=6) | st.integers().map(str), json_values, max_size=6
                        )
                    },
                    optional={"note": json_values, "submit": json_values},
                ),
            )
        )
        response = client.open(url, method=method, json=payload, headers={"X-CSRFToken": token})
    else:
        names = field_names(client, rule, url)
        form = form_data(data.draw, names)
        form["csrf_token"] = token
        response = client.open(url, method=method, data=form, content_type="multipart/form-data")
    assert response.status_code < 500, f"{method} {url} as {persona}: {response.status_code}"
    if response.status_code >= 400 and response.status_code != 429:
        assert diff(before, snapshot()) == [], (
            f"{method} {url}: refused ({response.status_code}) but changed"
        )
