"""Kurumsal: the E-Bildirge workplace list, its refresh, choosing a workplace."""

from flask import Blueprint

bp = Blueprint("workplaces", __name__)
