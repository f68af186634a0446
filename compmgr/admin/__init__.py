"""Administration: the instance (competitions, accounts) and each competition's set-up
(dashboard, settings, divisions and Fachgebiete, people)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from compmgr.admin import (  # noqa: E402,F401  (routes on bp, imported last)
    competition_views,
    instance_views,
    people_views,
)
