"""Benchmark: reconcile a 10,000-row roster with a 10,000-row 4A list (target: under 1 s, browser excluded).

Measures the dict/set-based `rpa.sync.reconcile.reconcile` (what the robot uses) plus the plan, and, for
comparison, the same comparison as a pandas outer merge (building the frames from the models included,
as the robot would have to). Both must find the same differences.

Run: .venv/bin/python -m bench.reconcile [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from bench.results import Row, Target
from rpa.domain.identifiers import generate_sicil, generate_tc
from rpa.models import Employee
from rpa.roster.models import RosterRow, RowRef
from rpa.sync.plan import make_plan
from rpa.sync.reconcile import reconcile

TARGET_SECONDS = 1.0
TODAY = date(2025, 3, 1)


def generate(rows: int, seed: int = 7) -> tuple[str, list[RosterRow], list[Employee], int]:
    """(sicil, roster, 4A list, expected differences): 1 % of each kind of difference, the rest in agreement.

    The 4A list has as many rows as the roster: the 1 % it lacks is made up by people the roster lacks.
    """
    rng = random.Random(seed)
    sicil = generate_sicil(rng, il_code=34)
    tcs: set[str] = set()
    while len(tcs) < rows + rows // 100:
        tcs.add(generate_tc(rng))
    people = sorted(tcs)
    roster: list[RosterRow] = []
    portal: list[Employee] = []
    start = date(2010, 1, 1).toordinal()
    differences = 0
    for index, tc in enumerate(people[:rows]):
        hired = date.fromordinal(start + rng.randint(0, 5000))
        left = min(hired + timedelta(days=rng.randint(30, 900)), TODAY - timedelta(days=1)) if index % 9 == 0 else None
        ref = RowRef.model_construct(file="bench.xlsx", sheet="Personel", row=index + 2)
        kind = index % 100
        r_hired, r_left, listed = hired, left, True
        if kind == 1:  # employed, not in the 4A list
            r_left, left, listed = None, None, False
        elif kind == 2:  # left in the roster, active in the list
            r_left, left = TODAY - timedelta(days=10), None
        elif kind == 3:  # hire date differs
            r_hired = hired + timedelta(days=3)
        differences += kind in (1, 2, 3)
        roster.append(RosterRow.model_construct(sicil=sicil, tc=tc, name=f"Çalışan {index}", hired=r_hired,
                                                left=r_left, source=ref, duplicates=()))
        if listed:
            portal.append(Employee.model_construct(tc=tc, name=f"Çalışan {index}", hired=hired, left=left,
                                                   status="Çıkış" if left else "Aktif"))
    for tc in people[rows:]:  # active in the list, not in the roster
        portal.append(Employee.model_construct(tc=tc, name="Başka", hired=date(2020, 1, 1), left=None,
                                               status="Aktif"))
        differences += 1
    return sicil, roster, portal, differences


def with_dicts(sicil: str, roster: list[RosterRow], portal: list[Employee]) -> int:
    """The robot's way: reconcile (dicts and sets) and plan."""
    found = reconcile(sicil, roster, portal, TODAY)
    make_plan(found.differences)
    return len(found.differences)


def with_pandas(sicil: str, roster: list[RosterRow], portal: list[Employee]) -> int:
    """The same comparison as a pandas outer merge, frames built from the models."""
    r = pd.DataFrame({"tc": [x.tc for x in roster], "r_hired": [x.hired for x in roster],
                      "r_left": [x.left for x in roster]})
    p = pd.DataFrame({"tc": [x.tc for x in portal], "p_hired": [x.hired for x in portal],
                      "p_left": [x.left for x in portal], "status": [x.status for x in portal]})
    m = r.merge(p, on="tc", how="outer", indicator=True)
    r_active = m["r_left"].isna() | (m["r_left"] > TODAY)
    p_active = m["status"] == "Aktif"
    both = m["_merge"] == "both"
    not_in_portal = (m["_merge"] == "left_only") & r_active
    left_in_portal = both & r_active & ~p_active
    still_active = both & ~r_active & p_active
    hired = both & (r_active == p_active) & m["r_hired"].notna() & (m["r_hired"] != m["p_hired"])
    left_date = both & ~r_active & ~p_active & m["p_left"].notna() & (m["r_left"] != m["p_left"])
    not_in_roster = (m["_merge"] == "right_only") & p_active
    return int((not_in_portal | left_in_portal | still_active | hired | left_date | not_in_roster).sum())


Way = Callable[[str, list[RosterRow], list[Employee]], int]


def _time(fn: Way, data: tuple, runs: int) -> tuple[list[float], int]:
    sicil, roster, portal, _ = data
    samples, found = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        found = fn(sicil, roster, portal)
        samples.append(time.perf_counter() - started)
    return samples, found


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Rows for `python -m bench`: both ways, against the 1 s target."""
    rows = 1_000 if quick else 10_000
    data = generate(rows)
    out = []
    for name, fn in (("dict/set (used)", with_dicts), ("pandas merge", with_pandas)):
        samples, found = _time(fn, data, runs or (2 if quick else 5))
        note = f"{found} differences (expected {data[3]})"
        out.append(Row("reconcile", f"{rows} vs {rows} rows, {name}", "s", samples, Target("<", TARGET_SECONDS),
                       note=note, failed=None if found == data[3] else f"found {found}, expected {data[3]}"))
    return out


def main() -> None:
    """Print min/median/max of both ways and the machine's core count."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate(args.rows)
    print(f"generated {args.rows} roster rows and {len(data[2])} 4A rows ({data[3]} differences) "
          f"in {time.perf_counter() - started:.1f} s; nproc={os.cpu_count()}")
    for name, fn in (("dict/set (used)", with_dicts), ("pandas merge   ", with_pandas)):
        samples, found = _time(fn, data, args.runs)
        median = statistics.median(samples)
        verdict = "OK" if median < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(f"{name}: min {min(samples) * 1000:.1f} ms, median {median * 1000:.1f} ms, "
              f"max {max(samples) * 1000:.1f} ms over {args.runs} runs; {found} differences "
              f"(target < {TARGET_SECONDS:g} s: {verdict})")


if __name__ == "__main__":
    main()
