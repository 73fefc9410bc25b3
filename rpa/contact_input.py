"""Contact details to set per workplace, from CLI flags or a YAML/XLSX/CSV file with one row per sicil.

Validated with the portal's own rules ("Kurumsal İletişim ve İzin İşlemleri"), Turkish-aware: "istanbul",
"ISTANBUL" and "İstanbul" are the same province, written back in the official spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from rpa.domain.geo import PROVINCES
from rpa.domain.identifiers import normalize_sicil
from rpa.domain.text import tr_fold, tr_lower
from rpa.errors import ConfigError
from rpa.xlsx import SpreadsheetRejected, check_workbook
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
    text = _PHONE_DECORATION.sub("", str(value).strip())
    text = text[:-2] if text.endswith(".0") else text  # a number that went through a float column
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
        return normalize_sicil(value)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> str | None:
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


def rows_from_records(records: Iterable[Mapping[str, Any]], source: str) -> list[ContactRow]:
    """Validate raw records (header -> value); every problem is reported with its row number."""
    rows: list[ContactRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        fields = _map_headers(record)
        if all(_blank(v) for v in fields.values()):
            continue  # empty spreadsheet row
        try:
            row = ContactRow(**fields)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "row"
                problems.append(f"{source} row {number} ({where}): {_message(err)}")
            continue
        if row.sicil in seen:
            problems.append(f"{source} row {number}: sicil {row.sicil} is already in row {seen[row.sicil]}")
            continue
        seen[row.sicil] = number
        rows.append(row)
    if problems:
        raise ContactInputError(problems)
    if not rows:
        raise ContactInputError([f"{source}: no rows with a sicil found"])
    return rows


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


def read_contact_file(path: Path) -> list[ContactRow]:
    """Rows from `.yaml`/`.yml` (a list, or `workplaces:` list), `.csv`, `.xlsx`, `.xls` or `.ods`."""
    if not path.is_file():
        raise ContactInputError([f"{path}: file not found"])
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        try:
            data = load_yaml(path, "İletişim dosyası / contact file")
        except ConfigError as exc:
            raise ContactInputError([str(exc)]) from None
        records = data.get("workplaces") if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ContactInputError([f"{path}: expected a list of rows (or `workplaces:` with a list)"])
        return rows_from_records(records, path.name)
    if suffix in {".csv", ".xlsx", ".xls", ".ods"}:
        return rows_from_records(_table_records(path), path.name)
    raise ContactInputError([f"{path}: unsupported file type {suffix or '(none)'}; use yaml, csv or xlsx"])


def _table_records(path: Path) -> list[dict[str, Any]]:
    import pandas as pd  # lazily: pandas takes a second to import

    if path.suffix.lower() == ".csv":
        raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, sep=None, engine="python")
    else:
        try:
            check_workbook(path)  # before calamine builds any grid: a hostile file must not kill the process
        except SpreadsheetRejected as exc:
            raise ContactInputError([str(exc)]) from None
        raw = pd.read_excel(path, header=None, dtype=str, keep_default_na=False, engine="calamine")
    # The header is the first row (of the first ten) naming a sicil column: title rows may sit above it.
    for index in range(min(10, len(raw))):
        headers = [str(v) for v in raw.iloc[index].tolist()]
        if any(_FIELD_BY_ALIAS.get(tr_fold(h)) == "sicil" for h in headers):
            body = raw.iloc[index + 1 :]
            return [dict(zip(headers, row, strict=False)) for row in body.itertuples(index=False)]
    raise ContactInputError([f"{path.name}: no header row with an 'SGK Sicil No' column"])


def rows_from_flags(sicils: list[str], **values: Any) -> list[ContactRow]:
    """The same values for every `--workplace` named on the command line."""
    if not sicils:
        raise ContactInputError(["name the workplaces with --workplace SICIL (or give --file)"])
    records = [{"sicil": s, **{k: v for k, v in values.items() if v is not None}} for s in sicils]
    return rows_from_records(records, "command line")
