"""Small helpers shared by features."""

from urllib.parse import urlsplit


def is_safe_redirect(target):
    """Allow only local paths as redirect targets (no open redirects)."""
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
