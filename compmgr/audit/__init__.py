"""The audit trail of changes and decisions, and the access log of personal data."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/c/<int:cid>/org/audit")

from compmgr.audit import views  # noqa: E402,F401  (routes on bp, imported last)
