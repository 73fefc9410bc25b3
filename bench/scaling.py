"""Scaling: 20 accounts × 5 workplaces × 2 waiting contracts, `katip approve --parallel 1` against `--parallel 4`.

The same seed is loaded before every run; each run must approve all 200 contracts (audit log and the
robot's JSON). The mock runs in this process: its CPU time (getrusage) is reported beside the speed-up,
because on a 2-core machine the portal competes with the browsers. The `--parallel 4` runs also give the
memory benchmark its peak RSS (`bench.memory`).

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

from bench import memory
from bench.portal import bench_seed, fresh_portal
from bench.results import Row, Target
from bench.robot import RobotFailed, RobotRun, check_all_approved, parallel_supported, run_approve

TARGET_SPEEDUP = 2.5
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


def run(quick: bool = False, runs: int | None = None, only_memory: bool = False) -> list[Row]:
    """Scaling rows and the memory rows (only the memory rows with `only_memory`)."""
    sizes = QUICK if quick else FULL
    if not parallel_supported():
        rows = [] if only_memory else _rows_without(NOT_AVAILABLE)
        return rows + memory.not_available(NOT_AVAILABLE)
    levels = (4,) if only_memory else (1, 4)
    try:
        measured = _measure(sizes, levels, runs or sizes.runs)
    except RobotFailed as exc:
        rows = [] if only_memory else _rows_without(str(exc), failed=True)
        return rows + memory.not_available(str(exc), failed=True)
    fours = measured[4]
    memory_rows = memory.rows_from([r.memory for r in fours], 4, sizes.describe())
    if only_memory:
        return memory_rows
    return _rows(sizes, measured[1], fours) + memory_rows


def _measure(sizes: Sizes, levels: tuple[int, ...], count: int) -> dict[int, list[RobotRun]]:
    data, accounts = bench_seed(sizes.accounts, sizes.workplaces, sizes.per_workplace)
    measured: dict[int, list[RobotRun]] = {level: [] for level in levels}
    workdir = Path(tempfile.mkdtemp(prefix="katip-bench-scaling-"))
    timeout = 300 + 20 * sizes.contracts
    try:
        with fresh_portal(workdir / "portal", data) as portal:
            for index in range(count):
                for level in levels:  # interleaved, so that a change in the machine's load hits both
                    portal.load(data)
                    robot = run_approve(portal, accounts, workdir / f"p{level}-{index}",
                                        ["--parallel", str(level)], timeout)
                    check_all_approved(portal, sizes.contracts, robot.summary)
                    measured[level].append(robot)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return measured


def _rows(sizes: Sizes, ones: list[RobotRun], fours: list[RobotRun]) -> list[Row]:
    speedups = [one.wall_s / four.wall_s for one, four in zip(ones, fours, strict=True)]
    share = statistics.median(r.mock_cpu_s / r.wall_s for r in fours)
    return [
        Row("scaling", "--parallel 1, whole run", "s", [r.wall_s for r in ones],
            note=f"{sizes.describe()} = {sizes.contracts} approvals per run, logins included"),
        Row("scaling", "--parallel 4, whole run", "s", [r.wall_s for r in fours]),
        Row("scaling", "speed-up --parallel 4 over 1", "x", speedups, Target(">=", TARGET_SPEEDUP),
            note=f"on {os.cpu_count()} cores, the mock in the same machine"),
        Row("scaling", "mock CPU during a --parallel 4 run", "s", [r.mock_cpu_s for r in fours],
            note=f"the mock used {share:.0%} of one core; the robot's processes "
                 f"{statistics.median(r.robot_cpu_s for r in fours):.0f} s CPU per run"),
    ]


def _rows_without(reason: str, failed: bool = False) -> list[Row]:
    """The scaling rows when they could not be measured (not available, or the robot failed)."""
    why = {"failed": reason} if failed else {"note": reason}
    return [
        Row("scaling", "--parallel 1, whole run", "s", **why),
        Row("scaling", "--parallel 4, whole run", "s", **why),
        Row("scaling", "speed-up --parallel 4 over 1", "x", target=Target(">=", TARGET_SPEEDUP), **why),
    ]


def main() -> None:
    """Print the scaling and memory rows."""
    import argparse

    from bench.results import render

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int)
    args = parser.parse_args()
    print(render(run(args.quick, args.runs), f"scaling (cores: {os.cpu_count()})"))


if __name__ == "__main__":
    main()
