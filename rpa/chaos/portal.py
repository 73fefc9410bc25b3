"""The mock portal a chaos run talks to: by URL through its `/_dev/` API, or started in this process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

# The kinds of injected faults the mock counts (`latency_ms` sums the injected delays).
FAULT_KINDS = ("error_500", "maintenance_503", "latency", "latency_ms", "idle_out")


class Mock:
    """A mock portal in test mode, by URL."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=30)

    def dev(self, path: str, json: Any = None) -> Any:
        """GET (or POST with `json`) `/_dev/<path>`; the JSON answer."""
        url = f"{self.url}/_dev/{path}"
        answer = self._http.post(url, json=json) if json is not None else self._http.get(url)
        answer.raise_for_status()
        return answer.json()

    def injected(self) -> dict[str, int]:
        """Every fault the mock has played since it started, by kind."""
        counts = self.dev("faults/injected")
        return {kind: int(counts.get(kind, 0)) for kind in FAULT_KINDS}

    def close(self) -> None:
        """Let go of the HTTP connections."""
        self._http.close()


def faults_between(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The faults played between two readings of `Mock.injected`."""
    return {kind: after.get(kind, 0) - before.get(kind, 0) for kind in FAULT_KINDS}


def start_portal(workdir: Path) -> tuple[Mock, Callable[[], None]]:
    """A fresh mock portal (own database under `workdir`) served from this process; and how to stop it."""
    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    workdir.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE": str(workdir / "portal.sqlite"), "TEST_MODE": True, "SEED": {}})
    server = start_in_thread(app)
    mock = Mock(server.url)

    def stop() -> None:
        mock.close()
        server.stop()

    return mock, stop
