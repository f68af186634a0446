"""Certificates and other print documents."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, cli_group=None)

from compmgr.certificates import (  # noqa: E402,F401  (routes and commands on bp, imported last)
    commands,
    template_views,
    views,
)
