"""How a roster sync is shown to a person: what `katip roster sync` and `katip demo` print (names masked)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from rpa.logs import mask_numbers
from rpa.sync.report_xlsx import EXCEPTION_WORDS, METHOD_WORDS, SyncReportData
from rpa.sync.results import SyncSummary

MAX_LISTED = 100  # exceptions printed for people; the XLSX and --json have them all


def print_sync(console: Console, data: SyncReportData, summary: SyncSummary, path: Path | None = None) -> None:
    """The per-workplace table, the exceptions (masked) and the totals (the caller says where the report is)."""
    table = Table(title="Personel listesi ↔ SGK 4A / roster sync", title_justify="left")
    for column in ("SGK Sicil No", "İşyeri", "Yöntem", "Doğrulanan", "Aktif önce→sonra", "İstisna"):
        wide = column == "İşyeri"
        table.add_column(column, no_wrap=column == "SGK Sicil No", max_width=30 if wide else None,
                         overflow="ellipsis")
    for _, wp in data.workplaces:
        verified = f"{len(wp.planned)} (deneme)" if data.dry_run else str(len(wp.verified))
        table.add_row(wp.sicil, wp.unvan or "", METHOD_WORDS[wp.method], verified,
                      f"{wp.active_before if wp.active_before is not None else '—'} → "
                      f"{wp.active_after if wp.active_after is not None else '—'}", str(len(wp.exceptions)))
    console.print(table)
    shown = 0
    for _, wp in data.workplaces:
        for item in wp.exceptions:
            if shown == MAX_LISTED:
                console.print(f"… {summary.exceptions - MAX_LISTED} more in the report", highlight=False)
                break
            shown += 1
            who = item.shown_tc(data.show_personal_data) or item.shown_name(data.show_personal_data)
            reason = item.shown_reason(data.show_personal_data).tr
            text = reason if data.show_personal_data else mask_numbers(reason)
            console.print(f"[yellow]• {wp.sicil} {who}[/yellow] ({EXCEPTION_WORDS[item.kind]}): {text}",
                          highlight=False)
    for name, why in data.account_errors.items():
        console.print(f"[red]Hesap {name}[/red]: {mask_numbers(why)}", highlight=False)
    console.print(f"Doğrulanan {summary.verified} · istisna {summary.exceptions} · reddedilen satır "
                  f"{summary.rejected_rows}", highlight=False)
    if data.dry_run:
        console.print("Deneme: portalda hiçbir şey değişmedi / dry run: nothing changed.", highlight=False)
