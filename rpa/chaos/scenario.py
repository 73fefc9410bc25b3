"""Preparing a chaos portal (same seed: same data) and running the robot's own command line against it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from mock_portal.seed import DEMO_TC
from rpa.chaos.portal import Mock
from rpa.domain.rules import HazardClass, Title, legal_minimum

SEED = 6
ACCOUNTS = 4  # every third generated account has no two-step and cannot log in: 3 usable
USABLE_ACCOUNTS = 3
EMPLOYEES = 16
HEALTHY = {"error_rate": 0.0, "maintenance": False, "latency_ms": [0, 0], "session_ttl_s": 1800.0}
ROSTER_HEADER = ["SGK Sicil No", "TC Kimlik No", "Ad Soyad", "İşe Giriş Tarihi", "İşten Çıkış Tarihi"]


def chaos_faults(error_rate: float = 0.2, latency_ms: tuple[int, int] = (0, 150),
                 session_ttl_s: float = 20.0) -> dict[str, Any]:
    """The `/_dev/faults` settings of a run under chaos (maintenance windows come on top)."""
    return {"error_rate": error_rate, "latency_ms": list(latency_ms), "session_ttl_s": session_ttl_s}


@dataclass
class Scenario:
    """The accounts and workplaces of one prepared portal, and the roster written for it."""

    accounts: list[dict[str, Any]]
    sicils: list[str]
    roster_file: Path
    roster_sicils: list[str]

    def account_sicils(self, index: int) -> list[str]:
        """The visible workplaces of one account."""
        return list(self.accounts[index]["workplaces"])


def prepare(mock: Mock, seed: int, workdir: Path, workplaces: int = 30) -> Scenario:
    """Reset the portal with at least `workplaces` workplaces (3 accounts), one compliant waiting contract
    in each, and write a roster that is out of line with the portal for a few of them."""
    per_account = -(-workplaces // USABLE_ACCOUNTS)
    mock.dev("faults", json=HEALTHY)
    mock.dev("reset", json={"accounts": ACCOUNTS, "workplaces": per_account, "employees": EMPLOYEES,
                            "seed": seed})
    state = mock.dev("state")
    # Accounts without two-step verification cannot log in to the corporate side: leave them out.
    accounts = [a for a in state["accounts"]
                if a["workplaces"] and a["two_step"] and a["tc"] != DEMO_TC][:USABLE_ACCOUNTS]
    places = {w["sicil"]: w for w in state["workplaces"]}
    sicils = list(dict.fromkeys(s for a in accounts for s in a["workplaces"]))
    for number, sicil in enumerate(sicils):
        place = places[sicil]
        needed = legal_minimum(Title.UZMAN, HazardClass(place["hazard_class"]), place["active_count"])
        mock.dev("contracts", json={"sicil": sicil, "professional": f"Kaos Uzman {number:02d}",
                                    "title": str(Title.UZMAN), "cert_class": "A", "minutes": max(needed, 30) + 5})
    # The roster: what SGK knows of the first account's first workplaces out of line with the 4A list.
    sgk_by: dict[str, list[dict[str, Any]]] = {}
    for person in state["sgk"]:
        sgk_by.setdefault(person["sicil"], []).append(person)
    listed = {(e["sicil"], e["tc"], e["left"]) for e in state["employees"]}
    out_of_line = [s for s in accounts[0]["workplaces"]
                   if any((p["sicil"], p["tc"], p["left"]) not in listed for p in sgk_by.get(s, []))]
    roster_sicils = out_of_line[:3]
    workdir.mkdir(parents=True, exist_ok=True)
    roster_file = write_roster(workdir / "personel.xlsx", [p for s in roster_sicils for p in sgk_by[s]])
    return Scenario(accounts, sicils, roster_file, roster_sicils)


def write_roster(path: Path, people: list[dict[str, Any]]) -> Path:
    """An .xlsx roster with the usual header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ROSTER_HEADER)
    for p in people:
        sheet.append([p["sicil"], p["tc"], p["name"], _day(p["hired"]), _day(p["left"])])
    book.save(path)
    return path


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def robot_env(mock: Mock, scenario: Scenario, workdir: Path, **extra: str) -> dict[str, str]:
    """Environment of a robot subprocess: this portal, its accounts, private dirs under `workdir`."""
    lines = ["accounts:"]
    env = {**os.environ, "KATIP_PORTAL_URL": f"{mock.url}/", "KATIP_STATE_DIR": str(workdir / "state"),
           "KATIP_OUT_DIR": str(workdir / "out"), "KATIP_TIMEOUT_MS": "10000", "KATIP_HEADLESS": "true",
           "KATIP_BREAKER_COOLDOWN_S": "1", "KATIP_PARALLEL": "3"}
    for index, account in enumerate(scenario.accounts):
        variable = f"KATIP_CHAOS_PASSWORD_{index}"
        env[variable] = account["password"]
        lines += [f"  - name: firma{index}", f'    tc: "{account["tc"]}"', f"    password: env:{variable}",
                  "    code: mock"]
    workdir.mkdir(parents=True, exist_ok=True)
    accounts_file = workdir / "accounts.yaml"
    accounts_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accounts_file.chmod(0o600)  # it names the accounts (the passwords stay in the environment)
    env["KATIP_ACCOUNTS"] = str(accounts_file)
    env.update(extra)
    return env


def katip(args: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `python -m rpa <args>` to the end."""
    return subprocess.run([sys.executable, "-m", "rpa", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
