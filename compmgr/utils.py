"""Small helpers shared by features."""

import io
from urllib.parse import urlsplit

from flask import send_file


def is_safe_redirect(target):
    """Allow only local paths as redirect targets (no open redirects)."""
    if not target:
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    )


def send_download(data_or_file, name, mimetype="application/pdf", inline=False):
    """Send bytes or a file object as a download (or shown inline), never cached."""
    if isinstance(data_or_file, bytes):
        data_or_file = io.BytesIO(data_or_file)
    data_or_file.seek(0)
    return send_file(
        data_or_file, mimetype=mimetype, as_attachment=not inline, download_name=name, max_age=0
    )
