"""Building blocks of the seed: options, the rows per table, and the maker of realistic rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mock_portal import law
from mock_portal.seed_names import (
    COMPANY_PREFIXES,
    COMPANY_SUFFIXES,
    FIRST_NAMES,
    LAST_NAMES,
    PROVIDERS,
    SECTORS,
    STREETS,
)
from rpa.domain.geo import province_name
from rpa.domain.identifiers import generate_tc
from rpa.domain.rules import HazardClass, Title

# The seed's "today": fixed, so that the same options give the same data on any day.
REFERENCE_DAY = date(2025, 3, 1)
CONTRACT_NO_BASE = 2025000001
Row = dict[str, Any]


@dataclass(frozen=True)
class SeedOptions:
    """Sizes of a generated portal (the fixed demo account comes on top)."""

    accounts: int = 3
    workplaces_per_account: int = 4
    employees_per_workplace: int = 25
    seed: int = 2024

    def __post_init__(self) -> None:
        limits = {
            "accounts": (0, 10_000),
            "workplaces_per_account": (1, 1_000),
            "employees_per_workplace": (0, 100_000),
        }
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{name} must be an integer between {low} and {high}, got {value!r}")

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> SeedOptions:
        """Options from JSON/CLI names; `workplaces` and `employees` are accepted as short names."""
        aliases = {"workplaces": "workplaces_per_account", "employees": "employees_per_workplace"}
        known = {"accounts", "workplaces_per_account", "employees_per_workplace", "seed"}
        values = {aliases.get(k, k): v for k, v in data.items()}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown seed options: {', '.join(sorted(unknown))}")
        return cls(**values)


@dataclass
class SeedData:
    """Rows per table, as dicts keyed by column name."""

    accounts: list[Row] = field(default_factory=list)
    account_workplaces: list[Row] = field(default_factory=list)
    workplaces: list[Row] = field(default_factory=list)
    contracts: list[Row] = field(default_factory=list)
    employees: list[Row] = field(default_factory=list)
    sgk: list[Row] = field(default_factory=list)

    TABLES = ("accounts", "account_workplaces", "workplaces", "contracts", "employees", "sgk")


class QuickRandom(random.Random):
    """`random.Random` with a float-based `randint`: 10x faster, bias far below anything a seed shows.

    Large seeds draw millions of digits (11 per TC number); the exact integer method dominated the time.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def iso(day: date) -> str:
    """A date as the database keeps it (yyyy-mm-dd)."""
    return day.isoformat()


class RowMaker:
    """Makes realistic rows into `self.data`, drawing from one seeded random stream."""

    def __init__(self, options: SeedOptions) -> None:
        self.options = options
        self.rng = QuickRandom(options.seed)
        self.data = SeedData()
        self.next_no = CONTRACT_NO_BASE
        self.sicils: set[str] = set()
        self.unvans: set[str] = set()
        self.tcs: set[str] = set()
        self.pool: dict[tuple[Title, str], list[tuple[str, str]]] = {}

    # --- people -----------------------------------------------------------------------------------
    def name(self) -> str:
        """A Turkish first name and surname."""
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def unique_tc(self) -> str:
        """A valid TC number not handed out before in this seed."""
        while True:
            tc = generate_tc(self.rng)
            if tc not in self.tcs:
                self.tcs.add(tc)
                return tc

    def account(self, tc: str, name: str, password: str, two_step: bool = True) -> None:
        """An e-Devlet account with a mobile phone number."""
        phone = f"05{self.rng.randint(30, 59)}{self.rng.randint(1_000_000, 9_999_999)}"
        self.data.accounts.append(
            {"tc": tc, "password": password, "name": name, "two_step": int(two_step), "phone": phone}
        )

    def password(self) -> str:
        """A password for a generated account (`/_dev/state` shows it)."""
        return f"Sifre.{self.rng.randint(1000, 9999)}"

    def professionals(self, count_per_kind: int) -> None:
        """The pool of İSG professionals; each has an account so that "Bireysel" shows their contracts."""
        kinds = [
            (Title.UZMAN, "A"),
            (Title.UZMAN, "B"),
            (Title.UZMAN, "C"),
            (Title.HEKIM, "-"),
            (Title.DSP, "-"),
        ]
        for kind in kinds:
            for _ in range(count_per_kind):
                tc, name = self.unique_tc(), self.name()
                self.account(tc, name, self.password())
                self.pool.setdefault(kind, []).append((tc, name))

    def pick_professional(
        self, title: Title, hazard: HazardClass, cert_ok: bool = True
    ) -> tuple[str, str, str]:
        """(tc, name, cert_class) of a professional; `cert_ok=False`: an expert whose class is not allowed."""
        if title is not Title.UZMAN:
            return (*self.rng.choice(self.pool[(title, "-")]), "-")
        classes = [c for c in "ABC" if law.may_serve(c, hazard) == cert_ok]
        cert = self.rng.choice(classes)
        return (*self.rng.choice(self.pool[(title, cert)]), cert)

    # --- workplaces and their staff ---------------------------------------------------------------
    def unvan(self, hazard: HazardClass) -> tuple[str, str]:
        """A company name not used before, and a NACE code of a sector in this hazard class."""
        sector, nace = self.rng.choice(SECTORS[hazard.value])
        for attempt in range(50):
            head = self.rng.choice(COMPANY_PREFIXES)
            if attempt >= 5:  # many workplaces: family names make more distinct companies
                head = f"{self.rng.choice(LAST_NAMES)} {head}"
            unvan = f"{head} {sector} {self.rng.choice(COMPANY_SUFFIXES)}"
            if unvan not in self.unvans:
                self.unvans.add(unvan)
                return unvan, nace
        unvan = f"{head} {sector} {len(self.unvans)} {COMPANY_SUFFIXES[0]}"
        self.unvans.add(unvan)
        return unvan, nace

    def workplace_row(
        self,
        sicil: str,
        unvan: str,
        hazard: HazardClass,
        nace: str,
        il_code: int,
        ilce: str,
        with_contact: bool,
    ) -> Row:
        """A workplace; `with_contact` also fills the contact form as if the employer had saved it."""
        il = province_name(il_code)
        address = f"{self.rng.choice(STREETS)} No: {self.rng.randint(1, 180)}, {ilce}/{il}"
        row: Row = {
            "sicil": sicil,
            "unvan": unvan,
            "hazard_class": hazard.value,
            "nace": nace,
            "address_seed": address,
            "auto_update": None,
            "phone": None,
            "email": None,
            "address": None,
            "il": None,
            "ilce": None,
        }
        if with_contact:
            domain = (
                "".join(ch for ch in unvan.split()[0].lower() if ch.isascii() and ch.isalpha()) or "isyeri"
            )
            row.update(
                auto_update=self.rng.choice((0, 1)),
                phone=f"0{self.rng.randint(212, 488)}{self.rng.randint(1_000_000, 9_999_999)}",
                email=f"ik@{domain}.com.tr",
                address=address.split(",")[0],
                il=il,
                ilce=ilce,
            )
        self.data.workplaces.append(row)
        return row

    def staff(self, sicil: str, active: int, left: int, sgk_hires: int, sgk_leavers: int) -> None:
        """The 4A list (active + left people) and SGK's version with extra hires and leavers."""
        rng, used = self.rng, set()
        start, end = date(2012, 1, 1).toordinal(), (REFERENCE_DAY - timedelta(days=45)).toordinal()
        recent = (REFERENCE_DAY - timedelta(days=30)).toordinal()

        def person() -> tuple[str, str]:
            while True:
                tc = generate_tc(rng)
                if tc not in used:
                    used.add(tc)
                    return tc, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

        employees, sgk = self.data.employees, self.data.sgk
        for index in range(active + left):
            tc, name = person()
            hired_ord = rng.randint(start, end)
            hired = date.fromordinal(hired_ord).isoformat()
            left_on = None
            if index >= active:
                left_on = date.fromordinal(rng.randint(min(hired_ord + 30, end), end)).isoformat()
            employees.append(
                {
                    "sicil": sicil,
                    "tc": tc,
                    "name": name,
                    "hired": hired,
                    "left": left_on,
                    "status": "Çıkış" if left_on else "Aktif",
                }
            )
            sgk.append({"sicil": sicil, "tc": tc, "name": name, "hired": hired, "left": left_on})
        # SGK knows that some of the "Aktif" people left recently: the last rows of this workplace.
        first_sgk = len(sgk) - (active + left)
        for offset in range(min(sgk_leavers, active)):
            sgk[first_sgk + active - 1 - offset]["left"] = date.fromordinal(
                rng.randint(recent, recent + 25)
            ).isoformat()
        for _ in range(sgk_hires):
            tc, name = person()
            hired = date.fromordinal(rng.randint(recent, recent + 25)).isoformat()
            sgk.append({"sicil": sicil, "tc": tc, "name": name, "hired": hired, "left": None})

    # --- contracts --------------------------------------------------------------------------------
    def contract(
        self,
        sicil: str,
        who: tuple[str, str, str],
        title: Title,
        minutes: int,
        process_type: str,
        status: str,
        approval: str,
        start: str,
        parent_no: str | None = None,
        reject_reason: str | None = None,
        provider: str | None = None,
    ) -> str:
        """A contract row with the next number; returns the number."""
        no = str(self.next_no)
        self.next_no += 1
        start_day = date.fromisoformat(start)
        approved_at = f"{start_day - timedelta(days=3)}T10:15:00" if approval == "Onaylandı" else None
        self.data.contracts.append(
            {
                "no": no,
                "sicil": sicil,
                "professional": who[1],
                "professional_tc": who[0],
                "title": title.value,
                "cert_class": who[2],
                "provider": provider or self.rng.choice(PROVIDERS),
                "start_date": start,
                "minutes": max(law.FEWEST_MINUTES, min(law.MOST_MINUTES, minutes)),
                "process_type": process_type,
                "status": status,
                "approval": approval,
                "parent_no": parent_no,
                "approved_at": approved_at,
                "reject_reason": reject_reason,
                "created_at": f"{start_day - timedelta(days=7)}T09:30:00",
            }
        )
        return no
