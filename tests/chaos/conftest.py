"""Chaos fixtures: fresh mock portals that count the faults they inject, and the fault-free yardstick."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.chaos.harness import Mock
from tests.chaos.procedures import Reference, reference_run


class CountedPortal(Mock):
    """A mock portal in this process whose 500 and 503 answers are counted."""

    def __init__(self, url: str, counter: Callable[[], int]) -> None:
        super().__init__(url)
        self.faults_injected = counter


def _portal(tmp: Path) -> tuple[CountedPortal, Callable[[], None]]:
    from flask import request

    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    app = create_app({"DATABASE": str(tmp / "portal.sqlite"), "TEST_MODE": True, "SEED": {}})
    count, lock = [0], threading.Lock()

    @app.after_request
    def _count(response):  # noqa: ANN001, ANN202 - a Flask hook
        if response.status_code in (500, 503) and not request.path.startswith("/_dev/"):
            with lock:
                count[0] += 1
        return response

    server = start_in_thread(app)
    return CountedPortal(server.url, lambda: count[0]), server.stop


@pytest.fixture
def counted_portal(tmp_path: Path) -> Iterator[CountedPortal]:
    """A fresh mock portal (own database) that counts injected faults."""
    portal, stop = _portal(tmp_path)
    try:
        yield portal
    finally:
        stop()


@pytest.fixture(scope="package")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The final state of a fault-free run (same seed, its own fresh portal), shared by the chaos tests."""
    tmp = tmp_path_factory.mktemp("reference")
    portal, stop = _portal(tmp)
    try:
        return reference_run(portal, tmp / "robot")
    finally:
        stop()
