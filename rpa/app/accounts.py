"""Each account's session state, as the console's Hesaplar page and `GET /api/accounts` show it.

- `blocked`: the portal refused the account for good at its last login (`<session>.blocked.json`);
- `none`: no saved session;
- `expired`: a run since the session was saved stopped with "login needed" for it;
- `valid`: a saved session nothing has found stale yet.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from rpa.accounts import Account, load_accounts
from rpa.history import RunRecord
from rpa.settings import Settings

SessionState = Literal["valid", "expired", "none", "blocked"]


class AccountState(BaseModel):
    """One account of accounts.yaml with how its session stands."""

    name: str
    tc_masked: str
    session: SessionState
    detail: str
    password: str  # where the password comes from (env:…, keyring:…, store, prompt), never the password
    code: str
    last_success: datetime | None = None
    last_error: str | None = None


def session_state(settings: Settings, account: Account, runs: list[RunRecord]) -> tuple[SessionState, str]:
    """The account's session state and a line saying why, from its files and the recent runs."""
    folder = settings.private_state_dir() / "sessions"
    state_file = folder / f"{account.file_key}.json"
    blocked_file = state_file.with_suffix(".blocked.json")
    if blocked_file.is_file():
        try:
            reason = str(json.loads(blocked_file.read_text(encoding="utf-8"))["reason"])
        except (OSError, ValueError, KeyError, TypeError):
            reason = "portal refused the login"
        return "blocked", f"engelli / blocked: {reason}"
    if not state_file.is_file():
        return "none", "kayıtlı oturum yok / no saved session: Giriş yap / log in"
    saved = datetime.fromtimestamp(state_file.stat().st_mtime, UTC)
    for run in runs:  # newest first
        ended = run.ended_at or run.started_at
        if ended.tzinfo is None:
            ended = ended.replace(tzinfo=UTC)
        if ended < saved:
            break
        if account.name in run.login_needed:
            return "expired", f"oturum sona erdi / session expired (run {run.id}): Giriş yap / log in"
    return "valid", f"oturum kayıtlı / session saved {saved.astimezone():%d.%m.%Y %H:%M}"


def account_states(settings: Settings) -> list[AccountState]:
    """Every account of accounts.yaml (none if the file does not exist yet) with its session state."""
    from rpa.app.runs import recent

    if not settings.accounts_file.is_file():
        return []
    accounts = load_accounts(settings.accounts_file)
    runs = recent(settings, 100)
    states = []
    for account in accounts:
        state, detail = session_state(settings, account, runs)
        mine = [r for r in runs if account.name in r.accounts and r.outcome != "running"]
        # A run that needs attention for its items (held contracts, audit findings) went well for the
        # account: only a failed run, or a problem naming the account, is the account's error.
        own = {r.id: next((p for p in r.problems if p.startswith(f"{account.name}:")), None) for r in mine}
        success = next((r for r in mine if r.outcome != "failed" and own[r.id] is None), None)
        failing = next((r for r in mine if r.outcome == "failed" or own[r.id] is not None), None)
        error = None
        if failing is not None and (success is None or failing.started_at > success.started_at):
            error = own[failing.id] or (failing.problems[0] if failing.problems else failing.outcome)
        states.append(AccountState(name=account.name, tc_masked=account.masked_tc, session=state, detail=detail,
                                   password=str(account.password), code=str(account.code),
                                   last_success=success.ended_at if success else None, last_error=error))
    return states
