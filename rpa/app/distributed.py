"""Runs spread over workers on many machines: one task per account, the same run everywhere.

The run that is started (`katip approve --distributed`, the console, the scheduler) opens its batch as
any run does: the history record, the journal, the run folder. Instead of working the accounts itself it
hands one request per account to the workers (`RunRequest.part`: this run's id and the account) through
a `Dispatcher` the entry point installs (`rpa.workers` with Celery; the app layer never imports it), and
merges the reports they send back into its own: the summary, report, `--json` and exit status are those
of a local run.

A worker runs its share through the same capability entry (`run_part`): the batch joins the run's folder
and its journal in the shared database instead of starting new ones, works the one account under the
account's lock, and keeps no history record of its own. A task delivered again (its worker died) finds
the journal as the dead worker left it: done items are skipped, one left half-done is checked on the
portal first, so nothing is done twice.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, Field

from rpa.accounts import Account
from rpa.app.control import Progress, StopToken
from rpa.app.requests import PartOf, RunRequest
from rpa.errors import ConfigError
from rpa.report import RunReport
from rpa.settings import Settings

if TYPE_CHECKING:
    from rpa.app.batch import Batch

DISTRIBUTED_FLOWS = ("refresh", "approve", "contact", "roster_sync", "audit")


class PartResult(BaseModel):
    """What a worker sends back for its account: its share of the report, and how the account ended."""

    account: str
    outcome: str = "done"  # done | busy | login_needed | failed (as `Progress.account_done` says)
    report: RunReport
    busy: dict[str, str] = Field(default_factory=dict)
    # Another delivery of this very task holds the account (the broker handed it on too early): the
    # worker tries again later instead of reporting the account busy.
    same_run_busy: bool = False
    results: list[dict[str, Any]] = Field(default_factory=list)  # the flow's own per-account results (JSON)


def to_wire(value: Any) -> Any:
    """`value` as JSON data that validates back into the same models: every field, even those a model
    leaves out of its own JSON (`Field(exclude=True)`, custom serializers), which the run still needs."""
    if isinstance(value, BaseModel):
        return {name: to_wire(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {str(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_wire(v) for v in value]
    if isinstance(value, Enum):
        return to_wire(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def failed_part(account: str, why: str) -> PartResult:
    """The result of a part whose worker failed outright (an error outside the account's own handling)."""
    from rpa.logs import mask_numbers

    return PartResult(account=account, outcome="failed", report=RunReport(
        run_id="", command="", started=datetime.now(), account_errors={account: mask_numbers(why)}))


class Dispatcher(Protocol):
    """Sends the parts of a run to the workers and follows them (`rpa.workers.client`)."""

    def run(self, settings: Settings, parts: list[RunRequest], progress: Progress,
            stop: StopToken) -> list[PartResult]:
        """One task per part; the results of those that ran (the others were stopped before starting)."""
        ...


_dispatcher: Dispatcher | None = None


def use(dispatcher: Dispatcher | None) -> None:
    """Install the way parts reach the workers (an entry point does, before `--distributed` runs)."""
    global _dispatcher
    _dispatcher = dispatcher


def installed() -> bool:
    """Whether this process can send runs to workers (an entry point installed a dispatcher)."""
    return _dispatcher is not None


def check_distributed(settings: Settings) -> None:
    """What a distributed run needs, checked before it starts (ConfigError, one clear line)."""
    if _dispatcher is None or not settings.broker_url:
        raise ConfigError("--distributed: no broker: set KATIP_BROKER_URL=redis://… (the same as the workers')")
    if not settings.database_url or settings.database_url.startswith("sqlite"):
        raise ConfigError("--distributed: the workers need the journal in a shared database: set "
                          "KATIP_DATABASE_URL=postgresql+psycopg://… (the same as the workers')")


def send_to_workers(batch: Batch, accounts: list[Account]) -> list[Account]:
    """Hand each account to the workers and merge their reports into the batch's; the accounts left
    unstarted (the run was stopped first)."""
    if batch.request.flow not in DISTRIBUTED_FLOWS:
        raise ConfigError(f"--distributed: {batch.request.flow} runs are not distributed yet "
                          f"(only {', '.join(DISTRIBUTED_FLOWS)})")
    assert _dispatcher is not None  # check_distributed, at Batch.open
    parts = [batch.request.model_copy(update={"part": PartOf(run_id=batch.run.id, account=a.name),
                                              "distributed": False, "selfcheck": False})
             for a in accounts]
    results = {r.account: r for r in _dispatcher.run(batch.settings, parts, batch.progress, batch.stop)}
    report = batch.report
    for account in accounts:
        part = results.get(account.name)
        if part is None:
            continue
        report.refresh.extend(part.report.refresh)
        report.approve.extend(part.report.approve)
        report.contact.extend(part.report.contact)
        report.account_errors.update(part.report.account_errors)
        report.logins_needed.extend(n for n in part.report.logins_needed if n not in report.logins_needed)
        report.notes.extend(n for n in part.report.notes if n not in report.notes)
        batch.busy.update(part.busy)
        batch.worker_results.extend(part.results)
    return [a for a in accounts if a.name not in results]


def run_part(settings: Settings, request: RunRequest, progress: Progress | None = None) -> PartResult:
    """A worker's task: one account of a distributed run, through the capability's own entry."""
    from rpa.app.runs import start

    if request.part is None:
        raise ConfigError("not a part of a distributed run")
    name, run_id = request.part.account, request.part.run_id
    result = start(settings, request, progress=progress)
    report = result.report
    busy = dict(result.record.busy)
    if name in busy:
        outcome = "busy"
    elif name in report.logins_needed:
        outcome = "login_needed"
    elif name in report.account_errors:
        outcome = "failed"
    else:
        outcome = "done"
    same_run = any(f"run {run_id} (" in why for why in busy.values())
    return PartResult(account=name, outcome=outcome, report=report, busy=busy, same_run_busy=same_run,
                      results=result.extra.get("part_results", []))
