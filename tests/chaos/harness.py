"""The chaos harness: the same work against a healthy and a faulty mock portal, and what differs.

Used by the pytest chaos suite and by hand (`python -m tests.chaos --url http://127.0.0.1:5000`, see
`tests/chaos/__main__.py`). The robot always runs as its real command line (`python -m rpa approve`,
`python -m rpa roster sync`) in a subprocess, with its own state and out dirs; the mock is reset with
the same seed before each run, so a fault-free run's final state is the yardstick for the faulty one.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import openpyxl

from mock_portal.seed import DEMO_TC
from rpa.domain.rules import HazardClass, Title, legal_minimum

SIZES = {"accounts": 4, "workplaces": 10, "employees": 16}  # the 2nd has no two-step: 3 usable
HEALTHY = {"error_rate": 0.0, "maintenance": False, "latency_ms": [0, 0], "session_ttl_s": 1800.0}
CHAOS = {"error_rate": 0.2, "latency_ms": [0, 150], "session_ttl_s": 20.0}
RETRY_LINE = re.compile(r"failed \(try \d+/\d+\).*trying again")
ROSTER_HEADER = ["SGK Sicil No", "TC Kimlik No", "Ad Soyad", "İşe Giriş Tarihi", "İşten Çıkış Tarihi"]


class Mock:
    """A mock portal by URL, through its `/_dev/` API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=30)

    def dev(self, path: str, json: Any = None) -> Any:
        """GET (or POST with `json`) `/_dev/<path>`; the JSON answer."""
        url = f"{self.url}/_dev/{path}"
        answer = self._http.post(url, json=json) if json is not None else self._http.get(url)
        answer.raise_for_status()
        return answer.json()


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


def prepare(mock: Mock, seed: int, workdir: Path) -> Scenario:
    """Reset the portal (same seed: same data), add one compliant waiting contract per workplace, write a roster."""
    mock.dev("faults", json={**HEALTHY, "maintenance": False})
    mock.dev("reset", json={**SIZES, "seed": seed})
    state = mock.dev("state")
    # Accounts without two-step verification cannot log in to the corporate side: leave them out.
    accounts = [a for a in state["accounts"] if a["workplaces"] and a["two_step"] and a["tc"] != DEMO_TC][:3]
    places = {w["sicil"]: w for w in state["workplaces"]}
    sicils = [s for a in accounts for s in a["workplaces"]]
    for number, sicil in enumerate(sicils):
        place = places[sicil]
        needed = legal_minimum(Title.UZMAN, HazardClass(place["hazard_class"]), place["active_count"])
        mock.dev("contracts", json={"sicil": sicil, "professional": f"Kaos Uzman {number:02d}",
                                    "title": str(Title.UZMAN), "cert_class": "A", "minutes": max(needed, 30) + 5})
    # The roster: what SGK knows of the first account's first workplaces out of line with it.
    sgk_by = {}
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
    env["KATIP_ACCOUNTS"] = str(accounts_file)
    env.update(extra)
    return env


def katip(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `python -m rpa <args>` to the end."""
    return subprocess.run([sys.executable, "-m", "rpa", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def final_state(mock: Mock, sicils: list[str]) -> dict[str, set[tuple[Any, ...]]]:
    """What a run must leave behind in these workplaces: contracts and the 4A list (no timestamps)."""
    state = mock.dev("state")
    wanted = set(sicils)
    contracts = {(c["sicil"], c["professional"], c["title"], c["process_type"], c["minutes"], c["status"],
                  c["approval"]) for c in state["contracts"] if c["sicil"] in wanted}
    employees = {(e["sicil"], e["tc"], e["hired"], e["left"], e["status"]) for e in state["employees"]
                 if e["sicil"] in wanted}
    return {"contracts": contracts, "employees": employees}


def mismatches(expected: dict[str, set[tuple[Any, ...]]], got: dict[str, set[tuple[Any, ...]]]) -> int:
    """How many rows differ between two final states (either side)."""
    return sum(len(expected[k] ^ got[k]) for k in expected)


def differences(expected: dict[str, set[tuple[Any, ...]]], got: dict[str, set[tuple[Any, ...]]],
                limit: int = 6) -> list[str]:
    """A few of the differing rows, for the failure message ('-' expected only, '+' got only)."""
    lines = [f"{k} -{row}" for k in expected for row in sorted(expected[k] - got[k], key=str)]
    lines += [f"{k} +{row}" for k in expected for row in sorted(got[k] - expected[k], key=str)]
    return lines[:limit]


def duplicate_actions(mock: Mock, action: str = "approve") -> int:
    """Audit entries beyond the first for the same target (an approval done twice counts one)."""
    seen = Counter((a["sicil"], a["target"]) for a in mock.dev("state")["audit"] if a["action"] == action)
    return sum(n - 1 for n in seen.values())


def approvals(mock: Mock) -> int:
    """Approvals in the portal's audit log."""
    return sum(a["action"] == "approve" for a in mock.dev("state")["audit"])


def retries_logged(out_dir: Path) -> int:
    """Retries the robot logged in every run folder under `out_dir`."""
    return sum(len(RETRY_LINE.findall(log.read_text(encoding="utf-8", errors="replace")))
               for log in out_dir.glob("runs/*/run.log"))


def missing_pdfs(mock: Mock, out_dir: Path, sicils: list[str]) -> int:
    """Contracts the robot approved whose PDF is not in `out_dir/contracts`."""
    from rpa.run import pdf_path

    approved = {a["target"]: a["sicil"] for a in mock.dev("state")["audit"] if a["action"] == "approve"}
    return sum(not pdf_path(out_dir / "contracts", sicil, no).is_file()
               for no, sicil in approved.items() if sicil in sicils)


@dataclass
class MaintenanceWindows:
    """A background thread switching maintenance on and off while a run goes on."""

    mock: Mock
    seed: int
    every_s: tuple[float, float] = (20.0, 40.0)
    lasting_s: tuple[float, float] = (1.0, 2.5)
    windows: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MaintenanceWindows:
        rng = random.Random(self.seed)

        def toggle() -> None:
            while not self._stop.wait(rng.uniform(*self.every_s)):
                self.mock.dev("faults", json={"maintenance": True})
                self.windows += 1
                self._stop.wait(rng.uniform(*self.lasting_s))
                self.mock.dev("faults", json={"maintenance": False})

        self._thread = threading.Thread(target=toggle, name="maintenance-windows", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.mock.dev("faults", json={"maintenance": False})
