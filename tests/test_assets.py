"""Answers go out compressed, and static files under versioned URLs are cached for a year."""

import gzip
import re

import brotli

from tests.world import build_world


def test_pages_are_compressed_for_browsers_that_accept_it(client, login_as):
    world = build_world()
    web = login_as(world.users["org1"])
    cid = world.url_args["cid"]
    plain = web.get(f"/c/{cid}/org/entries/")
    packed = web.get(f"/c/{cid}/org/entries/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers.get("Vary", "")
    assert packed.headers["Cache-Control"] == "no-store"  # personal data: still no copy kept
    page = gzip.decompress(packed.data).decode()
    token = re.compile(r'value="[^"]{40,}"')  # the CSRF tokens carry a time stamp
    assert token.sub("", page) == token.sub("", plain.get_data(as_text=True))
    assert len(packed.data) < len(plain.data) / 3


def test_static_urls_carry_a_content_version_and_are_cached_long(client, app):
    page = client.get("/login").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert urls and all("?v=" in u for u in urls), urls
    css = next(u for u in urls if u.split("?")[0].endswith(".css"))
    answer = client.get(css, headers={"Accept-Encoding": "gzip, deflate, br"})  # as a browser
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "br"  # files stream: Brotli, not gzip
    assert brotli.decompress(answer.data) == client.get(css).data
    unversioned = client.get(css.split("?")[0])
    assert unversioned.headers["Cache-Control"] == "public, max-age=3600"
