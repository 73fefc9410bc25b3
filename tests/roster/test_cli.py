"""`katip roster check`: exit status, JSON shape, and TC numbers masked unless asked otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rpa.cli.roster_cmd  # noqa: F401  (registers the `roster` commands)
from rpa.cli import app
from tests.roster import spreadsheets as sheets
from tests.roster.spreadsheets import Case

runner = CliRunner()


def _check(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["roster", "check", *args])
    return result.exit_code, result.output


def test_all_rows_accepted_exits_0_and_shows_no_full_tc_number(tmp_path: Path) -> None:
    case = sheets.one_sheet_with_sicil_column(tmp_path)
    code, output = _check(str(case.path))
    assert code == 0, output
    assert "7 satır/rows, 7 kabul/accepted, 0 ret/rejected" in output
    assert "ignored columns: Sıra No, Departman" in output
    assert not any(tc in output for tc in sheets.TCS)


def test_rejected_rows_exit_1_and_json_has_the_agreed_shape_with_masked_values(tmp_path: Path) -> None:
    case = sheets.invalid_values(tmp_path)
    code, output = _check(str(case.path), "--json")
    assert code == 1
    payload = json.loads(output)
    assert list(payload) == ["files"]
    entry = payload["files"][0]
    assert list(entry) == ["path", "rows_total", "accepted", "rejected", "workplaces"]
    assert (entry["rows_total"], entry["accepted"], len(entry["rejected"])) == (11, 1, 10)
    assert list(entry["rejected"][0]) == ["sheet", "row", "column", "value", "reason"]
    first = entry["rejected"][0]
    assert (first["sheet"], first["row"], first["column"]) == ("Hatalar", 3, "TC Kimlik No")
    assert (
        first["value"]
        == sheets.bad_checksum(sheets.TCS[41])[:3] + "*****" + sheets.bad_checksum(sheets.TCS[41])[-3:]
    )
    assert "kontrol haneleri" in first["reason"] and "check digits" in first["reason"]
    assert entry["workplaces"] == {sheets.SICIL_A: {"active": 1, "left": 0}}
    assert not any(tc in output for tc in sheets.TCS)


def test_personal_data_is_shown_only_when_asked(tmp_path: Path) -> None:
    case = sheets.invalid_values(tmp_path)
    code, output = _check(str(case.path), "--json", "--show-personal-data")
    assert code == 1
    assert json.loads(output)["files"][0]["rejected"][0]["value"] == sheets.bad_checksum(sheets.TCS[41])


def test_human_output_names_each_rejected_cell(tmp_path: Path) -> None:
    case = sheets.invalid_values(tmp_path)
    code, output = _check(str(case.path))
    assert code == 1
    assert (
        "Hatalar › satır/row 8 › Çıkış Tarihi = '01.05.2023': çıkış tarihi işe giriş tarihinden önce"
        in output
    )


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (sheets.password_protected, "password-protected"),
        (sheets.no_header, "Headers found: Personel No, Bölüm, Görev"),
    ],
)
def test_unreadable_file_exits_2_and_says_why(
    build: Callable[[Path], Case], says: str, tmp_path: Path
) -> None:
    code, output = _check(str(build(tmp_path).path))
    assert code == 2
    assert says in output


def test_missing_file_among_good_ones_exits_2_and_still_reports_the_good_one(tmp_path: Path) -> None:
    good = sheets.one_sheet_with_sicil_column(tmp_path)
    code, output = _check(str(good.path), str(tmp_path / "yok.xlsx"), "--json")
    assert code == 2
    files = json.loads(output)["files"]
    assert files[0]["accepted"] == 7
    assert "File not found" in files[1]["error"]


def test_workplace_option_gives_a_sicil_to_rows_that_have_none(tmp_path: Path) -> None:
    case = sheets.csv_utf8_bom_comma(tmp_path)
    assert _check(str(case.path))[0] == 1
    code, output = _check(str(case.path), "--workplace", sheets.spaced(sheets.SICIL_C), "--json")
    assert code == 0
    assert json.loads(output)["files"][0]["workplaces"] == {sheets.SICIL_C: {"active": 1, "left": 0}}


def test_registering_the_roster_commands_does_not_load_pandas() -> None:
    # `katip --help` imports every command module: they must stay light.
    code = "import sys, rpa.cli.roster_cmd; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
