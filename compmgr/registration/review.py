"""The organiser's review of entries, import and export."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/c/<int:cid>/org/entries")
