"""Hard roster spreadsheets, generated, each with what reading it must give.

Every builder writes one file under a directory and returns a Case: the rows it holds, which of them are
rejected (sheet, row as the spreadsheet program shows it, column, a fragment of the English reason) and the
active/left count per workplace on TODAY.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from rpa.domain.identifiers import generate_sicil, generate_tc

TODAY = dt.date(2024, 6, 1)
_rng = random.Random(20240601)
SICIL_A = generate_sicil(_rng, il_code=34)
SICIL_B = generate_sicil(_rng, il_code=6)
SICIL_C = generate_sicil(_rng, il_code=35)
TCS = [generate_tc(_rng) for _ in range(60)]


def spaced(sicil: str) -> str:
    """A sicil as people type it: "2 4110 01 01 1234567 034 01 23 000"."""
    cuts = (1, 5, 7, 9, 16, 19, 21, 23)
    parts, start = [], 0
    for cut in (*cuts, 26):
        parts.append(sicil[start:cut])
        start = cut
    return " ".join(parts)


def bad_checksum(tc: str) -> str:
    """The same number with its last digit off by one."""
    return tc[:-1] + str((int(tc[-1]) + 1) % 10)


@dataclass
class Case:
    """A generated file and the outcome reading it must have."""

    path: Path
    rows_total: int
    rejected: list[tuple[str, int, str, str]] = field(default_factory=list)
    workplaces: dict[str, tuple[int, int]] = field(default_factory=dict)
    error_kind: str | None = None
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        """Rows that must be accepted."""
        return self.rows_total - len(self.rejected)


def _save(workbook: openpyxl.Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def one_sheet_with_sicil_column(directory: Path) -> Case:
    """Title rows, an empty row, a sicil column for two workplaces, every shape of TC and date."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personel Listesi"
    ws["A1"] = "ÖRNEK OSGB MÜŞTERİ PERSONEL LİSTESİ"
    ws["A2"] = "Hazırlayan: İK"
    ws.append([])
    ws.append(
        [
            "Sıra No",
            "SGK Sicil No",
            "T.C. KİMLİK NO",
            "ADI SOYADI",
            None,
            "İşe Giriş Tarihi",
            "Çıkış Tarihi",
            "Departman",
        ]
    )
    rows = [
        [1, SICIL_A, int(TCS[0]), "  Ayşe Yılmaz ", None, dt.date(2019, 3, 1), None, "Muhasebe"],
        [2, spaced(SICIL_A), float(TCS[1]), "İsmail Işık", None, "05.01.2020", None, "Üretim"],
        [3, SICIL_A, f"{TCS[2]}.0", "Çağla Öztürk", None, "05/02/2021", "31.12.2023", "Üretim"],
        [4, SICIL_A, f"{TCS[3][:3]} {TCS[3][3:6]} {TCS[3][6:]}", "Ömer Şahin", None, "2022-07-15", None, ""],
        [
            5,
            SICIL_B,
            f"{TCS[4][:3]}.{TCS[4][3:6]}.{TCS[4][6:9]}.{TCS[4][9:]}",
            "Gül Ünal",
            None,
            43831,
            None,
            "",
        ],
        [
            6,
            SICIL_B,
            f"{TCS[5][0]}.{TCS[5][1:]}E10",
            "Deniz Ak",
            None,
            dt.datetime(2018, 5, 2, 0, 0),
            None,
            "",
        ],
        [
            7,
            SICIL_B,
            TCS[6],
            "Zeynep Kaya",
            None,
            "01.01.2015",
            "30.09.2024",
            "Satış",
        ],  # leaves in the future
    ]
    for row in rows[:4]:
        ws.append(row)
    ws.append([])  # an empty row in the middle
    for row in rows[4:]:
        ws.append(row)
    ws.append([None] * 8)
    return Case(
        _save(wb, directory / "tek-sayfa.xlsx"),
        rows_total=7,
        workplaces={SICIL_A: (3, 1), SICIL_B: (3, 0)},
        ignored_columns=["Sıra No", "Departman"],
    )


def sheet_per_workplace_named_by_sicil(directory: Path) -> Case:
    """One sheet per workplace, each named by its sicil (one typed with spaces); separate name columns."""
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = SICIL_A
    first.append(["TC Kimlik No", "Adı", "Soyadı", "Giriş Tarihi", "İşten Ayrılış Tarihi"])
    first.append([TCS[10], "Ali", "Veli", "01.02.2020", None])
    first.append([TCS[11], "Fatma", "Demir", "01.02.2020", "15.05.2024"])
    second = wb.create_sheet(spaced(SICIL_B)[:31])
    second.append(["TCKN", "Ad Soyad", "İşe Başlama Tarihi"])
    second.append([TCS[12], "Hasan Çelik", "10.10.2010"])
    # The sheet name is cut at 31 characters by Excel: a spaced sicil does not fit, so it is written above.
    second.insert_rows(1)
    second["A1"] = f"İşyeri: {spaced(SICIL_B)}"
    return Case(
        _save(wb, directory / "sayfa-basina-isyeri.xlsx"),
        rows_total=3,
        workplaces={SICIL_A: (1, 1), SICIL_B: (1, 0)},
    )


def sicil_above_header_with_offset(directory: Path) -> Case:
    """Table starts at C5 (empty rows and columns before it), the sicil in a title cell above."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Şube"
    ws["C2"] = "SGK İşyeri Sicil No:"
    ws["D2"] = spaced(SICIL_C).replace(" ", "-")
    ws["C5"], ws["D5"], ws["E5"] = "Tc Kimlik No", "Ad Soyad", "Ise Giris Tarihi"
    ws["C6"], ws["D6"], ws["E6"] = TCS[20], "Kemal Sunal", "01.01.2001"
    ws["C8"], ws["D8"], ws["E8"] = bad_checksum(TCS[21]), "Adile Naşit", "01.01.2001"
    return Case(
        _save(wb, directory / "baslikta-sicil.xlsx"),
        rows_total=2,
        rejected=[("Şube", 8, "Tc Kimlik No", "check digits")],
        workplaces={SICIL_C: (1, 0)},
    )


def merged_header_cells(directory: Path) -> Case:
    """Two-row header: "Tarihler" merged over Giriş/Çıkış; TC and name merged down; name over two columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Liste"
    ws["A1"] = "Personel"
    ws.merge_cells("A1:F1")
    ws["A2"], ws["B2"], ws["D2"] = "T.C. Kimlik No", "Adı Soyadı", "Tarihler"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:C3")
    ws.merge_cells("D2:E2")
    ws["D3"], ws["E3"] = "Giriş", "Çıkış"
    ws["F2"] = "Not"
    ws.append([TCS[30], "Mehmet", "Öz", "01.03.2022", None, ""])
    ws.append([TCS[31], "Elif", "Kara", "01.03.2022", "01.04.2023", "ayrıldı"])
    return Case(
        _save(wb, directory / f"birlesik-baslik-{SICIL_A}.xlsx"),
        rows_total=2,
        workplaces={SICIL_A: (1, 1)},
        ignored_columns=["Not"],
    )


def invalid_values(directory: Path) -> Case:
    """Each row breaks one rule; every one must be rejected with its cell and reason."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hatalar"
    ws.append(["SGK Sicil No", "TC Kimlik No", "Ad Soyad", "İşe Giriş Tarihi", "Çıkış Tarihi"])
    ws.append([SICIL_A, TCS[40], "Doğru Kişi", "01.01.2020", None])  # row 2: fine
    ws.append([SICIL_A, bad_checksum(TCS[41]), "Yanlış Hane", "01.01.2020", None])  # 3
    ws.append([SICIL_A, TCS[42][:10], "Eksik Hane", "01.01.2020", None])  # 4
    ws.append([SICIL_A, "12345abc901", "Harfli", "01.01.2020", None])  # 5
    ws.append([SICIL_A, None, "TC Yok", "01.01.2020", None])  # 6
    ws.append([SICIL_A, TCS[43], "Şubat Otuzu", "30.02.2023", None])  # 7
    ws.append([SICIL_A, TCS[44], "Geç Çıkış", "01.06.2023", "01.05.2023"])  # 8
    ws.append([SICIL_A, TCS[45], "Uzak Gelecek", "01.01.2099", None])  # 9
    ws.append([SICIL_A[:-1], TCS[46], "Kısa Sicil", "01.01.2020", None])  # 10
    ws.append([SICIL_A, TCS[47], "Tarih Değil", "yarın", None])  # 11
    ws.append([SICIL_A, f"0{TCS[48][1:]}", "Sıfırla Başlar", "01.01.2020", None])  # 12
    return Case(
        _save(wb, directory / "hatali.xlsx"),
        rows_total=11,
        rejected=[
            ("Hatalar", 3, "TC Kimlik No", "check digits"),
            ("Hatalar", 4, "TC Kimlik No", "11 digits (has 10)"),
            ("Hatalar", 5, "TC Kimlik No", "digits only"),
            ("Hatalar", 6, "TC Kimlik No", "empty"),
            ("Hatalar", 7, "İşe Giriş Tarihi", "date not understood"),
            ("Hatalar", 8, "Çıkış Tarihi", "before the hire date"),
            ("Hatalar", 9, "İşe Giriş Tarihi", "plausible range"),
            ("Hatalar", 10, "SGK Sicil No", "26 digits"),
            ("Hatalar", 11, "İşe Giriş Tarihi", "date not understood"),
            ("Hatalar", 12, "TC Kimlik No", "check digits"),
        ],
        workplaces={SICIL_A: (1, 0)},
    )


def duplicates(directory: Path) -> Case:
    """Agreeing duplicates merge (even across sheets), conflicting ones are rejected together."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ocak"
    ws.append(["SGK Sicil No", "TC Kimlik No", "Adı Soyadı", "İşe Giriş Tarihi", "Çıkış Tarihi"])
    ws.append([SICIL_A, TCS[50], "Serkan Işıklı", "01.01.2020", None])  # 2: merged with 3 and Şubat!2
    ws.append([SICIL_A, int(TCS[50]), "SERKAN IŞIKLI", dt.date(2020, 1, 1), None])  # 3
    ws.append([SICIL_A, TCS[51], "Burcu Tan", "01.01.2021", None])  # 4: conflicts with 5
    ws.append([SICIL_A, TCS[51], "Burcu Tan", "01.02.2021", None])  # 5
    ws.append([SICIL_A, TCS[52], "Can Er", "01.01.2018", "31.12.2019"])  # 6: left, then hired again (7)
    ws.append([SICIL_A, TCS[52], "Can Er", "01.03.2022", None])  # 7
    ws.append(
        [SICIL_B, TCS[50], "Serkan Işıklı", "01.01.2019", None]
    )  # 8: another workplace: not a duplicate
    second = wb.create_sheet("Şubat")
    second.append(["SGK Sicil No", "TC Kimlik No", "Adı Soyadı", "İşe Giriş Tarihi", "Çıkış Tarihi"])
    second.append([SICIL_A, TCS[50], "Serkan  Işıklı", "01.01.2020", None])  # 2
    return Case(
        _save(wb, directory / "tekrarlar.xlsx"),
        rows_total=8,
        rejected=[("Ocak", 4, "TC Kimlik No", "conflicts with row 5"), ("Ocak", 5, "TC Kimlik No", "row 4")],
        workplaces={SICIL_A: (2, 0), SICIL_B: (1, 0)},
    )


def _csv_text(rows: list[list[object]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def csv_turkish_excel(directory: Path) -> Case:
    """What Turkish Excel writes: Windows-1254, ';' separators, a title line, dd.mm.yyyy dates."""
    rows = [
        ["Personel Listesi - Şubat 2024"],
        [],
        ["İşyeri Sicil No", "TC Kimlik No", "Adı Soyadı", "İşe Giriş Tarihi", "İşten Çıkış Tarihi", "Ücret"],
        [SICIL_A, TCS[1], "Işıl Ağaoğlu", "01.02.2024", "", "25.000,50"],
        [SICIL_A, TCS[2], "Şükrü Çığ", "1.3.2019", "29.02.2024", "30.000,00"],
        [SICIL_A, bad_checksum(TCS[3]), "İlkay Gökçe", "15.06.2020", "", "1,5"],
    ]
    path = directory / "turkce-excel.csv"
    path.write_bytes(_csv_text(rows, ";").encode("cp1254"))
    return Case(
        path,
        rows_total=3,
        rejected=[("turkce-excel", 6, "TC Kimlik No", "check digits")],
        workplaces={SICIL_A: (1, 1)},
        ignored_columns=["Ücret"],
    )


def csv_utf8_bom_comma(directory: Path) -> Case:
    """UTF-8 with a BOM, ',' separators, ISO dates; the sicil comes from --workplace / default."""
    rows = [
        ["tc_kimlik_no", "ad_soyad", "ise_giris_tarihi", "cikis_tarihi"],
        [TCS[5], "Ğ. Üzüm", "2020-01-31", ""],
    ]
    path = directory / "utf8-bom.csv"
    path.write_bytes(_csv_text(rows, ",").encode("utf-8-sig"))
    return Case(path, rows_total=1, rejected=[("utf8-bom", 2, "SGK Sicil No", "no workplace sicil")])


def csv_utf8_tabs_sicil_in_name(directory: Path) -> Case:
    """UTF-8 without a BOM, tab separators, the sicil in the file name."""
    rows = [["TC", "İsim Soyisim", "Giriş"], [TCS[6], "Çiğdem İnce", "03/04/2017"]]
    path = directory / f"personel-{SICIL_B}.csv"
    path.write_text(_csv_text(rows, "\t"), encoding="utf-8")
    return Case(path, rows_total=1, workplaces={SICIL_B: (1, 0)})


def legacy_xls(directory: Path) -> Case:
    """An old .xls: numeric TC cells and date-formatted cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sayfa1")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    sheet.write(0, 0, f"SGK Sicil: {SICIL_C}")
    for col, text in enumerate(["TC KİMLİK NO", "ADI SOYADI", "İŞE GİRİŞ TARİHİ", "ÇIKIŞ TARİHİ"]):
        sheet.write(2, col, text)
    sheet.write(3, 0, int(TCS[7]))
    sheet.write(3, 1, "Yusuf Kılıç")
    sheet.write(3, 2, dt.datetime(2016, 4, 1), date_style)
    sheet.write(4, 0, int(TCS[8]))
    sheet.write(4, 1, "Nur Acar")
    sheet.write(4, 2, dt.datetime(2016, 4, 1), date_style)
    sheet.write(4, 3, dt.datetime(2020, 4, 1), date_style)
    path = directory / "eski.xls"
    book.save(str(path))
    return Case(path, rows_total=2, workplaces={SICIL_C: (1, 1)})


def open_document(directory: Path) -> Case:
    """An .ods from LibreOffice, with a title row."""
    import pandas as pd

    path = directory / "libreoffice.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([[f"Sicil {spaced(SICIL_B)}"]]).to_excel(
            writer, sheet_name="Liste", header=False, index=False
        )
        table = pd.DataFrame(
            {
                "T.C. No": [TCS[9], TCS[13]],
                "Adı Soyadı": ["Rıza Tan", "Oya Baş"],
                "İşe Giriş Tarihi": ["01.09.2021", "12.12.2012"],
            }
        )
        table.to_excel(writer, sheet_name="Liste", startrow=2, index=False)
    return Case(path, rows_total=2, workplaces={SICIL_B: (2, 0)})


def with_notes_sheet(directory: Path) -> Case:
    """A roster sheet plus an explanations sheet without a header: the second is skipped, not an error."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personel"
    ws.append(["SGK Sicil No", "TC Kimlik No", "Ad Soyad"])
    ws.append([SICIL_C, TCS[14], "Sena Er"])
    notes = wb.create_sheet("Açıklamalar")
    notes.append(["Bu dosya her ay güncellenir."])
    return Case(_save(wb, directory / "aciklamali.xlsx"), rows_total=1, workplaces={SICIL_C: (1, 0)})


def password_protected(directory: Path) -> Case:
    """An .xlsx saved with a password (an encrypted OLE container)."""
    import msoffcrypto

    plain = one_sheet_with_sicil_column(directory).path
    encrypted = directory / "parolali.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        office = msoffcrypto.OfficeFile(source)
        office.encrypt("gizli", target)
    return Case(encrypted, rows_total=0, error_kind="password")


def no_header(directory: Path) -> Case:
    """No TC column anywhere: the file cannot be read, and the headers it has are named."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Personel No", "Bölüm", "Görev"])
    ws.append([1, "Üretim", "Operatör"])
    return Case(_save(wb, directory / "basliksiz.xlsx"), rows_total=0, error_kind="no_header")


ALL_CASES: list[Callable[[Path], Case]] = [
    one_sheet_with_sicil_column,
    sheet_per_workplace_named_by_sicil,
    sicil_above_header_with_offset,
    merged_header_cells,
    invalid_values,
    duplicates,
    csv_turkish_excel,
    csv_utf8_bom_comma,
    csv_utf8_tabs_sicil_in_name,
    legacy_xls,
    open_document,
    with_notes_sheet,
    password_protected,
    no_header,
]
