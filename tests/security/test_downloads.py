"""Downloads: no cache keeps a copy of any page or file; papers come as attachments named by us."""

import pytest
from flask import url_for

from compmgr.registration.models import Document
from tests.conftest import sign_in
from tests.factories import make_pdf
from tests.world import build_world

STATIC = {"static", "bootstrap.static", "favicon"}
# The downloads the attack found cached: exports, papers, certificates, subject access.
FILES = {
    "registration.export",
    "privacy.press_csv",
    "results.export_qualified",
    "registration.download",
    "registration.entry_document",
    "judging.paper",
    "certificates.bulk",
    "certificates.participant_certificate",
    "privacy.export_pdf",
    "privacy.export_json",
    "registration.confirmation_pdf",
    "certificates.score_sheets",
}


def _as(client, world, persona):
    with client.session_transaction() as sess:
        sess.clear()
        if persona != "anon":
            sign_in(sess, world.users[persona])


def test_no_page_or_file_may_be_kept_by_a_cache(app, client):
    """Walk every GET route as each persona: every answer says no-store, files included.

    Each answer also names its charset once: werkzeug adds one to every text type, so
    ``text/csv; charset=utf-8`` passed in became a malformed header with two.
    """
    world = build_world()
    found, files = [], set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in STATIC:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: world.url_args[a] for a in rule.arguments})
        for persona in ("anon", "admin", "org1", "school1", "judge1"):
            _as(client, world, persona)
            response = client.get(url)
            if response.headers.get("Cache-Control") != "no-store":
                found.append(
                    f"{url} as {persona}: {response.status_code} "
                    f"Cache-Control: {response.headers.get('Cache-Control')}"
                )
            if response.status_code == 200 and response.mimetype != "text/html":
                files.add(rule.endpoint)
            if response.headers.get("Content-Type", "").count("charset=") > 1:
                found.append(f"{url}: Content-Type {response.headers['Content-Type']}")
    assert not found, "\n".join(found)
    assert FILES <= files  # the walk did fetch each kind of download, not only error pages


def test_error_pages_are_not_cached_and_static_files_are(client):
    assert client.get("/nowhere").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/js/app.js").headers.get("Cache-Control", "")


@pytest.fixture
def polyglot(db):
    """Project 1 of the world, its paper uploaded as ``polyglot.html`` with markup inside."""
    world = build_world()
    project = world.objects["project1"]
    project.stand = 'B 7/ä"'
    doc = db.session.scalars(db.select(Document).filter_by(project_id=project.id)).one()
    doc.original_name, doc.content_type = "polyglot.html", "text/html"
    db.session.commit()
    from compmgr import storage

    storage.backend().put(
        doc.stored_name, make_pdf() + b"<html><script>alert(document.cookie)</script></html>"
    )
    return world


@pytest.mark.parametrize(
    "persona,url",
    [
        ("school1", "/c/{cid}/school/projects/{pid}/document"),
        ("org1", "/c/{cid}/org/entries/projects/{pid}/document?kind=paper"),
        ("judge1", "/c/{cid}/jury/projects/{pid}/paper"),
    ],
    ids=["school", "organiser", "judge"],
)
def test_papers_download_as_pdf_attachments_under_a_generated_name(client, polyglot, persona, url):
    _as(client, polyglot, persona)
    response = client.get(
        url.format(cid=polyglot.url_args["cid"], pid=polyglot.url_args["project_id"])
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=B7-Arbeit.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
