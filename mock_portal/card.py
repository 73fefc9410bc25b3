"""İşyeri Kartı Bilgileri: Genel Bilgiler, SGK 4A list, contact and permission form."""

from flask import Blueprint

bp = Blueprint("card", __name__)
