"""Run ids, masked logs, the HTML report, exit codes and the contact input files (no browser)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from loguru import logger

from rpa.app.status import ExitStatus
from rpa.app.summary import report_status
from rpa.cli.robot_json import approve_json
from rpa.contact_input import ContactInputError, read_contact_file
from rpa.flows.results import ApproveResult, ContractOutcome, Outcome, Reason, WorkplaceApproval
from rpa.report import RunReport, write_report
from rpa.run import RUN_ID_PATTERN, Evidence, Run

SICIL = "11320010112345670341542000"
DEMO_CONTACT = Path(__file__).parents[2] / "rpa" / "data" / "demo-contact.yaml"


def test_run_ids_sort_by_time_and_two_runs_in_one_second_get_different_folders(tmp_path):
    moment = datetime(2025, 3, 1, 9, 30, 5)

    first, second = Run.start(tmp_path, now=moment), Run.start(tmp_path, now=moment)

    assert RUN_ID_PATTERN.match(first.id) and first.id.startswith("20250301-093005-")
    assert first.dir != second.dir and first.dir.is_dir() and second.dir.is_dir()
    assert first.report_path == tmp_path / "runs" / first.id / "report.html"


def test_log_files_never_hold_a_full_tc_number(log_file):
    logger.bind(person="TC 38472910510").info("verify 38472910510 at {} (phone 05321234567)", SICIL)

    text = log_file.read_text(encoding="utf-8")
    assert "38472910510" not in text
    assert text.count("384*****510") == 2
    assert SICIL in text and "05321234567" in text  # a sicil and a phone number stay readable


def sample_report(tmp_path: Path) -> RunReport:
    pdf = tmp_path / "out" / "contracts" / SICIL / "sozlesme-2025000003.pdf"
    shot = tmp_path / "out" / "runs" / "r1" / "evidence" / "001-item.png"
    contracts = [
        ContractOutcome(outcome=Outcome.DONE, professional="Zeynep Arslan", title="İş Güvenliği Uzmanı",
                        process_type="Yeni Sözleşme", contract_no="2025000003", pdf=pdf),
        ContractOutcome(outcome=Outcome.HELD, professional="Emre Çelik", title="İş Güvenliği Uzmanı",
                        process_type="Yeni Sözleşme", contract_no="2025000008",
                        reasons=[Reason(tr="C sınıfı uzman Çok Tehlikeli işyerinde görev alamaz.",
                                        en="A class C expert may not serve a 'Çok Tehlikeli' workplace.")]),
        ContractOutcome(outcome=Outcome.FAILED, professional="Hatice Koç", title="Diğer Sağlık Personeli",
                        process_type="Yeni Sözleşme", reasons=[Reason(tr="Sistem hatası (38472910510)", en="x")],
                        evidence=Evidence(screenshot=shot, trace=shot.with_suffix(".zip"))),
    ]
    result = ApproveResult(account="demo", workplaces=[WorkplaceApproval(sicil=SICIL, contracts=contracts)])
    return RunReport(run_id="r1", command="katip approve", started=datetime(2025, 3, 1), approve=[result])


def test_the_report_links_pdfs_and_evidence_relatively_and_shows_why_items_were_held(tmp_path):
    report = sample_report(tmp_path)

    html = write_report(report, tmp_path / "out" / "runs" / "r1" / "report.html").read_text(encoding="utf-8")

    assert f'href="../../contracts/{SICIL}/sozlesme-2025000003.pdf"' in html
    assert 'src="evidence/001-item.png"' in html and 'href="evidence/001-item.zip"' in html
    assert "C sınıfı uzman Çok Tehlikeli işyerinde görev alamaz." in html
    assert "38472910510" not in html and "384*****510" in html


def test_exit_codes_say_done_items_to_look_at_or_login_needed(tmp_path):
    report = sample_report(tmp_path)
    assert report_status(report) is ExitStatus.ATTENTION
    report.approve[0].workplaces[0].contracts = report.approve[0].workplaces[0].contracts[:1]
    assert report_status(report) is ExitStatus.OK
    report.approve[0].login_needed = "Account 'demo' needs a login"
    assert report_status(report) is ExitStatus.LOGIN_NEEDED


def test_approve_json_has_the_documented_shape_and_no_full_tc_or_name(tmp_path):
    document = approve_json(sample_report(tmp_path))

    assert document["summary"] == {"approved": 1, "held": 1, "failed": 1, "skipped": 0}
    (workplace,) = document["workplaces"]
    assert workplace["approved"][0] == {"contract_no": "2025000003", "professional": "Z*** A***",
                                        "pdf": str(tmp_path / "out" / "contracts" / SICIL / "sozlesme-2025000003.pdf")}
    assert workplace["held"][0]["reason"].startswith("C sınıfı uzman")
    assert workplace["failed"] == [{"contract_no": None, "error": "Sistem hatası (384*****510) / x"}]


def test_the_demo_contact_file_reads_in_official_spelling():
    rows = {row.sicil: row for row in read_contact_file(DEMO_CONTACT).rows}

    ege = rows["12451020123456780350617000"]
    assert (ege.il, ege.ilce, ege.phone, ege.auto_update) == ("İzmir", "Torbalı", "02328531700", True)
    assert SICIL in rows  # written with spaces in the file


def test_a_spreadsheet_with_a_title_row_and_turkish_headers_is_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["İŞYERİ İLETİŞİM LİSTESİ"])
    sheet.append(["S.G.K. SİCİL NO", "TELEFON", "E-POSTA", "İL", "İLÇE", "Otomatik"])
    sheet.append([SICIL, 2125554120, "ik@firma.com.tr", "İSTANBUL", "BAĞCILAR", "hayır"])
    book.save(tmp_path / "iletisim.xlsx")

    (row,) = read_contact_file(tmp_path / "iletisim.xlsx").rows

    assert (row.phone, row.il, row.ilce, row.auto_update) == ("02125554120", "İstanbul", "Bağcılar", False)


def test_every_bad_row_of_a_csv_is_listed_with_its_spreadsheet_row_and_the_good_ones_kept(tmp_path):
    path = tmp_path / "iletisim.csv"
    path.write_text(f"SGK Sicil No;Telefon;E-Posta;İl;İlçe\n{SICIL};123;ik@firma;Ankara;Kadıköy\n"
                    f"{SICIL};02125554120;ik@firma.com;;\n{SICIL};02125554120;;;\n", encoding="utf-8")

    sheet = read_contact_file(path)

    problems = "\n".join(map(str, sheet.problems))
    assert "row 2, Telefon / phone: '123' geçerli bir telefon numarası değil" in problems
    assert "row 2, E-Posta / e-mail: 'ik@firma' geçerli bir e-posta adresi değil" in problems
    assert "'Kadıköy' Ankara ilinin ilçelerinden biri değil / 'Kadıköy' is not a district of Ankara" in problems
    assert "row 4, SGK Sicil No: bu işyeri 3. satırda zaten var / this workplace is already in row 3" in problems
    (kept,) = sheet.rows  # row 3: valid, applied
    assert kept.email == "ik@firma.com" and kept.auto_update is True  # no 'Otomatik' column: EVET


def test_a_misspelt_column_refuses_the_file_naming_the_expected_ones(tmp_path):
    path = tmp_path / "iletisim.csv"
    path.write_text(f"SGK Sicil No;telfon\n{SICIL};02125554120\n", encoding="utf-8")
    with pytest.raises(ContactInputError) as caught:
        read_contact_file(path)
    (problem,) = caught.value.problems
    assert "unknown column 'telfon' (did you mean 'Telefon'?)" in problem
    assert "expected columns: SGK Sicil No" in problem


def test_a_sicil_stored_as_a_number_says_its_digits_are_lost_at_its_excel_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Firma iletişim listesi"])
    sheet.append(["SGK Sicil No", "Telefon", "Otomatik"])
    sheet.append([float(SICIL), "02125554120", "HAYIR"])
    sheet.append([SICIL, "02125554120", "HAYIR"])
    book.save(tmp_path / "iletisim.xlsx")

    read = read_contact_file(tmp_path / "iletisim.xlsx")

    (problem,) = read.problems
    assert problem.row == 3 and problem.field == "sicil" and "lost digits" in problem.message_en
    assert [(r.sicil, r.auto_update) for r in read.rows] == [(SICIL, False)]


def test_the_template_reads_back_as_an_empty_sheet_with_every_column_known(tmp_path):
    from openpyxl import load_workbook

    from rpa.contact_input import EXPECTED_COLUMNS, write_template

    path = write_template(tmp_path / "bos.xlsx")
    book = load_workbook(path)
    assert [c.value for c in book.worksheets[0][1]] == list(EXPECTED_COLUMNS.values())
    assert "26" in str(book.worksheets[1]["B2"].value)  # the sicil's help
    with pytest.raises(ContactInputError, match="no rows with a sicil"):
        read_contact_file(path)
    book.worksheets[0]["A2"], book.worksheets[0]["B2"] = SICIL, "0212 555 41 20"
    book.save(path)
    assert [(r.sicil, r.phone, r.auto_update) for r in read_contact_file(path).rows] == [(SICIL, "02125554120", True)]


def test_with_several_accounts_a_workplace_none_of_them_lists_fails_with_the_access_message(tmp_path):
    from rpa.accounts import parse_account
    from rpa.app.batch import Batch
    from rpa.app.capabilities.approve import _unclaimed_workplaces
    from rpa.app.requests import ApproveRun
    from rpa.settings import Settings

    accounts = [parse_account({"name": name, "tc": tc, "password": "prompt", "code": "prompt"}, name)
                for name, tc in (("firma-a", "38472910510"), ("firma-b", "10000000146"))]
    settings = Settings(portal_url="http://127.0.0.1:9", state_dir=tmp_path / "state", out_dir=tmp_path / "out")
    batch = Batch(settings, ApproveRun(), accounts, Run.start(tmp_path))
    report = batch.report
    report.approve = [ApproveResult(account="firma-a", workplaces=[WorkplaceApproval(sicil=SICIL)]),
                      ApproveResult(account="firma-b")]
    nobodys = "16201010134567890060863000"

    _unclaimed_workplaces(batch, [SICIL, nobodys])

    claimed = [wp.sicil for r in report.approve for wp in r.workplaces]
    assert claimed == [SICIL, nobodys]
    assert report.approve[-1].workplaces[-1].error.startswith("Bu işyerine erişim yetkiniz bulunmamaktadır.")
    assert report_status(report) is ExitStatus.ATTENTION
