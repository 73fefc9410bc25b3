"""The scheduler fires real jobs against the mock portal; history, report and e-mail all show them."""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.domain.identifiers import generate_tc
from rpa.history import RunHistory
from rpa.scheduling.scheduler import SchedulerService
from rpa.settings import Settings
from tests.scheduling.conftest import schedule_of

pytestmark = pytest.mark.browser

PASSWORD_VARIABLE = "KATIP_TEST_SCHEDULE_PASSWORD"
FAR_AWAY = "0 3 1 1 *"  # 1 January 03:00: never due during a test unless the test makes it so


@pytest.fixture
def robot_settings(live_portal, tmp_path: Path, smtp_server, monkeypatch) -> Settings:
    """Settings for the live mock, the seeded demo account, and e-mail to the test's SMTP server."""
    monkeypatch.setenv(PASSWORD_VARIABLE, DEMO_PASSWORD)
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        f'accounts:\n  - name: demo-firma\n    tc: "{DEMO_TC}"\n'
        f"    password: env:{PASSWORD_VARIABLE}\n    code: mock\n",
        encoding="utf-8",
    )
    port, _ = smtp_server
    return Settings(
        portal_url=f"{live_portal.url}/",
        state_dir=tmp_path / "state",
        out_dir=tmp_path / "out",
        accounts_file=accounts,
        timeout_ms=10_000,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_to="ops@osgb.example",
        smtp_starttls=False,
    )


@pytest.fixture
def service_for(robot_settings: Settings) -> Iterator:
    started: list[SchedulerService] = []

    def start(*jobs: dict) -> SchedulerService:
        service = SchedulerService(schedule_of(*jobs), robot_settings)
        service.start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


def fire_now(service: SchedulerService, job_id: str) -> None:
    """Make the stored job due now, as its cron slot arriving would."""
    service.aps.modify_job(job_id, next_run_time=datetime.now(service.schedule.tz))


@pytest.mark.slow
def test_scheduler_fires_the_morning_approvals_against_the_mock(
    service_for,
    robot_settings: Settings,
    live_portal,
    smtp_server,
) -> None:
    _, inbox = smtp_server
    service = service_for({"id": "morning-approvals", "flow": "approve_contracts", "cron": FAR_AWAY})
    fire_now(service, "morning-approvals")
    [record] = service.wait_for_runs(1, timeout=240)

    state = live_portal.dev("state")
    approvals = [a for a in state["audit"] if a["action"] == "approve"]
    assert record.trigger == "schedule" and record.scheduled_for is not None
    assert record.counts["approved"] == len(approvals) > 0
    assert record.counts["held"] > 0  # the demo seed holds contracts that break the rules
    assert record.outcome == "attention" and record.login_needed == []
    assert RunHistory(robot_settings.state_dir).get(record.id) == record
    report = Path(record.report_path or "")
    assert report.name == "report.html" and report.parent.name == record.id
    assert all(a["target"] in report.read_text(encoding="utf-8") for a in approvals)
    message = inbox.message()
    assert f"morning-approvals: attention — approved {len(approvals)}" in message["Subject"]
    assert str(report) in message.get_body(("plain",)).get_content()


def test_an_account_that_cannot_log_in_unattended_is_named_in_the_run_and_the_mail(
    service_for,
    robot_settings: Settings,
    smtp_server,
    monkeypatch,
) -> None:
    _, inbox = smtp_server
    monkeypatch.delenv(PASSWORD_VARIABLE)  # no saved session, no password: a person must log in
    service = service_for({"id": "morning-approvals", "flow": "approve_contracts", "cron": FAR_AWAY})
    fire_now(service, "morning-approvals")
    [record] = service.wait_for_runs(1, timeout=240)

    assert (record.outcome, record.login_needed) == ("attention", ["demo-firma"])
    assert "katip login --account demo-firma" in inbox.message().get_body(("plain",)).get_content()


def write_roster(path: Path, sicil: str, people: list[dict]) -> Path:
    """A roster as the accountant's CSV export sends it: ';' separated, dates as dd.mm.yyyy."""

    def tr_date(iso: str | None) -> str:
        return "" if not iso else date.fromisoformat(iso).strftime("%d.%m.%Y")

    lines = ["SGK Sicil No;TC Kimlik No;Adı Soyadı;İşe Giriş Tarihi;İşten Çıkış Tarihi"]
    lines += [f"{sicil};{p['tc']};{p['name']};{tr_date(p['hired'])};{tr_date(p['left'])}" for p in people]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_scheduler_fires_the_nightly_roster_sync_against_the_mock(
    service_for, live_portal, tmp_path: Path, smtp_server
) -> None:
    if importlib.util.find_spec("rpa.flows.sync_roster") is None:
        pytest.skip("rpa/flows/sync_roster.py (issue 4's roster sync flow) does not exist yet")
    _, inbox = smtp_server
    state = live_portal.dev("state")
    sicil = next(a for a in state["accounts"] if a["tc"] == DEMO_TC)["workplaces"][0]
    before = next(w for w in state["workplaces"] if w["sicil"] == sicil)["active_count"]
    # A hire the employer filed with SGK but the 4A list does not show yet; the roster has it.
    hire = {"sicil": sicil, "tc": generate_tc(random.Random(55)), "name": "Deniz Aksoy", "hired": "2026-01-05"}
    live_portal.dev("sgk/hire", json=hire)
    people = [e for e in state["employees"] if e["sicil"] == sicil] + [{**hire, "left": None}]
    write_roster(tmp_path / "rosters" / "personel.csv", sicil, people)
    service = service_for(
        {
            "id": "nightly-roster-sync",
            "flow": "sync_roster",
            "cron": FAR_AWAY,
            "rosters": str(tmp_path / "rosters" / "*.csv"),
            "workplaces": [sicil],
        }
    )
    fire_now(service, "nightly-roster-sync")
    [record] = service.wait_for_runs(1, timeout=240)

    after = live_portal.dev("state")
    assert record.counts["verified"] >= 1, record.problems
    assert next(w for w in after["workplaces"] if w["sicil"] == sicil)["active_count"] == before + 1
    assert any(e["tc"] == hire["tc"] and e["status"] == "Aktif" for e in after["employees"] if e["sicil"] == sicil)
    assert Path(record.report_path or "").name == "roster-sync.xlsx"
    assert Path(record.report_path or "").is_file()
    assert "nightly-roster-sync" in inbox.message()["Subject"]
