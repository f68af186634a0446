"""Every demo account follows every link of the demo competition: no page fails.

This is the integration smoke test across features: real demo data (97 projects, long names,
umlauts), every role, every page reachable by a link, on SQLite and PostgreSQL.

The same crawl checks that a page which logs an access to personal data writes that entry in
a write transaction of its own: on SQLite a read transaction cannot turn into a write once
another writer has committed since it began (``tests/privacy/test_access_log_concurrency.py``
shows the failure it prevents).
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from compmgr.audit.models import AccessLogEntry
from compmgr.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo

HREF = re.compile(r'href="([^"#]+)"')
# Links that end the session or only switch state are not followed.
SKIP = re.compile(r"^/(logout|lang/|static/|bootstrap/)")
MAX_PAGES = 400
PER_PATTERN = 3  # three projects' pages tell as much as ninety-seven
DIGITS = re.compile(r"\d+")


def crawl(web):
    seen, queue, failures, patterns = set(), deque(["/"]), [], {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        pattern = DIGITS.sub("#", url)
        if url in seen or patterns.get(pattern, 0) >= PER_PATTERN:
            continue
        seen.add(url)
        patterns[pattern] = patterns.get(pattern, 0) + 1
        response = web.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
            continue
        if response.status_code in (301, 302, 303):
            target = urlsplit(urljoin(url, response.headers["Location"])).path
            queue.append(target)
            continue
        if "text/html" not in response.content_type:
            continue
        for href in HREF.findall(response.get_data(as_text=True)):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.netloc not in ("", "localhost") or SKIP.match(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return seen, failures


def test_every_demo_page_renders_for_every_role(app, db, web):
    upgrades = []  # a GET that wrote from its read transaction: (endpoint, statement)

    def watch(conn, cursor, statement, parameters, context, executemany):
        if (
            has_request_context()
            and request.method == "GET"
            and not conn.info.get("sqlite_immediate")
            and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        ):
            upgrades.append((request.endpoint, statement[:40]))

    load_demo()
    watched = db.engine.dialect.name == "sqlite"  # PostgreSQL turns a read into a write itself
    if watched:
        event.listen(Engine, "before_cursor_execute", watch)
    try:
        for email, role in DEMO_LOGINS:
            response = web.login(email, DEMO_PASSWORD)
            assert response.status_code == 302, role
            seen, failures = crawl(web)
            assert failures == [], (role, failures)
            assert len(seen) > 3, role
            web.logout()
    finally:
        if watched:
            event.remove(Engine, "before_cursor_execute", watch)
    assert upgrades == []
    logged = {e for (e,) in db.session.execute(db.select(AccessLogEntry.endpoint).distinct())}
    assert {
        "registration.export",
        "registration.dashboard",
        "certificates.participant_certificate",
    } <= logged
