"""Several generated employer accounts on one live mock portal, and `katip` run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mock_portal.seed import DEMO_TC

SIZES = {"accounts": 4, "workplaces": 2, "employees": 12}  # the 2nd has no two-step: left out


@dataclass(frozen=True)
class Employer:
    """One generated account: its name in accounts.yaml, TC, password and visible workplaces."""

    name: str
    tc: str
    password: str
    workplaces: tuple[str, ...]

    @property
    def variable(self) -> str:
        """The environment variable accounts.yaml points its password at."""
        return f"KATIP_TEST_PARALLEL_{self.name.upper().replace('-', '_')}"


@pytest.fixture
def employers(live_portal) -> list[Employer]:
    """The portal reset to three generated employers with two workplaces each (the demo left out)."""
    live_portal.dev("reset", SIZES)
    accounts = live_portal.dev("state")["accounts"]
    found = [a for a in accounts if a["workplaces"] and a["two_step"] and a["tc"] != DEMO_TC]
    return [Employer(f"firma-{n + 1}", a["tc"], a["password"], tuple(a["workplaces"]))
            for n, a in enumerate(found)]


def write_accounts(folder: Path, employers: list[Employer]) -> Path:
    """accounts.yaml for these employers: passwords from the environment, two-step codes from the mock."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["accounts:"]
    for e in employers:
        lines += [f"  - name: {e.name}", f'    tc: "{e.tc}"', f"    password: env:{e.variable}", "    code: mock"]
    path = folder / "accounts.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def katip(folder: Path, portal_url: str, employers: list[Employer], *args: str,
          passwords: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m rpa ARGS --accounts ... --portal-url ...` with state and output under `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(folder / "out"), KATIP_STATE_DIR=str(folder / "state"), KATIP_TIMEOUT_MS="10000")
    env.update({e.variable: (passwords or {}).get(e.name, e.password) for e in employers})
    command = [sys.executable, "-m", "rpa", *args, "--accounts", str(write_accounts(folder, employers)),
               "--portal-url", portal_url]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, cwd=folder)


def decisions(state: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each contract's (status, approval) in the portal: what a run changes, timestamps left out."""
    return {c["no"]: (c["status"], c["approval"]) for c in state["contracts"]}


def approvals(state: dict[str, Any]) -> list[str]:
    """Contract numbers in the portal's audit log, one entry per approval."""
    return [entry["target"] for entry in state["audit"] if entry["action"] == "approve"]


def as_json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The command's one JSON document (stderr shown if there is none)."""
    assert done.stdout.strip(), done.stderr[-2000:]
    return json.loads(done.stdout)
