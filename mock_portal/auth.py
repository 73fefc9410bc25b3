"""Start page, e-Devlet login, two-step verification, the Bireysel/Kurumsal choice, logout."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from mock_portal import security
from mock_portal.db import get_db, now, now_iso, write

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "T.C. Kimlik No veya şifre hatalı."
NO_TWO_STEP = "İki aşamalı doğrulama aktif olmayan kullanıcılar sisteme giriş yapamaz."
WRONG_CODE = "Doğrulama kodu hatalı."
CODE_EXPIRED = "Doğrulama kodunun süresi doldu. Lütfen tekrar giriş yapınız."
TOO_MANY_TRIES = "Doğrulama kodu 3 kez hatalı girildi. Lütfen tekrar giriş yapınız."
MAX_CODE_TRIES = 3

# Messages the login page shows after a redirect from the two-step page (never free text from the URL).
_LOGIN_NOTICES = {"kod-suresi": CODE_EXPIRED, "kod-hatali": TOO_MANY_TRIES}


def _mask_phone(phone: str | None) -> str | None:
    return f"{phone[:2]}** *** ** {phone[-2:]}" if phone and len(phone) >= 4 else None


@bp.get("/")
def start() -> tuple[str, int] | str:
    """The start page: heading and the "e-Devlet Giriş" link; after an idle-out, the idle-out message."""
    if g.get("session_expired"):
        return security.expired_page()
    return render_template("start.html")


@bp.get("/giris")
def login() -> str | Response:
    """The e-Devlet identity page (a person already logged in goes straight on, as with e-Devlet SSO)."""
    if g.get("account_tc"):
        return redirect(url_for("auth.choice"))
    return render_template("login.html", error=_LOGIN_NOTICES.get(request.args.get("durum", "")))


@bp.post("/giris")
def login_post() -> str | Response:
    """Check T.C. Kimlik No and password, then send a two-step code."""
    tc = "".join(request.form.get("tc", "").split())
    password = request.form.get("password", "")
    conn = get_db()
    account = conn.execute("SELECT * FROM accounts WHERE tc = ?", (tc,)).fetchone()
    if account is None or not secrets.compare_digest(account["password"].encode(), password.encode()):
        return render_template("login.html", error=BAD_CREDENTIALS, tc=tc)
    if not account["two_step"]:
        return render_template("login.html", error=NO_TWO_STEP, tc=tc)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO sms_codes (tc, code, issued_at, tries) VALUES (?, ?, ?, 0)",
            (tc, code, now_iso()),
        )
    sink = current_app.config.get("SMS_SINK")
    if sink is not None:  # `katip portal` prints the "SMS" on its console, the mock's phone
        sink(tc, code)
    security.start_session(tc, "password_ok")
    return redirect(url_for("auth.two_step"))


def _waiting_tc() -> str | None:
    session = g.get("session")
    return session["tc"] if session and session["stage"] == "password_ok" else None


@bp.get("/dogrulama")
def two_step() -> str | tuple[str, int] | Response:
    """The two-step verification page."""
    if g.get("session_expired"):
        return security.expired_page()
    tc = _waiting_tc()
    if tc is None:
        return redirect(url_for("auth.login"))
    phone = get_db().execute("SELECT phone FROM accounts WHERE tc = ?", (tc,)).fetchone()
    return render_template("two_step.html", phone=_mask_phone(phone["phone"] if phone else None))


def _back_to_login(notice: str) -> Response:
    security.end_session()
    return redirect(url_for("auth.login", durum=notice))


@bp.post("/dogrulama")
def two_step_post() -> str | tuple[str, int] | Response:
    """Check the code: right -> logged in; wrong -> try again (3 times); expired -> log in again."""
    if g.get("session_expired"):
        return security.expired_page()
    tc = _waiting_tc()
    if tc is None:
        return redirect(url_for("auth.login"))
    conn = get_db()
    ttl = current_app.config["FAULTS"].settings.sms_ttl_s
    with write(conn):
        sms = conn.execute("SELECT * FROM sms_codes WHERE tc = ?", (tc,)).fetchone()
        if sms is None or now() - datetime.fromisoformat(sms["issued_at"]) > timedelta(seconds=ttl):
            conn.execute("DELETE FROM sms_codes WHERE tc = ?", (tc,))
            expired = True
        else:
            expired = False
            typed = "".join(request.form.get("code", "").split())
            right = secrets.compare_digest(sms["code"].encode(), typed.encode())
            tries = sms["tries"] + (0 if right else 1)
            if right or tries >= MAX_CODE_TRIES:
                conn.execute("DELETE FROM sms_codes WHERE tc = ?", (tc,))  # a code works once, then never
            else:
                conn.execute("UPDATE sms_codes SET tries = ? WHERE tc = ?", (tries, tc))
    if expired:
        return _back_to_login("kod-suresi")
    if not right:
        if tries >= MAX_CODE_TRIES:
            return _back_to_login("kod-hatali")
        return render_template("two_step.html", error=WRONG_CODE)
    security.start_session(tc, "in")
    return redirect(url_for("auth.choice"))


@bp.get("/secim")
@security.login_required
def choice() -> str:
    """After login: "Bireysel" (own contracts as a professional) or "Kurumsal" (the employer's workplaces)."""
    account = get_db().execute("SELECT name FROM accounts WHERE tc = ?", (g.account_tc,)).fetchone()
    return render_template("choice.html", name=account["name"] if account else "")


@bp.post("/cikis")
def logout() -> Response:
    """ "Çıkış": end the session and return to the start page."""
    security.end_session()
    return redirect(url_for("auth.start"))
