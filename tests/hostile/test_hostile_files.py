"""Hostile and broken files: each gets a clear answer (exit 2 or a listed rejection), none a crash, and
no password or full TC number reaches what the run wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from rpa.accounts import load_accounts
from rpa.contact_input import ContactInputError, read_contact_file
from rpa.domain.identifiers import generate_tc, mask_tc
from rpa.errors import ConfigError
from rpa.roster.errors import RosterReadError
from rpa.roster.headers import find_header, visible_headers
from rpa.roster.sources import read_sheets
from rpa.xlsx import SpreadsheetRejected, append, check_workbook, put
from tests.hostile import files

TC = generate_tc(__import__("random").Random(15))


def katip(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(tmp_path / "out"), KATIP_STATE_DIR=str(tmp_path / "state"))
    return subprocess.run([sys.executable, "-m", "rpa", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=tmp_path)


@pytest.mark.parametrize("build", [files.far_cell_xlsx, files.whitespace_bomb_xlsx])
def test_a_workbook_that_would_eat_all_memory_is_rejected_in_words_and_the_process_lives(tmp_path, build):
    path = build(tmp_path)

    checked = katip(tmp_path, "roster", "check", str(path))

    assert checked.returncode == 2, checked.stdout + checked.stderr  # calamine alone: 134 (abort)
    assert "Dosya reddedildi" in checked.stdout and "File rejected" in checked.stdout
    with pytest.raises(ContactInputError, match="File rejected"):
        read_contact_file(path)


def test_the_far_cell_is_named_and_a_column_formatted_to_the_last_row_is_no_reason_to_refuse(tmp_path):
    with pytest.raises(SpreadsheetRejected, match="XFD1048576"):
        check_workbook(files.far_cell_xlsx(tmp_path))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"] = "TC Kimlik No", TC
    sheet["A1048576"].number_format = "@"  # styled, no value: calamine does not build a grid for it
    sheet["A1048576"].font = openpyxl.styles.Font(bold=True)
    book.save(tmp_path / "styled.xlsx")
    check_workbook(tmp_path / "styled.xlsx")
    assert read_sheets(tmp_path / "styled.xlsx")[0].rows[1][0] == TC


@pytest.mark.parametrize(("build", "words"), [(files.text_named_xlsx, "plain text saved as .xlsx"),
                                              (files.empty_xlsx, "The file is empty")])
def test_a_text_or_empty_file_named_xlsx_says_so_in_words(tmp_path, build, words):
    with pytest.raises(RosterReadError) as caught:
        read_sheets(build(tmp_path))
    assert words in caught.value.message_en and "EOCD" not in str(caught.value)
    assert caught.value.message_tr


def test_a_utf16_csv_from_excels_unicode_text_is_read(tmp_path):
    path = files.utf16_csv(tmp_path, [(TC, "Ayşe Işık", "01.02.2024")])
    rows = read_sheets(path)[0].rows
    assert rows[1][:2] == [TC, "Ayşe Işık"]


def test_a_password_that_breaks_yaml_is_never_repeated_in_the_error(tmp_path):
    path = files.accounts_with_a_password_in_yaml(tmp_path, TC)

    with pytest.raises(ConfigError) as caught:
        load_accounts(path)
    assert files.LEAKED_PASSWORD not in str(caught.value) and "Gizli" not in str(caught.value)
    assert "line 4, " in str(caught.value) and str(path) in str(caught.value)

    ran = katip(tmp_path, "approve", "--dry-run", "--accounts", str(path), "--portal-url", "http://127.0.0.1:9")
    assert ran.returncode == 2, ran.stdout + ran.stderr
    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p != path]
    assert "Gizli" not in ran.stdout + ran.stderr
    assert not [data for data in written if b"Gizli" in data]


def test_a_binary_accounts_file_is_named(tmp_path):
    path = files.binary_accounts(tmp_path)
    with pytest.raises(ConfigError, match="binary file") as caught:
        load_accounts(path)
    assert str(path) in str(caught.value)


def test_every_workbook_we_write_keeps_text_that_looks_like_a_formula_as_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    hostile = ["=HYPERLINK(\"http://x\",\"tıkla\")", "+1+1", "-2+3", "@SUM(A1)"]
    for column, text in enumerate(hostile, start=1):
        put(sheet, 1, column, text)
    append(sheet, hostile)
    put(sheet, 3, 1, 42)
    book.save(tmp_path / "out.xlsx")

    again = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cells = [cell for row in again.active.iter_rows(max_row=2) for cell in row]
    assert [c.value for c in cells] == hostile * 2 and {c.data_type for c in cells} == {"s"}
    assert again.active["A3"].value == 42


def test_the_headers_shown_when_none_is_found_mask_a_tc_in_the_first_row(tmp_path):
    path = tmp_path / "headless.csv"
    path.write_text(f"{TC};Ayşe Işık\n{TC};Ali Veli\n", encoding="utf-8")
    sheet = read_sheets(path)[0]
    assert find_header(sheet) is None
    assert mask_tc(TC) in visible_headers(sheet) and TC not in " ".join(visible_headers(sheet))


def test_turkish_account_names_are_fine_and_two_accounts_with_one_tc_are_refused_naming_both(tmp_path):
    other = generate_tc(__import__("random").Random(16))
    path = tmp_path / "accounts.yaml"
    path.write_text(f'accounts:\n  - name: Ayşe Hanım\n    tc: "{TC}"\n    password: env:X\n    code: prompt\n'
                    f'  - name: Ayse Hanim\n    tc: "{other}"\n    password: env:Y\n    code: prompt\n',
                    encoding="utf-8")
    ayse, plain = load_accounts(path)
    assert ayse.name == "Ayşe Hanım" and ayse.file_key.isascii() and ayse.file_key != plain.file_key
    assert "/" not in ayse.file_key and plain.file_key == "Ayse-Hanim-" + plain.file_key.rsplit("-", 1)[1]

    path.write_text(f'accounts:\n  - name: Ayşe Hanım\n    tc: "{TC}"\n    password: env:X\n    code: prompt\n'
                    f'  - name: Şube 2\n    tc: "{TC}"\n    password: env:Y\n    code: prompt\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'Ayşe Hanım' and 'Şube 2' have the same") as caught:
        load_accounts(path)
    assert TC not in str(caught.value)


def test_env_without_a_name_says_so(tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text(f'accounts:\n  - name: a\n    tc: "{TC}"\n    password: "env:"\n    code: prompt\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a name after it"):
        load_accounts(path)


def test_a_far_cell_hidden_behind_a_namespace_prefix_is_still_found(tmp_path):
    """The fast pass reads `<c r=…>`; a sheet that writes its cells otherwise is parsed exactly."""
    import zipfile

    plain = files.far_cell_xlsx(tmp_path)
    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(prefixed, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b'<c r="XFD1048576"')
                end = data.index(b"</c>", start) + len(b"</c>")
                cell = data[start:end].replace(b"<c ", b"<x:c ", 1).replace(b"</c>", b"</x:c>")
                data = data[:start] + cell + data[end:]
                data = data.replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/'
                                    b'spreadsheetml/2006/main" ', 1)
            out.writestr(member, data)
    with pytest.raises(SpreadsheetRejected, match="XFD1048576"):
        check_workbook(prefixed)


@pytest.mark.parametrize("typed", ["*Gizli2024", "!Gizli2024 x", "&Gizli2024 [", "@Gizli.2024"])
def test_a_password_yaml_reads_as_an_alias_a_tag_or_an_anchor_is_not_quoted_back(tmp_path, typed):
    path = tmp_path / "accounts.yaml"
    path.write_text(f'accounts:\n  - name: a\n    tc: "{TC}"\n    password: {typed}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_accounts(path)
    assert "Gizli" not in str(caught.value)
