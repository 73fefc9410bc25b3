"""Sessions, one-time form tokens (CSRF + no double submit), idle-out and access guards."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import abort, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup

from mock_portal.db import get_db, now, now_iso, write

COOKIE = "KATIPSESSION"
ABANDONED_AFTER = timedelta(days=1)
EXPIRED_MESSAGE = "Oturumunuzun süresi doldu. Lütfen tekrar giriş yapınız."
FORBIDDEN_MESSAGE = "Bu işyerine erişim yetkiniz bulunmamaktadır."
STALE_FORM_MESSAGE = "Bu form daha önce gönderildi veya süresi doldu. Lütfen sayfayı yenileyip tekrar deneyiniz."


def load_session() -> None:
    """before_request: find the caller's session, expire it when idle too long, touch it."""
    g.session = None
    g.account_tc = None
    g.session_expired = False
    sid = request.cookies.get(COOKIE)
    if not sid:
        return
    conn = get_db()
    row = conn.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone()
    if row is None:
        return
    ttl = current_app.config["FAULTS"].settings.session_ttl_s
    if now() - datetime.fromisoformat(row["last_seen"]) > timedelta(seconds=ttl):
        with write(conn):
            conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        g.session_expired = row["stage"] != "anon"
        if g.session_expired:
            current_app.config["FAULTS"].count("idle_out")
        return
    with write(conn):
        conn.execute("UPDATE sessions SET last_seen = ? WHERE id = ?", (now_iso(), sid))
    g.session = dict(row)
    if row["stage"] == "in":
        g.account_tc = row["tc"]


def start_session(tc: str = "", stage: str = "anon") -> str:
    """Create a session row (replacing the caller's) and remember to set its cookie."""
    conn = get_db()
    sid = secrets.token_urlsafe(24)
    with write(conn):
        if g.get("session"):
            conn.execute("DELETE FROM sessions WHERE id = ?", (g.session["id"],))
        _purge_abandoned(conn)
        conn.execute(
            "INSERT INTO sessions (id, tc, stage, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
            (sid, tc, stage, now_iso(), now_iso()),
        )
    g.session = dict(conn.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone())
    g.account_tc = tc if stage == "in" else None
    g.new_session_id = sid
    return sid


def _purge_abandoned(conn) -> None:  # noqa: ANN001 - sqlite3 connection
    """Forget sessions and form tokens nobody can use any more, so long runs do not grow the tables.

    An idle session is kept for a day past its lifetime: a person coming back must still be told
    "Oturumunuzun süresi doldu" rather than be silently sent to the start page.
    """
    ttl = current_app.config["FAULTS"].settings.session_ttl_s
    session_cutoff = (now() - timedelta(seconds=ttl) - ABANDONED_AFTER).isoformat(timespec="seconds")
    token_cutoff = (now() - ABANDONED_AFTER).isoformat(timespec="seconds")
    anonymous_cutoff = (now() - timedelta(seconds=ttl)).isoformat(timespec="seconds")
    conn.execute("DELETE FROM sessions WHERE last_seen < ?", (session_cutoff,))
    # A visitor who never logged in has nothing to be told on return: every bare page view (a scanner,
    # a health check) must not leave a row behind for a day.
    conn.execute("DELETE FROM sessions WHERE stage = 'anon' AND last_seen < ?", (anonymous_cutoff,))
    conn.execute("DELETE FROM form_tokens WHERE issued_at < ? OR session_id NOT IN (SELECT id FROM sessions)",
                 (token_cutoff,))


def end_session() -> None:
    """Log out: forget the session on the server and in the browser."""
    if g.get("session"):
        conn = get_db()
        with write(conn):
            conn.execute("DELETE FROM sessions WHERE id = ?", (g.session["id"],))
    g.session = None
    g.account_tc = None
    g.clear_cookie = True


def set_session_cookie(response):  # noqa: ANN001, ANN201 - Flask response in, out
    """after_request: send the session cookie (HttpOnly, SameSite) when it changed."""
    if g.get("new_session_id"):
        response.set_cookie(COOKIE, g.new_session_id, httponly=True, samesite="Lax", path="/")
    elif g.get("clear_cookie"):
        response.delete_cookie(COOKIE, path="/")
    return response


def ensure_anonymous_session() -> None:
    """Give a visitor a session before the first form, so that even the login form has a token."""
    if not g.get("session"):
        start_session()


def form_token_field() -> Markup:
    """Jinja global `form_token()`: a hidden one-time token bound to this session."""
    ensure_anonymous_session()
    token = secrets.token_urlsafe(18)
    conn = get_db()
    with write(conn):
        conn.execute(
            "INSERT INTO form_tokens (token, session_id, issued_at) VALUES (?, ?, ?)",
            (token, g.session["id"], now_iso()),
        )
    return Markup(f'<input type="hidden" name="csrf_token" value="{token}">')


def consume_form_token() -> bool:
    """Spend the posted token; False when it is missing, foreign, or already used."""
    token = request.form.get("csrf_token", "")
    if not token or not g.get("session"):
        return False
    conn = get_db()
    with write(conn):
        cur = conn.execute(
            "UPDATE form_tokens SET used_at = ? WHERE token = ? AND session_id = ? AND used_at IS NULL",
            (now_iso(), token, g.session["id"]),
        )
    return cur.rowcount == 1


def check_form():  # noqa: ANN201 - None or the idle-out page
    """before_request for POSTs outside `/_dev/`: refuse a form without a fresh token of this session."""
    if request.method != "POST" or request.blueprint == "dev":
        return
    if g.get("session_expired"):
        # Any form of an idled-out session, the login form included, gets the idle-out page: skipping
        # the token check here would accept a cross-site login post from a stale browser.
        return expired_page()
    if not consume_form_token():
        abort(400, STALE_FORM_MESSAGE)


def expired_page():  # noqa: ANN201
    """The start page with the idle-out message (what any page shows after an idle-out)."""
    return render_template("start.html", error=EXPIRED_MESSAGE), 401


def login_required(view: Callable) -> Callable:
    """Only for a fully logged-in session (password and two-step code)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if g.get("session_expired"):
            return expired_page()
        if not g.get("account_tc"):
            return redirect(url_for("auth.start"))
        return view(*args, **kwargs)

    return wrapped


def can_access(tc: str, sicil: str) -> bool:
    """Whether this person is a (visible) E-Bildirge user of that workplace."""
    row = get_db().execute(
        "SELECT 1 FROM account_workplaces WHERE tc = ? AND sicil = ? AND visible = 1", (tc, sicil)
    ).fetchone()
    return row is not None


def require_access(sicil: str) -> None:
    """403 with the portal's message unless the logged-in person may use this workplace."""
    if not can_access(g.account_tc, sicil):
        abort(403, FORBIDDEN_MESSAGE)


def workplace_required(view: Callable) -> Callable:
    """Logged in, with a chosen workplace the person may use; sets `g.workplace`."""

    @login_required
    @functools.wraps(view)
    def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        sicil = g.session.get("sicil")
        if not sicil:
            return redirect(url_for("workplaces.index"))
        require_access(sicil)
        g.workplace = dict(get_db().execute("SELECT * FROM workplaces WHERE sicil = ?", (sicil,)).fetchone())
        return view(*args, **kwargs)

    return wrapped
