"""The `katip` robot commands as a person or a script runs them: exit codes, `--json` (the demo: test_demo.py).

Commands that open a browser run as subprocesses (their own Playwright, like a user's shell);
usage errors, which must stop before any browser starts, run in-process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.cli import _register_commands, app
from rpa.flows.pdfcheck import pdf_names_contract

BASKENT = "16201010134567890060863000"  # the demo's "Az Tehlikeli" workplace: one compliant contract waiting
FULL_TC = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")


def write_accounts(folder: Path, code: str = "mock") -> Path:
    path = folder / "accounts.yaml"
    path.write_text(f'accounts:\n  - name: demo-firma\n    tc: "{DEMO_TC}"\n'
                    f"    password: env:KATIP_TEST_CLI_PASSWORD\n    code: {code}\n", encoding="utf-8")
    return path


def katip(tmp_path: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run `python -m rpa ...` with settings pointing into tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(tmp_path / "out"), KATIP_STATE_DIR=str(tmp_path / "state"),
               KATIP_TEST_CLI_PASSWORD=DEMO_PASSWORD, KATIP_TIMEOUT_MS="10000")
    return subprocess.run([sys.executable, "-m", "rpa", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=tmp_path)


@pytest.mark.browser
def test_approve_json_reports_each_workplace_and_exits_1_for_a_foreign_one_then_0(live_portal, tmp_path):
    from tests.flows.conftest import foreign_workplace

    foreign = foreign_workplace(live_portal)
    common = ["--json", "--accounts", str(write_accounts(tmp_path)), "--portal-url", live_portal.url]

    first = katip(tmp_path, "approve", *common, "--workplace", foreign, "--workplace", BASKENT)
    again = katip(tmp_path, "approve", *common, "--workplace", BASKENT)

    assert first.returncode == 1, first.stderr
    document = json.loads(first.stdout)
    assert set(document) >= {"run_id", "workplaces", "summary"}
    assert document["summary"] | {"skipped": 0} == {"approved": 1, "held": 0, "failed": 1, "skipped": 0}
    stranger, mine = document["workplaces"]
    assert stranger["sicil"] == foreign and stranger["approved"] == []
    assert stranger["failed"][0]["error"].startswith("Bu işyerine erişim yetkiniz bulunmamaktadır.")
    assert mine["sicil"] == BASKENT and mine["held"] == [] and mine["failed"] == []
    (approved,) = mine["approved"]
    assert set(approved) >= {"contract_no", "professional", "pdf"}
    assert pdf_names_contract(Path(approved["pdf"]), approved["contract_no"])
    assert (tmp_path / "out" / "runs" / document["run_id"] / "report.html").is_file()
    assert not FULL_TC.search(first.stdout + first.stderr)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["summary"]["approved"] == 0


@pytest.mark.browser
def test_an_account_that_needs_a_person_to_log_in_exits_3_and_says_what_to_do(live_portal, tmp_path):
    accounts = write_accounts(tmp_path, code="prompt")

    done = katip(tmp_path, "approve", "--json", "--accounts", str(accounts), "--portal-url", live_portal.url)

    assert done.returncode == 3, done.stderr
    assert "katip login --account demo-firma" in json.loads(done.stdout)["login_needed"]["demo-firma"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["approve", "--workplace", "123"], "26"),
        (["approve", "--account", "nobody"], "nobody"),
        (["contact", "--workplace", BASKENT, "--phone", "12345"], "'12345' is not a valid Turkish phone number"),
        (["contact", "--workplace", BASKENT, "--il", "Ankara", "--ilce", "Bağcılar"],
         "'Bağcılar' is not a district of Ankara"),
        (["contact"], "--workplace"),
    ],
)
def test_bad_input_exits_2_with_the_reason_before_any_browser_starts(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KATIP_PORTAL_URL", "http://127.0.0.1:9")  # nothing listens: nothing may be tried
    monkeypatch.setenv("KATIP_TEST_CLI_PASSWORD", "x")
    _register_commands()

    result = CliRunner().invoke(app, [*args, "--json", "--accounts", str(write_accounts(tmp_path))])

    assert result.exit_code == 2, result.output
    assert message in json.loads(result.stdout)["error"]


@pytest.mark.browser
def test_contact_applies_the_good_rows_lists_the_bad_ones_and_auto_update_reaches_every_workplace(
    live_portal, tmp_path
):
    from mock_portal.seed_demo import WORKPLACES

    good, bad = WORKPLACES[0].sicil, WORKPLACES[1].sicil
    sheet = tmp_path / "iletisim.csv"
    sheet.write_text("SGK Sicil No;Telefon;E-Posta;Adres;İl;İlçe\n"
                     f"{good};0312 555 41 20;ik@firma.com.tr;Atatürk Bulvarı 1;ankara;çankaya\n"
                     f"{bad};0212 555 41 20;ik@firma.com.tr;Bağdat Caddesi 2;Ankara;Kadıköy\n", encoding="utf-8")
    common = ["--json", "--accounts", str(write_accounts(tmp_path)), "--portal-url", live_portal.url]

    partly = katip(tmp_path, "contact", "--file", str(sheet), *common)

    assert partly.returncode == 1, partly.stderr[-2000:]
    shown = {w["sicil"]: w for w in live_portal.dev("state")["workplaces"]}
    assert shown[good]["contact"]["phone"] == "03125554120" and shown[good]["contact"]["ilce"] == "Çankaya"
    assert shown[good]["auto_update"] is True  # no 'Otomatik' column: EVET
    assert shown[bad]["contact"] is None  # the bad row never reached the portal
    document = json.loads(partly.stdout)
    assert "'Kadıköy' is not a district of Ankara" in json.dumps(document, ensure_ascii=False)

    everywhere = katip(tmp_path, "contact", "--no-auto-update", *common)

    # Only the form filled above can be saved: the others' empty forms are held, each with its reasons.
    assert everywhere.returncode == 1, everywhere.stderr[-2000:]
    outcomes = {w["sicil"]: w["outcome"] for w in json.loads(everywhere.stdout)["workplaces"]}
    assert len(outcomes) >= 3 and outcomes.pop(good) == "done" and set(outcomes.values()) == {"held"}
    assert {w["sicil"]: w["auto_update"] for w in live_portal.dev("state")["workplaces"]}[good] is False
