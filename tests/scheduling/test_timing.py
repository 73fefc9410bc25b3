"""Next run times in Europe/Istanbul (UTC+3 all year since 2016) as concrete UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rpa.scheduling.timing import cron_trigger, interval_trigger, next_fire_times
from tests.scheduling.conftest import write_schedule

ISTANBUL = ZoneInfo("Europe/Istanbul")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cron", "now", "expected"),
    [
        # Weekdays at 07:30 across the weekend Europe moves its clocks forward (30 March 2025):
        # Istanbul does not move, so it stays 04:30 UTC, and Saturday/Sunday are skipped.
        (
            "30 7 * * 1-5",
            utc(2025, 3, 29, 12),
            [utc(2025, 3, 31, 4, 30), utc(2025, 4, 1, 4, 30), utc(2025, 4, 2, 4, 30)],
        ),
        # Nightly at 02:00 across the night Europe moves its clocks back (26 October 2025).
        (
            "0 2 * * *",
            utc(2025, 10, 25, 20),
            [utc(2025, 10, 25, 23), utc(2025, 10, 26, 23), utc(2025, 10, 27, 23)],
        ),
        # Crontab Sunday is 0 and also 7 (APScheduler 3.x alone would read 0 as Monday).
        ("0 9 * * 0", utc(2025, 1, 1), [utc(2025, 1, 5, 6), utc(2025, 1, 12, 6), utc(2025, 1, 19, 6)]),
        ("0 9 * * 7", utc(2025, 1, 1), [utc(2025, 1, 5, 6), utc(2025, 1, 12, 6), utc(2025, 1, 19, 6)]),
        # Every 2 hours from 09:00 to 17:00 on weekdays, starting on a Friday afternoon.
        (
            "0 9-17/2 * * 1-5",
            utc(2025, 1, 3, 13, 30),
            [utc(2025, 1, 3, 14), utc(2025, 1, 6, 6), utc(2025, 1, 6, 8)],
        ),
    ],
)
def test_next_runs_are_computed_in_istanbul_time(cron: str, now: datetime, expected: list[datetime]) -> None:
    assert next_fire_times(cron_trigger(cron, ISTANBUL), now, 3) == expected


def test_the_schedule_time_zone_decides_the_instant() -> None:
    after_eu_spring_change = utc(2025, 4, 1, 0)
    berlin = next_fire_times(cron_trigger("30 7 * * *", ZoneInfo("Europe/Berlin")), after_eu_spring_change, 1)
    istanbul = next_fire_times(cron_trigger("30 7 * * *", ISTANBUL), after_eu_spring_change, 1)
    assert istanbul == [utc(2025, 4, 1, 4, 30)]
    assert berlin == [utc(2025, 4, 1, 5, 30)]


def test_every_runs_at_fixed_gaps() -> None:
    now = datetime.now(ISTANBUL)
    times = next_fire_times(interval_trigger("30m", ISTANBUL), now, 3)
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == [timedelta(minutes=30)] * 2
    assert now < times[0] <= now + timedelta(minutes=30, seconds=1)


def test_schedule_list_shows_the_next_three_runs_of_each_job_in_local_time(cli, tmp_path: Path) -> None:
    path = write_schedule(
        tmp_path / "schedules.yaml",
        {"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"},
        {"id": "refresh", "flow": "refresh_workplaces", "every": "2h", "enabled": False},
    )
    result = cli("schedule", "list", "--file", str(path), "--from", "2025-03-29T15:00:00")
    assert result.exit_code == 0, result.output
    assert "times in Europe/Istanbul" in result.output
    for when in ("Mon 2025-03-31 07:30", "Tue 2025-04-01 07:30", "Wed 2025-04-02 07:30"):
        assert when in result.output
    assert "Thu 2025-04-03" not in result.output
    refresh_line = next(line for line in result.output.splitlines() if "refresh" in line)
    assert "disabled" in refresh_line


def test_schedule_check_passes_a_valid_file_and_fails_a_bad_one_with_exit_2(cli, tmp_path: Path) -> None:
    good = write_schedule(tmp_path / "good.yaml", {"id": "a", "flow": "approve_contracts", "every": "1h"})
    bad = write_schedule(tmp_path / "bad.yaml", {"id": "a", "flow": "approve_contracts", "cron": "61 2 * * *"})
    ok = cli("schedule", "check", "--file", str(good))
    assert ok.exit_code == 0
    assert "valid — 1 job(s), 1 enabled" in ok.output
    refused = cli("schedule", "check", "--file", str(bad))
    assert refused.exit_code == 2
    assert "job 'a': cron '61 2 * * *': minute must be 0–59" in refused.output


def test_schedule_check_refuses_an_account_name_that_accounts_yaml_lacks(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        'accounts:\n  - name: firma-a\n    tc: "10000000146"\n    password: env:X\n    code: mock\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KATIP_ACCOUNTS", str(accounts))
    path = write_schedule(
        tmp_path / "schedules.yaml",
        {"id": "a", "flow": "approve_contracts", "every": "1h", "accounts": ["firma-a", "firma-b"]},
    )
    result = cli("schedule", "check", "--file", str(path))
    assert result.exit_code == 2
    assert f"account 'firma-b' is not in {accounts} (known: firma-a)" in " ".join(result.output.split())
