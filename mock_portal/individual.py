"""Bireysel: the İSG professional's own contracts, read-only."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, g, render_template

from mock_portal import security
from mock_portal.db import get_db

bp = Blueprint("individual", __name__)


def _tr_date(iso: str) -> str:
    """ISO date as Turkish pages show it: dd.mm.yyyy."""
    try:
        return date.fromisoformat(iso).strftime("%d.%m.%Y")
    except ValueError:
        return iso


@bp.get("/bireysel")
@security.login_required
def index() -> str:
    """Every contract where the logged-in person is the professional; waiting ones first."""
    conn = get_db()
    rows = conn.execute(
        """SELECT c.*, w.unvan FROM contracts c JOIN workplaces w ON w.sicil = c.sicil
           WHERE c.professional_tc = ?
           ORDER BY c.approval = 'Onay Bekliyor' DESC, c.start_date DESC, c.no DESC""",
        (g.account_tc,),
    ).fetchall()
    contracts = [{**dict(row), "start_date_tr": _tr_date(row["start_date"])} for row in rows]
    account = conn.execute("SELECT name FROM accounts WHERE tc = ?", (g.account_tc,)).fetchone()
    return render_template("individual.html", rows=contracts, name=account["name"] if account else "")
