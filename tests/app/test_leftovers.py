"""What a run leaves behind: its own folder and nothing else (no temp folders, no folder for a mere look)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.session import TRACES_PREFIX, tracing_buffer


@pytest.mark.browser
def test_a_run_with_a_failed_item_leaves_no_temp_folders_and_a_plain_listing_no_run_folder(live_portal, tmp_path):
    from tests.flows.conftest import foreign_workplace

    temp = tmp_path / "tmp"
    temp.mkdir()
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(f'accounts:\n  - name: demo-firma\n    tc: "{DEMO_TC}"\n    password: env:KATIP_TEST_LO_PW\n'
                        "    code: mock\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(TMPDIR=str(temp), KATIP_TEST_LO_PW=DEMO_PASSWORD, KATIP_OUT_DIR=str(tmp_path / "out"),
               KATIP_STATE_DIR=str(tmp_path / "state"), KATIP_ACCOUNTS=str(accounts), KATIP_PORTAL_URL=live_portal.url)

    def katip(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rpa", *args], env=env, capture_output=True, text=True,
                              timeout=240, cwd=tmp_path)

    failed = katip("approve", "--json", "--workplace", foreign_workplace(live_portal))  # fails, keeps evidence
    assert failed.returncode == 1, failed.stderr[-2000:]
    runs = list((tmp_path / "out" / "runs").iterdir())
    listed = katip("workplaces", "--json")
    assert listed.returncode == 0, listed.stderr[-2000:]

    assert list((tmp_path / "out" / "runs").iterdir()) == runs  # a plain listing is a look, not a run
    assert [p.name for p in temp.iterdir() if p.name.startswith(("playwright-tracing", "katip-traces-"))] == []
    assert not [p for p in (tmp_path / "state").iterdir() if p.name.startswith(("traces-", "look-"))]


def test_a_tracing_buffer_left_by_a_killed_process_goes_at_the_next_start(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    stale = tmp_path / f"{TRACES_PREFIX}{dead}-abc"
    stale.mkdir()
    (stale / "chunk.trace").write_text("12345678901")
    ours = tmp_path / f"{TRACES_PREFIX}{os.getpid()}-def"  # a live process's (this one's) buffer stays
    ours.mkdir()

    fresh = tracing_buffer()

    assert not stale.exists() and ours.exists()
    assert fresh.parent == tmp_path and oct(fresh.stat().st_mode & 0o777) == "0o700"
