"""before_request hook that plays the injected faults: maintenance (503), latency, random 500s.

The `/_dev/` API and static files are exempt, so that a test can always switch faults off again.
Tests may replace the pause with `app.config["SLEEP"]` (a callable taking seconds) to stay fast.
"""

from __future__ import annotations

import time

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from mock_portal.fault_messages import MAINTENANCE, SYSTEM_ERROR


def _exempt() -> bool:
    return request.blueprint == "dev" or request.endpoint == "static" or request.path.startswith("/_dev/")


def inject() -> tuple[str, int] | tuple[str, int, dict[str, str]] | Response | None:
    """Answer with a fault page (or pause) as the fault settings say; None lets the request through."""
    if _exempt():
        return None
    faults = current_app.config["FAULTS"]
    if faults.settings.maintenance:
        faults.count("maintenance_503")
        return render_template("error.html", problem=MAINTENANCE, code=503), 503, {"Retry-After": "60"}
    delay = faults.draw_latency_s()
    if delay > 0:
        faults.count("latency")
        faults.count("latency_ms", round(delay * 1000))
        sleep = current_app.config.get("SLEEP") or time.sleep
        sleep(delay)
    if faults.draw_error():
        faults.count("error_500")
        return render_template("error.html", problem=SYSTEM_ERROR, code=500), 500
    return None
