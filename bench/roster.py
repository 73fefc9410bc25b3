"""Roster: read + validate a generated 100,000-row .xlsx (`bench.roster_read`), and reconcile 10,000
against 10,000 (`bench.reconcile`, when it is there), as table rows.

Run alone: .venv/bin/python -m bench.roster [--quick]
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import tempfile
from pathlib import Path
from typing import Any

from bench.results import Row, Target

READ_TARGET_S = 10.0
RECONCILE_TARGET_S = 1.0


def read_rows(quick: bool, runs: int | None) -> list[Row]:
    """Generate the roster once, then time `read_roster` with the product's engine (calamine)."""
    from bench import roster_read

    size = 2_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        roster_read.write_big_roster(path, size)
        times = roster_read.measure(path, "calamine", runs or (2 if quick else 3))
    return [Row("roster", f"read + validate {size:,} rows (.xlsx, calamine)", "s", times,
                Target("<", roster_read.TARGET_SECONDS))]


def reconcile_rows(quick: bool, runs: int | None) -> list[Row]:
    """The reconcile benchmark's rows, from `bench.reconcile` (another module; adapted to its shape)."""
    size = 1_000 if quick else 10_000
    metric = f"reconcile {size:,} against {size:,}"
    if importlib.util.find_spec("bench.reconcile") is None:
        missing = "n/a: bench/reconcile.py not there yet"
        return [Row("roster", metric, "s", target=Target("<", RECONCILE_TARGET_S), note=missing)]
    module: Any = importlib.import_module("bench.reconcile")
    count = runs or (2 if quick else 5)
    if hasattr(module, "run"):  # our convention: run(quick, runs) -> list[Row]
        return list(module.run(quick=quick, runs=count))
    measure = getattr(module, "measure", None)
    if measure is None:
        return [Row("roster", metric, "s", failed="bench.reconcile has neither run() nor measure()")]
    wanted = inspect.signature(measure).parameters
    options = {k: v for k, v in {"size": size, "rows": size, "runs": count}.items() if k in wanted}
    times = list(measure(**options))
    return [Row("roster", metric, "s", times, Target("<", RECONCILE_TARGET_S))]


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Both roster benchmarks."""
    return read_rows(quick, runs) + reconcile_rows(quick, runs)


def main() -> None:
    """Print the roster rows."""
    from bench.results import run_alone

    run_alone(run, "roster", __doc__)


if __name__ == "__main__":
    main()
