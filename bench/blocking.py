"""Blocking what the robot does not need (images, fonts): measured before deciding, as the issue asks.

One logged-in Chromium opens the contract list through the menu again and again, in three set-ups:
nothing blocked; a Playwright route that aborts images and fonts; Chromium told not to load images
(`--blink-settings=imagesEnabled=false`, no interception). Reported: seconds per page and the static
files the portal served per page (a route turns on request interception, and Chromium then bypasses
its HTTP cache, so CSS and JS are fetched again on every page).

Run alone: .venv/bin/python -m bench.blocking [--quick] [--runs N]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.browser_floor import BrowserFloor
from bench.portal import PASSWORD, BenchPortal, bench_seed, fresh_portal
from bench.results import Row

NO_IMAGES_FLAG = "--blink-settings=imagesEnabled=false"
BLOCKED_TYPES = {"image", "font", "media"}


def _block_images_and_fonts(context: Any) -> None:
    def handle(route: Any) -> None:
        if route.request.resource_type in BLOCKED_TYPES:
            route.abort()
        else:
            route.continue_()

    context.route("**/*", handle)


SETUPS: dict[str, tuple[list[str], Callable[[Any], None] | None]] = {
    "nothing blocked": ([], None),
    "route aborts images and fonts": ([], _block_images_and_fonts),
    "Chromium loads no images (flag)": ([NO_IMAGES_FLAG], None),
}


def _measure(portal: BenchPortal, tc: str, extra_args: list[str], prepare: Callable[[Any], None] | None,
             pages: int) -> tuple[float, float]:
    """Seconds per contract-list page and static files served per page, after `pages` warm-up-free loads."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        floor = BrowserFloor(playwright, portal.url, extra_args=extra_args)
        try:
            if prepare is not None:
                prepare(floor.context)
            floor.log_in(tc, PASSWORD)
            floor.page.get_by_role("row").nth(1).get_by_role("button", name="Seç").click()
            floor.page.get_by_role("button", name="İşyeri Değiştir").wait_for()
            floor.open_contracts()  # first visit fills the cache; not counted
            mark, started = portal.log.mark(), time.perf_counter()
            for _ in range(pages):
                floor.open_contracts()
            took = time.perf_counter() - started
        finally:
            floor.close()
    statics = [h for h in portal.log.since(mark) if h.path.startswith("/static/")]
    return took / pages, len(statics) / pages


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """One row of seconds per page and one of static files per page for each set-up."""
    pages, count = (5, 1) if quick else (40, runs or 3)
    data, accounts = bench_seed(1, 1, 1)
    seconds: dict[str, list[float]] = {name: [] for name in SETUPS}
    statics: dict[str, list[float]] = {name: [] for name in SETUPS}
    with tempfile.TemporaryDirectory() as tmp, fresh_portal(Path(tmp) / "portal", data) as portal:
        for _ in range(count):
            for name, (extra_args, prepare) in SETUPS.items():  # interleaved: load changes hit all alike
                portal.load(data)
                per_page, static = _measure(portal, accounts[0].tc, extra_args, prepare, pages)
                seconds[name].append(per_page)
                statics[name].append(static)
    rows = []
    for name in SETUPS:
        rows.append(Row("blocking", f"contract list page, {name}", "s", seconds[name],
                        note=f"{statistics.median(statics[name]):.1f} static files fetched per page"))
    return rows


def main() -> None:
    """Print the blocking rows."""
    from bench.results import run_alone

    run_alone(run, "blocking", __doc__)


if __name__ == "__main__":
    main()
