"""`katip audit --json` on the demo data and on generated data: the pinned shape, and every workplace and
finding equal to an independent computation from the mock's `/_dev/state`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.test_audit_browser import as_compared, expected_workplace
from tests.parallel.conftest import Employer, write_accounts

PINNED_WORKPLACE = {"sicil", "unvan", "hazard_class", "employees", "professions", "findings", "pending"}


def expected(state: dict, sicils: set[str]) -> dict[str, dict]:
    places = {w["sicil"]: w for w in state["workplaces"]}
    return {s: expected_workplace(places[s], [c for c in state["contracts"] if c["sicil"] == s]) for s in sicils}


def audit_json(folder: Path, url: str, employers: list[Employer], *args: str) -> tuple[int, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(folder / "out"), KATIP_STATE_DIR=str(folder / "state"), KATIP_TIMEOUT_MS="10000",
               **{e.variable: e.password for e in employers})
    done = subprocess.run([sys.executable, "-m", "rpa", "audit", "--json", "--accounts",
                           str(write_accounts(folder, employers)), "--portal-url", url, *args],
                          capture_output=True, text=True, env=env, timeout=600, cwd=folder)
    assert done.stdout.strip(), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def employers_of(state: dict, names: str = "firma") -> list[Employer]:
    found = [a for a in state["accounts"] if a["workplaces"] and a["two_step"]]
    return [Employer(f"{names}-{n + 1}", a["tc"], a["password"], tuple(a["workplaces"])) for n, a in enumerate(found)]


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
@pytest.mark.parametrize("seed", [None, {"accounts": 6, "workplaces": 3, "employees": 30}], ids=["demo", "generated"])
def test_the_audit_of_every_account_equals_the_portals_state_finding_by_finding(live_portal, tmp_path, seed):
    if seed:
        live_portal.dev("reset", seed)
    before = live_portal.dev("state")
    employers = employers_of(before)

    status, document = audit_json(tmp_path, live_portal.url, employers, "--parallel", "3")

    mine = {s for e in employers for s in e.workplaces}
    assert set(document) >= {"workplaces", "summary"}
    assert all(set(w) == PINNED_WORKPLACE for w in document["workplaces"])
    got = {w["sicil"]: as_compared(w) for w in document["workplaces"]}
    assert got == expected(before, mine)
    with_findings = sum(1 for w in document["workplaces"] if any(f["code"] != "FULL_TIME_NEEDED"
                                                                   for f in w["findings"]))
    assert document["summary"] == {"workplaces": len(mine), "compliant": len(mine) - with_findings,
                                   "with_findings": with_findings}
    assert status == (1 if with_findings else 0)
    assert with_findings, "every account of the seed gives the audit something to find"
    after = live_portal.dev("state")
    assert (after["audit"], after["contracts"]) == (before["audit"], before["contracts"])  # read-only
    assert Path(document["xlsx"]).is_file() and "Uygunluk" in Path(document["report"]).read_text(encoding="utf-8")
