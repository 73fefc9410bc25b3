"""accounts.yaml: the e-Devlet users whose workplaces we serve, with references to their secrets.

    accounts:
      - name: demo-firma                    # our name for this e-Devlet user
        tc: "12345678950"                   # e-Devlet T.C. Kimlik No
        password: env:KATIP_DEMO_PASSWORD   # or keyring:<service>, or prompt
        code: mock                          # or prompt, or command:<shell command printing the code>

`keyring:<service>` looks the password up under that service with the account's *name* as the user
name (`keyring set <service> demo-firma`), so the TC number stays out of shell histories.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rpa.domain.identifiers import IdentifierError, is_valid_tc, mask_tc, normalize_tc
from rpa.errors import ConfigError
from rpa.secrets import CodeSource, SecretRef
from rpa.settings import is_loopback_url
from rpa.yaml_files import load_yaml

# Names are what the clerk calls the employer ("Ayşe Hanım", "Kadıköy Şube"): letters of any alphabet,
# digits, spaces and . _ - ' &. The saved session's file is named by `Account.file_key`, not the name.
NAME_PATTERN = re.compile(r"^[^\W_][\w .'&-]{0,63}$")
_FILE_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜâîûÂÎÛ", "cgiosuCGIOSUaiuAIU")


class Account(BaseModel):
    """One e-Devlet user; `password` and `code` say where the secrets come from, never what they are."""

    model_config = ConfigDict(frozen=True)

    name: str
    tc: str = Field(repr=False)
    password: SecretRef
    code: CodeSource

    @property
    def file_key(self) -> str:
        """The name as a file name: itself when it is plain ASCII (sessions saved before keep working),
        else an ASCII form plus a short hash, so "Ayşe" and "Ayse" never share a session file."""
        if _FILE_SAFE.match(self.name):
            return self.name
        plain = re.sub(r"[^A-Za-z0-9._-]+", "-", self.name.translate(_ASCII)).strip("-.")[:48] or "hesap"
        return f"{plain}-{hashlib.sha256(self.name.encode()).hexdigest()[:8]}"

    @property
    def masked_tc(self) -> str:
        """The TC number as logs may show it."""
        return mask_tc(self.tc)

    def __repr_args__(self):  # noqa: ANN204 - pydantic's own signature
        yield "name", self.name
        yield "tc", self.masked_tc
        yield "password", str(self.password)
        yield "code", str(self.code)

    def unattended_blocker(self, state_dir: Path | None = None) -> str | None:
        """Why this account cannot log in without a person, or None if it can."""
        if not self.code.unattended:
            return "its code is 'prompt'"
        _, reason = self.password.lookup(self.name, state_dir)
        return reason or None


def load_accounts(path: Path, portal_url: str | None = None) -> list[Account]:
    """Read and check accounts.yaml; with `portal_url`, also refuse `code: mock` for a non-local portal."""
    if not Path(path).exists():
        raise ConfigError(f"Hesap dosyası yok / no accounts file at {path}: oluşturun (README) ya da --accounts "
                          "verin / create it (see README) or pass --accounts.")
    raw = load_yaml(Path(path), "Hesap dosyası / accounts file")
    entries = raw.get("accounts") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: 'accounts:' altında bir liste bekleniyor / expected a list under 'accounts:'.")
    accounts = [parse_account(entry, f"{path}: hesap / account #{i + 1}") for i, entry in enumerate(entries)]
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for account in accounts:
        if account.name in names:
            raise ConfigError(f"{path}: '{account.name}' hesap adı iki kez kullanılmış / the account name "
                              f"'{account.name}' is used twice.")
        names[account.name] = account.name
        # One e-Devlet user, two entries: both would log in at once and race for the same two-step code.
        if account.tc in owners:
            raise ConfigError(
                f"{path}: '{owners[account.tc]}' ve '{account.name}' aynı T.C. Kimlik No'yu ({account.masked_tc}) "
                f"kullanıyor; birini silin / '{owners[account.tc]}' and '{account.name}' have the same "
                "T.C. Kimlik No; remove one.")
        owners[account.tc] = account.name
        if portal_url is not None:
            check_code_allowed(account, portal_url)
    return accounts


def parse_account(entry: object, where: str) -> Account:
    """One entry of the list, with errors that name the account and the field."""
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected name, tc, password and code.")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ConfigError(f"{where}, alan / field 'name': harf, rakam, boşluk ve . _ - ' & (en çok 64) / "
                          "letters (Turkish too), digits, spaces and . _ - ' & (at most 64).")
    where = f"account '{name}'"
    try:
        tc = normalize_tc(entry.get("tc"))
    except IdentifierError as exc:
        raise ConfigError(f"{where}, field 'tc': {exc.message_en}.") from exc
    if not is_valid_tc(tc):
        raise ConfigError(f"{where}, field 'tc': {mask_tc(tc)} is not a valid T.C. Kimlik No (check digits).")
    password = SecretRef.parse(entry.get("password", "prompt"), f"{where}, field 'password'")
    code = CodeSource.parse(entry.get("code", "prompt"), f"{where}, field 'code'")
    unknown = set(entry) - {"name", "tc", "password", "code"}
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}.")
    return Account(name=name, tc=tc, password=password, code=code)


def find_account(accounts: list[Account], name: str) -> Account:
    """The account with this name, or a ConfigError listing the known names."""
    for account in accounts:
        if account.name == name:
            return account
    known = ", ".join(a.name for a in accounts)
    raise ConfigError(f"No account named '{name}' (known: {known}).")


def check_code_allowed(account: Account, portal_url: str) -> None:
    """`code: mock` reads the mock's test API, so it is refused unless the portal runs on this machine."""
    if account.code.kind == "mock" and not is_loopback_url(portal_url):
        raise ConfigError(
            f"account '{account.name}', field 'code': 'mock' only works with the local mock portal, "
            f"not {portal_url}; use prompt or command:<...>."
        )
