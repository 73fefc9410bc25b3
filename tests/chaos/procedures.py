"""The chaos suite's three runs: fault-free (the yardstick), under chaos, and killed with kill -9 and resumed."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rpa.journal import closing_journal
from tests.chaos.harness import (
    CHAOS,
    HEALTHY,
    MaintenanceWindows,
    Mock,
    approvals,
    differences,
    duplicate_actions,
    final_state,
    katip,
    mismatches,
    missing_pdfs,
    prepare,
    retries_logged,
    robot_env,
)

SEED = 6


@dataclass
class Reference:
    """The final state a fault-free run leaves (per workplace), and how many approvals it made."""

    state: dict[str, set[tuple[Any, ...]]]
    approvals: int
    # After the approvals, before the roster sync (whose new active counts may change contracts: EVET).
    approved: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict)

    def of(self, sicils: list[str], keys: tuple[str, ...] = ("contracts", "employees"),
           approvals_only: bool = False) -> dict[str, set[tuple[Any, ...]]]:
        """Only these workplaces' rows (of these tables), at the end or right after the approvals."""
        state = self.approved if approvals_only else self.state
        return {k: {row for row in state[k] if row[0] in sicils} for k in keys}


@dataclass
class Figures:
    """What a run met and left behind."""

    items_attempted: int = 0
    faults_injected: int = 0
    retries: int = 0
    maintenance_windows: int = 0
    resumes: int = 0
    kill_points: list[float] = field(default_factory=list)
    mismatches: int = -1
    differing: list[str] = field(default_factory=list)
    duplicates: int = -1
    missing_pdfs: int = -1
    seconds: float = 0.0

    def line(self) -> str:
        """One line for people and CI logs."""
        return ", ".join(f"{k}={v}" for k, v in vars(self).items())


def reference_run(mock: Mock, workdir: Path, seed: int = SEED) -> Reference:
    """The fault-free run on a freshly reset portal; it must itself leave nothing failed."""
    scenario = prepare(mock, seed, workdir)
    env = robot_env(mock, scenario, workdir)
    katip(["approve", "--json"], env)
    approved = final_state(mock, scenario.sicils)
    katip(["roster", "sync", str(scenario.roster_file), "--json"], env)
    _, failed, _ = _journal_counts(workdir / "state")
    if failed:
        raise AssertionError(f"the fault-free run failed {failed} item(s): see {workdir / 'out'}")
    return Reference(final_state(mock, scenario.sicils), approvals(mock), approved)


def _journal_counts(state_dir: Path) -> tuple[int, int, list[str]]:
    """(actions journalled, failed ones, unfinished or failed run ids)."""
    with closing_journal(state_dir) as journal:
        total = failed = 0
        again = []
        for run_id in journal.run_ids():
            counts = journal.counts(run_id)
            total += sum(counts.values())
            failed += counts.get("failed", 0)
            if counts.get("failed") or counts.get("in_progress"):
                again.append(run_id)
    return total, failed, again


def chaos_run(mock: Mock, workdir: Path, reference: Reference, seed: int = SEED,
              counted_faults: Any = None) -> Figures:
    """The same work with 20 % errors, latency, a 20 s idle-out and maintenance windows switched on and off."""
    started = time.monotonic()
    scenario = prepare(mock, seed, workdir)
    env = robot_env(mock, scenario, workdir)
    figures = Figures()
    mock.dev("faults", json={**CHAOS, "seed": seed})
    with MaintenanceWindows(mock, seed) as windows:
        katip(["approve", "--json"], env)
        katip(["roster", "sync", str(scenario.roster_file), "--json"], env)
        # Items whose retries ran out (portal faults only) wait for a resume, as an operator would do.
        for _ in range(3):
            _, failed, again = _journal_counts(workdir / "state")
            if not again:
                break
            figures.resumes += 1
            for run_id in again:
                katip(["runs", "resume", run_id], env)
    figures.maintenance_windows = windows.windows
    mock.dev("faults", json=HEALTHY)
    figures.items_attempted, _, _ = _journal_counts(workdir / "state")
    figures.retries = retries_logged(workdir / "out")
    # By hand against any URL the portal's own count is unknown: every fault the robot met was retried.
    figures.faults_injected = counted_faults() if counted_faults else figures.retries
    expected, got = reference.of(scenario.sicils), final_state(mock, scenario.sicils)
    figures.mismatches, figures.differing = mismatches(expected, got), differences(expected, got)
    figures.duplicates = duplicate_actions(mock)
    figures.missing_pdfs = missing_pdfs(mock, workdir / "out", scenario.sicils)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A session of its own: kill -9 takes the robot, its Playwright driver and Chromium at once (power loss).
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "rpa", *args], env=env, stdout=sink, stderr=sink,
                                start_new_session=True)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _unfinished(state_dir: Path) -> str | None:
    if not (state_dir / "journal.sqlite").exists():
        return None
    with closing_journal(state_dir) as journal:
        runs = journal.unfinished_runs()
    return runs[-1].run_id if runs else None


def _done_actions(state_dir: Path) -> int:
    if not (state_dir / "journal.sqlite").exists():
        return 0
    with closing_journal(state_dir) as journal:
        return sum(journal.counts(run_id).get("done", 0) for run_id in journal.run_ids())


def _wait_for_kill_point(process: subprocess.Popen[bytes], state_dir: Path, done_target: int,
                         extra_s: float) -> bool:
    """Wait until `done_target` actions are done, then `extra_s` more; False if the run ended first."""
    while _done_actions(state_dir) < done_target:
        if process.poll() is not None:
            return False
        time.sleep(0.1)
    try:
        process.wait(timeout=extra_s)
        return False
    except subprocess.TimeoutExpired:
        return True


def kill_run(mock: Mock, workdir: Path, reference: Reference, seed: int = SEED, kills: int = 5) -> Figures:
    """`katip approve` (one account) killed with kill -9 at `kills` seeded points, resumed after each one.

    A kill point is "after 1-3 more approvals are journalled done, plus 0-1.5 s": so that each lands in
    the middle of the work (between the click and its answer, during a PDF download, ...) however slow
    the machine is, rather than while Chromium is still starting.
    """
    started = time.monotonic()
    scenario = prepare(mock, seed, workdir)
    env = robot_env(mock, scenario, workdir)
    sicils, state_dir = scenario.account_sicils(0), workdir / "state"
    rng, figures, log = random.Random(seed), Figures(), workdir / "robot.log"
    process = _start(["approve", "--account", "firma0"], env, log)
    for _ in range(kills):
        target, extra = _done_actions(state_dir) + rng.randint(1, 3), round(rng.uniform(0.0, 1.5), 2)
        if not _wait_for_kill_point(process, state_dir, target, extra):
            break  # the run finished before this kill point
        _kill(process)
        figures.kill_points.append(extra)
        unfinished = _unfinished(state_dir)
        if unfinished:
            figures.resumes += 1
            process = _start(["runs", "resume", unfinished], env, log)
        else:  # killed before the journal knew the run: nothing was done, start it again
            process = _start(["approve", "--account", "firma0"], env, log)
    process.wait(timeout=900)
    figures.items_attempted = _journal_counts(state_dir)[0]
    # Only approvals run here: the contracts must match (the reference also synced a roster).
    got = final_state(mock, sicils)
    expected, got = reference.of(sicils, ("contracts",), approvals_only=True), {"contracts": got["contracts"]}
    figures.mismatches, figures.differing = mismatches(expected, got), differences(expected, got)
    figures.duplicates = duplicate_actions(mock)
    figures.missing_pdfs = missing_pdfs(mock, workdir / "out", sicils)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures
