"""Certificates and other print documents."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, url_prefix="/c/<int:cid>/print")
