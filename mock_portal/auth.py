"""e-Devlet login, two-step verification, Bireysel/Kurumsal choice, logout."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
