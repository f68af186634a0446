"""Security headers on every kind of response; no inline script or style anywhere in templates."""

import re
from pathlib import Path

import pytest

from compmgr.auth.models import Role
from tests.factories import CompetitionFactory, UserFactory, grant

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def parse_csp(value):
    """Return {directive: [sources]} of a Content-Security-Policy header."""
    policy = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def assert_secure(response):
    csp = parse_csp(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    for directive, sources in csp.items():
        for source in sources:
            assert "unsafe" not in source, f"{directive} allows {source}"
            assert source in ("'self'", "'none'", "data:"), (
                f"{directive} allows outside origin {source}"
            )
    assert "script-src" not in csp or csp["script-src"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in (
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    )
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def organiser(db):
    comp = CompetitionFactory()
    user = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    return comp, user


def test_headers_on_pages_errors_static_and_files(client, web, organiser):
    comp, _user = organiser
    responses = [
        client.get("/login"),
        client.get("/nowhere"),  # 404 page
        client.post("/login", data={}),  # 400: CSRF refused
        client.get("/static/js/app.js"),
    ]
    web.login("orga@example.org")
    responses += [client.get(f"/c/{comp.id}/org/"), client.get(f"/c/{comp.id}/org/entries/export")]
    assert [r.status_code for r in responses] == [200, 404, 400, 200, 200, 200]
    for response in responses:
        assert_secure(response)


def test_logged_in_pages_are_not_cached(client, web, organiser):
    comp, _user = organiser
    web.login("orga@example.org")
    assert client.get(f"/c/{comp.id}/org/").headers["Cache-Control"] == "no-store"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"(src|href)=\"(https?:)?//", re.I), "outside origin"),
]


def test_templates_have_no_inline_script_style_or_outside_origin():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}: {match.group(0)[:60]}")
    assert found == []
