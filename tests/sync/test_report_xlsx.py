"""The Excel report: four sheets, the numbers people filter on, TC numbers masked unless asked for."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl

from rpa.roster.models import FileReport, RejectedRow, Roster, RowRef
from rpa.sync import exceptions as ex
from rpa.sync.outcome import verified_item
from rpa.sync.plan import Method
from rpa.sync.reconcile import Difference, Kind
from rpa.sync.report_xlsx import SyncReportData, write_sync_report
from rpa.sync.results import WorkplaceSync
from tests.sync.builders import SICIL, TCS, TODAY, record, row


def report(tmp_path, show_personal_data: bool = False):
    fixed = Difference(SICIL, TCS[0], Kind.NOT_IN_PORTAL, row(TCS[0], name="Ayşe Kaya"), None)
    missing = Difference(SICIL, TCS[1], Kind.NOT_IN_PORTAL, row(TCS[1], hired=date(2025, 2, 10)), None)
    workplace = WorkplaceSync(
        sicil=SICIL, unvan="Anadolu Tekstil", method=Method.VERIFY, active_before=40, active_after=41,
        verified=[verified_item(fixed, record(TCS[0]), Method.VERIFY)], exceptions=[ex.from_difference(missing)],
    )
    rejected = RejectedRow(source=RowRef(file="personel.xlsx", sheet="Personel", row=7), column="TC Kimlik No",
                           value=TCS[2][:-1] + "0", reason_tr="geçersiz", reason_en="invalid", tc_column=True)
    roster = Roster(today=TODAY, files=[FileReport(path="personel.xlsx", rows_total=3, accepted=2,
                                                   rejected=[rejected])])
    data = SyncReportData(run_id="20250301-100000-abcd", started=datetime(2025, 3, 1, 10), command="katip roster sync",
                          dry_run=False, roster=roster, workplaces=[("demo", workplace)],
                          show_personal_data=show_personal_data)
    return openpyxl.load_workbook(write_sync_report(data, tmp_path / "roster-sync.xlsx"))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_has_the_four_sheets_with_a_filterable_header(tmp_path):
    book = report(tmp_path)
    assert book.sheetnames == ["Özet (Summary)", "Doğrulananlar (Verified)", "İstisnalar (Exceptions)",
                               "Reddedilen Satırlar (Rejected)"]
    exceptions = book["İstisnalar (Exceptions)"]
    assert exceptions.freeze_panes == "A2" and exceptions.auto_filter.ref.startswith("A1:")


def test_summary_row_counts_what_happened_at_the_workplace(tmp_path):
    summary = rows(report(tmp_path)["Özet (Summary)"])
    line = next(r for r in summary if r[1] == SICIL)
    assert line[0] == "demo" and line[3] == "TC Kimlik No İle Doğrula"
    assert (line[6], line[7], line[8], line[10]) == (40, 41, 1, 1)


def test_tc_numbers_are_masked_everywhere_unless_personal_data_is_asked_for(tmp_path):
    book = report(tmp_path)
    text = " ".join(str(c) for sheet in book for r in sheet.iter_rows(values_only=True) for c in r if c)
    assert not any(tc in text for tc in TCS[:3])
    verified = rows(book["Doğrulananlar (Verified)"])[1]
    assert verified[1] == TCS[0][:3] + "*****" + TCS[0][-3:] and verified[2] == "Ayşe Kaya"
    full = report(tmp_path, show_personal_data=True)
    exception = rows(full["İstisnalar (Exceptions)"])[1]
    assert exception[1] == TCS[1]  # as text: Excel must not turn it into 1.2E+10
    assert "SGK kaydı bulunamadı" in exception[4] and "has not filed the hire" in exception[5]


def test_rejected_rows_say_where_they_are_and_why(tmp_path):
    rejected = rows(report(tmp_path)["Reddedilen Satırlar (Rejected)"])[1]
    assert rejected[:4] == ("personel.xlsx", "Personel", 7, "TC Kimlik No")
    assert "*****" in rejected[4] and rejected[5:] == ("geçersiz", "invalid")
