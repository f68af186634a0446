"""Every state-changing route refuses a request without a valid CSRF token and changes nothing."""

import pytest

from compmgr.auth.access import policy_of
from tests.conftest import sign_in
from tests.hostile.snapshot import diff, snapshot
from tests.test_access import _expectation, _url
from tests.world import build_world

SKIP_ENDPOINTS = {"static", "bootstrap.static"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Exempt on purpose: RFC 8058 one-click unsubscription is posted by the mail program without
# a form; the signed token in the link is the proof, and all it can do is stop optional mail.
CSRF_EXEMPT = {"messaging.unsubscribe"}


def state_changing_routes(app):
    """Return (rule, method) for every route that accepts a state-changing method."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        found.extend((rule, m) for m in sorted(rule.methods & STATE_CHANGING))
    return found


def rightful_persona(app, rule):
    """Pick the persona that the access layer lets through, so only CSRF can stop the request."""
    policy = policy_of(app.view_functions[rule.endpoint])
    for persona in ("org1", "school1", "judge1", "admin"):
        if _expectation(policy, persona, rule) in ("allow", "any"):
            return persona
    return "anon"


def _log_in(client, world, persona):
    with client.session_transaction() as sess:
        sess.clear()
        if persona != "anon":
            sign_in(sess, world.users[persona])


def test_every_state_changing_route_is_found(app):
    routes = state_changing_routes(app)
    assert len(routes) >= 50
    assert {r.endpoint for r, _m in routes} >= {
        "auth.login",
        "judging.autosave",
        "registration.upload",
    }
    assert all(m == "POST" for _r, m in routes), "state changes go through POST only"


def test_only_one_click_unsubscription_is_exempt_from_csrf(app):
    from compmgr.extensions import csrf

    exempt = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views
    }
    assert exempt == CSRF_EXEMPT


@pytest.mark.parametrize("token", [None, "", "IjEyMyI.aaaa.bbbb"])
def test_every_state_changing_route_refuses_a_bad_csrf_token(app, client, db, token):
    world = build_world()
    before = snapshot()
    accepted = []
    for rule, method in state_changing_routes(app):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        persona = rightful_persona(app, rule)
        _log_in(client, world, persona)
        url = _url(app, rule, world)
        form = {"name": "Angriff", "title": "Angriff", "confirm": "y", "reason": "x"}
        headers = {}
        if token is not None:
            form["csrf_token"] = token
            headers["X-CSRFToken"] = token
        if rule.endpoint == "judging.autosave":
            response = client.open(url, method=method, json={"values": {}}, headers=headers)
        else:
            response = client.open(url, method=method, data=form, headers=headers)
        if response.status_code != 400:
            accepted.append(f"{method} {url} as {persona}: {response.status_code}")
    assert accepted == []
    assert diff(before, snapshot()) == []


def test_a_token_from_another_session_is_refused(app, client, web, db):
    """A token lifted from the attacker's own session does not work in the victim's."""
    from tests.forms import csrf_token

    attacker = app.test_client()
    stolen = csrf_token(attacker)
    world = build_world()
    _log_in(client, world, "org1")
    cid = world.url_args["cid"]
    response = client.post(
        f"/c/{cid}/org/subjects", data={"csrf_token": stolen, "name": "X", "code": "X"}
    )
    assert response.status_code == 400


def test_a_valid_token_is_accepted(web, db):
    """The refusals above are about the token: the same kind of request with one goes through."""
    from tests.factories import UserFactory

    UserFactory(email="a@example.org")
    db.session.commit()
    assert web.login("a@example.org").status_code == 302
