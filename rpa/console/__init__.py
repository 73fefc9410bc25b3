"""`katip console`: the back office's local web app (Flask, served by waitress).

An entry point like the CLI and the scheduler: every page and API call goes through the app layer
(`rpa.app`): runs through `rpa.app.runs.start` in a background thread each, logins through
`rpa.app.login.log_in` with a prompter that waits for the code the clerk types, the history through
`rpa.app.runs`. Pages are server-rendered (Turkish first, the English beside); the live parts poll
small fragments with the package's own `static/console.js` (no CDN: the machines have no internet).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import Flask, abort, g, jsonify, request, session

from rpa.console import security
from rpa.console.work import LoginJobs, RunJobs
from rpa.settings import Settings

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def create_app(settings: Settings, *, bound_host: str = "127.0.0.1", port: int | None = None,
               use_keyring: bool | None = None, config: dict[str, Any] | None = None) -> Flask:
    """The console for these settings; `bound_host`/`port`: the address it serves (Host check).

    `config`: Flask settings on top, e.g. KATIP_SCHEDULE_FILE (default ./schedules.yaml)."""
    app = Flask(__name__)
    state_dir = settings.private_state_dir()
    app.config.update(
        SECRET_KEY=secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="katip_console",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        KATIP_SETTINGS=settings,
        KATIP_TOKEN=security.api_token(state_dir),
        KATIP_PASSWORD_HASH=security.password_hash(state_dir),
        KATIP_BOUND_HOST=bound_host,
        KATIP_PORT=port,
        KATIP_USE_KEYRING=use_keyring,
    )
    app.config.update(config or {})
    app.extensions["katip_runs"] = RunJobs(settings)
    app.extensions["katip_logins"] = LoginJobs(settings)
    app.extensions["katip_limiter"] = security.LoginLimiter()

    from rpa.console import api, compliance, pages, schedules

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(schedules.bp)
    app.register_blueprint(compliance.bp)
    app.before_request(_guard)
    app.after_request(_headers)
    app.context_processor(lambda: {"csrf_token": csrf_token, "password_set": bool(
        app.config["KATIP_PASSWORD_HASH"]), "logged_in": session.get("auth", False)})
    return app


def csrf_token() -> str:
    """The session's CSRF token (made on first use), for every form and the pages' API calls."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def _refuse(status: int, message: str) -> Any:
    if request.path.startswith("/api/"):
        answer = jsonify({"error": message})
        answer.status_code = status
        abort(answer)
    abort(status, description=message)


def _guard() -> None:
    from flask import current_app as app

    config = app.config
    host = request.headers.get("Host", "")
    if not security.host_allowed(host, config["KATIP_BOUND_HOST"], config["KATIP_PORT"]):
        _refuse(403, "yabancı Host / foreign Host refused")
    if not security.origin_allowed(request.headers.get("Origin"), host):
        _refuse(403, "yabancı Origin / foreign Origin refused")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        _refuse(403, "başka siteden istek / cross-site request refused")
    g.by_token = security.same_token(request.headers.get("X-Katip-Token"), config["KATIP_TOKEN"])
    if request.endpoint == "static" or g.by_token:
        return
    if config["KATIP_PASSWORD_HASH"] and not session.get("auth") and request.endpoint not in ("pages.login",):
        if request.path.startswith("/api/"):
            _refuse(403, "X-Katip-Token gerekli / X-Katip-Token required")
        from flask import redirect, url_for

        abort(redirect(url_for("pages.login", next=request.path)))
    if request.method not in SAFE_METHODS:
        given = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
        if not security.same_token(given, session.get("csrf")):
            _refuse(403, "CSRF belirteci yok ya da yanlış / missing or wrong CSRF token "
                         "(programs send X-Katip-Token)")


def _headers(response: Any) -> Any:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
    return response
