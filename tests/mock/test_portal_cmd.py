"""`katip portal`: starts the mock on loopback, prints URL and demo account, seeds by the size flags."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mock_portal.db import connect
from mock_portal.seed_demo import DEMO_PASSWORD, DEMO_TC, WORKPLACES
from rpa.cli import _register_commands, app

ROOT = Path(__file__).resolve().parents[2]
DEMO_SICILS = {w.sicil for w in WORKPLACES}


@pytest.fixture
def served(monkeypatch) -> dict:
    """Replace the blocking server by one that records what it was asked and returns at once."""
    calls: dict = {}

    def fake_serve(portal_app, host, port, threads, on_ready):
        calls.update(app=portal_app, host=host, port=port, threads=threads)
        on_ready(f"http://{host}:5999")

    monkeypatch.setattr("mock_portal.server.serve", fake_serve)
    _register_commands()
    return calls


def test_portal_listens_on_loopback_and_prints_the_url_and_demo_account(served, tmp_path):
    result = CliRunner().invoke(app, ["portal", "--db", str(tmp_path / "p.sqlite")])
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.1" and served["port"] == 0
    assert "http://127.0.0.1:5999/" in result.output
    assert DEMO_TC in result.output and DEMO_PASSWORD in result.output
    assert served["app"].config["TEST_MODE"] is False


def test_size_flags_reseed_the_portal(served, tmp_path):
    args = [
        "portal",
        "--db",
        str(tmp_path / "p.sqlite"),
        "--test-mode",
        "--accounts",
        "2",
        "--workplaces",
        "1",
        "--employees",
        "5",
        "--seed",
        "11",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = served["app"].test_client().get("/_dev/state").get_json()
    generated = [w for w in data["workplaces"] if w["sicil"] not in DEMO_SICILS]
    assert len(generated) == 2
    assert {w["active_count"] for w in generated} == {5}


def test_bad_sizes_are_refused_before_anything_starts(served, tmp_path):
    result = CliRunner().invoke(app, ["portal", "--db", str(tmp_path / "p.sqlite"), "--employees", "-3"])
    assert result.exit_code != 0 and "app" not in served


def test_the_sms_code_is_printed_with_a_masked_number(served, tmp_path, monkeypatch):
    CliRunner().invoke(app, ["portal", "--db", str(tmp_path / "p.sqlite")])
    printed: list[str] = []
    monkeypatch.setattr("typer.echo", printed.append)
    served["app"].config["SMS_SINK"](DEMO_TC, "123456")
    assert printed and "123456" in printed[0] and DEMO_TC not in printed[0] and DEMO_TC[:3] in printed[0]


def test_katip_portal_really_serves_until_interrupted(tmp_path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rpa", "portal", "--test-mode"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = ""
        for line in proc.stdout:
            if "portal:" in line:
                break
        url = re.search(r"(http://127\.0\.0\.1:\d+)/", line).group(1)
        with urllib.request.urlopen(url + "/", timeout=10) as answer:
            assert "İSG-KATİP" in answer.read().decode()
        with urllib.request.urlopen(url + "/_dev/faults", timeout=10) as answer:
            assert json.loads(answer.read())["error_rate"] == 0.0
        assert (tmp_path / "state" / "katip" / "mock-portal.sqlite").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "Portal stopped." in rest


def test_the_state_survives_a_restart_unless_fresh_is_asked(served, tmp_path):
    database = tmp_path / "p.sqlite"
    CliRunner().invoke(app, ["portal", "--db", str(database)])
    conn = connect(str(database))
    conn.execute("UPDATE accounts SET name = 'Kalıcı Ad' WHERE tc = ?", (DEMO_TC,))
    conn.close()

    def demo_name() -> str:
        conn = connect(str(database))
        try:
            return conn.execute("SELECT name FROM accounts WHERE tc = ?", (DEMO_TC,)).fetchone()[0]
        finally:
            conn.close()

    CliRunner().invoke(app, ["portal", "--db", str(database)])
    assert demo_name() == "Kalıcı Ad"
    CliRunner().invoke(app, ["portal", "--db", str(database), "--fresh"])
    assert demo_name() == "Ayşe Yıldırım"


def test_print_accounts_yaml_gives_a_file_the_robot_reads_with_passwords_only_in_the_exports(served, tmp_path):
    from rpa.accounts import load_accounts

    result = CliRunner().invoke(app, ["portal", "--db", str(tmp_path / "p.sqlite"), "--print-accounts-yaml"])

    assert result.exit_code == 0, result.output
    assert served == {}  # printed, not served
    (tmp_path / "accounts.yaml").write_text(result.output, encoding="utf-8")
    accounts = load_accounts(tmp_path / "accounts.yaml")
    assert DEMO_TC in {a.tc for a in accounts} and all(a.password.kind == "env" for a in accounts)
    exports = dict(re.findall(r"export (\w+)='([^']*)'", result.output))
    demo = next(a for a in accounts if a.tc == DEMO_TC)
    assert exports[demo.password.target] == DEMO_PASSWORD
    assert [line for line in result.output.splitlines() if DEMO_PASSWORD in line and "export" not in line] == []


def test_rename_shows_the_new_word_and_refuses_a_pair_without_equals(served, tmp_path):
    shown = CliRunner().invoke(app, ["portal", "--db", str(tmp_path / "p.sqlite"), "--rename",
                                     "Okudum Onaylıyorum=Okudum, Onaylıyorum"])
    assert shown.exit_code == 0, shown.output
    assert served["app"].config["RENAMES"].as_dict() == {"Okudum Onaylıyorum": "Okudum, Onaylıyorum"}
    refused = CliRunner().invoke(app, ["portal", "--db", str(tmp_path / "q.sqlite"), "--rename", "Okudum"])
    assert refused.exit_code == 2 and "OLD=NEW" in refused.output
