"""Ids beyond any column and JSON nested without end get a 404 or 400, never a 500."""

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from compmgr.auth.access import ANY_USER, PUBLIC, policy_of
from compmgr.auth.models import Role
from compmgr.judging.models import Review, Score
from tests.conftest import sign_in
from tests.forms import csrf_token
from tests.judging.scene import build_scene
from tests.world import build_world

MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on PostgreSQL
HUGE = [MAX_ID + 1, 2**59, 10**18 - 1, 2**63, 2**64, 10**40, 10**4000]


def _int_args(rule):
    return [a for a, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]


def _owner(policy):
    """The persona of tests.world that is let in on a route of this policy."""
    if PUBLIC in policy or ANY_USER in policy or Role.ORGANISER in policy:
        return "org1"
    if Role.ADMIN in policy:
        return "admin"
    return "school1" if Role.SCHOOL in policy else "judge1"


def _as(client, world, persona):
    with client.session_transaction() as sess:
        sess.clear()
        if persona != "anon":
            sign_in(sess, world.users[persona])


def _url(app, rule, args):
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def test_every_int_route_answers_huge_ids_with_404(app, client):
    world = build_world()
    rules = [r for r in app.url_map.iter_rules() if _int_args(r)]
    assert len(rules) > 60  # the walk covers the app, not a sample
    requests = {}  # persona -> [(method, url)]: each persona logs in once
    for rule in rules:
        args = {a: world.url_args[a] for a in rule.arguments}
        for who in ("anon", _owner(policy_of(app.view_functions[rule.endpoint]))):
            for method in sorted(rule.methods & {"GET", "POST"}):
                for name in _int_args(rule):
                    for value in HUGE:
                        url = _url(app, rule, {**args, name: value})
                        requests.setdefault(who, []).append((method, url))
    failures = []
    for who, calls in requests.items():
        _as(client, world, who)
        for method, url in calls:
            code = client.open(url, method=method, data={}).status_code
            if code != 404:
                failures.append(f"{method} {url[:70]} as {who}: {code}")
        if who != "anon":  # still logged in: the walk really ran as the owner
            with client.session_transaction() as sess:
                assert sess.get("_user_id") == world.users[who].get_id(), who
    assert not failures, "\n".join(failures)


QUERY_INTS = {
    name: str(2**64)
    for name in (
        "page",
        "jury_id",
        "competition",
        "participant",
        "school",
        "subject",
        "jury",
        "division",
        "project_id",
        "judge_id",
    )
}


def test_huge_numbers_in_query_strings_never_give_a_server_error(app, client):
    world = build_world()
    failures = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "bootstrap.static"):
            continue
        _as(client, world, _owner(policy_of(app.view_functions[rule.endpoint])))
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: world.url_args[a] for a in rule.arguments})
        response = client.get(url, query_string=QUERY_INTS)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
    assert failures == []


def test_a_huge_jury_id_in_the_query_is_a_404(app, client):
    world = build_world()
    _as(client, world, "org1")
    url = f"/c/{world.url_args['cid']}/print/score-sheets.pdf"
    assert client.get(url, query_string={"jury_id": str(2**64)}).status_code == 404
    assert client.get(url, query_string={"jury_id": "zwei"}).status_code == 404
    assert client.get(url, query_string={"jury_id": world.url_args["jury_id"]}).status_code == 200
    audit = f"/c/{world.url_args['cid']}/org/audit/"
    assert client.get(audit, query_string={"page": str(2**64)}).status_code == 200


def test_public_results_with_a_huge_id_are_a_404_for_anyone(client):
    assert client.get(f"/c/{2**64}/results").status_code == 404
    assert client.get(f"/c/{2**63}/results").status_code == 404


@pytest.fixture
def judge_scene(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    web.login(scene.users[0].email)
    token = csrf_token(web.client)
    url = f"/c/{scene.comp.id}/jury/projects/{scene.projects[0].id}/autosave"

    def post(body, **kwargs):
        return web.client.post(
            url,
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": token},
            **kwargs,
        )

    return scene, post


def _nested(depth, key):
    return "[" * depth + "]" * depth if key is None else '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [25, 600, 900, 5000, 100000])
@pytest.mark.parametrize("where", ["values", "note", "top"])
def test_deeply_nested_json_to_the_autosave_is_a_400(judge_scene, db, depth, where):
    scene, post = judge_scene
    deep = _nested(depth, None if depth % 2 else "a")
    c1 = scene.criteria[0].id
    body = {
        "values": f'{{"{c1}": 5, "x": {deep}}}',
        "note": f'{{"values": {{"{c1}": 5}}, "note": {deep}}}',
        "top": deep,
    }[where]
    if where == "values":
        body = f'{{"values": {body}}}'
    response = post(body)
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "true"])
def test_non_numbers_in_the_autosave_are_refused(judge_scene, db, raw):
    scene, post = judge_scene
    response = post(f'{{"values": {{"{scene.criteria[0].id}": {raw}}}}}')
    assert response.status_code in (400, 422)
    assert response.status_code < 500
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 0


def test_a_plain_autosave_still_saves(judge_scene, db):
    scene, post = judge_scene
    response = post(f'{{"values": {{"{scene.criteria[0].id}": 7}}, "note": "gut"}}')
    assert response.status_code == 200 and response.json["ok"]
    assert db.session.scalar(db.select(Score.value)) == 7
