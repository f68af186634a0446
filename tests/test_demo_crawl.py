"""Every demo account follows every link of the demo competition: no page fails.

This is the integration smoke test across features: real demo data (97 projects, long names,
umlauts), every role, every page reachable by a link, on SQLite and PostgreSQL.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

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
    load_demo()
    for email, role in DEMO_LOGINS:
        response = web.login(email, DEMO_PASSWORD)
        assert response.status_code == 302, role
        seen, failures = crawl(web)
        assert failures == [], (role, failures)
        assert len(seen) > 3, role
        web.logout()
