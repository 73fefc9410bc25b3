"""Start-up: wall time of `katip --help` and `katip --version` (fresh processes), and what they import.

When the median misses the target, `python -X importtime` shows the heaviest packages the command
loads, so that the fix (a lazy import) is obvious.

Run alone: .venv/bin/python -m bench.startup [--quick]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from bench.portal import children_cpu_seconds
from bench.results import Row, Target
from bench.robot import katip_command

TARGET_S = 0.5
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")
# Python's own start-up and the entry point itself (which contains everything else).
_NOT_OURS = {"site", "encodings", "rpa", "rpa.cli", "rpa.__main__", "runpy"}


def wall_times(args: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Seconds from spawning `katip ARGS` to its exit, and the CPU seconds it used, `runs` times."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu = children_cpu_seconds()
        started = time.perf_counter()
        answer = subprocess.run([*katip_command(), *args], capture_output=True, timeout=60,
                                env={**os.environ, "COLUMNS": "120"})
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu_seconds() - cpu)
        if answer.returncode != 0:
            raise RuntimeError(f"katip {' '.join(args)} exited {answer.returncode}: {answer.stderr[-300:]!r}")
    return walls, cpus


def heaviest_imports(args: list[str], top: int = 8) -> list[tuple[str, float]]:
    """The modules `katip ARGS` imports at the top two levels, by cumulative import time (ms), heaviest first."""
    answer = subprocess.run([sys.executable, "-X", "importtime", "-m", "rpa", *args], capture_output=True,
                            text=True, timeout=60)
    found = []
    for line in answer.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match is None or len(match.group(3)) > 3:  # deeper imports are inside the ones listed
            continue
        name = match.group(4)
        if name in _NOT_OURS or name.startswith("__editable"):
            continue
        found.append((name, int(match.group(2)) / 1000))
    return sorted(found, key=lambda item: -item[1])[:top]


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Measure both commands; the table rows (wall time against the target, CPU time beside it)."""
    count = runs or (3 if quick else 10)
    rows = []
    for args in (["--help"], ["--version"]):
        walls, cpus = wall_times(args, count)
        row = Row("startup", f"katip {args[0]}", "s", walls, Target("<", TARGET_S))
        if row.verdict == "FAIL":
            heavy = ", ".join(f"{name} {ms:.0f} ms" for name, ms in heaviest_imports(args))
            row.note = f"heaviest imports (python -X importtime, cumulative): {heavy}"
        rows += [row, Row("startup", f"katip {args[0]}, CPU time", "s", cpus)]
    rows[1].note = (f"user + system: what the command costs, however busy the machine; "
                    f"a bare `python -c pass` takes {_bare_python():.3f} s wall")
    return rows


def _bare_python() -> float:
    """Wall time of an interpreter that imports nothing: the part no lazy import can save."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
    return time.perf_counter() - started


def main() -> None:
    """Print the startup rows."""
    from bench.results import run_alone

    run_alone(run, "startup", __doc__)


if __name__ == "__main__":
    main()
