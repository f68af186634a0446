"""Stored files (papers, forms, logos) under generated names in UPLOAD_FOLDER, outside static/."""

import hashlib
import os
import secrets
from pathlib import Path

from flask import current_app


def upload_root():
    root = Path(current_app.config["UPLOAD_FOLDER"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def path_for(stored_name):
    """Return the path of a stored file; the name is ours, never the user's."""
    if not stored_name or not stored_name.isalnum():
        raise ValueError("invalid stored name")
    return upload_root() / stored_name


def store_bytes(data):
    """Write data under a new random name atomically; return (stored_name, sha256)."""
    name = secrets.token_hex(16)
    target = path_for(name)
    tmp = target.with_suffix(".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return name, hashlib.sha256(data).hexdigest()


def delete(stored_name):
    """Remove a stored file if it exists."""
    try:
        path_for(stored_name).unlink()
    except FileNotFoundError:
        pass
