"""The hostile and broken files of issue 15, built on demand (a 3 MB bomb does not belong in git).

Each builder writes one file into `folder` and returns its path.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

LEAKED_PASSWORD = "@Gizli.2024"


def far_cell_xlsx(folder: Path) -> Path:
    """4.7 KB: a header and one value at XFD1048576, the last cell a sheet has."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["XFD1048576"] = "TC Kimlik No", "Ad Soyad", "x"
    path = folder / "far-cell.xlsx"
    book.save(path)
    return path


def whitespace_bomb_xlsx(folder: Path, megabytes: int = 3000) -> Path:
    """About 3 MB on disk, 3 GB of whitespace in its sheet once inflated."""
    plain = folder / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "TC Kimlik No"
    book.save(plain)
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename != "xl/worksheets/sheet1.xml":
                out.writestr(member, data)
                continue
            cut = data.index(b"<sheetData")
            with out.open(member.filename, "w", force_zip64=True) as stream:
                stream.write(data[:cut])
                blank = b" " * (1 << 20)
                for _ in range(megabytes):
                    stream.write(blank)
                stream.write(data[cut:])
    plain.unlink()
    return path


def text_named_xlsx(folder: Path) -> Path:
    path = folder / "liste.xlsx"
    path.write_text("TC Kimlik No;Ad Soyad\n", encoding="utf-8")
    return path


def empty_xlsx(folder: Path) -> Path:
    path = folder / "bos.xlsx"
    path.write_bytes(b"")
    return path


def utf16_csv(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    """Excel's "Unicode Text": UTF-16 with a BOM, tab-separated."""
    path = folder / "unicode.csv"
    lines = ["TC Kimlik No\tAd Soyad\tİşe Giriş Tarihi", *("\t".join(row) for row in rows)]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def accounts_with_a_password_in_yaml(folder: Path, tc: str) -> Path:
    """A password typed straight into the file, where YAML cannot even parse it."""
    path = folder / "accounts.yaml"
    path.write_text(f'accounts:\n  - name: firma\n    tc: "{tc}"\n    password: {LEAKED_PASSWORD}\n    code: prompt\n',
                    encoding="utf-8")
    return path


def binary_accounts(folder: Path) -> Path:
    path = folder / "accounts.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path
