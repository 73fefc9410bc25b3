"""`katip approve` killed with kill -9 at seeded points and resumed each time (power loss, mid-run)."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from rpa.chaos import measure
from rpa.chaos.figures import Figures, Reference
from rpa.chaos.portal import Mock
from rpa.chaos.scenario import SEED, prepare, robot_env

POLL_S = 0.1  # how often the journal is looked at while waiting for a kill point


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A session of its own: kill -9 takes the robot, its Playwright driver and Chromium at once (power loss).
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "rpa", *args], env=env, stdout=sink, stderr=sink,
                                start_new_session=True)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _newest_unfinished(state_dir: Path) -> str | None:
    runs = measure.unfinished_runs(state_dir)
    return runs[-1] if runs else None


def _wait_for_kill_point(process: subprocess.Popen[bytes], state_dir: Path, done_target: int,
                         extra_s: float) -> bool:
    """Wait until `done_target` actions are done, then `extra_s` more; False if the run ended first."""
    while measure.done_actions(state_dir) < done_target:
        if process.poll() is not None:
            return False
        time.sleep(POLL_S)
    try:
        process.wait(timeout=extra_s)
        return False
    except subprocess.TimeoutExpired:
        return True


def kill_run(mock: Mock, workdir: Path, reference: Reference, seed: int = SEED, kills: int = 5,
             workplaces: int = 30) -> Figures:
    """One account's approvals killed at `kills` seeded points, resumed after each; what it left behind.

    A kill point is "after 1-3 more approvals are journalled done, plus 0-1.5 s": so that each lands in
    the middle of the work (between the click and its answer, during a PDF download, ...) however slow
    the machine is, rather than while Chromium is still starting. The reference must hold the same
    account's approvals (`reference_run(..., account="firma0")` or the whole run).
    """
    started = time.monotonic()
    scenario = prepare(mock, seed, workdir, workplaces)
    env = robot_env(mock, scenario, workdir)
    sicils, state_dir = scenario.account_sicils(0), workdir / "state"
    rng, figures, log = random.Random(seed), Figures("kill and resume", workplaces=len(sicils)), workdir / "robot.log"
    approve = ["approve", "--account", "firma0"]
    process = _start(approve, env, log)
    for _ in range(kills):
        target, extra = measure.done_actions(state_dir) + rng.randint(1, 3), round(rng.uniform(0.0, 1.5), 2)
        if not _wait_for_kill_point(process, state_dir, target, extra):
            break  # the run finished before this kill point
        _kill(process)
        figures.kill_points.append(extra)
        unfinished = _newest_unfinished(state_dir)
        if unfinished:
            figures.resumes += 1
            process = _start(["runs", "resume", unfinished], env, log)
        else:  # killed before the journal knew the run: nothing was done, start it again
            process = _start(approve, env, log)
    process.wait(timeout=900)
    figures.items_attempted, figures.tries, figures.failed_left = measure.journal_items(state_dir, ("approve",))
    # Only approvals run here: the contracts must match the fault-free run's right after its approvals.
    got = {"contracts": measure.final_state(mock, sicils)["contracts"]}
    expected = reference.of(sicils, ("contracts",), approvals_only=True)
    figures.mismatches, figures.differing = measure.mismatches(expected, got), measure.differences(expected, got)
    entries = measure.audit(mock, ("approve",), sicils)
    figures.portal_actions, figures.duplicates = len(entries), measure.duplicates(entries)
    figures.missing_pdfs = measure.missing_pdfs(mock, workdir / "out", sicils)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures
