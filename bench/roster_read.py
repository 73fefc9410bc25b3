"""Benchmark: read + validate a generated 100,000-row .xlsx roster with calamine and with openpyxl.

Run: .venv/bin/python -m bench.roster_read [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from rpa.domain.identifiers import generate_sicil, generate_tc
from rpa.roster.reader import read_roster
from rpa.roster.sources import Engine

TARGET_SECONDS = 10.0


def write_big_roster(path: Path, rows: int, seed: int = 42) -> None:
    """A one-sheet roster with a title row, a sicil column and the mix of cell types HR files have."""
    import openpyxl

    rng = random.Random(seed)
    sicils = [generate_sicil(rng) for _ in range(20)]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Personel")
    sheet.append(["PERSONEL LİSTESİ (tüm işyerleri)"])
    sheet.append(["Sıra", "SGK Sicil No", "T.C. Kimlik No", "Adı Soyadı", "İşe Giriş Tarihi", "Çıkış Tarihi"])
    start = dt.date(2005, 1, 1)
    seen: set[str] = set()
    for i in range(rows):
        tc: object = generate_tc(rng)
        while tc in seen:  # a random repeat would be a (correctly rejected) conflicting duplicate
            tc = generate_tc(rng)
        seen.add(tc)
        kind = i % 10
        if kind < 6:
            tc = int(tc)  # a number cell, read back as a float
        elif kind == 9 and i % 1000 == 9:
            tc = tc[:-1] + str((int(tc[-1]) + 1) % 10)  # a typo: rejected
        hired = start + dt.timedelta(days=rng.randint(0, 6900))
        left = hired + dt.timedelta(days=rng.randint(30, 900)) if i % 7 == 0 else None
        hired_cell: object = hired if i % 3 else hired.strftime("%d.%m.%Y")
        sheet.append([i + 1, sicils[i % len(sicils)], tc, f"Çalışan {i:06d}", hired_cell, left])
    workbook.save(path)


def measure(path: Path, engine: Engine, runs: int) -> list[float]:
    """Wall-clock seconds of read_roster over `runs` runs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        roster = read_roster([path], engine=engine, today=dt.date(2025, 1, 1))
        times.append(time.perf_counter() - started)
        assert roster.files[0].rows_total > 0
    return times


def main() -> None:
    """Print min/median/max per engine and the machine's core count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        started = time.perf_counter()
        write_big_roster(path, args.rows)
        print(f"generated {args.rows} rows in {time.perf_counter() - started:.1f} s; nproc={os.cpu_count()}")
        for engine in ("calamine", "openpyxl"):
            times = measure(path, engine, args.runs)
            median = statistics.median(times)
            verdict = "OK" if median < TARGET_SECONDS else "SLOWER THAN TARGET"
            print(
                f"{engine:9s} read+validate: min {min(times):.2f} s, median {median:.2f} s, "
                f"max {max(times):.2f} s  ({verdict}, target < {TARGET_SECONDS:.0f} s)"
            )


if __name__ == "__main__":
    main()
