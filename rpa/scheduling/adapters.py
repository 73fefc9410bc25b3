"""From a scheduled job to the app layer's request: a few lines per flow.

Paths in the schedule file (rosters, contacts) are read relative to the file's own folder. A file that
cannot be used is a ConfigError, which `run_job` records as a failed run saying why.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

from rpa.app.requests import ApproveRun, AuditRun, ContactRun, RefreshRun, RosterSyncRun, RunRequest
from rpa.contact_input import ContactSheet
from rpa.errors import ConfigError
from rpa.history import Trigger
from rpa.scheduling.config import JobSpec

# The schedule file's flow names and the app layer's capabilities.
CAPABILITY = {"approve_contracts": "approve", "refresh_workplaces": "refresh", "update_contact": "contact",
              "sync_roster": "roster_sync", "audit": "audit"}


def request_for(job: JobSpec, base_dir: Path, trigger: Trigger, resume: str | None = None) -> RunRequest:
    """The app request one run of `job` makes (ConfigError when its files cannot be used)."""
    common: dict[str, Any] = {
        "accounts": None if job.accounts == "all" else list(job.accounts),
        "workplaces": None if job.workplaces == "all" else list(job.workplaces),
        "trigger": trigger, "job": job.id, "resume": resume, "command": f"katip schedule run-now {job.id}",
        # Nobody watches a scheduled run: a changed portal must stop it before its first change.
        "selfcheck": True,
    }
    if job.flow == "approve_contracts":
        return ApproveRun(**common)
    if job.flow == "refresh_workplaces":
        wait_s = None if job.wait is None else job.wait.total_seconds()
        return RefreshRun(refresh=job.refresh, wait_s=wait_s, **common)
    if job.flow == "update_contact":
        sheet = _contact_sheet(job, base_dir)
        return ContactRun(rows=sheet.rows, rejected=sheet.problems, source=job.contacts, **common)
    if job.flow == "sync_roster":
        return RosterSyncRun(files=_roster_files(job, base_dir), **common)
    if job.flow == "audit":  # with `rosters`, their headcounts replace SGK's (next month's problems first)
        return AuditRun(headcount_from=_roster_files(job, base_dir) if job.rosters else None, **common)
    raise ConfigError(f"job '{job.id}': flow {job.flow} cannot be scheduled yet")


def resolve(base_dir: Path, pattern: str) -> Path:
    """A path or glob from the schedule file, relative to the file's folder."""
    path = Path(pattern).expanduser()
    return path if path.is_absolute() else base_dir / path


def _contact_sheet(job: JobSpec, base_dir: Path) -> ContactSheet:
    """The job's contact file: its bad rows are listed in the run (which then needs attention)."""
    from rpa.contact_input import ContactInputError, read_contact_file

    try:
        return read_contact_file(resolve(base_dir, job.contacts or ""))
    except ContactInputError as error:
        raise ConfigError(f"job '{job.id}': contacts: {'; '.join(error.problems)}") from None


def _roster_files(job: JobSpec, base_dir: Path) -> list[Path]:
    """The files the job's `rosters` glob matches now, in a stable order; none is a failed run."""
    pattern = str(resolve(base_dir, job.rosters or ""))
    files = sorted(Path(name) for name in glob.glob(pattern))
    if not files:
        raise ConfigError(f"job '{job.id}': rosters '{job.rosters}' hiçbir dosyaya uymuyor / matches no file "
                          f"({pattern})")
    return files
