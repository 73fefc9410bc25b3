"""`katip roster …`: check the OSGB's personnel spreadsheets (sync is added by the sync flow)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rpa.cli import app

if TYPE_CHECKING:
    from rpa.roster.models import FileReport

roster_app = typer.Typer(
    name="roster",
    help="Personnel lists (rosters): check them, and keep the SGK 4A lists in line with them.",
    no_args_is_help=True,
)
app.add_typer(roster_app)

EXIT_ALL_ACCEPTED, EXIT_SOME_REJECTED, EXIT_UNREADABLE = 0, 1, 2
# The human output lists this many rejected rows per file; --json always has them all.
MAX_LISTED = 200


@roster_app.command("check")
def check(
    files: Annotated[
        list[Path], typer.Argument(help="Roster files: .xlsx .xls .ods .csv", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    show_personal_data: Annotated[
        bool, typer.Option("--show-personal-data", help="Show full TC numbers (KVKK: only when you must).")
    ] = False,
    workplace: Annotated[
        str | None, typer.Option(help="Sicil for rows that name none (no column, title, sheet or file name).")
    ] = None,
) -> None:
    """Read and validate roster files without touching the portal.

    Exit status: 0 every row accepted, 1 some rows rejected, 2 a file could not be read.
    """
    from rpa.domain.identifiers import IdentifierError, normalize_sicil
    from rpa.roster.reader import read_roster

    default_sicil = None
    if workplace is not None:
        try:
            default_sicil = normalize_sicil(workplace)
        except IdentifierError as exc:
            raise typer.BadParameter(str(exc), param_hint="--workplace") from exc
    roster = read_roster(files, default_sicil=default_sicil)
    if as_json:
        payload = {"files": [report.to_json(show_personal_data) for report in roster.files]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for report in roster.files:
            typer.echo("\n".join(_human(report, show_personal_data)))
    if any(not report.readable for report in roster.files):
        raise typer.Exit(EXIT_UNREADABLE)
    if any(report.rejected for report in roster.files):
        raise typer.Exit(EXIT_SOME_REJECTED)
    raise typer.Exit(EXIT_ALL_ACCEPTED)


def _human(report: FileReport, show_personal_data: bool) -> list[str]:
    if not report.readable:
        lines = [f"{report.path}: OKUNAMADI / CANNOT READ", f"  {report.error_tr}", f"  {report.error_en}"]
        return lines
    lines = [
        f"{report.path}: {report.rows_total} satır/rows, {report.accepted} kabul/accepted, "
        f"{len(report.rejected)} ret/rejected"
    ]
    for sicil, counts in report.workplaces.items():
        status = f"{counts.active} aktif/active, {counts.left} ayrılmış/left"
        lines.append(f"  İşyeri/workplace {sicil}: {status}")  # 26 digits, as every other output shows it
    if report.merged_duplicates:
        lines.append(f"  Birleştirilen tekrar satırlar / merged duplicate rows: {report.merged_duplicates}")
    for sheet in report.sheets:
        if sheet.header_row is None:
            seen = ", ".join(sheet.headers_seen) or "—"
            lines.append(
                f"  Sayfa/sheet '{sheet.name}': başlık yok, atlandı / no header, skipped (seen: {seen})"
            )
        elif sheet.ignored_columns:
            ignored = ", ".join(sheet.ignored_columns)
            lines.append(f"  Sayfa/sheet '{sheet.name}': yok sayılan sütunlar / ignored columns: {ignored}")
    if report.rejected:
        lines.append("  Reddedilen satırlar / rejected rows:")
    for rejected in report.rejected[:MAX_LISTED]:
        value = rejected.shown_value(show_personal_data)
        lines.append(
            f"    {rejected.source.sheet} › satır/row {rejected.source.row} › {rejected.column}"
            f" = {value!r}: {rejected.reason}"
        )
    if len(report.rejected) > MAX_LISTED:
        lines.append(f"    … {len(report.rejected) - MAX_LISTED} more (use --json for all)")
    return lines
