"""Adding, changing and removing accounts in accounts.yaml, keeping the file's comments and order.

The password never goes into the file: it goes to the OS keyring where one is usable, else to the
encrypted store in the state dir (`rpa.secret_store`), and the file gets the reference.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from rpa.accounts import NAME_PATTERN, load_accounts, parse_account
from rpa.domain.identifiers import IdentifierError, is_valid_tc, normalize_tc
from rpa.errors import ConfigError
from rpa.secret_store import forget_password, keep_password
from rpa.secrets import CodeSource
from rpa.settings import Settings

HEADER = ("# e-Devlet users whose workplaces we serve (katip console writes here, keeping comments).\n"
          "# password: never the password itself: keyring:SERVICE, store (encrypted), env:VARIABLE or prompt\n")


def _yaml():  # noqa: ANN202 - ruamel's YAML, imported lazily
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(path: Path) -> Any:
    yaml = _yaml()
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER + "accounts: []\n"
    data = yaml.load(text)
    if data is None or "accounts" not in data:
        raise ConfigError(f"{path}: expected a list under 'accounts:'.")
    if data["accounts"] is None:
        data["accounts"] = []
    return data


def _save(path: Path, data: Any) -> None:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    for entry in data["accounts"]:
        if "tc" in entry and not isinstance(entry["tc"], DoubleQuotedScalarString):
            entry["tc"] = DoubleQuotedScalarString(str(entry["tc"]))
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    text = buffer.getvalue().replace("accounts:\n[]", "accounts: []")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def check_fields(name: str, tc: str, code: str) -> str:
    """The TC as 11 digits; ConfigError (Turkish / English) for a bad name, TC or code source."""
    if not NAME_PATTERN.match(name or ""):
        raise ConfigError("Ad / name: harf (Türkçe de), rakam, '.', '_' veya '-' (en çok 64) / letters (Turkish too), "
                          "digits, '.', '_', '-'")
    try:
        number = normalize_tc(tc)
    except IdentifierError as exc:
        raise ConfigError(f"T.C. Kimlik No: {exc.message_tr} / {exc.message_en}") from None
    if not is_valid_tc(number):
        raise ConfigError("T.C. Kimlik No geçersiz (kontrol haneleri tutmuyor) / "
                          "not a valid T.C. Kimlik No (check digits)")
    CodeSource.parse(code, "Doğrulama kodu / code")
    return number


def add_account(settings: Settings, name: str, tc: str, password: str | None, code: str = "prompt",
                use_keyring: bool | None = None) -> None:
    """Append an account; its password (if given) to the keyring or the encrypted store."""
    number = check_fields(name, tc, code)
    path = settings.accounts_file
    data = _load(path)
    if any(entry.get("name") == name for entry in data["accounts"]):
        raise ConfigError(f"'{name}' adında bir hesap zaten var / an account named '{name}' exists already")
    ref = keep_password(settings.private_state_dir(), name, password, use_keyring) if password else "prompt"
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap([("name", name), ("tc", number), ("password", ref), ("code", code)])
    data["accounts"].append(entry)
    _check_and_save(path, data)


def edit_account(settings: Settings, name: str, tc: str | None = None, password: str | None = None,
                 code: str | None = None, use_keyring: bool | None = None) -> None:
    """Change an account's TC, password or code source (what is None stays)."""
    path = settings.accounts_file
    data = _load(path)
    entry = next((e for e in data["accounts"] if e.get("name") == name), None)
    if entry is None:
        raise ConfigError(f"'{name}' adında hesap yok / no account named '{name}'")
    number = check_fields(name, tc or str(entry.get("tc", "")), code or str(entry.get("code", "prompt")))
    entry["tc"] = number
    if code:
        entry["code"] = code
    if password:
        entry["password"] = keep_password(settings.private_state_dir(), name, password, use_keyring)
    _check_and_save(path, data)


def remove_account(settings: Settings, name: str) -> None:
    """Remove an account, its kept password and its saved session."""
    path = settings.accounts_file
    data = _load(path)
    kept = [e for e in data["accounts"] if e.get("name") != name]
    if len(kept) == len(data["accounts"]):
        raise ConfigError(f"'{name}' adında hesap yok / no account named '{name}'")
    for index in reversed(range(len(data["accounts"]))):
        if data["accounts"][index].get("name") == name:
            del data["accounts"][index]
    state = settings.private_state_dir()
    _save(path, data)
    forget_password(state, name)
    for suffix in (".json", ".blocked.json"):
        (state / "sessions" / f"{name}{suffix}").unlink(missing_ok=True)


def _check_and_save(path: Path, data: Any) -> None:
    for i, entry in enumerate(data["accounts"]):
        parse_account(dict(entry), f"{path}: account #{i + 1}")
    _save(path, data)
    load_accounts(path)


IMPORT_COLUMNS = {"name": ("ad", "hesap", "hesap adı", "name", "account"),
                  "tc": ("tc", "tc kimlik no", "t.c. kimlik no", "tckn"),
                  "password": ("şifre", "sifre", "e-devlet şifresi", "password"),
                  "code": ("kod", "doğrulama kodu", "code")}


def _column_of(header: str) -> str | None:
    from rpa.domain.text import tr_fold as fold

    folded = fold(header)
    return next((field for field, names in IMPORT_COLUMNS.items() if folded in {fold(n) for n in names}), None)


def import_accounts(settings: Settings, workbook: Path, use_keyring: bool | None = None) -> tuple[list[str], list[str]]:
    """Add every row of an XLSX (Ad, TC Kimlik No, Şifre, Kod): (names added, one problem per refused row)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(workbook, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, or a damaged one
        raise ConfigError(f"{workbook.name}: XLSX okunamadı / not a readable XLSX ({type(exc).__name__})") from None
    try:
        rows = list(book.active.iter_rows(values_only=True)) if book.active is not None else []
    finally:
        book.close()
    if not rows:
        raise ConfigError(f"{workbook.name}: boş / empty")
    fields = [_column_of(str(cell or "")) for cell in rows[0]]
    if "name" not in fields or "tc" not in fields:
        raise ConfigError(f"{workbook.name}: 'Ad' ve 'TC Kimlik No' sütunları gerekli / the columns 'Ad' (name) "
                          "and 'TC Kimlik No' are needed")
    added, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        values = {field: ("" if cell is None else str(cell).strip()) for field, cell in zip(fields, row, strict=False)
                  if field}
        if not any(values.values()):
            continue
        try:
            add_account(settings, values.get("name", ""), values.get("tc", ""), values.get("password") or None,
                        values.get("code") or "prompt", use_keyring)
            added.append(values["name"])
        except ConfigError as error:
            problems.append(f"satır / row {number}: {error}")
    return added, problems
