"""The portal's own request log (test mode): what a robot asked for, in order, for round-trip counts.

`GET /_dev/requests?since=N` returns the requests after the N-th; a QA team counts the page loads a
flow costs (a real portal's politeness is counted in these) without instrumenting the robot.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from flask import Flask, request
from werkzeug.wrappers import Response

KEEP = 100_000  # the newest requests kept; older ones are forgotten (their count is not)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=KEEP)
        self._total = 0

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._total += 1
            self._entries.append({"n": self._total, **entry})

    def since(self, mark: int) -> dict[str, Any]:
        with self._lock:
            entries = [e for e in self._entries if e["n"] > mark]
            return {"total": self._total, "requests": entries}


def install(app: Flask) -> None:
    log = RequestLog()
    app.config["REQUEST_LOG"] = log

    @app.after_request
    def record(response: Response) -> Response:
        if not request.path.startswith("/_dev/"):
            kind = "static" if request.path.startswith("/static/") else "page"
            log.add({"at": round(time.time(), 3), "method": request.method, "path": request.path,
                     "status": response.status_code, "kind": kind})
        return response
