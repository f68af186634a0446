"""Every registered route × every role: the guard holds, by URL guessing too.

A route without a policy decorator fails ``test_every_route_has_a_policy``. Each guarded route
is then requested by every persona of ``tests.world``: anonymous users are sent to the login,
users without the role get 403, an organiser of another competition gets 403, and a school or
judge asking for another owner's object gets 403 or 404. The rightful owner gets through.
"""

import pytest
from werkzeug.routing import BuildError

from compmgr.auth.access import ANY_USER, PUBLIC, policy_of
from compmgr.auth.models import Role
from tests.conftest import sign_in
from tests.world import build_world

SKIP_ENDPOINTS = {"static", "bootstrap.static"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        methods = sorted(m for m in rule.methods if m in {"GET", "POST"})
        yield rule, methods


def test_every_route_has_a_policy(app):
    missing = [
        r.endpoint for r, _ in _routes(app) if policy_of(app.view_functions[r.endpoint]) is None
    ]
    assert not missing, f"routes without an access decorator: {missing}"


PERSONA_ROLE = {
    "admin": Role.ADMIN,
    "org1": Role.ORGANISER,
    "org2": Role.ORGANISER,
    "school1": Role.SCHOOL,
    "school2": Role.SCHOOL,
    "judge1": Role.JUDGE,
    "judge2": Role.JUDGE,
}
OWNERS = {"org1", "school1", "judge1"}


def _expectation(policy, persona, rule):
    """Return 'login', 'deny', 'deny-or-missing' or 'allow' for a persona on a route."""
    if PUBLIC in policy:
        return "any"
    if persona == "anon":
        return "login"
    if ANY_USER in policy:  # objects on such routes are the user's own (world: org1's)
        if set(rule.arguments):
            return "allow" if persona == "org1" else "deny-or-missing"
        return "allow"
    role = PERSONA_ROLE[persona]
    if Role.ADMIN in policy:
        return "allow" if persona == "admin" else "deny"
    if persona == "admin":
        return "allow" if Role.ORGANISER in policy else "deny"
    if role not in policy:
        return "deny"
    if persona == "org2" and "cid" in rule.arguments:
        return "deny"
    if persona in OWNERS:
        return "allow"
    object_args = set(rule.arguments) - {"cid"}
    return "deny-or-missing" if object_args else "allow"


def _check(response, expectation, label):
    code = response.status_code
    assert code < 500, f"{label}: server error {code}"
    if expectation == "login":
        assert code in (302, 401) and "/login" in response.headers.get("Location", "/login"), (
            f"{label}: {code}"
        )
    elif expectation == "deny":
        assert code == 403, f"{label}: expected 403, got {code}"
    elif expectation == "deny-or-missing":
        assert code in (403, 404), f"{label}: expected 403/404, got {code}"
    elif expectation == "allow":
        assert code not in (401, 403, 404), f"{label}: rightful user refused with {code}"


def _url(app, rule, world):
    missing = set(rule.arguments) - set(world.url_args)
    assert not missing, f"{rule.endpoint}: add {missing} to tests/world.py url_args"
    with app.test_request_context():
        from flask import url_for

        try:
            return url_for(rule.endpoint, **{a: world.url_args[a] for a in rule.arguments})
        except BuildError as exc:  # pragma: no cover - a broken rule is itself a failure
            pytest.fail(f"cannot build {rule.endpoint}: {exc}")


def _personas_in_order(policy, method, rule):
    """Outsiders first, the owner last; for POST only one rightful persona (state may change)."""
    outsiders = ["anon", "org2", "school2", "judge2"]
    owners = ["admin", "org1", "school1", "judge1"]
    everyone = outsiders + [p for p in owners if p not in outsiders]
    if method == "GET":
        return everyone
    rightful = [
        p
        for p in ["org1", "school1", "judge1", "admin"]
        if _expectation(policy, p, rule) == "allow"
    ]
    others = [p for p in everyone if p not in rightful]
    return others + rightful[:1]


def _all_rules():
    from compmgr import create_app

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    return [(r.endpoint, m) for r, methods in _routes(app) for m in methods]


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}  # this test is about roles; CSRF has its own test


@pytest.mark.parametrize("endpoint,method", _all_rules())
def test_route_guard(app, client, endpoint, method):
    world = build_world()
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods
    )
    policy = policy_of(app.view_functions[endpoint])
    url = _url(app, rule, world)
    for persona in _personas_in_order(policy, method, rule):
        with client.session_transaction() as sess:  # log in directly: this test is about guards
            sess.clear()
            if persona != "anon":
                sign_in(sess, world.users[persona])
        response = client.get(url) if method == "GET" else client.post(url, data={})
        _check(response, _expectation(policy, persona, rule), f"{method} {url} as {persona}")
