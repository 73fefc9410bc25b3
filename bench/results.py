"""One benchmark measurement as a table row: samples, min / median / max, and the verdict against its target."""

from __future__ import annotations

import operator
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class Target:
    """A goal for the median, e.g. Target("<=", 3.0)."""

    op: str
    value: float

    def met_by(self, median: float) -> bool:
        """Whether the median reaches the goal."""
        return _OPS[self.op](median, self.value)

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass
class Row:
    """One line of the table. No samples and a note starting "n/a" means it could not be measured."""

    benchmark: str
    metric: str
    unit: str
    samples: list[float] = field(default_factory=list)
    target: Target | None = None
    note: str = ""
    failed: str | None = None  # the run went wrong (not a missed target): why

    @property
    def median(self) -> float | None:
        """Median of the samples (None without samples)."""
        return statistics.median(self.samples) if self.samples else None

    @property
    def verdict(self) -> str:
        """PASS / FAIL against the target, "-" without a target, n/a or ERROR when not measured."""
        if self.failed:
            return "ERROR"
        if self.median is None:
            return "n/a"
        if self.target is None:
            return "-"
        return "PASS" if self.target.met_by(self.median) else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        data = asdict(self)
        data["target"] = str(self.target) if self.target else None
        summary = {"min": min(self.samples), "median": self.median, "max": max(self.samples)} if self.samples else {}
        return {**data, **summary, "verdict": self.verdict}


def number(value: float | None) -> str:
    """A measurement with about three significant digits."""
    if value is None:
        return "-"
    if value == 0 or abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def render(rows: list[Row], header: str) -> str:
    """The table as plain text (fixed-width columns; notes on their own lines under the table)."""
    titles = ("benchmark", "metric", "unit", "runs", "min", "median", "max", "target", "result")
    lines = [
        (r.benchmark, r.metric, r.unit, str(len(r.samples)) if r.samples else "-",
         number(min(r.samples)) if r.samples else "-", number(r.median),
         number(max(r.samples)) if r.samples else "-", str(r.target) if r.target else "-", r.verdict)
        for r in rows
    ]
    widths = [max(len(t), *(len(line[i]) for line in lines)) if lines else len(t) for i, t in enumerate(titles)]

    def fmt(cells: tuple[str, ...]) -> str:
        # Names left-aligned, numbers right-aligned.
        padded = (c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded)

    out = [header, fmt(titles), "  ".join("-" * w for w in widths), *(fmt(line) for line in lines)]
    notes = [(r, r.failed or r.note) for r in rows if r.failed or r.note]
    if notes:
        out.append("")
        out += [f"  {r.benchmark} / {r.metric}: {text}" for r, text in notes]
    return "\n".join(out)


def run_alone(run: Callable[[bool, int | None], list[Row]], name: str, doc: str | None) -> None:
    """`python -m bench.<name> [--quick] [--runs N]`: one benchmark on its own, its table printed."""
    import argparse
    import os

    parser = argparse.ArgumentParser(prog=f"python -m bench.{name}", description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few runs")
    parser.add_argument("--runs", type=int, help="runs (default: the benchmark's own)")
    args = parser.parse_args()
    print(render(run(args.quick, args.runs), f"{name} (cores: {os.cpu_count()})"))
