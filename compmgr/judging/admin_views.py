"""The organiser's judges, juries, conflicts, assignment and timetable."""

from flask import Blueprint

bp = Blueprint("juries", __name__, url_prefix="/c/<int:cid>")
