"""Bireysel: the professional's own contracts, read-only."""

from flask import Blueprint

bp = Blueprint("individual", __name__)
