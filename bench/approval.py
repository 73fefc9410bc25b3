"""Approval throughput: the robot (`katip approve`, a subprocess) against the HTTP floor, same portal, same work.

Each run loads the same seed into this benchmark's own mock portal: one account, W workplaces, P compliant
contracts waiting in each. Three clients approve them all in turn, the portal reloaded before each:
the robot (checked in the portal's audit log and in the robot's JSON), the HTTP floor
(`bench.http_floor`), and the browser floor (`bench.browser_floor`: the same clicks in the same Chromium
without page objects), which tells the browser's share of the gap from the robot code's.

"Per contract" is the steady cycle from one "Tamamla" to the next (`bench.timeline`), so start-up,
login and the last PDF are left out for every client; whole runs are reported too. The portal's own
time comes from its request log, its CPU from getrusage (the portal runs in this process).

Run alone: .venv/bin/python -m bench.approval [--quick] [--runs N] [--no-browser-floor]
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bench import browser_floor
from bench.http_floor import Floor
from bench.memory import MB
from bench.portal import PASSWORD, BenchAccount, BenchPortal, Hit, bench_seed, cpu_seconds, fresh_portal
from bench.results import Row, Target, number
from bench.robot import RobotFailed, RobotRun, check_all_approved, run_approve
from bench.timeline import Cycle, cycle, login_seconds
from mock_portal.seed import SeedData

TARGET_RATIO = 3.0


@dataclass(frozen=True)
class Sizes:
    """The workload of one run."""

    workplaces: int
    per_workplace: int
    runs: int
    latency_runs: int  # more robot + HTTP floor runs with LATENCY_MS added to every page by the portal

    @property
    def contracts(self) -> int:
        """Contracts approved per run."""
        return self.workplaces * self.per_workplace

    def describe(self) -> str:
        """For the table's notes."""
        return f"1 account × {self.workplaces} workplaces × {self.per_workplace} contracts"


FULL = Sizes(workplaces=2, per_workplace=5, runs=3, latency_runs=2)
QUICK = Sizes(workplaces=1, per_workplace=2, runs=2, latency_runs=0)
# A slow portal, as the real one is: the mock's injected latency on every page (not on static files).
LATENCY_MS = 150
# At the real portal's pace the time is the round trips: the robot may cost at most this much more.
TARGET_LATENCY_RATIO = 1.25
# The seed's clicks per contract (list, Sürece Git, Tamamla, Detay Görüntüle, PDF İndir) plus one more.
TARGET_DOCUMENTS = 6


@dataclass
class ClientRun:
    """One in-process client's run (a floor)."""

    wall_s: float
    mock_cpu_s: float  # this process's CPU less the client thread's own: the portal's share
    hits: list[Hit]


def run_in_process(portal: BenchPortal, expected: int, client: Callable[[], list[str]]) -> ClientRun:
    """Time `client()` (it returns the approved contract numbers) and check it approved everything."""
    before = len(portal.approvals())
    mark, process_cpu, own_cpu = portal.log.mark(), cpu_seconds(), time.thread_time()
    started = time.perf_counter()
    approved = client()
    wall = time.perf_counter() - started
    mock_cpu = (cpu_seconds() - process_cpu) - (time.thread_time() - own_cpu)
    check_all_approved(portal, expected, {"approved": len(approved)}, before)
    return ClientRun(wall, mock_cpu, portal.log.since(mark))


def http_floor(portal: BenchPortal, tc: str, out_dir: Path) -> list[str]:
    """The HTTP floor for one account; the approved numbers (every PDF saved and checked)."""
    floor = Floor(portal.url)
    try:
        result = floor.approve_account(tc, PASSWORD, out_dir)
    finally:
        floor.close()
    if len(result.pdfs) != len(result.approved):
        raise RobotFailed(f"the floor saved {len(result.pdfs)} PDFs for {len(result.approved)} approvals")
    return result.approved


@dataclass
class Runs:
    """One run of each client on the same work."""

    robot: RobotRun
    floor: ClientRun
    browser: ClientRun | None

    def cycle_of(self, who: str) -> Cycle | None:
        """The steady cycle of "robot", "floor" or "browser"."""
        client = getattr(self, who)
        return cycle(client.hits) if client is not None else None


def run(quick: bool = False, runs: int | None = None, with_browser_floor: bool = True) -> list[Row]:
    """Measure the clients; the table rows."""
    assert threading.current_thread() is threading.main_thread()  # thread_time() is this thread's
    sizes = QUICK if quick else FULL
    data, accounts = bench_seed(1, sizes.workplaces, sizes.per_workplace)
    tc, measured = accounts[0].tc, []
    workdir = Path(tempfile.mkdtemp(prefix="katip-bench-approval-"))
    try:
        with fresh_portal(workdir / "portal", data) as portal:
            for index in range(runs or sizes.runs):
                portal.load(data)
                robot = run_approve(portal, accounts, workdir / f"robot-{index}", [],
                                    timeout_s=120 + 30 * sizes.contracts)
                check_all_approved(portal, sizes.contracts, robot.summary)
                portal.load(data)
                floor = run_in_process(portal, sizes.contracts, lambda i=index: http_floor(
                    portal, tc, workdir / f"floor-{i}"))
                browser = None
                if with_browser_floor:
                    portal.load(data)
                    browser = run_in_process(portal, sizes.contracts, lambda i=index: browser_floor.approve_account(
                        portal.url, tc, PASSWORD, workdir / f"browser-{i}"))
                measured.append(Runs(robot, floor, browser))
            slow = _with_latency(portal, data, accounts, sizes, workdir, with_browser_floor)
    except RobotFailed as exc:
        return [Row("approval", "robot / floor per contract", "x", target=Target("<=", TARGET_RATIO),
                    failed=str(exc))]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return _rows(sizes, measured) + _latency_rows(slow)


def _with_latency(portal: BenchPortal, data: SeedData, accounts: list[BenchAccount], sizes: Sizes,
                  workdir: Path, with_browser_floor: bool) -> list[Runs]:
    """Robot, HTTP floor and browser floor again, the portal answering every page LATENCY_MS later."""
    portal.dev("faults", {"latency_ms": [LATENCY_MS, LATENCY_MS]})
    measured = []
    try:
        for index in range(sizes.latency_runs):
            portal.load(data)
            robot = run_approve(portal, accounts, workdir / f"slow-robot-{index}", [],
                                timeout_s=120 + 30 * sizes.contracts)
            check_all_approved(portal, sizes.contracts, robot.summary)
            portal.load(data)
            floor = run_in_process(portal, sizes.contracts, lambda i=index: http_floor(
                portal, accounts[0].tc, workdir / f"slow-floor-{i}"))
            browser = None
            if with_browser_floor:
                portal.load(data)
                browser = run_in_process(portal, sizes.contracts, lambda i=index: browser_floor.approve_account(
                    portal.url, accounts[0].tc, PASSWORD, workdir / f"slow-browser-{i}"))
            measured.append(Runs(robot, floor, browser))
    finally:
        portal.dev("faults", {"latency_ms": [0, 0]})
    return measured


def _latency_rows(measured: list[Runs]) -> list[Row]:
    if not measured:
        return []
    pairs = _cycle_pairs(measured, "robot", "floor")
    robot, floor = (_median(p[i].seconds for p in pairs) for i in (0, 1))
    requests = [_median(p[i].pages for p in pairs) for i in (0, 1)]
    shown = [_median(p[i].shown for p in pairs) for i in (0, 1)]
    return [
        Row("approval", f"robot / HTTP floor per contract, portal +{LATENCY_MS} ms a page", "x",
            [r.seconds / f.seconds for r, f in pairs], Target("<=", TARGET_LATENCY_RATIO),
            note=f"a portal as slow as a real one: robot {robot} s, HTTP floor {floor} s per contract"),
        Row("approval", "documents per approved contract, robot (redirects not counted)", "n",
            [p[0].shown for p in pairs], Target("<=", TARGET_DOCUMENTS),
            note="from the portal's own request log: the seed's path is the list, 'Sürece Git' (the approval "
                 "page), 'Tamamla' (the list again), 'Detay Görüntüle' (the detail), 'PDF İndir'; the target "
                 f"allows one more. HTTP floor {shown[1]}; with the redirects (a selection and 'Tamamla' "
                 f"answer 302 on the mock) robot {requests[0]} vs HTTP floor {requests[1]} requests"),
        Row("approval", "requests per approved contract beyond the HTTP floor's", "n",
            [p[0].pages - p[1].pages for p in pairs], Target("<=", 0),
            note="every request the robot sends that the plain HTTP client doing the same work does not "
                 "(the workplace changes in the window are shared out over its contracts)"),
        *_browser_floor_latency_row(measured),
    ]


def _cycle_pairs(measured: list[Runs], top: str, bottom: str) -> list[tuple[Cycle, Cycle]]:
    """The steady cycles of two clients, run by run, where both have one."""
    pairs = []
    for m in measured:
        first, second = m.cycle_of(top), m.cycle_of(bottom)
        if first and second:
            pairs.append((first, second))
    return pairs


def _browser_floor_latency_row(measured: list[Runs]) -> list[Row]:
    """The browser floor at the same pace: what driving Chromium costs at best, page objects or not."""
    ratios = [browser.seconds / floor.seconds for browser, floor in _cycle_pairs(measured, "browser", "floor")]
    if not ratios:
        return []
    return [Row("approval", f"browser floor / HTTP floor per contract, portal +{LATENCY_MS} ms a page", "x",
                ratios, note="the same clicks in lean Playwright, no page objects: if this is above the robot's "
                             "target, the rest of the gap is the browser's (see bench.playwright_cost)")]


def _rows(sizes: Sizes, measured: list[Runs]) -> list[Row]:
    robots = [m.robot for m in measured]
    floors = [m.floor for m in measured]

    def per_contract(who: str) -> list[float]:
        return [c.seconds for c in (m.cycle_of(who) for m in measured) if c]

    def ratio(top: str, bottom: str) -> list[float]:
        return [a.seconds / b.seconds for a, b in _cycle_pairs(measured, top, bottom)]

    n = sizes.contracts
    rows = [
        Row("approval", f"robot, whole run ({n} contracts)", "s", [r.wall_s for r in robots],
            note=f"{sizes.describe()}; `katip approve --json` as a subprocess; {_whole_note(robots)}"),
        Row("approval", f"HTTP floor, whole run ({n} contracts)", "s", [f.wall_s for f in floors],
            note=f"httpx in this process; login {_median(login_seconds(f.hits) for f in floors)} s"),
        Row("approval", "robot per contract", "s", per_contract("robot"), note=_cycle_note(measured, "robot")),
        Row("approval", "HTTP floor per contract", "s", per_contract("floor"), note=_cycle_note(measured, "floor")),
        Row("approval", "robot / HTTP floor per contract", "x", ratio("robot", "floor"), Target("<=", TARGET_RATIO),
            note="the steady cycle: from one 'Tamamla' to the next"),
        Row("approval", "robot / HTTP floor, whole runs", "x", [m.robot.wall_s / m.floor.wall_s for m in measured]),
    ]
    if all(m.browser for m in measured):
        rows += [
            Row("approval", "browser floor per contract", "s", per_contract("browser"),
                note=_cycle_note(measured, "browser") + "; same Chromium, lean Playwright calls, no page objects"),
            Row("approval", "robot / browser floor per contract", "x", ratio("robot", "browser"),
                note="what the robot's own code (page objects, checks, waits) adds"),
            Row("approval", "browser floor / HTTP floor per contract", "x", ratio("browser", "floor"),
                note="what driving a browser costs at best"),
        ]
    rows += [
        Row("approval", "mock CPU during a robot run", "s", [r.mock_cpu_s for r in robots], note=_cpu_note(measured)),
        Row("approval", "peak RSS, robot + Chromium, 1 account", "MB", [r.memory.peak_bytes / MB for r in robots],
            note=f"PSS {_median(r.memory.peak_pss_bytes / MB for r in robots)} MB; "
                 f"up to {max(r.memory.peak_processes for r in robots)} processes"),
    ]
    return rows


def _median(values: Iterable[float | None]) -> str:
    known = [v for v in values if v is not None]
    return number(statistics.median(known)) if known else "?"


def _whole_note(robots: list[RobotRun]) -> str:
    return (f"{_median(r.until_first_request_s for r in robots)} s before its first request (Python, "
            f"Playwright, Chromium), login {_median(login_seconds(r.hits) for r in robots)} s")


def _cycle_note(measured: list[Runs], who: str) -> str:
    cycles = [c for c in (m.cycle_of(who) for m in measured) if c]
    if not cycles:
        return ""
    pages = statistics.median(c.pages for c in cycles)
    statics = statistics.median(c.statics for c in cycles)
    portal = statistics.median(c.portal_s for c in cycles)
    each = statistics.median(c.seconds for c in cycles)
    return (f"{pages:.1f} page requests + {statics:.1f} static files per contract; the portal served "
            f"them in {portal:.3f} s of the {each:.3f} s ({portal / each:.0%})")


def _cpu_note(measured: list[Runs]) -> str:
    share = statistics.median(m.robot.mock_cpu_s / m.robot.wall_s for m in measured)
    robot_cpu = statistics.median(m.robot.robot_cpu_s for m in measured)
    floor_mock = statistics.median(m.floor.mock_cpu_s for m in measured)
    return (f"the in-process mock used {share:.0%} of one core during robot runs; the robot's own processes "
            f"{robot_cpu:.1f} s CPU per run; mock CPU during an HTTP floor run: {floor_mock:.2f} s")


def main() -> None:
    """Print the approval rows."""
    import argparse
    import os

    from bench.results import render

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--no-browser-floor", action="store_true")
    args = parser.parse_args()
    rows = run(args.quick, args.runs, with_browser_floor=not args.no_browser_floor)
    print(render(rows, f"approval (cores: {os.cpu_count()})"))


if __name__ == "__main__":
    main()
