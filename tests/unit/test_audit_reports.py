"""The audit's workbook and HTML section: colours, minutes, what to do, names masked, text kept as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from rpa.audit.headcount import active_counts
from rpa.audit.report_html import render_audit_section
from rpa.audit.report_xlsx import COMPLIANCE, FAILED, FINDINGS, STATUS_FILLS, write_audit_xlsx
from rpa.audit.results import WorkplaceAuditOutcome
from rpa.domain.audit import AuditContract, AuditReport, ProfessionStatus, audit_workplace
from rpa.roster.models import Roster, RosterRow, RowRef

TEH, COK = "Tehlikeli", "Çok Tehlikeli"
S1, S2 = "11320010112345670341542000", "12451020123456780350617000"
UZMAN, HEKIM = "İş Güvenliği Uzmanı", "İşyeri Hekimi"
RED, AMBER, GREEN = (STATUS_FILLS[s].fgColor.rgb for s in ProfessionStatus)


def counting(no: str, title: str, minutes: int, cert: str = "A", who: str = "Ayşe Yılmaz") -> AuditContract:
    return AuditContract(no=no, title=title, cert_class=cert, minutes=minutes, contract_status="Aktif",
                         approval_status="Onaylandı", professional=who)


@pytest.fixture
def report() -> AuditReport:
    """A workplace with its expert short and no physician; one where everything is fine; one "=" name."""
    short = audit_workplace(S1, "=HYPERLINK(\"http://x\")", TEH, 40, [counting("N1", UZMAN, 700, cert="C")])
    fine = audit_workplace(S2, "Ege Metal", COK, 5, [counting("N2", UZMAN, 200), counting("N3", HEKIM, 75)])
    return AuditReport.of([short, fine])


def workbook(report: AuditReport, tmp_path: Path, **options: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_audit_xlsx(tmp_path / "audit.xlsx", report, **options))


def test_one_row_per_workplace_and_profession_coloured_red_amber_or_green(report, tmp_path):
    sheet = workbook(report, tmp_path)[COMPLIANCE]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    header = [c.value for c in sheet[1]]
    at = {name: header.index(name) for name in header}

    shown = [(r[0], r[at["Meslek / profession"]][:3].strip(), r[at["Gerekli dk / required"]],
              r[at["Atanan dk / assigned"]], r[at["Eksik dk / short by"]]) for r in rows]
    assert shown == [(S1, "İGU", 800, 700, 100), (S1, "İH", 400, 0, 400), (S2, "İGU", 200, 200, 0),
                     (S2, "İH", 75, 75, 0)]
    fills = [sheet.cell(row, 1).fill.fgColor.rgb for row in range(2, 6)]
    assert fills == [AMBER, RED, GREEN, GREEN]
    assert {sheet.cell(2, column).fill.fgColor.rgb for column in range(1, len(header) + 1)} == {AMBER}
    assert rows[0][at["Bulgular / findings"]] == "IGU_MINUTES_LOW, CERT_CLASS_MISMATCH"
    assert rows[0][at["Sözleşmeler / contracts"]] == "N1" and rows[1][at["Durum / status"]] == "Eksik / missing"


def test_the_findings_sheet_says_what_to_do_in_turkish_and_english(report, tmp_path):
    sheet = workbook(report, tmp_path)[FINDINGS]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]

    assert [(r["Kod / code"], r["Sözleşme No"]) for r in rows] == [
        ("IGU_MINUTES_LOW", None), ("CERT_CLASS_MISMATCH", "N1"), ("IH_MISSING", None)]
    mismatch = rows[1]
    assert "belge sınıfı (C)" in mismatch["Sorun (TR)"] and "class 'C'" in mismatch["Problem (EN)"]
    assert "A ya da B sınıfı" in mismatch["Yapılacak (TR)"] and "class A or B" in mismatch["What to do (EN)"]
    assert rows[2]["What to do (EN)"].startswith("Contract at least 400 min/month")


def test_names_are_masked_unless_personal_data_is_asked_for(report, tmp_path):
    masked = workbook(report, tmp_path)[FINDINGS]
    shown = workbook(report, tmp_path, show_personal_data=True)[FINDINGS]
    column = [c.value for c in masked[1]].index("Görevlendirilen Kişi") + 1

    assert masked.cell(3, column).value == "A*** Y***"
    assert shown.cell(3, column).value == "Ayşe Yılmaz"
    everything = " ".join(str(c) for row in masked.iter_rows(values_only=True) for c in row if c)
    assert "Ayşe" not in everything and "Yılmaz" not in everything


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+90 212", "-5", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path, name):
    audit = audit_workplace(S1, name, TEH, 1, [])
    sheet = workbook(AuditReport.of([audit]), tmp_path)[COMPLIANCE]
    assert sheet.cell(2, 2).value == name and sheet.cell(2, 2).data_type == "s"


def test_workplaces_that_could_not_be_read_get_their_own_sheet(report, tmp_path):
    failed = [WorkplaceAuditOutcome(sicil="16201010134567890060863000", unvan="Başkent",
                                    error="Bu işyerine erişim yetkiniz bulunmamaktadır.")]
    book = workbook(report, tmp_path, failed=failed)

    assert book.sheetnames == [COMPLIANCE, FINDINGS, FAILED]
    assert list(book[FAILED].iter_rows(min_row=2, values_only=True)) == [
        ("16201010134567890060863000", "Başkent", "Bu işyerine erişim yetkiniz bulunmamaktadır.")]
    assert workbook(report, tmp_path).sheetnames == [COMPLIANCE, FINDINGS]


def test_the_html_section_shows_the_same_rows_and_colours_with_names_masked(report):
    html = render_audit_section(report)

    assert html.count('<tr class="missing">') == 1 and html.count('<tr class="low">') >= 2
    assert html.count('<tr class="fine">') == 2
    assert "IGU_MINUTES_LOW" in html and "Would fix" not in html and "A*** Y***" in html
    assert "Ayşe" not in html
    assert "=HYPERLINK(&#34;http://x&#34;)" in html  # escaped, not markup
    assert "Ayşe Yılmaz" in render_audit_section(report, show_personal_data=True)


def test_the_html_section_lists_workplaces_that_could_not_be_read(report):
    failed = [WorkplaceAuditOutcome(sicil=S1, unvan="Anadolu", error="Sistem hatası. 12345678950")]
    html = render_audit_section(report, failed)
    assert "Okunamayan işyerleri" in html and "Sistem hatası." in html and "12345678950" not in html


def test_a_rosters_active_counts_per_workplace_leave_out_those_who_left():
    source = RowRef(file="p.xlsx", sheet="P", row=2)

    def person(sicil: str, tc: str, left: date | None = None) -> RosterRow:
        return RosterRow(sicil=sicil, tc=tc, name="Ad Soyad", left=left, source=source)

    roster = Roster(today=date(2025, 3, 1), rows=[
        person(S1, "1"), person(S1, "2"), person(S1, "3", left=date(2025, 2, 1)),
        person(S1, "4", left=date(2025, 4, 1)),  # leaves next month: still employed today
        person(S2, "5", left=date(2024, 12, 31)),
    ])

    assert active_counts(roster) == {S1: 3, S2: 0}
