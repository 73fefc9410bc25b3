"""What the console shows of the app layer's objects: JSON for the API, and the requests it builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rpa.app.requests import ApproveRun, ContactRun, RefreshRun, RosterSyncRun, RunRequest
from rpa.console.work import ConsoleRun
from rpa.errors import ConfigError
from rpa.history import OUTCOME_MEANING, RunRecord

CONSOLE_FLOWS = ("approve", "refresh", "contact", "roster_sync")
FLOW_NAMES = {"approve": "Onay / approve", "refresh": "İşyeri yenileme / workplace refresh",
              "contact": "İletişim / contact", "roster_sync": "Personel eşitleme / roster sync",
              "audit": "Denetim / audit", "selfcheck": "Portal kontrolü / selfcheck"}


def run_json(record: RunRecord, live: ConsoleRun | None = None) -> dict[str, Any]:
    """A run as `GET /api/runs/<id>` gives it (the pinned fields first)."""
    done = record.outcome != "running" and (live is None or live.finished.is_set())
    answer: dict[str, Any] = {
        "id": record.id, "flow": record.flow, "trigger": record.trigger, "outcome": record.outcome,
        "counts": record.counts, "report_path": record.report_path, "done": done,
        "meaning": OUTCOME_MEANING.get(record.outcome, ""), "accounts": record.accounts, "job": record.job,
        "command": record.command, "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None, "problems": record.problems,
        "login_needed": record.login_needed,
    }
    if live is not None:
        answer["progress"] = live.progress.snapshot()
        answer["stopping"] = live.stop.is_set() and not done
    return answer


def _command(flow: str, dry_run: bool, accounts: list[str] | None, extra: str = "") -> str:
    words = {"approve": "katip approve", "refresh": "katip workplaces --refresh", "contact": "katip contact",
             "roster_sync": "katip roster sync"}[flow]
    if dry_run:
        words += " --dry-run"
    for name in accounts or []:
        words += f" --account {name}"
    return words + extra


def build_request(body: dict[str, Any], trigger: str) -> RunRequest:
    """A run request from `POST /api/runs`' body (or a page's form); ConfigError saying what is wrong."""
    from pydantic import ValidationError

    flow = body.get("flow")
    if flow not in CONSOLE_FLOWS:
        raise ConfigError(f"flow: one of {', '.join(CONSOLE_FLOWS)}")
    accounts = body.get("accounts") or None
    if accounts is not None and (not isinstance(accounts, list) or not all(isinstance(a, str) for a in accounts)):
        raise ConfigError("accounts: a list of account names")
    dry_run = bool(body.get("dry_run", False))
    common: dict[str, Any] = {"accounts": accounts, "dry_run": dry_run, "trigger": trigger,
                              "workplaces": body.get("workplaces") or None}
    try:
        if flow == "approve":
            contracts = body.get("contracts") or None
            extra = "".join(f" --contract {c}" for c in contracts or [])
            force = bool(body.get("force", False))
            return ApproveRun(**common, force=force, contracts=contracts,
                              command=_command(flow, dry_run, accounts, (" --force --yes" if force else "") + extra))
        if flow == "refresh":
            return RefreshRun(**common, refresh=True, command=_command(flow, dry_run, accounts))
        if flow == "contact":
            from rpa.contact_input import ContactInputError, ContactRow, read_contact_file

            rejected = []
            if body.get("file"):
                try:
                    sheet = read_contact_file(Path(body["file"]))
                except ContactInputError as exc:
                    raise ConfigError("; ".join(exc.problems)) from None
                rows, rejected = sheet.rows, sheet.problems  # bad rows are listed in the run, not applied
            else:
                rows = [ContactRow.model_validate(row) for row in body.get("rows") or []]
            if not rows and not rejected:
                raise ConfigError("contact: give 'rows' or 'file'")
            return ContactRun(**common, rows=rows, rejected=rejected, source=body.get("file"),
                              command=_command(flow, dry_run, accounts, f" --file {body.get('file') or '-'}"))
        files = body.get("files") or []
        if not files:
            raise ConfigError("roster_sync: give 'files' (the roster spreadsheets)")
        return RosterSyncRun(**common, files=[Path(f) for f in files],
                             command=_command(flow, dry_run, accounts, "".join(f" {f}" for f in files)))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(problems) from None
