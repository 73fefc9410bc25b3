"""`katip selfcheck` and portal profiles: a changed portal is found before a batch touches anything, and a
profile adapts the robot without a code change."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.errors import ConfigError
from rpa.pages.profile import load_profile, profile_words
from rpa.pages.texts import DEFAULT
from tests.conftest import LivePortal

RENAMED = {"Okudum Onaylıyorum": "Okudum, Onaylıyorum", "Detay Görüntüle": "Detayı Görüntüle"}


def katip(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m rpa ARGS` for the demo account, state and output under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    accounts = folder / "accounts.yaml"
    accounts.write_text(f'accounts:\n  - name: demo-firma\n    tc: "{DEMO_TC}"\n    password: env:KATIP_TEST_SC_PW\n'
                        "    code: mock\n", encoding="utf-8")
    full = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    full.update(KATIP_OUT_DIR=str(folder / "out"), KATIP_STATE_DIR=str(folder / "state"),
                KATIP_TEST_SC_PW=DEMO_PASSWORD,
                KATIP_TIMEOUT_MS="10000", KATIP_ACCOUNTS=str(accounts), **env)
    return subprocess.run([sys.executable, "-m", "rpa", *args], capture_output=True, text=True, env=full, cwd=folder,
                          timeout=300)


@pytest.fixture
def renamed_portal(tmp_path) -> Iterator[LivePortal]:
    """The mock with two of the words the approval needs renamed, as the ministry might overnight."""
    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    app = create_app({"DATABASE": str(tmp_path / "renamed.sqlite"), "TEST_MODE": True, "SEED": {},
                      "RENAMED_TEXTS": RENAMED})
    server = start_in_thread(app)
    try:
        yield LivePortal(url=server.url, app=app)
    finally:
        server.stop()


def changes(state: dict) -> tuple[list, list]:
    """What a run changed: the audit log and each contract's decision."""
    return state["audit"], sorted((c["no"], c["status"], c["approval"]) for c in state["contracts"])


def test_a_profile_maps_default_words_and_refuses_an_unknown_one_naming_the_closest(tmp_path):
    good = tmp_path / "profile.yaml"
    good.write_text('texts:\n  "Okudum Onaylıyorum": "Okudum, Onaylıyorum"\n  "İşyeri Bilgileri": "İşyeri Bilgisi"\n',
                    encoding="utf-8")
    words = load_profile(good)
    assert words.READ_AND_AGREE == "Okudum, Onaylıyorum" and words.COMPLETE == DEFAULT.COMPLETE
    assert words.MENU_CARD == ("Kişi/Kurum Ekipman Kartı", "İşyeri Bilgisi", "İşyeri Kartı Bilgileri")
    with pytest.raises(ConfigError) as unknown:
        profile_words({"Okudum Onayliyorum": "x"})
    assert "'Okudum Onaylıyorum'" in str(unknown.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text('texts:\n  "Tamamla": [unclosed\n', encoding="utf-8")
    with pytest.raises(ConfigError) as bad:
        load_profile(broken)
    assert "broken.yaml" in str(bad.value) and "line" in str(bad.value)


@pytest.mark.browser
def test_selfcheck_finds_every_word_on_the_mock_and_changes_nothing(live_portal, tmp_path):
    before = changes(live_portal.dev("state"))

    done = katip(tmp_path, "selfcheck", "--json", "--portal-url", live_portal.url)

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    document = json.loads(done.stdout)
    assert document["ok"] is True
    names = [s["name"] for s in document["screens"]]
    assert {"start", "login", "workplaces", "shell", "contracts", "contract_detail", "approval", "card",
            "employees", "contact"} <= set(names)
    assert all(s["missing"] == [] for s in document["screens"]) and all("url" in s for s in document["screens"])
    assert changes(live_portal.dev("state")) == before  # read-only: nothing approved, posted or asked of SGK


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_on_a_renamed_portal_selfcheck_names_the_words_a_profile_fixes_them_and_a_scheduled_run_stops_first(
    renamed_portal, tmp_path
):
    before = changes(renamed_portal.dev("state"))

    checked = katip(tmp_path, "selfcheck", "--json", "--portal-url", renamed_portal.url, "--write-profile",
                    str(tmp_path / "profile.yaml"))

    assert checked.returncode == 1, checked.stderr[-2000:]
    document = json.loads(checked.stdout)
    missing = {m["text"]: m["candidates"] for s in document["screens"] for m in s["missing"]}
    assert set(missing) == set(RENAMED)
    for old, new in RENAMED.items():
        assert new in missing[old]
    shots = [s["screenshot"] for s in document["screens"] if s["missing"]]
    assert shots and all(Path(shot).is_file() for shot in shots)
    assert changes(renamed_portal.dev("state")) == before
    assert load_profile(tmp_path / "profile.yaml").READ_AND_AGREE == "Okudum, Onaylıyorum"

    # Nightly, without the profile: the approvals stop before the first one, saying what changed.
    received = tmp_path / "notified.json"
    hook = shlex.join([sys.executable, "-c", f"import sys; open({str(received)!r}, 'w').write(sys.stdin.read())"])
    from rpa.scheduling.config import parse_schedule
    from rpa.scheduling.jobs import run_job
    from rpa.settings import Settings

    accounts = tmp_path / "accounts.yaml"
    os.environ["KATIP_TEST_SC_PW"] = DEMO_PASSWORD
    try:
        settings = Settings(portal_url=renamed_portal.url, state_dir=tmp_path / "sched-state",
                            out_dir=tmp_path / "sched-out", accounts_file=accounts, timeout_ms=10_000,
                            notify_command=hook)
        schedule = parse_schedule({"jobs": [{"id": "morning-approvals", "flow": "approve_contracts",
                                             "cron": "30 7 * * 1-5"}]})
        record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                         trigger="schedule")
    finally:
        del os.environ["KATIP_TEST_SC_PW"]
    assert record.outcome == "failed"
    assert all(any(old in problem for problem in record.problems) for old in RENAMED), record.problems
    assert changes(renamed_portal.dev("state")) == before  # stopped before its first approval
    summary = json.loads(received.read_text())
    assert all(any(old in p for p in summary["problems"]) for old in RENAMED)

    # With the profile the robot reads the portal's new words: every compliant contract approved once.
    approved = katip(tmp_path, "approve", "--json", "--portal-url", renamed_portal.url,
                     KATIP_PORTAL_PROFILE=str(tmp_path / "profile.yaml"))
    assert approved.returncode in (0, 1), approved.stderr[-2000:]
    state = renamed_portal.dev("state")
    approvals = [a["target"] for a in state["audit"] if a["action"] == "approve"]
    assert approvals and len(approvals) == len(set(approvals))
    result = json.loads(approved.stdout)
    held = {h["contract_no"] for wp in result["workplaces"] for h in wp["held"]}
    mine = {wp["sicil"] for wp in result["workplaces"]}
    waiting = {c["no"] for c in state["contracts"] if c["sicil"] in mine and c["approval"] == "Onay Bekliyor"}
    assert waiting == held and result["summary"]["failed"] == 0
    assert all(Path(a["pdf"]).is_file() for wp in result["workplaces"] for a in wp["approved"])
