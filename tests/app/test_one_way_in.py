"""One way in: the CLI, the scheduler and a direct call of the app layer do the same for the same request,
every run lands in the history, and two runs on the same accounts take turns instead of fighting.

Each capability runs three times against the same freshly reset mock (three generated employers with two
workplaces each): through `rpa.app` directly, through `katip … --json` in a subprocess, and as a scheduled
job through `rpa.scheduling.jobs.run_job`. The portal must end the same and the counts must agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rpa import app
from rpa.app import ApproveRun, ContactRun, RefreshRun, RosterSyncRun
from rpa.app.requests import RunRequest
from rpa.contact_input import ContactRow
from rpa.scheduling.config import parse_schedule
from rpa.scheduling.jobs import run_job
from rpa.settings import Settings
from tests.parallel.conftest import SIZES, Employer, as_json, decisions, employers, katip, write_accounts

__all__ = ["employers"]  # the fixture, shared with the parallel tests


def portal_effects(state: dict[str, Any]) -> dict[str, Any]:
    """What a run changes on the portal, without times: decisions, the audit's actions, the 4A lists, contacts."""
    return {
        "contracts": decisions(state),
        "audit": Counter((a["action"], a["sicil"], a["target"]) for a in state["audit"]),
        "employees": sorted((e["sicil"], e["tc"], e["status"]) for e in state["employees"]),
        "contacts": sorted((w["sicil"], json.dumps(w["contact"], sort_keys=True), w["auto_update"])
                           for w in state["workplaces"]),
    }


def settings_for(folder: Path, portal_url: str, employers: list[Employer]) -> Settings:
    return Settings(portal_url=portal_url, state_dir=folder / "state", out_dir=folder / "out", timeout_ms=10_000,
                    accounts_file=write_accounts(folder, employers), refresh_wait_s=5)


def three_ways(live_portal, employers: list[Employer], tmp_path: Path, monkeypatch, request: RunRequest,
               cli: list[str], job: dict[str, Any]) -> list[tuple[dict[str, int], dict[str, Any]]]:
    """(counts, portal effects) of the same work done by the app, the CLI and the scheduler, in that order."""
    for e in employers:
        monkeypatch.setenv(e.variable, e.password)
    done = []
    live_portal.dev("reset", SIZES)
    direct = app.runs.start(settings_for(tmp_path / "app", live_portal.url, employers), request)
    done.append((direct.record.counts, portal_effects(live_portal.dev("state"))))

    live_portal.dev("reset", SIZES)
    typed = katip(tmp_path / "cli", live_portal.url, employers, *cli, "--json")
    assert typed.returncode in (0, 1), typed.stderr[-2000:]
    as_json(typed)
    manual = json.loads(katip_plain(tmp_path / "cli", "runs", "list", "--json").stdout)[0]
    assert (manual["trigger"], manual["flow"], manual["outcome"]) == ("manual", request.flow, direct.record.outcome)
    done.append((manual["counts"], portal_effects(live_portal.dev("state"))))

    live_portal.dev("reset", SIZES)
    folder = tmp_path / "scheduler"
    settings = settings_for(folder, live_portal.url, employers)
    schedule = parse_schedule({"jobs": [job]}, base_dir=folder)  # relative files: from the schedule's folder
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule, trigger="schedule")
    assert (record.trigger, record.flow, record.job) == ("schedule", request.flow, job["id"])
    done.append((record.counts, portal_effects(live_portal.dev("state"))))
    return done


def katip_plain(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m rpa ARGS` with the state and output of `folder` (no accounts or portal options)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(folder / "out"), KATIP_STATE_DIR=str(folder / "state"))
    return subprocess.run([sys.executable, "-m", "rpa", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=folder)


def assert_same(done: list[tuple[dict[str, int], dict[str, Any]]]) -> None:
    (counts, effects), *others = done
    for other_counts, other_effects in others:
        assert other_counts == counts
        assert other_effects == effects


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_an_approve_request_does_the_same_from_the_app_the_cli_and_the_scheduler(
    live_portal, employers, tmp_path, monkeypatch
):
    done = three_ways(live_portal, employers, tmp_path, monkeypatch, ApproveRun(), ["approve"],
                      {"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"})
    assert_same(done)
    assert done[0][0]["approved"] > 0 and done[0][1]["audit"]


@pytest.mark.slow
@pytest.mark.browser
def test_a_refresh_request_does_the_same_from_the_app_the_cli_and_the_scheduler(
    live_portal, employers, tmp_path, monkeypatch
):
    done = three_ways(live_portal, employers, tmp_path, monkeypatch, RefreshRun(refresh=True),
                      ["workplaces", "--refresh", "--wait", "5"],
                      {"id": "workplace-refresh", "flow": "refresh_workplaces", "every": "2h"})
    assert_same(done)
    assert done[0][0]["workplaces"] > 0


@pytest.mark.slow
@pytest.mark.browser
def test_a_contact_request_does_the_same_from_the_app_the_cli_and_the_scheduler(
    live_portal, employers, tmp_path, monkeypatch
):
    sicil = employers[0].workplaces[0]
    rows = tmp_path / "iletisim.csv"
    rows.write_text(f"sicil;telefon;e-posta;il;ilçe;otomatik\n"
                    f"{sicil};0312 555 12 34;isg@firma.example;Ankara;Çankaya;EVET\n", encoding="utf-8")
    request = ContactRun(rows=[ContactRow(sicil=sicil, phone="0312 555 12 34", email="isg@firma.example",
                                          il="Ankara", ilce="Çankaya", auto_update=True)])
    for folder in ("scheduler",):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "iletisim.csv").write_text(rows.read_text(encoding="utf-8"), encoding="utf-8")
    done = three_ways(live_portal, employers, tmp_path, monkeypatch, request, ["contact", "--file", str(rows)],
                      {"id": "contacts", "flow": "update_contact", "every": "1d", "contacts": "iletisim.csv"})
    assert_same(done)
    assert done[0][0]["updated"] == 1


@pytest.mark.slow
@pytest.mark.browser
def test_a_roster_sync_does_the_same_from_the_app_the_cli_and_the_scheduler_and_names_unlisted_workplaces(
    live_portal, employers, tmp_path, monkeypatch
):
    from mock_portal.seed import DEMO_TC

    live_portal.dev("reset", SIZES)
    state = live_portal.dev("state")
    sicil = employers[0].workplaces[0]
    demos = next(a for a in state["accounts"] if a["tc"] == DEMO_TC)["workplaces"][0]  # no employer lists it
    people = [e for e in state["employees"] if e["sicil"] in (sicil, demos) and e["status"] == "Aktif"]
    lines = ["SGK Sicil No;TC Kimlik No;Adı Soyadı;İşe Giriş Tarihi"]
    lines += [f"{e['sicil']};{e['tc']};{e['name']};{e['hired'][8:10]}.{e['hired'][5:7]}.{e['hired'][:4]}"
              for e in people]
    roster = tmp_path / "scheduler" / "rosters" / "personel.csv"
    roster.parent.mkdir(parents=True)
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = three_ways(live_portal, employers, tmp_path, monkeypatch, RosterSyncRun(files=[roster]),
                      ["roster", "sync", str(roster)],
                      {"id": "nightly-roster-sync", "flow": "sync_roster", "every": "1d",
                       "rosters": "rosters/*.csv"})
    assert_same(done)
    counts = done[0][0]
    assert counts["workplaces"] == 2 and counts["failed"] == 1  # the unlisted workplace, from every entry point


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_two_approve_runs_on_the_same_accounts_take_turns_and_approve_each_contract_once(
    live_portal, employers, tmp_path
):
    live_portal.dev("reset", SIZES)
    folder = tmp_path / "both"  # one machine: one state dir, so one set of account locks
    env_extra = {"KATIP_LOCK_WAIT_S": "1"}
    command = [sys.executable, "-m", "rpa", "approve", "--json", "--parallel", "1", "--accounts",
               str(write_accounts(folder, employers)), "--portal-url", live_portal.url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(folder / "out"), KATIP_STATE_DIR=str(folder / "state"), KATIP_TIMEOUT_MS="10000",
               **env_extra, **{e.variable: e.password for e in employers})
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=folder)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]

    state = live_portal.dev("state")
    approved = [a["target"] for a in state["audit"] if a["action"] == "approve"]
    assert approved and len(approved) == len(set(approved))  # each contract approved exactly once
    mine = {s for e in employers for s in e.workplaces}
    for out, err in outputs:
        assert out.strip(), err[-3000:]  # each run ends with its JSON document, the one that waited too
    documents = [json.loads(out) for out, _ in outputs]
    assert [run.returncode in (0, 1) for run in runs] == [True, True], [err[-1500:] for _, err in outputs]
    held = {h["contract_no"] for d in documents for wp in d["workplaces"] for h in wp["held"]}
    waiting = {c["no"] for c in state["contracts"] if c["sicil"] in mine and c["approval"] == "Onay Bekliyor"}
    assert waiting == held  # nothing compliant was left for nobody
    busy = {name for d in documents for name in d.get("busy", {})}
    assert busy, "with the same accounts in the same order, one run must have found an account busy"
    for d in documents:
        for name, why in d.get("busy", {}).items():
            assert why.startswith("meşgul / busy: run ") and name in {e.name for e in employers}
    text = " ".join(out + err for out, err in outputs)
    assert "Doğrulama kod" not in text and "süresi doldu" not in text  # nobody fought for the two-step code
