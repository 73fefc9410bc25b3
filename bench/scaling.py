"""Scaling: 20 accounts × 5 workplaces × 2 waiting contracts, `katip approve --parallel 1` against `--parallel 4`.

The same seed is loaded before every run; each run must approve all 200 contracts (audit log and the
robot's JSON). The mock runs in this process: its CPU time (getrusage) is reported beside the speed-up,
because on a 2-core machine the portal competes with the browsers. The `--parallel 4` runs also give the
memory benchmark its peak RSS and PSS (`bench.memory`).

Two pairs of rows: against the mock as it is (it answers in a few ms, so the run is bound by this
machine's CPU: two cores shared by the mock, the drivers and Chromium cap the speed-up near 2×), and
against the mock answering every page LATENCY_MS later, as the real portal does (the same injected
latency as bench.approval's "portal +200 ms a page" rows), where workers overlap their waiting.

Until `katip approve` has `--parallel`, the rows say "n/a: --parallel not available".

Run alone: .venv/bin/python -m bench.scaling [--quick] [--runs N]
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import approval, memory
from bench.portal import bench_seed, fresh_portal
from bench.results import Row, Target
from bench.robot import RobotFailed, RobotRun, check_all_approved, parallel_supported, run_approve

TARGET_SPEEDUP = 2.5  # against the mock answering at once: two cores shared by mock, drivers and Chromium
TARGET_LATENCY_SPEEDUP = 3.5  # where the time is the portal's latency, the workers overlap their waiting
NOT_AVAILABLE = "n/a: --parallel not available in `katip approve` yet"


@dataclass(frozen=True)
class Sizes:
    """The scaling workload."""

    accounts: int
    workplaces: int
    per_workplace: int
    runs: int

    @property
    def contracts(self) -> int:
        """Contracts approved per run."""
        return self.accounts * self.workplaces * self.per_workplace

    def describe(self) -> str:
        """For the table's notes."""
        return f"{self.accounts} accounts × {self.workplaces} workplaces × {self.per_workplace} contracts"


FULL = Sizes(accounts=20, workplaces=5, per_workplace=2, runs=2)
QUICK = Sizes(accounts=4, workplaces=1, per_workplace=1, runs=1)
LATENCY_MS = approval.LATENCY_MS  # a slow portal, as the real one is (150 ms a page)
LATENCY_RUNS = 1  # the slow pair takes ~3× as long as the fast one: one interleaved pair


def run(quick: bool = False, runs: int | None = None, only_memory: bool = False) -> list[Row]:
    """Scaling rows and the memory rows (only the memory rows with `only_memory`)."""
    sizes = QUICK if quick else FULL
    if not parallel_supported():
        rows = [] if only_memory else _rows_without(NOT_AVAILABLE)
        return rows + memory.not_available(NOT_AVAILABLE)
    levels = (4,) if only_memory else (1, 4)
    slow_runs = 0 if only_memory else LATENCY_RUNS
    try:
        measured, slow = _measure(sizes, levels, runs or sizes.runs, slow_runs)
    except RobotFailed as exc:
        rows = [] if only_memory else _rows_without(str(exc), failed=True)
        return rows + memory.not_available(str(exc), failed=True)
    fours = measured[4]
    memory_rows = memory.rows_from([r.memory for r in fours], 4, sizes.describe())
    if only_memory:
        return memory_rows
    rows = _rows(sizes, measured[1], fours, "")
    if slow[1]:
        rows += _rows(sizes, slow[1], slow[4], f", portal +{LATENCY_MS} ms a page")
    return rows + memory_rows


Measured = dict[int, list[RobotRun]]


def _measure(sizes: Sizes, levels: tuple[int, ...], count: int, slow_count: int) -> tuple[Measured, Measured]:
    """Runs at each level against the plain mock, then `slow_count` more against the slowed-down mock."""
    data, accounts = bench_seed(sizes.accounts, sizes.workplaces, sizes.per_workplace)
    fast: Measured = {level: [] for level in levels}
    slow: Measured = {level: [] for level in levels}
    workdir = Path(tempfile.mkdtemp(prefix="katip-bench-scaling-"))

    def measure(into: Measured, name: str, timeout: float) -> None:
        for level in levels:  # interleaved, so that a change in the machine's load hits both
            portal.load(data)
            robot = run_approve(portal, accounts, workdir / f"{name}-p{level}", ["--parallel", str(level)], timeout)
            check_all_approved(portal, sizes.contracts, robot.summary)
            into[level].append(robot)

    try:
        with fresh_portal(workdir / "portal", data) as portal:
            for index in range(count):
                measure(fast, f"fast-{index}", 300 + 20 * sizes.contracts)
            for index in range(slow_count):
                portal.dev("faults", {"latency_ms": [LATENCY_MS, LATENCY_MS]})  # survives `load`
                try:
                    measure(slow, f"slow-{index}", 300 + 40 * sizes.contracts)
                finally:
                    portal.dev("faults", {"latency_ms": [0, 0]})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return fast, slow


def _rows(sizes: Sizes, ones: list[RobotRun], fours: list[RobotRun], portal: str) -> list[Row]:
    """Wall times, speed-up and the mock's CPU for one kind of portal (`portal`: "" or ", portal +N ms")."""
    speedups = [one.wall_s / four.wall_s for one, four in zip(ones, fours, strict=True)]
    share = statistics.median(r.mock_cpu_s / r.wall_s for r in fours)
    # If --parallel 1 already keeps `busy` cores busy, no number of workers can go faster than
    # cores / busy: the ceiling the speed-up is up against on this machine.
    ceilings = [(os.cpu_count() or 1) / ((r.robot_cpu_s + r.mock_cpu_s) / r.wall_s) for r in ones]
    kind = ("the mock answering at once: the run is bound by the 2 cores (mock + drivers + Chromium)"
            if not portal else "each page answered that much later, as the real portal does")
    return [
        Row("scaling", f"--parallel 1, whole run{portal}", "s", [r.wall_s for r in ones],
            note=f"{sizes.describe()} = {sizes.contracts} approvals per run, logins included; {kind}"),
        Row("scaling", f"--parallel 4, whole run{portal}", "s", [r.wall_s for r in fours]),
        Row("scaling", f"speed-up --parallel 4 over 1{portal}", "x", speedups,
            Target(">=", TARGET_LATENCY_SPEEDUP if portal else TARGET_SPEEDUP),
            note=f"on {os.cpu_count()} cores, the mock in the same machine"),
        Row("scaling", f"CPU ceiling on the speed-up{portal}", "x", ceilings,
            note=f"{os.cpu_count()} cores / cores busy during --parallel 1 (robot + mock: "
                 f"{_cpu_split(ones)})"),
        Row("scaling", f"mock CPU during a --parallel 4 run{portal}", "s", [r.mock_cpu_s for r in fours],
            note=f"the mock used {share:.0%} of one core; the robot's processes "
                 f"{statistics.median(r.robot_cpu_s for r in fours):.0f} s CPU per run "
                 f"({statistics.median(r.robot_cpu_s / r.wall_s for r in fours):.0%} of one core: "
                 f"{_cpu_split(fours)})"),
    ]


def _cpu_split(runs: list[RobotRun]) -> str:
    """Median CPU seconds per kind of process, e.g. "chromium 120 s, driver 40 s, python 20 s"."""
    splits = [r.memory.cpu_by_kind() for r in runs]
    kinds = {kind for split in splits for kind in split}
    medians = {k: statistics.median(split.get(k, 0.0) for split in splits) for k in kinds}
    mock = statistics.median(r.mock_cpu_s for r in runs)
    parts = [f"{k} {v:.0f} s" for k, v in sorted(medians.items(), key=lambda kv: -kv[1]) if v >= 0.5]
    return ", ".join([*parts, f"mock {mock:.0f} s"])


def _rows_without(reason: str, failed: bool = False) -> list[Row]:
    """The scaling rows when they could not be measured (not available, or the robot failed)."""
    why = {"failed": reason} if failed else {"note": reason}
    return [
        Row("scaling", "--parallel 1, whole run", "s", **why),
        Row("scaling", "--parallel 4, whole run", "s", **why),
        Row("scaling", "speed-up --parallel 4 over 1", "x", target=Target(">=", TARGET_SPEEDUP), **why),
    ]


def main() -> None:
    """Print the scaling rows."""
    from bench.results import run_alone

    run_alone(run, "scaling", __doc__)


if __name__ == "__main__":
    main()
