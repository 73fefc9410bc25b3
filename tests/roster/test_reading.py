"""Reading hard roster spreadsheets: every data row is accepted or rejected with its place and reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rpa.roster.models import FileReport
from rpa.roster.reader import read_roster
from tests.roster import spreadsheets as sheets
from tests.roster.spreadsheets import TODAY, Case


def _read(case: Case, **kwargs: object) -> FileReport:
    return read_roster([case.path], today=TODAY, **kwargs).files[0]  # type: ignore[arg-type]


@pytest.mark.parametrize("build", sheets.ALL_CASES, ids=lambda build: build.__name__)
def test_each_generated_spreadsheet_reads_as_expected(build: Callable[[Path], Case], tmp_path: Path) -> None:
    case = build(tmp_path)
    report = _read(case)
    assert report.error_kind == case.error_kind, report.error_en
    assert report.rows_total == case.rows_total
    assert report.accepted == case.accepted
    assert report.accepted + len(report.rejected) == report.rows_total
    got = [(r.source.sheet, r.source.row, r.column) for r in report.rejected]
    assert got == [(sheet, row, column) for sheet, row, column, _ in case.rejected]
    for rejected, (_, _, _, reason) in zip(report.rejected, case.rejected, strict=True):
        assert reason in rejected.reason_en
        assert rejected.reason_tr and rejected.reason_tr != rejected.reason_en
    assert {s: (c.active, c.left) for s, c in report.workplaces.items()} == case.workplaces
    if case.ignored_columns:
        assert [c for sheet in report.sheets for c in sheet.ignored_columns] == case.ignored_columns


def test_names_are_trimmed_and_kept_as_written(tmp_path: Path) -> None:
    roster = read_roster([sheets.one_sheet_with_sicil_column(tmp_path).path], today=TODAY)
    names = {row.name for row in roster.rows}
    assert {"Ayşe Yılmaz", "İsmail Işık", "Çağla Öztürk"} <= names


def test_every_tc_shape_is_read_as_the_same_eleven_digits(tmp_path: Path) -> None:
    roster = read_roster([sheets.one_sheet_with_sicil_column(tmp_path).path], today=TODAY)
    assert sorted(row.tc for row in roster.rows) == sorted(sheets.TCS[:7])


def test_dates_in_every_format_are_read(tmp_path: Path) -> None:
    import datetime as dt

    roster = read_roster([sheets.one_sheet_with_sicil_column(tmp_path).path], today=TODAY)
    hired = {row.name.strip(): row.hired for row in roster.rows}
    assert hired == {
        "Ayşe Yılmaz": dt.date(2019, 3, 1),  # a real date cell
        "İsmail Işık": dt.date(2020, 1, 5),  # dd.mm.yyyy
        "Çağla Öztürk": dt.date(2021, 2, 5),  # dd/mm/yyyy
        "Ömer Şahin": dt.date(2022, 7, 15),  # ISO
        "Gül Ünal": dt.date(2020, 1, 1),  # Excel serial number
        "Deniz Ak": dt.date(2018, 5, 2),  # a date-time cell
        "Zeynep Kaya": dt.date(2015, 1, 1),
    }


def test_a_person_leaving_in_the_future_is_still_active(tmp_path: Path) -> None:
    roster = read_roster([sheets.one_sheet_with_sicil_column(tmp_path).path], today=TODAY)
    zeynep = next(row for row in roster.rows if row.name == "Zeynep Kaya")
    assert zeynep.left is not None and zeynep.is_active(TODAY)
    assert not zeynep.is_active(zeynep.left)


def test_rows_without_a_sicil_are_accepted_once_a_workplace_is_given(tmp_path: Path) -> None:
    case = sheets.csv_utf8_bom_comma(tmp_path)
    report = _read(case, default_sicil=sheets.SICIL_C)
    assert report.rejected == []
    assert {s: (c.active, c.left) for s, c in report.workplaces.items()} == {sheets.SICIL_C: (1, 0)}


def test_merged_duplicates_are_one_person_and_re_hires_keep_the_latest_employment(tmp_path: Path) -> None:
    roster = read_roster([sheets.duplicates(tmp_path).path], today=TODAY)
    assert roster.files[0].merged_duplicates == 2
    serkan = [row for row in roster.rows if row.tc == sheets.TCS[50] and row.sicil == sheets.SICIL_A]
    assert len(serkan) == 1 and len(serkan[0].duplicates) == 2
    can = [row for row in roster.rows if row.tc == sheets.TCS[52]]
    assert len(can) == 1 and can[0].left is None and can[0].hired is not None and can[0].hired.year == 2022


def test_the_same_person_in_two_files_is_merged_across_them(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = sheets.one_sheet_with_sicil_column(tmp_path / "a")
    second = sheets.one_sheet_with_sicil_column(tmp_path / "b")
    roster = read_roster([first.path, second.path], today=TODAY)
    assert len(roster.rows) == 7
    assert [report.accepted for report in roster.files] == [7, 7]
    assert sum(report.merged_duplicates for report in roster.files) == 7
    # Each file still reports the people it holds.
    assert [len(report.workplaces) for report in roster.files] == [2, 2]


def test_password_protected_file_says_so(tmp_path: Path) -> None:
    report = _read(sheets.password_protected(tmp_path))
    assert "password-protected" in (report.error_en or "")
    assert "parola" in (report.error_tr or "")


def test_file_without_header_names_the_headers_it_found(tmp_path: Path) -> None:
    report = _read(sheets.no_header(tmp_path))
    assert report.found_headers == ["Personel No", "Bölüm", "Görev"]
    assert "Personel No, Bölüm, Görev" in (report.error_en or "")


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    report = read_roster([tmp_path / "yok.xlsx"], today=TODAY).files[0]
    assert report.error_kind == "missing"


def test_unsupported_file_type_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "liste.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert _read(Case(path, 0)).error_kind == "unsupported"


def test_sheet_without_header_is_noted_with_what_it_holds(tmp_path: Path) -> None:
    report = _read(sheets.with_notes_sheet(tmp_path))
    notes = {sheet.name: sheet for sheet in report.sheets}
    assert notes["Açıklamalar"].header_row is None
    assert notes["Açıklamalar"].headers_seen == ["Bu dosya her ay güncellenir."]
    assert notes["Personel"].header_row == 1
