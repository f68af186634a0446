"""The organiser's rubric editor."""

from flask import Blueprint

bp = Blueprint("rubric", __name__, url_prefix="/c/<int:cid>/org/rubric")
