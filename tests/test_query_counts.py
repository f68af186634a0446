"""No page's number of SQL statements grows with its rows.

Every GET page of the route×role matrix (tests/test_access.py) that lists things is rendered
by its rightful persona twice: once in a competition with a few dozen projects, then again
after as many more projects, participants, consents, judges, assignments and scores were
added. The statement counts must be equal: a page that asks the database once per row would
take seconds in a competition of 300 projects (issue 17). A page naming one project, judge or
participant counts too: it may offer every judge or project of the competition to pick from.
"""

import pytest
from sqlalchemy import event

from compmgr.auth.access import ANY_USER, PUBLIC, policy_of
from compmgr.auth.models import Role
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import Assignment, Judge, JuryMember
from tests.conftest import sign_in
from tests.round_data import populate
from tests.test_access import _routes
from tests.world import build_world

# URL arguments that name a list, or one object whose page offers a list of the competition's
# rows: a project's page picks from every judge, a judge's from every project. The others
# (a criterion, a prize, a token, …) name one object and list nothing that grows.
LIST_ARGS = {"cid", "jury_id", "school_id", "fmt", "project_id", "judge_id", "participant_id"}


def _persona(policy):
    if PUBLIC in policy:
        return None
    if ANY_USER in policy:
        return "org1"
    if Role.ORGANISER in policy:
        return "org1"
    if Role.ADMIN in policy:
        return "admin"
    if Role.SCHOOL in policy:
        return "school1"
    if Role.JUDGE in policy:
        return "judge1"
    return None


def _list_pages(app, world):
    from flask import url_for

    pages = []
    with app.test_request_context():
        for rule, methods in _routes(app):
            if "GET" not in methods or not set(rule.arguments) <= LIST_ARGS:
                continue
            persona = _persona(policy_of(app.view_functions[rule.endpoint]))
            if persona is None:
                continue
            url = url_for(rule.endpoint, **{a: world.url_args[a] for a in rule.arguments})
            pages.append((url, persona))
    return pages


def _grow(world, tag):
    c1, s1 = world.objects["c1"], world.objects["s1"]
    world.objects["j1"].confidentiality_accepted_at = utcnow()  # else the welcome page first
    added = populate(c1, projects=14, judges=7, tag=f"{tag}-a")
    populate(c1, projects=7, judges=0, school_ids=[s1.id], tag=f"{tag}-s")
    # judge1's own list grows too: three more of the new projects each time
    for project_id in added["project_ids"][:3]:
        db.session.add(Assignment(judge_id=world.objects["j1"].id, project_id=project_id))
    # and jury1's members: two of the new judges each time
    newest = db.session.scalars(
        db.select(Judge.id).filter_by(competition_id=c1.id).order_by(Judge.id.desc()).limit(2)
    )
    for judge_id in newest:
        db.session.add(JuryMember(jury_id=world.objects["jury1"].id, judge_id=judge_id))
    db.session.commit()


def _counts(app, client, world, pages):
    seen = {"n": 0}

    def count(*_args):
        seen["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    counts = {}
    try:
        for url, persona in pages:
            with client.session_transaction() as sess:
                sess.clear()
                sign_in(sess, world.users[persona])
            client.get(url)  # the first visit may write once (e.g. a session's last-seen time)
            seen["n"] = 0
            response = client.get(url)
            assert response.status_code in (200, 302), f"{url} as {persona}: {response.status_code}"
            if (
                response.status_code == 200
            ):  # a redirect (e.g. unlock of an open jury) lists nothing
                counts[url] = seen["n"]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return counts


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


def test_statements_do_not_grow_with_rows(app, client):
    world = build_world()
    pages = _list_pages(app, world)
    assert len(pages) > 20  # the matrix was read
    _grow(world, "1")
    small = _counts(app, client, world, pages)
    _grow(world, "2")
    large = _counts(app, client, world, pages)
    grown = {url: (small[url], large[url]) for url in small if large[url] != small[url]}
    assert not grown, "statements grow with the rows (small → large): " + "; ".join(
        f"{url}: {a} → {b}" for url, (a, b) in sorted(grown.items())
    )
