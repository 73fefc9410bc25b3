"""Kurumsal: the E-Bildirge workplace list, its delayed refresh, choosing a workplace."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from mock_portal import security
from mock_portal.db import active_count, audit, get_db, now, now_iso, write

bp = Blueprint("workplaces", __name__)

REFRESH_REQUESTED = "Talebiniz alındı. İşyeri listeniz güncelleniyor."
_NOTICES = {"talep": REFRESH_REQUESTED}


def complete_due_refresh(conn: sqlite3.Connection, tc: str) -> list[str]:
    """Finish this person's E-Bildirge refresh once its delay has passed; returns the newly listed sicils."""
    with write(conn):
        done = conn.execute("DELETE FROM refresh_requests WHERE tc = ? AND due_at <= ?", (tc, now_iso()))
        if done.rowcount == 0:
            return []
        found = [
            row[0]
            for row in conn.execute(
                "SELECT sicil FROM account_workplaces WHERE tc = ? AND visible = 0 ORDER BY sicil", (tc,)
            )
        ]
        conn.execute("UPDATE account_workplaces SET visible = 1 WHERE tc = ? AND visible = 0", (tc,))
        for sicil in found:
            audit(conn, "refresh", sicil, "linked", account_tc=tc)
    return found


def _listed(conn: sqlite3.Connection, tc: str) -> list[sqlite3.Row]:
    return conn.execute(
        """SELECT w.sicil, w.unvan, w.hazard_class FROM account_workplaces a
           JOIN workplaces w ON w.sicil = a.sicil
           WHERE a.tc = ? AND a.visible = 1 ORDER BY w.unvan""",
        (tc,),
    ).fetchall()


@bp.get("/isyerleri")
@security.login_required
def index() -> str:
    """ "E-Bildirge Kullanıcısı Olduğunuz İşyerleri": the table with a "Seç" button per row."""
    conn = get_db()
    complete_due_refresh(conn, g.account_tc)
    return render_template(
        "workplaces.html",
        rows=_listed(conn, g.account_tc),
        message=_NOTICES.get(request.args.get("durum", "")),
    )


@bp.post("/isyerleri/getir")
@security.login_required
def refresh() -> Response:
    """Ask SGK for this person's E-Bildirge workplaces; they appear after the configured delay."""
    delay = current_app.config["FAULTS"].settings.refresh_delay_s
    due = (now() + timedelta(seconds=delay)).isoformat(timespec="seconds")
    conn = get_db()
    with write(conn):
        # A second click while a request is under way does not postpone the first one.
        conn.execute(
            "INSERT INTO refresh_requests (tc, requested_at, due_at) VALUES (?, ?, ?)"
            " ON CONFLICT (tc) DO NOTHING",
            (g.account_tc, now_iso(), due),
        )
        audit(conn, "refresh", None, "requested")
    return redirect(url_for("workplaces.index", durum="talep"))


@bp.post("/isyerleri/sec")
@security.login_required
def choose() -> Response:
    """ "Seç": make this workplace the session's workplace (403 unless the person is its E-Bildirge user)."""
    sicil = request.form.get("sicil", "").strip()
    return redirect(url_for("workplaces.home", sicil=_select(sicil)))


def _select(sicil: str) -> str:
    security.require_access(sicil)
    conn = get_db()
    if g.session.get("sicil") != sicil:
        with write(conn):
            conn.execute("UPDATE sessions SET sicil = ? WHERE id = ?", (sicil, g.session["id"]))
        g.session["sicil"] = sicil
    return sicil


@bp.get("/isyeri/<sicil>")
@security.login_required
def home(sicil: str) -> str:
    """The workplace shell's first page; also reachable by a typed URL, with the same access check."""
    _select(sicil)
    conn = get_db()
    row = conn.execute("SELECT * FROM workplaces WHERE sicil = ?", (sicil,)).fetchone()
    if row is None:
        abort(403, security.FORBIDDEN_MESSAGE)
    g.workplace = dict(row)
    pending = conn.execute(
        "SELECT COUNT(*) FROM contracts WHERE sicil = ? AND approval = 'Onay Bekliyor'", (sicil,)
    ).fetchone()[0]
    return render_template(
        "workplace_home.html", active_count=active_count(conn, sicil), pending_count=pending
    )
