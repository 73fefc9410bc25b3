"""The console's JSON API (pinned paths and fields; see the issue "The back-office console").

The pages' live parts use it with the session's CSRF token; the OSGB's own software with
`X-Katip-Token` (`katip console token`).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from rpa.console.views import build_request, run_json
from rpa.console.work import LoginJobs, RunJobs
from rpa.errors import ConfigError
from rpa.settings import Settings

bp = Blueprint("api", __name__, url_prefix="/api")
CODE = re.compile(r"^\d{4,8}$")


def settings() -> Settings:
    """The console's settings."""
    return current_app.config["KATIP_SETTINGS"]


def run_jobs() -> RunJobs:
    """The console's runs."""
    return current_app.extensions["katip_runs"]


def login_jobs() -> LoginJobs:
    """The console's logins."""
    return current_app.extensions["katip_logins"]


def trigger() -> str:
    """Who starts a run: a program with the token ("api"), else the console's pages ("console")."""
    return "api" if g.get("by_token") else "console"


def _error(status: int, message: str) -> Any:
    answer = jsonify({"error": message})
    answer.status_code = status
    return answer


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.errorhandler(ConfigError)
def _config_error(error: ConfigError) -> Any:
    return _error(400, str(error))


@bp.get("/accounts")
def accounts() -> Any:
    """Every account with its session state."""
    from rpa.app.accounts import account_states

    return jsonify([state.model_dump(mode="json") for state in account_states(settings())])


@bp.post("/accounts/<name>/login")
def start_login(name: str) -> Any:
    """Start the robot's headless login for this account ({"password"} only for `password: prompt`)."""
    password = _body().get("password")
    job = login_jobs().start(name, password if isinstance(password, str) and password else None)
    return jsonify({"login_id": job.id, "state": job.state}), 202


@bp.get("/logins/<login_id>")
def login_state(login_id: str) -> Any:
    """running | code_needed | done | failed, with a message."""
    job = login_jobs().get(login_id)
    if job is None:
        return _error(404, "böyle bir giriş yok / no such login")
    return jsonify({"login_id": job.id, "account": job.account, "state": job.state, "message": job.message})


@bp.post("/logins/<login_id>/code")
def login_code(login_id: str) -> Any:
    """The two-step code the clerk read from the SMS."""
    code = str(_body().get("code") or request.form.get("code") or "").strip()
    if not CODE.match(code):
        return _error(400, "kod rakamlardan oluşur / the code is digits only")
    if login_jobs().get(login_id) is None:
        return _error(404, "böyle bir giriş yok / no such login")
    if not login_jobs().give_code(login_id, code):
        return _error(409, "bu giriş kod beklemiyor / this login is not waiting for a code")
    return jsonify({"login_id": login_id, "state": "running"})


@bp.post("/runs")
def start_run() -> Any:
    """Start a run: {"flow", "dry_run", "accounts"} (contact: "rows" or "file"; roster_sync: "files")."""
    job = run_jobs().start(build_request(_body(), trigger()))
    return jsonify({"id": job.id}), 202


@bp.get("/runs")
def list_runs() -> Any:
    """Every run, newest first: the console's, the CLI's and the schedule's."""
    from rpa.app import runs

    limit = min(max(request.args.get("limit", 50, type=int) or 50, 1), 500)
    jobs = run_jobs()
    return jsonify([run_json(record, jobs.get(record.id)) for record in runs.recent(settings(), limit)])


@bp.get("/runs/<run_id>")
def one_run(run_id: str) -> Any:
    """One run (live progress too when the console runs it)."""
    from rpa.app import runs

    try:
        record = runs.get(settings(), run_id)
    except ConfigError as error:
        return _error(404, str(error))
    return jsonify(run_json(record, run_jobs().get(record.id)))


@bp.post("/runs/<run_id>/stop")
def stop_run(run_id: str) -> Any:
    """Stop gracefully: the items in hand finish; `katip runs resume` (or the next run) does the rest."""
    job = run_jobs().get(run_id)
    if job is None or job.finished.is_set():
        return _error(409, "bu çalıştırma sürmüyor / this run is not going on here")
    job.stop.set("konsoldan durduruldu / stopped from the console")
    return jsonify({"id": run_id, "stopping": True})


@bp.get("/held")
def held() -> Any:
    """The contracts held back and still waiting, with the reason in Turkish and English."""
    from rpa.app.held import held as held_now

    return jsonify([{"contract_no": c.contract_no, "sicil": c.sicil, "reason": c.reason, "unvan": c.unvan,
                     "account": c.account, "professional": c.professional, "title": c.title,
                     "reasons": [r.model_dump() for r in c.reasons], "run_id": c.run_id}
                    for c in held_now(settings())])


def approve_held(contract_no: str, by: str) -> tuple[str | None, str | None]:
    """Start the run approving exactly this held contract: (run id, None) or (None, why not: 409)."""
    from rpa.app.held import find_held

    found = find_held(settings(), contract_no)
    if found is None:
        return None, "bu sözleşme artık beklemiyor / this contract is no longer waiting"
    if run_jobs().approving(contract_no):
        return None, "bu sözleşme şu an onaylanıyor / this contract is being approved now"
    request_ = build_request({"flow": "approve", "force": True, "contracts": [contract_no],
                              "workplaces": [found.sicil], "accounts": [found.account]}, by)
    return run_jobs().start(request_).id, None


@bp.post("/held/<contract_no>/approve")
def approve_one(contract_no: str) -> Any:
    """Approve exactly this held contract, anyway: {"confirm": true} (an approval cannot be undone)."""
    if _body().get("confirm") is not True:
        return _error(400, 'onay geri alınamaz: {"confirm": true} gönderin / an approval cannot be undone: '
                           'send {"confirm": true}')
    run_id, why_not = approve_held(contract_no, trigger())
    if run_id is None:
        return _error(409, why_not or "")
    return jsonify({"id": run_id, "contract_no": contract_no}), 202
