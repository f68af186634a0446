"""No page scrolls sideways on a 360 px phone: wide tables scroll in their own box.

The public pages (home, login, the published results, a certificate check) and each demo
role's main pages (its landing page and every page its landing page links to) are opened at
360 px; the document may not be wider than the screen. A failure names the elements that
stick out. Screenshots at 390 px and desktop width of the public results page land in
test-artifacts/.
"""

import os
import re
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from compmgr import create_app
from compmgr.competitions.models import Status
from compmgr.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from compmgr.extensions import db as _db
from tests.conftest import base_config
from tests.e2e.conftest import login, screenshot
from tests.results.helpers import judged_competition

WIDTH = 360
SKIP = re.compile(r"^/(logout|lang/|static/|bootstrap/)|\.(pdf|csv|xlsx|zip)$")
DIGITS = re.compile(r"\d+")
MAX_PAGES = 40  # per account: the landing page's links, one per route pattern

WIDER = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit) continue;
    let p = el.parentElement, boxed = false;
    while (p) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') {
        boxed = true; break;
      }
      p = p.parentElement;
    }
    if (!boxed) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} `
      + `(${Math.round(r.right)} px) ${el.textContent.trim().slice(0, 40)}`);
  }
  return {width: document.documentElement.scrollWidth, wider: out.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def site(sqlite_template, tmp_path_factory):
    """The demo, plus a small competition whose results are published."""
    tmp = tmp_path_factory.mktemp("phones")
    target = tmp / "demo.sqlite"
    shutil.copy(sqlite_template, target)
    app = create_app({**base_config(f"sqlite:///{target}", tmp), "SERVER_NAME": None})
    app.instance_path = str(tmp / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        load_demo()
        w = judged_competition(org_email="orga-phones@example.org")
        w.comp.status = Status.PUBLISHED
        w.comp.results_published_at = w.comp.created_at
        w.winner.school.name = "Annette-von-Droste-Hülshoff-Gymnasium Münster-Hiltrup"
        _db.session.commit()
        published = w.comp.id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", published
    server.shutdown()
    with app.app_context():
        _db.engine.dispose()


def _narrow(browser, width=WIDTH):
    context = browser.new_context(
        locale="de-DE",
        viewport={"width": width, "height": 780},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _too_wide(page, label, found):
    measured = page.evaluate(WIDER)
    if measured["width"] > WIDTH:
        found.append(f"{label}: {measured['width']} px, {measured['wider']}")


def _links(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == base and not SKIP.search(parts.path):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def _visit(page, base, url, label, found):
    try:
        response = page.goto(base + url)
    except Exception as exc:  # a download is no page
        if "Download is starting" in str(exc):
            return
        raise
    if response is not None and "text/html" in (response.headers.get("content-type") or ""):
        _too_wide(page, label, found)


def test_public_pages_fit_a_360_px_phone(site, browser):
    base, cid = site
    found = []
    context, page = _narrow(browser)
    for url in ("/", "/login", "/reset", f"/c/{cid}/results", "/verify/not-a-token"):
        _visit(page, base, url, url, found)
    context.close()
    assert found == []


def test_the_results_page_looks_right_on_a_phone_and_a_desktop(site, browser):
    base, cid = site
    for width in (390, 1280):
        context, page = _narrow(browser, width)
        page.goto(f"{base}/c/{cid}/results")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        screenshot(page, f"phones-results-{width}")
        context.close()


@pytest.mark.parametrize("email,role", DEMO_LOGINS, ids=[e.split("@")[0] for e, _r in DEMO_LOGINS])
def test_each_roles_main_pages_fit_a_360_px_phone(site, browser, email, role):
    base, _cid = site
    found = []
    context, page = _narrow(browser)
    login(page, base, email, DEMO_PASSWORD)
    page.wait_for_load_state()
    landing = urlsplit(page.url)
    start = landing.path + (f"?{landing.query}" if landing.query else "")
    _too_wide(page, f"{role} {start}", found)
    patterns = {DIGITS.sub("#", start)}
    for url in list(dict.fromkeys(_links(page, base)))[:MAX_PAGES]:
        pattern = DIGITS.sub("#", url)
        if pattern in patterns:
            continue
        patterns.add(pattern)
        _visit(page, base, url, f"{role} {url}", found)
    context.close()
    assert found == []
