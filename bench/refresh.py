"""The workplace refresh at the real portal's pace: every account's request first, then ONE shared wait.

The mock with 21 accounts (20 generated and the demo's, the size the issue measured) with its refresh answered late
(`refresh_delay_s` beyond the wait): before, each account waited its own 60 s, more than five minutes at
--parallel 4. Now the whole run ends in about one wait window plus the logins. Then the rows arrive, and
the next plain `katip workplaces` reports them as new (checked).

Run alone: .venv/bin/python -m bench.refresh [--quick] [--runs N]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench import state_accounts
from bench.results import Row, Target, run_alone
from bench.robot import katip_command

WAIT_S = 60  # the default --wait: one window for the whole run
ACCOUNTS = 20  # generated employer accounts (the demo account comes on top)
TARGET_S = 100.0  # "well under 100 s": one wait window plus the logins


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """`katip workplaces --refresh --json` over every account of the default seed; the rows."""
    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    wait = 10 if quick else WAIT_S
    walls, found_new, accounts_n = [], [], 0
    workdir = Path(tempfile.mkdtemp(prefix="katip-bench-refresh-"))
    app = create_app({"DATABASE": str(workdir / "portal.sqlite"), "TEST_MODE": True, "SEED": {} if not quick else
                      {"accounts": 5}})
    server = start_in_thread(app)
    try:
        for index in range(runs or 1):
            folder = workdir / f"run-{index}"
            _dev(server.url, "reset", {"accounts": 5 if quick else ACCOUNTS})
            _dev(server.url, "faults", {"refresh_delay_s": wait + 5})  # SGK answers after the window
            state = _dev(server.url, "state")
            usable = state_accounts.usable(state)
            accounts_n = len(usable)
            path, passwords = state_accounts.write(folder, usable)
            env = state_accounts.robot_env(folder, server.url, path, passwords)
            started = time.perf_counter()
            done = subprocess.run([*katip_command(), "workplaces", "--refresh", "--wait", str(wait), "--json"],
                                  env=env, capture_output=True, text=True, timeout=1800, cwd=folder)
            walls.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"katip workplaces exited {done.returncode}: {done.stderr[-500:]}")
            # Every request was filed before the window opened, so every row comes at most 5 s after it closed.
            time.sleep(6)
            later = subprocess.run([*katip_command(), "workplaces", "--json"], env=env, capture_output=True,
                                   text=True, timeout=600, cwd=folder)
            found_new.append(sum(w["new"] for a in json.loads(later.stdout)["accounts"] for w in a["workplaces"]))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    expected = sum(len(set(a["workplaces_after_refresh"]) - set(a["workplaces"])) for a in usable)
    return [Row("refresh", f"katip workplaces --refresh --wait {wait}, {accounts_n} accounts", "s", walls,
                Target("<=", TARGET_S if not quick else 60),
                note=f"--parallel default (4); rows answered after the window; the next listing reported "
                     f"{found_new[-1]} of {expected} late rows as new")]


def _dev(url: str, path: str, body: object = None) -> dict:
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{url}/_dev/{path}", data=data, method="POST" if data is not None else "GET")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read().decode())


if __name__ == "__main__":
    run_alone(run, "refresh", __doc__)
