"""What the app serves, made light for phones: compressed answers, cacheable static files.

- Pages, JSON, stylesheets and scripts go out compressed (Flask-Compress: zstd, Brotli or
  gzip, as the browser accepts); a judge's score page with its assets drops from about 340 KiB
  to well under 150 KiB on the hall's Wi-Fi.
- Every ``url_for('static', …)`` (the app's and Bootstrap-Flask's) carries ``v=`` with a
  digest of the file's content, so a changed file gets a new URL; a versioned URL is cached
  for a year (``immutable``), an unversioned one for an hour.
"""

import hashlib
from pathlib import Path

from flask import request
from flask_compress import Compress

STATIC_ENDPOINTS = ("static", "bootstrap.static")
YEAR = 365 * 24 * 3600

compress = Compress()


def register(app):
    """Switch on compression and versioned, long-cached static URLs."""
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)  # the autosave's short answer stays as it is
    app.config.setdefault("COMPRESS_LEVEL", 6)  # gzip
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)  # Brotli: fast enough for every page
    compress.init_app(app)
    digests = {}

    def version(endpoint, filename):
        key = (endpoint, filename)
        if key not in digests:
            folder = (
                app.static_folder
                if endpoint == "static"
                else app.blueprints[endpoint.partition(".")[0]].static_folder
            )
            path = Path(folder or "", filename)
            try:
                digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            except OSError:  # not a file of ours: no version, the short cache lifetime
                digests[key] = None
        return digests[key]

    @app.url_defaults
    def versioned_static(endpoint, values):
        if endpoint in STATIC_ENDPOINTS and "filename" in values and "v" not in values:
            digest = version(endpoint, values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def static_cache(response):
        if request.endpoint in STATIC_ENDPOINTS and response.status_code == 200:
            if request.args.get("v"):
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            else:
                response.headers["Cache-Control"] = "public, max-age=3600"
        return response
