"""The chair's ranking and decisions, special prizes and published results."""

from flask import Blueprint

bp = Blueprint("results", __name__)
