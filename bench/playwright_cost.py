"""What every new page costs Playwright itself, before the robot's own code runs.

The approval cycle shows five documents per contract (list, approval page, list, detail, and the PDF).
On each new document Playwright's first locator call must first install its injected script (about
330 KB of JavaScript) in a fresh isolated world; later calls on the same document reuse it. A plain
`page.evaluate` runs in the page's own world and does not need it. This bench loads the same portal
page again and again in one Chromium and times, after each load:

- the first locator call (the heading's `count()`) on the new document,
- the same call again on that document,
- a main-world `page.evaluate` (for scale),
- a forced click against an actionable one on the same element (Playwright's wait for the element
  to stand still over animation frames; the robot clicks forced, after finding the element visible).

Run alone: .venv/bin/python -m bench.playwright_cost [--quick] [--runs LOADS]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.browser_floor import BrowserFloor
from bench.portal import PASSWORD, bench_seed, fresh_portal
from bench.results import Row

LOADS = 20


def _ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Time Playwright's per-document and per-click costs; the table rows."""
    from playwright.sync_api import sync_playwright

    loads = runs or (5 if quick else LOADS)
    data, accounts = bench_seed(1, 1, 2)
    first: list[float] = []
    again: list[float] = []
    evaluate: list[float] = []
    forced: list[float] = []
    actionable: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, fresh_portal(Path(tmp) / "portal", data) as portal, \
            sync_playwright() as playwright:
        floor = BrowserFloor(playwright, portal.url)
        try:
            floor.log_in(accounts[0].tc, PASSWORD)
            page = floor.page
            page.get_by_role("button", name="Seç").first.click()
            floor.open_contracts()
            url = page.url
            heading = page.get_by_role("heading", name="İSG Hizmet Sözleşmeleri", exact=True)
            cell = page.get_by_role("row").filter(has_text="Onay Bekliyor").first.get_by_role("cell").first
            for _ in range(loads):
                page.goto(url, wait_until="domcontentloaded")
                evaluate.append(_ms(lambda: page.evaluate("1")))
                first.append(_ms(heading.count))
                again.append(_ms(heading.count))
                forced.append(_ms(lambda: cell.click(force=True)))
                actionable.append(_ms(cell.click))
        finally:
            floor.close()
    per_document = statistics.median(first) - statistics.median(again)
    return [
        Row("playwright_cost", "first locator call on a new document", "ms", first,
            note=f"{loads} loads of the contract list in one Chromium, after DOMContentLoaded; Playwright "
                 "installs its injected script in the new document's isolated world"),
        Row("playwright_cost", "the same locator call again", "ms", again,
            note=f"so each new document costs about {per_document:.0f} ms before any reading; five documents "
                 "per approved contract"),
        Row("playwright_cost", "page.evaluate in the page's own world", "ms", evaluate),
        Row("playwright_cost", "forced click (what the robot does)", "ms", forced),
        Row("playwright_cost", "actionable click (waits for the element to stand still)", "ms", actionable),
    ]


def main() -> None:
    """Print the rows."""
    from bench.results import run_alone

    run_alone(run, "playwright_cost", __doc__)


if __name__ == "__main__":
    main()
