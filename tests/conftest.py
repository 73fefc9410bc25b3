"""Shared fixtures: the Chromium every browser test uses, and a live mock portal per test."""

from __future__ import annotations

import json as jsonlib
import signal
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from rpa.browser import find_chromium


def pytest_configure(config: pytest.Config) -> None:
    """Tests that press Ctrl-C on a child (`katip portal`, a run with its Chromium) need the child to
    hear it. A suite started in the background (`make test &`) inherits SIGINT ignored, and every
    child would too: such a test then waits out its timeout and leaves the child running."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest tests first: with `-n 3 --dist load` they start at once on different workers
    instead of one of them ending the run alone."""
    def minutes(item: pytest.Item) -> float:
        marker = item.get_closest_marker("slow")
        return 0.0 if marker is None else marker.kwargs.get("minutes", 1.0)

    items.sort(key=minutes, reverse=True)  # stable: the others keep their order


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches the same Chromium as the robot (`rpa.browser.find_chromium`)."""
    headless = browser_type_launch_args.get("headless", True)
    ours = find_chromium(headless=headless).launch_kwargs(headless=headless)
    merged = {**browser_type_launch_args, **ours}
    merged["args"] = [*browser_type_launch_args.get("args", []), *ours["args"]]
    return merged


@dataclass
class LivePortal:
    """A seeded mock portal in test mode, served over HTTP by waitress from a background thread."""

    url: str
    app: Flask

    def dev(self, path: str, json: Any = None) -> Any:
        """Call the `/_dev/` API: GET without a body, POST with `json`; returns the decoded answer."""
        address = f"{self.url}/_dev/{path.lstrip('/')}"
        data = None if json is None else jsonlib.dumps(json).encode()
        request = urllib.request.Request(address, data=data, method="GET" if json is None else "POST")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return jsonlib.loads(answer.read().decode())


@pytest.fixture
def live_portal(tmp_path) -> Iterator[LivePortal]:
    """A fresh portal (own database, default seed) at a free loopback port, stopped after the test."""
    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    app = create_app({"DATABASE": str(tmp_path / "live-portal.sqlite"), "TEST_MODE": True, "SEED": {}})
    server = start_in_thread(app)
    try:
        yield LivePortal(url=server.url, app=app)
    finally:
        server.stop()


@pytest.fixture
def log_file(tmp_path) -> Iterator[Path]:
    """The run log as `configure_logging` writes it (console silenced); loguru restored afterwards."""
    from loguru import logger

    from rpa.logs import configure_logging

    path = tmp_path / "run.log"
    configure_logging(path, console_write=lambda _m: None)
    yield path
    logger.remove()
    logger.configure(patcher=None)
    logger.add(sys.stderr)


# The real Redis and PostgreSQL of the distributed tests (session-scoped; skipped only when not installed).
from tests.servers import postgres_server, postgres_url, redis_server, redis_url  # noqa: E402, F401
