"""Uygunluk / Compliance: the newest audit's table (workplace × profession, red / amber / green) and its
findings with what to do; a filter for the workplaces with findings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from rpa.console.api import settings

bp = Blueprint("compliance", __name__)


@bp.get("/uygunluk")
def compliance() -> Any:
    """The page; `?bulgulu=1` keeps only the workplaces with findings."""
    from rpa.app.compliance import latest_compliance

    found = latest_compliance(settings())
    only = request.args.get("bulgulu") == "1"
    lines, findings = [], []
    if found is not None:
        flagged = found.flagged()
        lines = found.only_flagged() if only else found.lines
        findings = [f for f in found.findings if not only or f.sicil in flagged]
    return render_template("compliance.html", found=found, lines=lines, findings=findings, only=only)
