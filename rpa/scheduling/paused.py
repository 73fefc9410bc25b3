"""Jobs a person paused (from the console): kept in the state dir, so that a pause outlives restarts of
the console and of `katip schedule run`; the scheduler skips a paused job when it fires."""

from __future__ import annotations

import json
import os
from pathlib import Path

PAUSED_NAME = "paused-jobs.json"


def paused_jobs(state_dir: Path) -> set[str]:
    """The ids of the paused jobs."""
    try:
        return set(json.loads((state_dir / PAUSED_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def set_paused(state_dir: Path, job_id: str, paused: bool) -> None:
    """Pause or resume a job."""
    jobs = paused_jobs(state_dir)
    jobs = jobs | {job_id} if paused else jobs - {job_id}
    path = state_dir / PAUSED_NAME
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        json.dump(sorted(jobs), handle)
    os.replace(tmp, path)
