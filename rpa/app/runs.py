"""Runs as a whole: start any request, resume an unfinished run, and read the history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rpa.app.control import Progress, StopToken
from rpa.app.requests import REQUEST_TYPES, RunRequest
from rpa.app.result import RunResult
from rpa.errors import ConfigError
from rpa.history import RunHistory, RunRecord
from rpa.journal import Journal, JournalRun
from rpa.settings import Settings

RESUMABLE = ("approve", "contact", "roster_sync", "audit")


def start(settings: Settings, request: RunRequest, *, progress: Progress | None = None,
          stop: StopToken | None = None) -> RunResult:
    """Run any request through its capability's entry."""
    from rpa.app.capabilities.approve import approve
    from rpa.app.capabilities.audit import audit
    from rpa.app.capabilities.contact import contact
    from rpa.app.capabilities.refresh import refresh
    from rpa.app.capabilities.roster_sync import roster_sync
    from rpa.app.capabilities.selfcheck import selfcheck

    entries: dict[str, Callable[..., RunResult]] = {"approve": approve, "refresh": refresh, "contact": contact,
                                                   "roster_sync": roster_sync, "selfcheck": selfcheck,
                                                   "audit": audit}
    entry = entries.get(request.flow)
    if entry is None:
        raise ConfigError(f"flow {request.flow} cannot be run here")
    return entry(settings, request, progress=progress, stop=stop)


def journalled(settings: Settings, run_id: str) -> JournalRun:
    """The journal's run with this id (or unique prefix); ConfigError saying why if there is none."""
    try:
        return Journal(settings.private_state_dir(), settings.database_url).get_run(run_id)
    except KeyError as error:
        raise ConfigError(str(error.args[0])) from None


def resume_request(settings: Settings, run_id: str) -> tuple[Settings, RunRequest]:
    """The request and settings that finish the killed run `run_id`; ConfigError if it cannot be resumed."""
    found = journalled(settings, run_id)
    if found.job:
        raise ConfigError(f"Run {found.run_id} belongs to job '{found.job}': its next run continues it, or now: "
                          f"katip schedule run-now {found.job}")
    if found.flow not in RESUMABLE:
        raise ConfigError(f"Run {found.run_id} ({found.command}) cannot be resumed: only approve, contact "
                          "and roster sync runs can.")
    request = REQUEST_TYPES[found.flow].model_validate(
        {**found.request, "resume": found.run_id, "trigger": "resume"})
    where = found.settings
    settings = settings.model_copy(update={
        "portal_url": where.get("portal_url") or settings.portal_url,
        "accounts_file": Path(where["accounts_file"]) if where.get("accounts_file") else settings.accounts_file,
        "out_dir": Path(where["out_dir"]) if where.get("out_dir") else settings.out_dir,
    })
    return settings, request


def resume(settings: Settings, run_id: str, *, progress: Progress | None = None,
           stop: StopToken | None = None) -> RunResult:
    """Finish a killed run: done items are skipped, unfinished ones checked on the portal first."""
    settings, request = resume_request(settings, run_id)
    return start(settings, request, progress=progress, stop=stop)


def unfinished_of_job(settings: Settings, job: str) -> str | None:
    """The oldest unfinished journal run of a scheduled job, which its next run continues."""
    unfinished = Journal(settings.private_state_dir(), settings.database_url).unfinished_runs(job=job)
    return unfinished[0].run_id if unfinished else None


def history(settings: Settings) -> RunHistory:
    """The run history of these settings (the state dir's, or the shared database's)."""
    return RunHistory(settings.private_state_dir(), settings.database_url)


def recent(settings: Settings, limit: int = 20, job: str | None = None) -> list[RunRecord]:
    """The latest runs, newest first; runs whose process died are marked interrupted first."""
    runs = history(settings)
    runs.close_abandoned()
    return runs.recent(limit, job)


def get(settings: Settings, run_id: str) -> RunRecord:
    """One run by id or unique prefix; ConfigError saying why if there is none."""
    try:
        return history(settings).get(run_id)
    except KeyError as error:
        raise ConfigError(str(error.args[0])) from None
