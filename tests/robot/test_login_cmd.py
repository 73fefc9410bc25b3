"""`katip login` end to end, in a child process (as a person would run it)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC

pytestmark = pytest.mark.browser


def katip_login(live_portal, tmp_path, code: str, *extra: str) -> subprocess.CompletedProcess:
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        textwrap.dedent(f"""
        accounts:
          - name: demo-firma
            tc: "{DEMO_TC}"
            password: env:KATIP_TEST_LOGIN_PASSWORD
            code: {code}
    """),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "KATIP_TEST_LOGIN_PASSWORD": DEMO_PASSWORD,
        "KATIP_STATE_DIR": str(tmp_path / "state"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "rpa",
            "login",
            "--account",
            "demo-firma",
            "--accounts",
            str(accounts),
            "--portal-url",
            f"{live_portal.url}/",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_login_with_a_mock_code_saves_a_private_session(live_portal, tmp_path):
    done = katip_login(live_portal, tmp_path, "mock")
    assert done.returncode == 0, done.stderr
    saved = tmp_path / "state" / "sessions" / "demo-firma.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "session saved for 'demo-firma'" in done.stdout
    assert DEMO_TC not in done.stdout + done.stderr and DEMO_PASSWORD not in done.stdout + done.stderr


def test_login_that_needs_a_person_without_a_terminal_says_what_to_do(live_portal, tmp_path):
    done = katip_login(live_portal, tmp_path, "prompt")
    assert done.returncode == 3
    assert "--headed" in done.stderr and "in a terminal" in done.stderr


def test_mock_code_against_a_remote_portal_is_bad_input(live_portal, tmp_path):
    done = katip_login(live_portal, tmp_path, "mock", "--portal-url", "https://isgkatip.csgb.gov.tr/")
    assert done.returncode == 2 and "'mock' only works with the local mock portal" in done.stderr
