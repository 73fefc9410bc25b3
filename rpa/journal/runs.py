"""The journal's side of a batch run: which journal run a new run continues, and what it hands flows."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rpa.journal.store import Journal, closing_journal
from rpa.journal.views import NO_JOURNAL, AccountJournal, RunJournal

if TYPE_CHECKING:
    from rpa.flows.batch import Batch

RESUME_ENV = "KATIP_RESUME_RUN"  # set by `katip runs resume`: the journal run the new process continues

# The scheduler tells the batch of a new job run which journal run it continues and which job it is.
_JOB_RUNS: dict[str, tuple[str, str | None]] = {}
_JOB_LOCK = threading.Lock()


def prepare_job_run(state_dir: Path, run_id: str, job: str) -> str | None:
    """Before a scheduled job runs: continue its oldest unfinished journal run; returns that run's id."""
    with closing_journal(state_dir) as journal:
        unfinished = journal.unfinished_runs(job=job)
    resumes = unfinished[0].run_id if unfinished else None
    with _JOB_LOCK:
        _JOB_RUNS[run_id] = (job, resumes)
    return resumes


def open_for(batch: Batch) -> RunJournal | None:
    """The journal of the batch's run (None for a dry run): a new journal run, or the one it resumes."""
    if batch.report.dry_run:
        return None
    settings, run = batch.settings, batch.run
    journal = Journal(settings.private_state_dir())
    with _JOB_LOCK:
        job, resumes = _JOB_RUNS.pop(run.id, (None, None))
    resumes = resumes or os.environ.get(RESUME_ENV) or None
    if resumes:
        journal.resumed(resumes, run.id)
        return RunJournal(journal, resumes)
    argv = sys.argv[1:] if job is None else []
    env = {"portal_url": settings.portal_url or "", "accounts_file": str(settings.accounts_file.resolve()),
           "out_dir": str(settings.out_dir.resolve()), "cwd": str(Path.cwd()),
           "accounts": ",".join(a.name for a in batch.accounts)}
    journal.start_run(run.id, batch.report.command, argv, env, job)
    return RunJournal(journal, run.id)


def account_journal(batch: Batch, account: str) -> AccountJournal:
    """What a batch hands a flow: the account's view of the run's journal (NO_JOURNAL for dry runs)."""
    run_journal = getattr(batch, "journal", None)
    return run_journal.account(account) if run_journal is not None else NO_JOURNAL
