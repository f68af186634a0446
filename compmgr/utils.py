"""Small helpers shared by features."""

import io
from urllib.parse import urlsplit

from flask import send_file
from flask_babel import format_decimal


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


KB, MB = 1024, 1024 * 1024  # as the upload limits count (registration.documents.MB)


def file_size(size):
    """Write a file size for people: "740 kB" below a megabyte (never "0.0 MB"), else "2,4 MB".

    A non-empty file shows at least "1 kB"; the number follows the reader's language.
    """
    size = max(int(size or 0), 0)
    if size < MB:
        return f"{format_decimal(-(-size // KB))} kB"
    return f"{format_decimal(round(size / MB, 1), format='#,##0.0')} MB"
