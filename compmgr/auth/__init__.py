"""Accounts, login, invitations and the role switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from compmgr.auth import account_views, views  # noqa: E402,F401  (routes on bp, imported last)
