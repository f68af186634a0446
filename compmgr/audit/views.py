"""The organiser's view of the audit trail."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/c/<int:cid>/org/audit")
