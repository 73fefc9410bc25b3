"""The benchmark command itself works: `python -m bench --quick` runs everything and prints one table.

No timing is asserted (the machine's load decides those); only that every benchmark ran or says why not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Scaling and memory start 4 browsers twice over (a minute or more on 2 cores): they are run by
# `make bench`, not by the suite; their rows share the table code exercised here.
BENCHMARKS = ("startup", "roster", "approval", "playwright_cost")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(900)
def test_quick_bench_prints_one_table_with_every_benchmark(tmp_path: Path) -> None:
    answer = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--runs", "1", "--out", str(tmp_path), "--only", *BENCHMARKS],
        cwd=ROOT, capture_output=True, text=True, timeout=880,
    )

    assert answer.returncode == 0, answer.stdout[-3000:] + answer.stderr[-3000:]
    lines = answer.stdout.splitlines()
    assert "cores" in lines[0]
    assert lines[1].split()[:3] == ["benchmark", "metric", "unit"]
    for name in BENCHMARKS:
        assert any(line.startswith(name) for line in lines), f"no {name} row in:\n{answer.stdout}"
    [saved] = tmp_path.glob("*.json")
    rows = json.loads(saved.read_text(encoding="utf-8"))["rows"]
    assert {row["verdict"] for row in rows} <= {"PASS", "FAIL", "-", "n/a"}
    ratio = next(row for row in rows if row["metric"] == "robot / HTTP floor per contract")
    assert ratio["samples"] and ratio["samples"][0] > 0  # both robot and floor approved and were timed
