"""Certificates and other print documents."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
