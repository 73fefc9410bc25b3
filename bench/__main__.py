"""`python -m bench [--quick] [--only NAME ...] [--runs N]`: every benchmark, one table, one JSON file.

Each benchmark starts its own mock portal (test mode, a temporary database, loopback only) and
reports min / median / max over several runs against its target. The table goes to stdout; the same
rows, with the machine's description, to `out/bench/<timestamp>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.results import Row, render

Benchmark = Callable[[bool, int | None], list[Row]]


def _approval(quick: bool, runs: int | None) -> list[Row]:
    from bench import approval

    return approval.run(quick, runs)


def _scaling(quick: bool, runs: int | None) -> list[Row]:
    from bench import scaling

    return scaling.run(quick, runs)


def _memory(quick: bool, runs: int | None) -> list[Row]:
    from bench import memory

    return memory.run(quick, runs)


def _roster(quick: bool, runs: int | None) -> list[Row]:
    from bench import roster

    return roster.run(quick, runs)


def _blocking(quick: bool, runs: int | None) -> list[Row]:
    from bench import blocking

    return blocking.run(quick, runs)


def _startup(quick: bool, runs: int | None) -> list[Row]:
    from bench import startup

    return startup.run(quick, runs)


def _playwright_cost(quick: bool, runs: int | None) -> list[Row]:
    from bench import playwright_cost

    return playwright_cost.run(quick, runs)


def _refresh(quick: bool, runs: int | None) -> list[Row]:
    from bench import refresh

    return refresh.run(quick, runs)


def _chaos_cost(quick: bool, runs: int | None) -> list[Row]:
    from bench import chaos_cost

    return chaos_cost.run(quick, runs)


def _audit(quick: bool, runs: int | None) -> list[Row]:
    from bench import audit

    return audit.run(quick, runs)


def _cluster(quick: bool, runs: int | None) -> list[Row]:
    from bench import cluster

    return cluster.run(quick, runs)


# Cheap ones first, so that a slow machine shows something early.
BENCHMARKS: dict[str, Benchmark] = {
    "startup": _startup,
    "roster": _roster,
    "approval": _approval,
    "playwright_cost": _playwright_cost,
    "blocking": _blocking,
    "scaling": _scaling,
    "memory": _memory,
    "refresh": _refresh,
    "chaos_cost": _chaos_cost,
    "audit": _audit,
    "cluster": _cluster,
}


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cores": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in load] if load else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks, print the table, write the JSON; 0 unless a benchmark broke."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few runs (a smoke test)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME",
                        help=f"run only these: {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, help="runs per benchmark (default: each one's own)")
    parser.add_argument("--out", type=Path, default=Path("out/bench"), help="where the JSON goes")
    args = parser.parse_args(argv)
    chosen = [name for name in BENCHMARKS if not args.only or name in args.only]
    if "scaling" in chosen and "memory" in chosen:
        chosen.remove("memory")  # the scaling runs at --parallel 4 measure the memory too
    started, at_start = time.perf_counter(), machine()
    rows: list[Row] = []
    for name in chosen:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        try:
            rows += BENCHMARKS[name](args.quick, args.runs)
        except Exception as exc:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc(file=sys.stderr)
            rows.append(Row(name, "-", "-", failed=f"{type(exc).__name__}: {exc}"))
        print(f"[bench] {name} done in {time.perf_counter() - begun:.0f} s", file=sys.stderr, flush=True)
    at_end = machine()
    header = (f"katip benchmarks{' (quick)' if args.quick else ''}: {at_end['cores']} cores, load average "
              f"{_load(at_start)} at start, {_load(at_end)} at end; {time.perf_counter() - started:.0f} s")
    print(render(rows, header))
    path = _write_json(args.out, rows, {"start": at_start, "end": at_end, "quick": args.quick})
    print(f"\nJSON: {path}")
    return 1 if any(row.failed for row in rows) else 0


def _load(info: dict[str, object]) -> str:
    load = info.get("load_average_1_5_15")
    return f"{load[0]:.1f}" if isinstance(load, list) else "?"


def _write_json(folder: Path, rows: list[Row], context: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    document = {**context, "rows": [row.as_dict() for row in rows]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
