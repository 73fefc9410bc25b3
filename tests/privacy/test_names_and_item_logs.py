"""People's names are masked in logs and reports, and a failed item's evidence holds its own log lines."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from loguru import logger

from rpa.flows import approve_contracts
from rpa.flows.approve_contracts import ApproveRequest
from rpa.flows.results import ApproveResult, Outcome
from rpa.privacy import mask_known_names, mask_name, remember_names
from rpa.report import RunReport, write_report
from rpa.run import EvidenceRecorder
from tests.flows.conftest import QUICK
from tests.flows.fakes import FakePortal, FakeSession
from tests.flows.test_approve_decisions import server_error


def test_a_name_is_cut_to_initials_with_turkish_capitals_kept():
    assert mask_name("Ayşe Yılmaz") == "A*** Y***"
    assert mask_name("İsmail Çağrı Öztürk") == "İ*** Ç*** Ö***"


def test_a_name_read_once_is_masked_wherever_it_shows_later_in_any_case():
    remember_names("Gülşen Işıktaş")

    text = mask_known_names("<td>Gülşen Işıktaş</td> GÜLŞEN IŞIKTAŞ; Sistem Hatası; Gülşen Kaya")

    assert text == "<td>G*** I***</td> G*** I***; Sistem Hatası; Gülşen Kaya"


def test_log_lines_never_hold_a_name_the_robot_has_read(log_file):
    remember_names("Nurhan Bozkurt")
    logger.bind(person="Nurhan Bozkurt").warning("Nurhan Bozkurt is no longer in the contract list")

    text = log_file.read_text(encoding="utf-8")
    assert "Nurhan Bozkurt" not in text and text.count("N*** B***") == 2


def _approve_with_one_failing_item(tmp_path: Path, portal: FakePortal) -> ApproveResult:
    portal.fail("open_approval", server_error(), times=QUICK.attempts)  # the first waiting contract fails
    (tmp_path / "evidence").mkdir()
    request = ApproveRequest(account="demo", contracts_dir=tmp_path / "contracts", evidence_dir=tmp_path / "evidence")
    return approve_contracts.run(FakeSession(portal), request, policy=QUICK, sleep=lambda _s: None)


def test_a_failed_item_keeps_its_own_masked_log_lines_and_the_report_links_them(portal, tmp_path, log_file):
    result = _approve_with_one_failing_item(tmp_path, portal)

    failed = result.workplaces[0].contracts[0]
    assert failed.outcome is Outcome.FAILED and failed.professional == "Zeynep Arslan"
    lines = failed.evidence.log.read_text(encoding="utf-8")
    assert lines.count("Sistem hatası") >= QUICK.attempts - 1  # each try that was retried
    assert "Z*** A***" in lines and "Zeynep Arslan" not in lines
    assert "E*** Ş***" not in lines and "workplace-" not in lines  # the next item's, the workplace item's
    assert "Zeynep Arslan" not in log_file.read_text(encoding="utf-8")

    report = RunReport(run_id="r1", command="katip approve", started=datetime(2025, 3, 1), approve=[result])
    html = write_report(report, tmp_path / "report.html").read_text(encoding="utf-8")
    assert f'href="evidence/{failed.evidence.log.name}"' in html
    assert "Zeynep Arslan" not in html and "Z*** A***" in html


def test_the_operator_who_asks_for_personal_data_gets_full_names_in_the_report(portal, tmp_path, log_file):
    result = _approve_with_one_failing_item(tmp_path, portal)

    report = RunReport(run_id="r1", command="katip approve --show-personal-data", started=datetime(2025, 3, 1),
                       approve=[result], show_personal_data=True)
    html = write_report(report, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Zeynep Arslan" in html and "Elif Şahin" in html


def test_items_running_at_once_in_two_threads_each_keep_only_their_own_lines(tmp_path, log_file):
    step = threading.Barrier(2, timeout=30)
    evidence = {}

    def account(n: int) -> None:
        recorder = EvidenceRecorder(lambda: None, tmp_path / f"evidence-{n}")  # no browser: log lines only
        (tmp_path / f"evidence-{n}").mkdir()
        recorder.begin(f"item-{n}")
        for turn in range(3):
            step.wait()  # both items are running: their lines interleave in the run log
            logger.info("account {} line {}", n, turn)
        step.wait()
        evidence[n] = recorder.capture(f"item-{n}")

    threads = [threading.Thread(target=account, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for n, other in ((1, 2), (2, 1)):
        lines = evidence[n].log.read_text(encoding="utf-8")
        assert [f"account {n} line {t}" in lines for t in range(3)] == [True] * 3
        assert f"account {other} " not in lines
    assert "'item': 'item-1'" in log_file.read_text(encoding="utf-8")  # the run log says whose line it is
