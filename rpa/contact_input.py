"""Contact details to set per workplace, from CLI flags or a YAML/XLSX/CSV file with one row per sicil.

Validated with the portal's own rules ("Kurumsal İletişim ve İzin İşlemleri"), Turkish-aware: "istanbul",
"ISTANBUL" and "İstanbul" are the same province, written back in the official spelling.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from rpa.domain.geo import PROVINCES
from rpa.domain.identifiers import IdentifierError, normalize_sicil
from rpa.domain.text import tr_fold, tr_lower
from rpa.errors import ConfigError
from rpa.yaml_files import load_yaml

PHONE_ERROR = "Geçerli bir telefon numarası giriniz."
EMAIL_ERROR = "Geçerli bir e-posta adresi giriniz."
IL_ERROR = "İl seçiniz."
ILCE_ERROR = "İlçe seçiniz."
ADDRESS_MAX = 500
ADDRESS_ERROR = f"Adres en fazla {ADDRESS_MAX} karakter olabilir."
# The portal's rules: a Turkish number (area/operator code 2-5, 10 digits after +90 or 0) and an
# ASCII e-mail address.
_PHONE_DIGITS = re.compile(r"(?:\+?90|0)?([2-5]\d{9})")
_PHONE_DECORATION = re.compile(r"[\s\-().]")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_PROVINCE_BY_FOLD = {tr_fold(name): name for name in PROVINCES}
_YES = {"evet", "e", "yes", "y", "true", "1", "var"}
_NO = {"hayir", "h", "no", "n", "false", "0", "yok"}

# Column headers / YAML keys people use, folded (see rpa.domain.text.tr_fold), per field.
_ALIASES: dict[str, set[str]] = {
    "sicil": {"sicil", "sicil no", "sgk sicil no", "sgk sicil", "isyeri sicil no", "sgk isyeri sicil no"},
    "phone": {"telefon", "tel", "telefon no", "telefon numarasi", "phone"},
    "email": {"e posta", "eposta", "email", "e mail", "mail", "e posta adresi", "email address"},
    "address": {"adres", "address", "isyeri adresi"},
    "il": {"il", "sehir", "province", "city"},
    "ilce": {"ilce", "district"},
    "auto_update": {
        "auto update", "otomatik", "otomatik guncelleme", "calisma suresi otomatik",
        "isg profesyonelleri calisma sure guncellemesi otomatik yapilsin mi",
    },
}
_FIELD_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


class ContactInputError(ValueError):
    """The contact input is unusable; `problems` lists every one with its row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def normalize_phone(value: str) -> str:
    """"+90 (312) 123 45 67" -> "03121234567"; ValueError with the portal's message otherwise."""
    text = str(value).strip()
    text = text[:-2] if text.endswith(".0") else text  # a number that went through a float column
    text = _PHONE_DECORATION.sub("", text)
    match = _PHONE_DIGITS.fullmatch(text)
    if not match:
        raise ValueError(PHONE_ERROR)
    return "0" + match.group(1)


def canonical_province(value: str) -> str:
    """Official spelling of a province given in any case ("izmir" -> "İzmir"); ValueError otherwise."""
    name = _PROVINCE_BY_FOLD.get(tr_fold(str(value)))
    if name is None:
        raise ValueError(IL_ERROR)
    return name


def canonical_district(il: str, value: str) -> str:
    """Official spelling of a district of that province; ValueError if it is not one of its districts."""
    wanted = tr_fold(str(value))
    for district in PROVINCES.get(il, []):
        if tr_fold(district) == wanted:
            return district
    raise ValueError(ILCE_ERROR)


def parse_yes_no(value: object) -> bool:
    """EVET/HAYIR (any case, also yes/no, true/false, 1/0) as a bool."""
    if isinstance(value, bool):
        return value
    folded = tr_fold(str(value))
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError("EVET ya da HAYIR olmalı / must be EVET or HAYIR")


def same_text(a: str | None, b: str | None) -> bool:
    """Equal after collapsing spaces, ignoring Turkish case ("ATATÜRK CAD." equals "Atatürk Cad.")."""
    return tr_lower(" ".join((a or "").split())) == tr_lower(" ".join((b or "").split()))


class ContactRow(BaseModel):
    """What to set at one workplace; a field left None keeps the portal's current value."""

    sicil: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    il: str | None = None
    ilce: str | None = None
    auto_update: bool | None = None

    @field_validator("sicil", mode="before")
    @classmethod
    def _sicil(cls, value: object) -> str:
        return ALL_WORKPLACES if value == ALL_WORKPLACES else normalize_sicil(value)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> str | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a phone typed into a number cell: 2125554120.0
        return None if _blank(value) else normalize_phone(str(value))

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> str | None:
        if _blank(value):
            return None
        text = str(value).strip()
        if len(text) > 254 or not _EMAIL.fullmatch(text):
            raise ValueError(EMAIL_ERROR)
        return text

    @field_validator("address", mode="before")
    @classmethod
    def _address(cls, value: object) -> str | None:
        if _blank(value):
            return None
        text = " ".join(str(value).split())
        if len(text) > ADDRESS_MAX:
            raise ValueError(ADDRESS_ERROR)
        return text

    @field_validator("il", mode="before")
    @classmethod
    def _il(cls, value: object) -> str | None:
        return None if _blank(value) else canonical_province(str(value))

    @field_validator("ilce", mode="before")
    @classmethod
    def _ilce(cls, value: object) -> str | None:
        # Checked against its province in `_ilce_of_il` (the il may come from the portal's current values).
        return None if _blank(value) else " ".join(str(value).split())

    @field_validator("auto_update", mode="before")
    @classmethod
    def _auto(cls, value: object) -> bool | None:
        return None if _blank(value) else parse_yes_no(value)

    @model_validator(mode="after")
    def _ilce_of_il(self) -> ContactRow:
        # An ilçe given together with its il is checked and spelled officially at once.
        if self.il and self.ilce:
            self.ilce = canonical_district(self.il, self.ilce)
        return self

    def is_empty(self) -> bool:
        """True when the row asks for nothing."""
        return all(v is None for k, v in self.model_dump().items() if k != "sicil")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value  # NaN


def validate_values(phone: str, email: str, address: str, il: str, ilce: str) -> dict[str, str]:
    """Field -> the portal's error message, for complete values about to be submitted."""
    errors: dict[str, str] = {}
    checks = (("phone", normalize_phone, (phone,)), ("il", canonical_province, (il,)))
    for name, check, args in checks:
        try:
            check(*args)
        except ValueError as exc:
            errors[name] = str(exc)
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        errors["email"] = EMAIL_ERROR
    if len(address) > ADDRESS_MAX:
        errors["address"] = ADDRESS_ERROR
    if "il" not in errors:
        try:
            canonical_district(canonical_province(il), ilce)
        except ValueError as exc:
            errors["ilce"] = str(exc)
    return errors


ALL_WORKPLACES = "*"  # the sicil of a row meant for every workplace the account lists
EXPECTED_COLUMNS = {"sicil": "SGK Sicil No", "phone": "Telefon", "email": "E-Posta", "address": "Adres",
                    "il": "İl", "ilce": "İlçe", "auto_update": "Otomatik"}
FIELD_WORDS = {"sicil": "SGK Sicil No", "phone": "Telefon / phone", "email": "E-Posta / e-mail",
               "address": "Adres / address", "il": "İl / province", "ilce": "İlçe / district",
               "auto_update": "Otomatik / automatic update", "": "satır / row"}
COLUMN_HELP = {
    "sicil": ("26 haneli işyeri sicil numarası; hücre metin olmalı (sayı olarak son haneler kaybolur)",
              "the workplace's 26-digit SGK sicil; keep the cell as text (as a number it loses digits)"),
    "phone": ("Türkiye numarası, ör. 0312 123 45 67 (boş: portaldaki kalır)",
              "a Turkish number, e.g. 0312 123 45 67 (empty: keep the portal's)"),
    "email": ("e-posta adresi (boş: portaldaki kalır)", "e-mail address (empty: keep the portal's)"),
    "address": (f"en fazla {ADDRESS_MAX} karakter (boş: portaldaki kalır)",
                f"at most {ADDRESS_MAX} characters (empty: keep the portal's)"),
    "il": ("il adı, büyük/küçük harf fark etmez (boş: portaldaki kalır)",
           "province name, any case (empty: keep the portal's)"),
    "ilce": ("o ilin ilçesi (il değişirse ilçe de yazılmalı)",
             "a district of that province (give one when the province changes)"),
    "auto_update": ("EVET ya da HAYIR; boş bırakılırsa EVET",
                    "EVET or HAYIR; empty means EVET"),
}


class ContactProblem(BaseModel):
    """One row (or cell) that cannot be applied: where, which field, why in Turkish and English."""

    source: str
    row: int | None = None  # the row number the spreadsheet program shows (or the YAML entry's number)
    sicil: str | None = None
    field: str = ""
    value: str = ""
    message_tr: str
    message_en: str

    def __str__(self) -> str:
        where = self.source + (f", satır / row {self.row}" if self.row else "")
        return f"{where}, {FIELD_WORDS.get(self.field, self.field)}: {self.message_tr} / {self.message_en}"


class ContactSheet(BaseModel):
    """What a contact file asks: the valid rows, applied, and the bad ones, listed (never applied)."""

    rows: list[ContactRow]
    problems: list[ContactProblem] = []


def rows_from_records(records: Iterable[tuple[int, Mapping[str, Any]]], source: str,
                      *, default_auto_update: bool | None = True) -> ContactSheet:
    """Validate (row number, header -> value) records; a bad row is listed and the others go on.

    `default_auto_update`: what a row that says nothing about "Otomatik" asks (EVET, as the form should
    be; None leaves the portal's)."""
    sheet = ContactSheet(rows=[])
    seen: dict[str, int] = {}
    for number, record in records:
        fields = _map_headers(record)
        if all(_blank(v) for v in fields.values()):
            continue  # empty spreadsheet row
        if _blank(fields.get("auto_update")) and default_auto_update is not None:
            fields["auto_update"] = default_auto_update
        try:
            row = ContactRow(**fields)
        except ValidationError as exc:
            sicil = _sicil_or_none(fields.get("sicil"))
            for err in [*exc.errors(), *_district_error(fields, exc)]:
                field = str(err["loc"][0]) if err["loc"] else ""
                if not field and str((err.get("ctx") or {}).get("error")) == ILCE_ERROR:
                    field = "ilce"  # checked against its province once both are read
                tr, en = _explain(field, fields, err)
                sheet.problems.append(ContactProblem(source=source, row=number, sicil=sicil, field=field,
                                                     value=_shown(fields.get(field)), message_tr=tr, message_en=en))
            continue
        if row.sicil in seen:
            sheet.problems.append(ContactProblem(
                source=source, row=number, sicil=row.sicil, field="sicil",
                message_tr=f"bu işyeri {seen[row.sicil]}. satırda zaten var", message_en=f"this workplace is "
                f"already in row {seen[row.sicil]}"))
            continue
        seen[row.sicil] = number
        sheet.rows.append(row)
    if not sheet.rows and not sheet.problems:
        raise ContactInputError([f"{source}: sicil numarası olan satır yok / no rows with a sicil found"])
    return sheet


def _district_error(fields: Mapping[str, Any], exc: ValidationError) -> list[dict[str, Any]]:
    """The district checked against its province although another field failed (all problems at once)."""
    if any(err["loc"][:1] in {(), ("il",), ("ilce",)} for err in exc.errors()) or _blank(fields.get("ilce")) \
            or _blank(fields.get("il")):
        return []
    try:
        canonical_district(canonical_province(str(fields.get("il"))), str(fields.get("ilce")))
    except ValueError as error:
        return [{"loc": ("ilce",), "msg": str(error), "ctx": {"error": error}}]
    return []


def _sicil_or_none(value: object) -> str | None:
    try:
        return normalize_sicil(value) if not _blank(value) else None
    except ValueError:
        return None


def _shown(value: object) -> str:
    return "" if _blank(value) else " ".join(str(value).split())[:80]


def _explain(field: str, fields: Mapping[str, Any], err: Mapping[str, Any]) -> tuple[str, str]:
    """The reason a field was refused, about that field, in Turkish and English."""
    value = _shown(fields.get(field))
    cause = (err.get("ctx") or {}).get("error")
    if field == "sicil":
        if isinstance(cause, IdentifierError):
            return cause.message_tr, cause.message_en
        return "SGK Sicil No yok", "no SGK sicil"
    if field == "phone":
        return (f"'{value}' geçerli bir telefon numarası değil (ör. 0312 123 45 67)",
                f"'{value}' is not a valid Turkish phone number (e.g. 0312 123 45 67)")
    if field == "email":
        return f"'{value}' geçerli bir e-posta adresi değil", f"'{value}' is not a valid e-mail address"
    if field == "address":
        return (f"adres {len(str(fields.get(field)))} karakter, en fazla {ADDRESS_MAX} olabilir",
                f"the address has {len(str(fields.get(field)))} characters, at most {ADDRESS_MAX} are allowed")
    if field == "il":
        hint = _closest(value, list(PROVINCES))
        return (f"'{value}' Türkiye'nin illerinden biri değil{hint[0]}",
                f"'{value}' is not a province of Türkiye{hint[1]}")
    if field == "ilce":
        il = canonical_province(str(fields.get("il")))
        hint = _closest(value, PROVINCES.get(il, []))
        return (f"'{value}' {il} ilinin ilçelerinden biri değil{hint[0]}",
                f"'{value}' is not a district of {il}{hint[1]}")
    if field == "auto_update":
        return f"'{value}': EVET ya da HAYIR olmalı", f"'{value}': must be EVET or HAYIR"
    return _message(err), _message(err)


def _closest(value: str, choices: list[str]) -> tuple[str, str]:
    folded = {tr_fold(choice): choice for choice in choices}
    near = difflib.get_close_matches(tr_fold(value), list(folded), n=2, cutoff=0.7)
    if not near:
        return "", ""
    names = ", ".join(folded[n] for n in near)
    return f" (şunu mu demek istediniz: {names}?)", f" (did you mean {names}?)"


def _message(err: Mapping[str, Any]) -> str:
    ctx_error = (err.get("ctx") or {}).get("error")
    return str(ctx_error) if ctx_error else str(err["msg"])


def _map_headers(record: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for header, value in record.items():
        name = _FIELD_BY_ALIAS.get(tr_fold(str(header)))
        if name is not None:
            fields[name] = value
    return fields


def _unknown_columns(headers: Iterable[object], source: str) -> None:
    """Refuse a header no field has ("telfon"): silently ignoring it would leave the phone unset."""
    unknown = [str(h).strip() for h in headers if not _blank(h) and _FIELD_BY_ALIAS.get(tr_fold(str(h))) is None]
    if not unknown:
        return
    expected = ", ".join(EXPECTED_COLUMNS.values())
    problems = []
    for header in unknown:
        near = difflib.get_close_matches(tr_fold(header), list(_FIELD_BY_ALIAS), n=1, cutoff=0.6)
        guess = EXPECTED_COLUMNS[_FIELD_BY_ALIAS[near[0]]] if near else None
        problems.append(
            f"{source}: bilinmeyen sütun '{header}'" + (f" ('{guess}' mi?)" if guess else "")
            + f"; beklenen sütunlar: {expected} / unknown column '{header}'"
            + (f" (did you mean '{guess}'?)" if guess else "") + f"; expected columns: {expected}")
    raise ContactInputError(problems)


def read_contact_file(path: Path) -> ContactSheet:
    """Rows from `.yaml`/`.yml` (a list, or `workplaces:` list), `.csv`, `.xlsx`, `.xls` or `.ods`.

    ContactInputError when the file as a whole cannot be used (missing, unreadable, unknown columns,
    no header); a bad row is only listed in the sheet's problems."""
    if not path.is_file():
        raise ContactInputError([f"{path}: dosya bulunamadı / file not found"])
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        try:
            data = load_yaml(path, "İletişim dosyası / contact file")
        except ConfigError as exc:
            raise ContactInputError([str(exc)]) from None
        records = data.get("workplaces") if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ContactInputError([f"{path}: satır listesi bekleniyor / expected a list of rows "
                                     "(or `workplaces:` with a list)"])
        _unknown_columns({key for record in records for key in record}, path.name)
        return rows_from_records(enumerate(records, start=1), path.name)
    if suffix in {".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}:
        return rows_from_records(_table_records(path), path.name)
    raise ContactInputError([f"{path}: desteklenmeyen dosya türü / unsupported file type {suffix or '(none)'}; "
                             "yaml, csv, xlsx"])


def _table_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, header -> cell) for each row below the header of the first sheet that has one."""
    from rpa.roster.errors import RosterReadError
    from rpa.roster.sources import read_sheets

    try:
        # The roster's reader: the hostile-file guard, encodings and delimiters, real row numbers, and
        # cells as typed (a sicil stored as a number is a float, and says so).
        sheets = read_sheets(path)
    except RosterReadError as exc:
        raise ContactInputError([f"{exc.message_tr} / {exc.message_en}"]) from None
    for sheet in sheets:
        # The header is the first row (of the first ten) naming a sicil column: title rows may sit above it.
        for index, cells in enumerate(sheet.rows[:10]):
            headers = [_header_text(v) for v in cells]
            if any(_FIELD_BY_ALIAS.get(tr_fold(h)) == "sicil" for h in headers):
                _unknown_columns(headers, path.name)
                return [(sheet.first_row + index + 1 + offset, dict(zip(headers, row, strict=False)))
                        for offset, row in enumerate(sheet.rows[index + 1:])]
    raise ContactInputError([f"{path.name}: 'SGK Sicil No' sütunu olan başlık satırı yok / no header row with an "
                             "'SGK Sicil No' column"])


def _header_text(value: object) -> str:
    return "" if _blank(value) else " ".join(str(value).split())


def rows_from_flags(sicils: list[str], **values: Any) -> ContactSheet:
    """The same values for every `--workplace` named on the command line (none: every workplace)."""
    records = [{"sicil": s, **{k: v for k, v in values.items() if v is not None}}
               for s in (sicils or [ALL_WORKPLACES])]
    return rows_from_records(enumerate(records, start=1), "komut satırı / command line",
                             default_auto_update=None)


def write_template(path: Path) -> Path:
    """A blank contact sheet: the columns, a help sheet that explains each, sicil cells kept as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from rpa.xlsx import put

    book = Workbook()
    sheet = book.active
    sheet.title = "İletişim"
    for column, (field, title) in enumerate(EXPECTED_COLUMNS.items(), start=1):
        put(sheet, 1, column, title)
        sheet.cell(1, column).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 30 if field == "sicil" else 20
    for row in range(2, 1002):
        sheet.cell(row, 1).number_format = "@"  # text: a 26-digit sicil typed here keeps its digits
    choice = DataValidation(type="list", formula1='"EVET,HAYIR"', allow_blank=True)
    sheet.add_data_validation(choice)
    choice.add("G2:G1001")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Açıklama - help")
    for row, values in enumerate([("Sütun / column", "Açıklama", "Explanation"),
                                  *((EXPECTED_COLUMNS[f], *COLUMN_HELP[f]) for f in EXPECTED_COLUMNS)], start=1):
        for column, value in enumerate(values, start=1):
            put(notes, row, column, value)
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 16, 70
    notes.column_dimensions["C"].width = 70
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
