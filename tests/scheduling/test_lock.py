"""One scheduler per state dir: a second one is refused and told which process holds the lock."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rpa.scheduling.lock import SchedulerAlreadyRunning, SchedulerLock
from tests.scheduling.conftest import KATIP, write_schedule

ISO_SECONDS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
HOLD_LOCK = """
import sys
from pathlib import Path
from rpa.scheduling.lock import SchedulerLock
lock = SchedulerLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
"""


def read_until(stream, text: str) -> list[str]:
    """Lines of `stream` up to and including the first that contains `text` (all of them at EOF)."""
    lines = []
    for line in iter(stream.readline, ""):
        lines.append(line)
        if text in line:
            break
    return lines


def test_second_scheduler_is_refused_naming_the_process_that_holds_the_lock(tmp_path: Path) -> None:
    state = tmp_path / "state"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(state)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "locked"
        with pytest.raises(SchedulerAlreadyRunning) as caught:
            SchedulerLock(state).acquire()
        assert caught.value.pid == holder.pid
        assert re.fullmatch(
            rf"scheduler already running \(pid {holder.pid}, since {ISO_SECONDS}\)",
            str(caught.value),
        )
    finally:
        holder.kill()
        holder.wait()
    # The kernel drops a flock when its process dies: a crashed scheduler leaves no stale lock.
    with SchedulerLock(state) as lock:
        assert f'"pid": {os.getpid()}' in lock.path.read_text()


def test_katip_schedule_run_refuses_a_second_instance_and_stops_cleanly_on_sigterm(
    tmp_path: Path, katip_env: dict[str, str]
) -> None:
    path = write_schedule(tmp_path / "schedules.yaml", {"id": "a", "flow": "approve_contracts", "cron": "0 3 1 1 *"})
    first = subprocess.Popen([*KATIP, "schedule", "run", "--file", str(path)], stderr=subprocess.PIPE, text=True)
    try:
        assert first.stderr is not None
        started = read_until(first.stderr, "scheduler running")
        assert "scheduler running" in started[-1], started
        second = subprocess.run(
            [*KATIP, "schedule", "run", "--file", str(path)], capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 2
        assert f"scheduler already running (pid {first.pid}, since " in second.stderr
        first.send_signal(signal.SIGTERM)
        rest = first.stderr.read()
        assert first.wait(timeout=60) == 0
        assert "scheduler stopped" in rest
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
