"""Scheduler logs: JSON lines for collectors with --log-json, a file in the state dir, TC numbers masked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rpa.run import RUN_ID_PATTERN
from rpa.settings import Settings
from tests.scheduling.conftest import write_schedule

RUN_NOW_WITH_CHATTY_FLOW = """
import sys
from loguru import logger
from rpa.app import runs
from tests.scheduling.conftest import AppRun

def chatty(batch):
    logger.bind(workplace="12345678912345670340123456").info("verified 10000000146 on the 4A list")
    return {"verified": 1}

runs.start = AppRun(work=chatty)
from rpa.cli import app, schedule_cmd
app(["schedule", "run-now", "nightly-roster-sync", "--file", sys.argv[1], "--log-json"])
"""


def test_log_json_writes_one_masked_json_object_per_line_and_the_state_dir_keeps_a_log_file(
    tmp_path: Path, settings: Settings, katip_env: dict[str, str]
) -> None:
    job = {"id": "nightly-roster-sync", "flow": "sync_roster", "cron": "0 2 * * *", "rosters": "r/*.csv"}
    path = write_schedule(tmp_path / "schedules.yaml", job)
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "personel.csv").write_text("SGK Sicil No;TC Kimlik No;Adı Soyadı;İşe Giriş Tarihi\n")
    done = subprocess.run(
        [sys.executable, "-c", RUN_NOW_WITH_CHATTY_FLOW, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr

    records = [json.loads(line)["record"] for line in done.stderr.splitlines() if line.startswith("{")]
    verified = next(r for r in records if "verified" in r["message"])
    assert verified["message"] == "verified 100*****146 on the 4A list"
    assert verified["extra"]["workplace"] == "12345678912345670340123456"  # a sicil is not personal data
    assert RUN_ID_PATTERN.match(verified["extra"]["run"])  # every line of a run carries its id
    log_file = settings.state_dir / "logs" / "katip.log"
    text = log_file.read_text(encoding="utf-8")
    assert "verified 100*****146" in text and "10000000146" not in text
