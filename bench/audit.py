"""The compliance audit over many accounts: `katip audit --json --parallel 4` on a generated portal.

The mock seeded as `katip portal --accounts 50 --workplaces 4` (accounts without two-step verification
cannot log in and are left out); every workplace read, every counting or waiting contract's number read
once from its detail page. Read-only: the portal's audit log must be unchanged (checked).

Run alone: .venv/bin/python -m bench.audit [--quick] [--runs N]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench import state_accounts
from bench.refresh import _dev
from bench.results import Row, run_alone
from bench.robot import katip_command

FULL = {"accounts": 50, "workplaces": 4, "employees": 30}
QUICK = {"accounts": 6, "workplaces": 2, "employees": 20}


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Audit every usable account of the generated portal; the row."""
    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    sizes = QUICK if quick else FULL
    workdir = Path(tempfile.mkdtemp(prefix="katip-bench-audit-"))
    app = create_app({"DATABASE": str(workdir / "portal.sqlite"), "TEST_MODE": True, "SEED": sizes})
    server = start_in_thread(app)
    walls, audited = [], 0
    try:
        for index in range(runs or 1):
            folder = workdir / f"run-{index}"
            state = _dev(server.url, "state")
            usable = state_accounts.usable(state)
            path, passwords = state_accounts.write(folder, usable)
            env = state_accounts.robot_env(folder, server.url, path, passwords)
            started = time.perf_counter()
            done = subprocess.run([*katip_command(), "audit", "--json", "--parallel", "4"], env=env,
                                  capture_output=True, text=True, timeout=3600, cwd=folder)
            walls.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                return [Row("audit", "katip audit --parallel 4", "s", failed=done.stderr[-300:])]
            audited = json.loads(done.stdout)["summary"]["workplaces"]
            if _dev(server.url, "state")["audit"] != state["audit"]:
                return [Row("audit", "katip audit --parallel 4", "s", failed="the audit changed the portal")]
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return [Row("audit", f"katip audit --parallel 4, {len(usable)} accounts", "s", walls,
                note=f"{audited} workplaces audited (seed {sizes}); read-only: the portal's audit log unchanged; "
                     f"{sum(walls) / len(walls) / max(audited, 1):.2f} s per workplace")]


if __name__ == "__main__":
    run_alone(run, "audit", __doc__)
