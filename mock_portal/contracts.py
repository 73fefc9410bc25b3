"""İSG Hizmet Sözleşmeleri: list, approval, rejection, detail and PDF."""

from flask import Blueprint

bp = Blueprint("contracts", __name__)
