"""The /_dev/ test API (test mode only)."""

from flask import Blueprint

bp = Blueprint("dev", __name__, url_prefix="/_dev")
