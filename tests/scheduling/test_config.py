"""schedules.yaml validation: every kind of mistake is refused with a sentence naming job and field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from rpa.scheduling.config import ScheduleError, load_schedule, parse_schedule

REPO = Path(__file__).resolve().parents[2]


def job(**fields: object) -> dict[str, object]:
    """A valid approvals job, changed by `fields` (None removes a key)."""
    base: dict[str, object] = {"id": "nightly-roster", "flow": "approve_contracts", "cron": "0 2 * * *"}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


BAD_SCHEDULES = [
    # cron fields, one by one
    (job(cron="61 2 * * *"), "job 'nightly-roster': cron '61 2 * * *': minute must be 0–59"),
    (job(cron="0 24 * * *"), "job 'nightly-roster': cron '0 24 * * *': hour must be 0–23"),
    (job(cron="0 2 0 * *"), "job 'nightly-roster': cron '0 2 0 * *': day of month must be 1–31"),
    (job(cron="0 2 * 13 *"), "job 'nightly-roster': cron '0 2 * 13 *': month must be 1–12"),
    (
        job(cron="0 2 * * 8"),
        "job 'nightly-roster': cron '0 2 * * 8': day of week must be 0–7 (0 and 7 are Sunday) or sun–sat",
    ),
    (job(cron="x 2 * * *"), "job 'nightly-roster': cron 'x 2 * * *': minute 'x' is not a valid value"),
    (
        job(cron="*/0 2 * * *"),
        "job 'nightly-roster': cron '*/0 2 * * *': minute '*/0': step must be higher than 0",
    ),
    (
        job(cron="0 5-1 * * *"),
        "job 'nightly-roster': cron '0 5-1 * * *': hour '5-1': range start is after its end",
    ),
    (
        job(cron="0 2 * *"),
        "job 'nightly-roster': cron '0 2 * *': needs 5 fields (minute hour day-of-month month day-of-week), got 4",
    ),
    (job(cron="0 0 31 2 *"), "job 'nightly-roster': cron '0 0 31 2 *': never fires (no such date)"),
    # cron / every: exactly one
    (job(every="30m"), "job 'nightly-roster': give exactly one of 'cron' or 'every' (both given)"),
    (job(cron=None), "job 'nightly-roster': give exactly one of 'cron' or 'every' (neither given)"),
    # every
    (
        job(cron=None, every="30"),
        "job 'nightly-roster': every '30': use a number and a unit, e.g. 30m, 2h or 1d",
    ),
    (
        job(cron=None, every="2w"),
        "job 'nightly-roster': every '2w': use a number and a unit, e.g. 30m, 2h or 1d",
    ),
    (job(cron=None, every="0m"), "job 'nightly-roster': every '0m': must be longer than zero"),
    (job(cron=None, every="30s"), "job 'nightly-roster': every '30s': must be at least 1m"),
    # unknown keys, in a job and at the top
    (job(retries=3), "job 'nightly-roster': unknown key 'retries'"),
    # flows and their inputs
    (
        job(flow="sync_rooster"),
        "job 'nightly-roster': flow 'sync_rooster' is not one of "
        "sync_roster, approve_contracts, refresh_workplaces, update_contact, audit",
    ),
    (
        job(flow="sync_roster"),
        "job 'nightly-roster': flow sync_roster needs 'rosters' (a file or glob such as data/rosters/*.xlsx)",
    ),
    (
        job(rosters="r/*.xlsx"),
        "job 'nightly-roster': 'rosters' is only for flows sync_roster and audit, not approve_contracts",
    ),
    (
        job(flow="update_contact"),
        "job 'nightly-roster': flow update_contact needs 'contacts' (YAML or spreadsheet, one row per sicil)",
    ),
    # other fields
    (job(id=None), "job #1: missing 'id'"),
    (job(id="my job"), "job #1: id 'my job': use letters, digits, '-', '_' or '.' (at most 64)"),
    (job(accounts={"a": 1}), "job 'nightly-roster': accounts: use 'all' or a list of account names"),
    (job(accounts=["a", "a"]), "job 'nightly-roster': accounts: a name is listed twice"),
    (
        job(workplaces=["123"]),
        "job 'nightly-roster': workplaces: '123': SGK sicil must have 26 digits (has 3)",
    ),
    (
        job(misfire_grace=30),
        "job 'nightly-roster': misfire_grace 30: use a number and a unit, e.g. 30m, 2h or 1d",
    ),
    (
        job(max_runtime="soon"),
        "job 'nightly-roster': max_runtime 'soon': use a number and a unit, e.g. 30m, 2h or 1d",
    ),
]


@pytest.mark.parametrize(("bad_job", "message"), BAD_SCHEDULES)
def test_bad_job_is_refused_with_a_sentence_naming_job_and_field(bad_job: dict, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule({"timezone": "Europe/Istanbul", "jobs": [bad_job]})
    assert caught.value.problems == [message]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"jobs": [], "notify": "me"}, "unknown key 'notify' at the top of the file"),
        ({"timezone": "Europe/Istanbul"}, "missing 'jobs'"),
        (
            {"timezone": "Europe/Istambul", "jobs": []},
            "timezone 'Europe/Istambul': unknown time zone, use e.g. Europe/Istanbul",
        ),
        (["a list"], "the file must be a mapping with 'timezone' and 'jobs'"),
    ],
)
def test_bad_file_level_setting_is_refused(raw: object, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(raw)
    assert caught.value.problems == [message]


def test_duplicate_ids_are_refused_alongside_other_mistakes() -> None:
    jobs = [job(), job(every="1h", cron=None), job(id="other", cron="99 * * * *")]
    with pytest.raises(ScheduleError) as caught:
        parse_schedule({"jobs": jobs})
    assert caught.value.problems == [
        "job 'nightly-roster': duplicate id (jobs #1, #2)",
        "job 'other': cron '99 * * * *': minute must be 0–59",
    ]


def test_a_key_written_twice_in_the_file_is_refused_not_silently_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text("jobs:\n  - id: a\n    flow: approve_contracts\n    cron: '0 2 * * *'\n    cron: '0 3 * * *'\n")
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert caught.value.problems == ["not valid YAML (satır / line 5, sütun / column 5: key 'cron' is written twice)"]


def test_missing_file_says_how_to_name_another(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError) as caught:
        load_schedule(tmp_path / "nope.yaml")
    assert caught.value.problems == ["file not found (use --file to name another one)"]


def test_the_example_schedule_in_the_repo_is_valid_and_says_what_the_issue_asks() -> None:
    schedule = load_schedule(REPO / "schedules.yaml")
    assert schedule.timezone == "Europe/Istanbul"
    roster, approvals = schedule.job("nightly-roster-sync"), schedule.job("morning-approvals")
    assert (roster.flow, roster.cron, roster.rosters, roster.accounts) == (
        "sync_roster",
        "0 2 * * *",
        "data/rosters/*.xlsx",
        "all",
    )
    assert (approvals.flow, approvals.cron, approvals.accounts) == (
        "approve_contracts",
        "30 7 * * 1-5",
        "all",
    )
    assert schedule.resolve(roster.rosters or "") == REPO / "data/rosters/*.xlsx"


def test_defaults_and_durations_are_read_as_people_write_them() -> None:
    schedule = parse_schedule(
        {"jobs": [job(workplaces="1 2345 67 89 1234567 034 01 23 456", max_runtime="1h30m", accounts="firma-a")]}
    )
    spec = schedule.jobs[0]
    assert spec.enabled is True
    assert spec.misfire_grace == timedelta(hours=1)
    assert spec.max_runtime == timedelta(hours=1, minutes=30)
    assert spec.accounts == ["firma-a"]
    assert spec.workplaces == ["12345678912345670340123456"]
