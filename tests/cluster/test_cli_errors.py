"""`katip worker` and `--distributed` say what is missing, in one line, before anything starts (exit 2)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rpa.app import distributed
from rpa.cli import _register_commands, app


@pytest.fixture
def katip(tmp_path, monkeypatch):
    for name in ("BROKER_URL", "DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(f"KATIP_{name}", raising=False)
    monkeypatch.setenv("KATIP_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KATIP_OUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("KATIP_PORTAL_URL", "http://127.0.0.1:9/")
    (tmp_path / "accounts.yaml").write_text('accounts:\n  - name: firma\n    tc: "10000000146"\n'
                                            "    password: env:X\n    code: mock\n", encoding="utf-8")
    monkeypatch.setenv("KATIP_ACCOUNTS", str(tmp_path / "accounts.yaml"))
    _register_commands()
    yield lambda *args: CliRunner().invoke(app, list(args))
    distributed.use(None)


def test_a_worker_without_a_broker_or_a_shared_database_says_so(katip, monkeypatch):
    done = katip("worker")
    assert done.exit_code == 2 and "KATIP_BROKER_URL" in done.output
    monkeypatch.setenv("KATIP_BROKER_URL", "redis://127.0.0.1:9/0")
    done = katip("worker")
    assert done.exit_code == 2 and "KATIP_DATABASE_URL" in done.output


def test_a_distributed_approve_without_a_broker_or_a_shared_database_starts_nothing(katip, monkeypatch, tmp_path):
    done = katip("approve", "--distributed", "--json")
    assert done.exit_code == 2 and "KATIP_BROKER_URL" in done.output
    monkeypatch.setenv("KATIP_BROKER_URL", "redis://127.0.0.1:9/0")
    done = katip("approve", "--distributed", "--json")
    assert done.exit_code == 2 and "KATIP_DATABASE_URL" in done.output
    assert not (tmp_path / "out" / "runs").exists()
