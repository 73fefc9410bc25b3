"""Accounts of a seeded mock portal (any seed) as the robot's accounts.yaml and environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mock_portal.seed import DEMO_TC


def usable(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Accounts that can log in and list workplaces (those without two-step verification cannot)."""
    return [a for a in state["accounts"] if a["two_step"] and (a["workplaces"] or a["workplaces_after_refresh"])]


def write(folder: Path, accounts: list[dict[str, Any]]) -> tuple[Path, dict[str, str]]:
    """accounts.yaml for these accounts (passwords from the environment, codes from the mock); the env."""
    folder.mkdir(parents=True, exist_ok=True)
    lines, env = ["accounts:"], {}
    for n, account in enumerate(accounts):
        name = "demo-firma" if account["tc"] == DEMO_TC else f"firma-{n + 1:03d}"
        variable = f"KATIP_BENCH_PW_{n + 1:03d}"
        lines += [f"  - name: {name}", f'    tc: "{account["tc"]}"', f"    password: env:{variable}", "    code: mock"]
        env[variable] = account["password"]
    path = folder / "accounts.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, env


def robot_env(folder: Path, portal_url: str, accounts_file: Path, passwords: dict[str, str]) -> dict[str, str]:
    """The environment of a `katip` subprocess working in `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_PORTAL_URL=portal_url, KATIP_STATE_DIR=str(folder / "state"), KATIP_OUT_DIR=str(folder / "out"),
               KATIP_ACCOUNTS=str(accounts_file), **passwords)
    return env
