"""Statistics: a competition's figures, its series of years, charts and the annual report."""

from flask import Blueprint

bp = Blueprint("statistics", __name__)

from compmgr.statistics import views  # noqa: E402,F401  (routes on bp, imported last)
