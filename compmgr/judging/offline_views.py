"""The judge's pages offline: the service worker, served from the app's own origin, and the
page it shows when a page is not kept and there is no connection."""

import json
import re
from pathlib import Path

from flask import current_app, render_template, render_template_string, url_for

from compmgr.auth.access import public
from compmgr.judging import bp
from compmgr.judging.access import judge_required

OWN_STATIC = ("css/app.css", "js/app.js", "js/offline.js", "js/scoring.js", "favicon.svg")


def _static_paths():
    """Return the static files a judge's page loads: the app's own and Bootstrap's."""
    bootstrap = render_template_string("{{ bootstrap.load_css() }}{{ bootstrap.load_js() }}")
    theirs = re.findall(r'(?:href|src)="(/[^"]+)"', bootstrap)
    return [url_for("static", filename=f) for f in OWN_STATIC] + theirs


@bp.route("/jury/sw.js")
@public
def service_worker(cid):
    """Serve the judge's service worker for this competition's judge pages.

    Public: the script holds no data, and a browser may fetch it to look for an update at any
    time, logged in or not. What it may keep is documented in the script itself.
    """
    config = {
        "scope": url_for("judging.dashboard", cid=cid),
        "offline": url_for("judging.offline", cid=cid),
        "login": url_for("auth.login"),
        "statics": _static_paths(),
    }
    source = Path(current_app.static_folder, "js", "judge-sw.js").read_text(encoding="utf-8")
    body = f"var CONFIG = {json.dumps(config)};\n{source}"
    return body, 200, {"Content-Type": "text/javascript; charset=utf-8"}


@bp.route("/jury/offline")
@judge_required
def offline(cid):
    """Say that this page needs a connection; the list and the sheets work without one."""
    return render_template("judging/offline.html")
