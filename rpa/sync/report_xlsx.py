"""The roster sync's report as an Excel workbook, since back offices live in Excel.

Four sheets: "Özet (Summary)" (the run and one row per workplace), "Doğrulananlar (Verified)" (people
whose 4A record now agrees with the roster, or would be asked about in a dry run), "İstisnalar
(Exceptions)" (what a person must act on, with reasons in Turkish and English) and "Reddedilen Satırlar
(Rejected)" (roster rows that were not read, with file, sheet, row and reason). TC numbers are masked
unless personal data is asked for. Excel forbids "/" in sheet names, hence the parentheses.

Names stay, unlike everywhere else the robot writes: this workbook is the working list a person acts
on ("ask the employer to file X's leave"), and with the TC number masked the name is what identifies
the person to the employer. It is written to the run dir for the operator, not to a log or a shared
report; `--show-personal-data` adds the full TC numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rpa.roster.models import Roster
from rpa.sync.exceptions import ExceptionKind
from rpa.sync.plan import Method
from rpa.sync.reconcile import Kind
from rpa.sync.results import SyncSummary, WorkplaceSync
from rpa.xlsx import append, put

SUMMARY, VERIFIED, EXCEPTIONS, REJECTED = (
    "Özet (Summary)", "Doğrulananlar (Verified)", "İstisnalar (Exceptions)", "Reddedilen Satırlar (Rejected)",
)
METHOD_WORDS = {
    Method.NONE: "— (gerek yok / nothing to ask)",
    Method.VERIFY: "TC Kimlik No İle Doğrula",
    Method.BULK: "Toplu Çalışan Güncelle",
}
DIFFERENCE_WORDS = {
    Kind.NOT_IN_PORTAL: "Listede çalışıyor, 4A'da yok / employed, not in the 4A list",
    Kind.LEFT_IN_PORTAL: "Listede çalışıyor, 4A'da çıkış / employed, 4A says left",
    Kind.STILL_ACTIVE: "Listede ayrıldı, 4A'da aktif / left, 4A says active",
    Kind.HIRED_DATE: "İşe giriş tarihi farklı / hire date differs",
    Kind.LEFT_DATE: "Çıkış tarihi farklı / leaving date differs",
    Kind.NOT_IN_ROSTER: "4A'da aktif, listede yok / active, not in the roster",
}
EXCEPTION_WORDS = {
    ExceptionKind.HIRE_NOT_FILED: "İşe giriş bildirilmemiş / hire not filed",
    ExceptionKind.LEFT_AT_SGK: "SGK'da çıkış var / SGK says left",
    ExceptionKind.LEAVE_NOT_FILED: "İşten ayrılış bildirilmemiş / leave not filed",
    ExceptionKind.HIRED_DATE_DIFFERS: "İşe giriş tarihi farklı / hire date differs",
    ExceptionKind.LEFT_DATE_DIFFERS: "Çıkış tarihi farklı / leaving date differs",
    ExceptionKind.NOT_IN_ROSTER: "Listede yok / not in the roster",
    ExceptionKind.VERIFY_FAILED: "Doğrulanamadı / could not verify",
    ExceptionKind.NO_ACCESS: "Erişim yok / no access",
    ExceptionKind.WORKPLACE_FAILED: "İşyeri okunamadı / workplace failed",
    ExceptionKind.CONTRACT_NOT_COMPLIANT: "Sözleşme: Mevzuata Uygun Hayır / contract not compliant",
}
DRY_RUN_WORDS = "Evet: portalda hiçbir şey değişmedi / yes: nothing was changed on the portal"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_WRAPPED = {"Neden (TR)", "Reason (EN)", "Notlar / notes", "Hata / error"}


@dataclass
class SyncReportData:
    """Everything the workbook shows."""

    run_id: str
    started: datetime
    command: str
    dry_run: bool
    roster: Roster
    workplaces: list[tuple[str, WorkplaceSync]]  # (account, workplace)
    account_errors: dict[str, str] = field(default_factory=dict)
    show_personal_data: bool = False


def write_sync_report(data: SyncReportData, path: Path) -> Path:
    """Write the four-sheet workbook to `path` (the run dir's roster-sync.xlsx) and return it."""
    book = Workbook()
    _summary(book.active, data)
    _verified(book.create_sheet(VERIFIED), data)
    _exceptions(book.create_sheet(EXCEPTIONS), data)
    _rejected(book.create_sheet(REJECTED), data)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _summary(sheet: Worksheet, data: SyncReportData) -> None:
    sheet.title = SUMMARY
    rejected = sum(len(f.rejected) for f in data.roster.files)
    totals = SyncSummary.of([wp for _, wp in data.workplaces], rejected)
    facts: list[tuple[str, object]] = [
        ("Çalıştırma / run", data.run_id),
        ("Başlangıç / started", data.started.strftime("%d.%m.%Y %H:%M:%S")),
        ("Komut / command", data.command),
        ("Deneme / dry run", DRY_RUN_WORDS if data.dry_run else "Hayır / no"),
        ("Dosyalar / files", ", ".join(f"{f.path} ({f.accepted}/{f.rows_total})" for f in data.roster.files)),
        ("İşyeri / workplaces", totals.workplaces),
        ("Doğrulanan / verified", totals.verified),
        ("İstisna / exceptions", totals.exceptions),
        ("Reddedilen satır / rejected rows", totals.rejected_rows),
    ]
    if data.dry_run:
        facts.append(("Sorulacak / to ask SGK", totals.planned))
    for name, why in data.account_errors.items():
        facts.append((f"Hesap / account {name}", why))
    for label, value in facts:
        append(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    columns = ["Hesap / account", "SGK Sicil No", "İşyeri Unvanı", "Yöntem / method", "Listede kişi / roster",
               "Listede aktif / roster active", "Aktif önce / active before", "Aktif sonra / active after",
               "Doğrulanan / verified", "Sorulacak / planned", "İstisna / exceptions", "Notlar / notes",
               "Hata / error"]
    rows = [
        [account, wp.sicil, wp.unvan or "", METHOD_WORDS[wp.method], wp.roster_people, wp.roster_active,
         wp.active_before, wp.active_after, len(wp.verified), len(wp.planned), len(wp.exceptions),
         "\n".join(wp.notes), wp.error or ""]
        for account, wp in data.workplaces
    ]
    _table(sheet, columns, rows, first_row=sheet.max_row + 1)


def _verified(sheet: Worksheet, data: SyncReportData) -> None:
    columns = ["SGK Sicil No", "TC Kimlik No", "Ad Soyad", "Fark / difference", "Önce / before",
               "Sonra / after", "Yöntem / method", "Durum / status"]
    rows = [
        [item.sicil, item.shown_tc(data.show_personal_data), item.name,
         DIFFERENCE_WORDS[Kind(item.difference)], item.before, item.after, METHOD_WORDS[item.method],
         "Sorulacak (deneme) / would ask (dry run)" if item.planned_only else "Düzeldi / fixed"]
        for _, wp in data.workplaces
        for item in (*wp.verified, *wp.planned)
    ]
    _table(sheet, columns, rows)


def _exceptions(sheet: Worksheet, data: SyncReportData) -> None:
    columns = ["SGK Sicil No", "TC Kimlik No", "Ad Soyad / sözleşme", "Tür / kind", "Neden (TR)",
               "Reason (EN)", "Personel listesi / roster", "SGK 4A listesi / portal", "Kanıt / evidence"]
    rows = []
    for _, wp in data.workplaces:
        evidence = str(wp.evidence.screenshot) if wp.evidence and wp.evidence.screenshot else ""
        for item in wp.exceptions:
            rows.append([
                item.sicil, item.shown_tc(data.show_personal_data), item.name, EXCEPTION_WORDS[item.kind],
                item.reason.tr, item.reason.en, item.roster_value, item.portal_value,
                evidence if item.kind in (ExceptionKind.WORKPLACE_FAILED, ExceptionKind.NO_ACCESS) else "",
            ])
    _table(sheet, columns, rows)


def _rejected(sheet: Worksheet, data: SyncReportData) -> None:
    columns = ["Dosya / file", "Sayfa / sheet", "Satır / row", "Sütun / column", "Değer / value",
               "Neden (TR)", "Reason (EN)"]
    rows = [
        [r.source.file, r.source.sheet, r.source.row, r.column, r.shown_value(data.show_personal_data),
         r.reason_tr, r.reason_en]
        for f in data.roster.files
        for r in f.rejected
    ]
    _table(sheet, columns, rows)


def _table(
    sheet: Worksheet, columns: Sequence[str], rows: Iterable[Sequence[object]], first_row: int = 1
) -> None:
    """A header row (bold, frozen, filterable) and the rows; every cell written as text or a number."""
    for index, title in enumerate(columns, start=1):
        cell = sheet.cell(first_row, index, title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    widths = [len(c) for c in columns]
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, value in enumerate(values, start=1):
            # Numbers stay numbers; everything else (above all TC and sicil numbers) is text, so Excel
            # neither rounds an 11-digit TC nor turns a 26-digit sicil into 1.1E+25.
            put(sheet, first_row + count, index, value)
            cell = sheet.cell(first_row + count, index)
            if columns[index - 1] in _WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index - 1] = max(widths[index - 1], min(len(str(value or "")), 80))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 70)
    sheet.freeze_panes = sheet.cell(first_row + 1, 1)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"
