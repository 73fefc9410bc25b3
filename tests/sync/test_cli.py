"""`katip roster sync` as a person runs it (a child process): exit codes, the JSON, the XLSX report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from tests.sync.builders import write_roster
from tests.sync.conftest import W1, Scenario, audit

SHEETS = ["Özet (Summary)", "Doğrulananlar (Verified)", "İstisnalar (Exceptions)",
          "Reddedilen Satırlar (Rejected)"]


def katip(live_portal, tmp_path: Path, *args: str, password: bool = True) -> subprocess.CompletedProcess:
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(textwrap.dedent(f"""
        accounts:
          - name: demo-firma
            tc: "{DEMO_TC}"
            password: env:KATIP_TEST_SYNC_CLI_PASSWORD
            code: mock
    """), encoding="utf-8")
    env = {**os.environ, "KATIP_STATE_DIR": str(tmp_path / "state"), "KATIP_OUT_DIR": str(tmp_path / "out")}
    env.pop("KATIP_TEST_SYNC_CLI_PASSWORD", None)
    if password:
        env["KATIP_TEST_SYNC_CLI_PASSWORD"] = DEMO_PASSWORD
    return subprocess.run(
        [sys.executable, "-m", "rpa", "roster", "sync", *args, "--accounts", str(accounts),
         "--portal-url", f"{live_portal.url}/"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300,
    )


def workbook_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(c) for sheet in book for r in sheet.iter_rows(values_only=True) for c in r if c)


@pytest.mark.browser
def test_sync_prints_the_agreed_json_and_writes_the_xlsx_report_with_tc_numbers_masked(live_portal, tmp_path):
    s = Scenario.of(live_portal, W1)
    s.seeded_sgk_changes()
    hire_not_filed = s.hire_not_filed()
    bad_row = {"sicil": W1, "tc": "12345678901", "name": "Hatalı Numara", "hired": "2024-01-01"}
    roster = write_roster(tmp_path / "personel.xlsx", [*s.people.values(), bad_row])

    done = katip(live_portal, tmp_path, str(roster), "--json")

    assert done.returncode == 1, done.stderr  # an exception remains and a row was rejected
    document = json.loads(done.stdout)
    assert list(document)[:3] == ["run_id", "dry_run", "workplaces"]
    entry = document["workplaces"][0]
    assert {"sicil", "verified", "bulk", "active_before", "active_after", "exceptions"} <= set(entry)
    assert (entry["sicil"], entry["verified"], entry["bulk"]) == (W1, len(s.fixed), False)
    assert (entry["active_before"], entry["active_after"]) == (40, 41)
    assert [(e["tc"], e["kind"]) for e in entry["exceptions"]] == [
        (hire_not_filed[:3] + "*****" + hire_not_filed[-3:], "hire_not_filed")
    ]
    assert "SGK kaydı bulunamadı" in entry["exceptions"][0]["reason"]
    assert (document["summary"]["verified"], document["summary"]["rejected_rows"]) == (len(s.fixed), 1)
    report = Path(document["report"])
    assert report == tmp_path / "out" / "runs" / document["run_id"] / "roster-sync.xlsx"
    assert openpyxl.load_workbook(report).sheetnames == SHEETS
    text = workbook_text(report)
    assert "SGK kaydı bulunamadı" in text and "123*****901" in text
    assert not any(tc in text for tc in [*s.people, "12345678901"])
    assert hire_not_filed not in done.stdout + done.stderr


@pytest.mark.browser
def test_dry_run_exits_with_the_plan_and_touches_nothing(live_portal, tmp_path):
    s = Scenario.of(live_portal, W1)
    s.seeded_sgk_changes()
    roster = write_roster(tmp_path / "personel.xlsx", s.people.values())

    done = katip(live_portal, tmp_path, str(roster), "--dry-run", "--json", "--show-personal-data")

    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)["workplaces"][0]
    assert entry["verified"] == 0 and {p["tc"] for p in entry["planned"]} == s.fixed
    assert audit(live_portal, W1, "verify") == []


@pytest.mark.browser
def test_an_account_that_cannot_log_in_unattended_exits_3(live_portal, tmp_path):
    roster = write_roster(tmp_path / "personel.xlsx", Scenario.of(live_portal, W1).people.values())
    done = katip(live_portal, tmp_path, str(roster), "--json", password=False)
    assert done.returncode == 3, done.stderr


def test_an_unreadable_roster_exits_2_before_touching_the_portal(tmp_path):
    class Nowhere:
        url = "http://127.0.0.1:9"

    done = katip(Nowhere, tmp_path, str(tmp_path / "yok.xlsx"), "--json")
    assert done.returncode == 2
    assert "yok.xlsx" in json.loads(done.stdout)["error"]


def test_a_workplace_the_roster_does_not_have_exits_2(tmp_path):
    class Nowhere:
        url = "http://127.0.0.1:9"

    roster = write_roster(tmp_path / "personel.xlsx", [{"sicil": W1, "tc": DEMO_TC, "name": "A B"}])
    done = katip(Nowhere, tmp_path, str(roster), "--workplace", "16201010134567890060863000")
    assert done.returncode == 2
    assert "no accepted roster row" in done.stderr
