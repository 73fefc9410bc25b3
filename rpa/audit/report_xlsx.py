"""The audit as an Excel workbook for the back office: who serves each workplace, for how long, what is missing.

"Uygunluk (Compliance)": one row per workplace × profession, red when the profession is missing,
amber when its minutes are short or a contract must be fixed, green when fine, with the minutes
required / assigned / short by. "Bulgular (Findings)": every finding, what is wrong and what to do, in
Turkish and English. "Okunamayan (Failed)": workplaces that could not be read, when there are any.
People's names are masked unless personal data is asked for. Text is stored as text: a company name
starting with "=" stays a name and never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rpa.audit.results import WorkplaceAuditOutcome
from rpa.audit.view import PROFESSION_WORDS, failure_lines, finding_lines, profession_lines
from rpa.domain.audit import AuditReport, ProfessionStatus
from rpa.xlsx import put

COMPLIANCE, FINDINGS, FAILED = "Uygunluk (Compliance)", "Bulgular (Findings)", "Okunamayan (Failed)"
# Excel's own light red / yellow / green, which people read at a glance.
STATUS_FILLS = {
    ProfessionStatus.MISSING: PatternFill("solid", fgColor="FFC7CE"),
    ProfessionStatus.LOW: PatternFill("solid", fgColor="FFEB9C"),
    ProfessionStatus.FINE: PatternFill("solid", fgColor="C6EFCE"),
}
INFORMATIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_WRAPPED = {"Sorun (TR)", "Problem (EN)", "Yapılacak (TR)", "What to do (EN)", "Hata / error"}


def write_audit_xlsx(path: Path, report: AuditReport, failed: Sequence[WorkplaceAuditOutcome] = (), *,
                     show_personal_data: bool = False) -> Path:
    """Write the workbook to `path` (e.g. the run dir's audit.xlsx) and return it."""
    book = Workbook()
    _compliance(book.active, report)
    _findings(book.create_sheet(FINDINGS), report, show_personal_data)
    if failed:
        _failed(book.create_sheet(FAILED), failed)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _compliance(sheet: Worksheet, report: AuditReport) -> None:
    sheet.title = COMPLIANCE
    columns = ["SGK Sicil No", "İşyeri Unvanı", "Tehlike Sınıfı", "Çalışan / employees", "SGK 4A (liste yerine)",
               "Meslek / profession", "Gerekli dk / required", "Atanan dk / assigned", "Eksik dk / short by",
               "Sözleşmeler / contracts", "Onay bekleyen / pending", "Bulgular / findings", "Durum / status"]
    lines = profession_lines(report)
    rows = [[line.sicil, line.unvan, line.hazard_class, line.employees, line.sgk_employees,
             f"{line.profession} ({PROFESSION_WORDS[line.profession]})", line.required_min, line.assigned_min,
             line.short_by, line.contracts, line.pending, line.codes, line.status_words] for line in lines]
    _table(sheet, columns, rows)
    for offset, line in enumerate(lines, start=2):
        for column in range(1, len(columns) + 1):
            sheet.cell(offset, column).fill = STATUS_FILLS[line.status]


def _findings(sheet: Worksheet, report: AuditReport, show_personal_data: bool) -> None:
    columns = ["SGK Sicil No", "İşyeri Unvanı", "Kod / code", "Meslek / profession", "Sözleşme No",
               "Görevlendirilen Kişi", "Gerekli dk / required", "Atanan dk / assigned", "Sorun (TR)",
               "Problem (EN)", "Yapılacak (TR)", "What to do (EN)"]
    lines = finding_lines(report, show_personal_data)
    rows = [[f.sicil, f.unvan, f.code, f.profession, f.contract_no, f.professional, f.required_min,
             f.assigned_min, f.problem_tr, f.problem_en, f.action_tr, f.action_en] for f in lines]
    _table(sheet, columns, rows)
    for offset, line in enumerate(lines, start=2):
        fill = INFORMATIONAL_FILL if line.informational else STATUS_FILLS[ProfessionStatus.LOW]
        sheet.cell(offset, 3).fill = fill


def _failed(sheet: Worksheet, failed: Sequence[WorkplaceAuditOutcome]) -> None:
    columns = ["SGK Sicil No", "İşyeri Unvanı", "Hata / error"]
    _table(sheet, columns, [[f.sicil, f.unvan, f.error] for f in failure_lines(failed)])


def _table(sheet: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A bold, frozen, filterable header row and the rows below it."""
    for index, title in enumerate(columns, start=1):
        cell = sheet.cell(1, index, title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    widths = [len(c) for c in columns]
    for offset, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            put(sheet, offset, index, value)
            if columns[index - 1] in _WRAPPED:
                sheet.cell(offset, index).alignment = Alignment(wrap_text=True, vertical="top")
            widths[index - 1] = max(widths[index - 1], min(len(str(value or "")), 60))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 62)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows), 1) + 1}"
