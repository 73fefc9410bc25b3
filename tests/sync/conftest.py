"""Fixtures for the end-to-end syncs: the demo account logged in against a live mock portal, and a
scenario builder that writes a roster from the portal's own 4A list with controlled differences."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.accounts import Account
from rpa.domain.identifiers import generate_tc
from rpa.flows.retry import RetryPolicy
from rpa.roster.models import Roster
from rpa.roster.reader import read_roster
from rpa.secrets import CodeSource, SecretRef
from rpa.session import AccountSession, BrowserSession
from rpa.settings import Settings
from tests.sync.builders import write_roster

W1 = "11320010112345670341542000"  # demo "Tehlikeli": 40 active; SGK knows 2 hires and 1 leaver more
W3 = "16201010134567890060863000"  # demo "Az Tehlikeli": 12 active, in line with SGK
QUICK = RetryPolicy(attempts=3, first_wait_s=0.0)
PASSWORD_VARIABLE = "KATIP_TEST_SYNC_PASSWORD"


@pytest.fixture
def settings(live_portal, tmp_path) -> Settings:
    """Robot settings for this test's portal, with private dirs under tmp_path."""
    return Settings(portal_url=f"{live_portal.url}/", state_dir=tmp_path / "state", out_dir=tmp_path / "out",
                    timeout_ms=10_000, politeness_ms=0)


@pytest.fixture
def demo_account(monkeypatch) -> Account:
    """The seeded demo employer, able to log in unattended (password from env, code from /_dev/sms)."""
    monkeypatch.setenv(PASSWORD_VARIABLE, DEMO_PASSWORD)
    return Account(name="demo", tc=DEMO_TC, password=SecretRef(kind="env", target=PASSWORD_VARIABLE),
                   code=CodeSource(kind="mock"))


@pytest.fixture
def session(settings, browser, demo_account) -> Iterator[AccountSession]:
    """The demo account's browser context on the shared test Chromium (it logs in on first use)."""
    with BrowserSession(settings, browser=browser) as robot, robot.account_context(demo_account) as account:
        yield account


def run_sql(live_portal, sql: str, *params: object) -> None:
    """Change the portal's database behind its back (for what the test API does not offer)."""
    conn = sqlite3.connect(live_portal.app.config["DATABASE"], timeout=30)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


@dataclass
class Scenario:
    """A roster made from a workplace's 4A list, with differences whose expected outcome is recorded."""

    live_portal: object
    sicil: str
    people: dict[str, dict] = field(default_factory=dict)  # tc -> roster row
    fixed: set[str] = field(default_factory=set)  # differences asking SGK will resolve
    expected: dict[str, str] = field(default_factory=dict)  # tc -> exception kind that must remain
    rng: random.Random = field(default_factory=lambda: random.Random(77))

    @classmethod
    def of(cls, live_portal, sicil: str) -> Scenario:
        state = live_portal.dev(f"state?sicil={sicil}")
        keys = ("sicil", "tc", "name", "hired", "left")
        people = {e["tc"]: {k: e[k] for k in keys} for e in state["employees"]}
        return cls(live_portal, sicil, people)

    def state(self) -> dict:
        return self.live_portal.dev(f"state?sicil={self.sicil}")

    def active(self) -> list[str]:
        """People active in both the roster and the 4A list, and untouched by the scenario so far."""
        listed = {e["tc"]: e for e in self.state()["employees"]}
        untouched = set(self.people) - self.fixed - set(self.expected)
        return sorted(tc for tc in untouched if listed.get(tc, {}).get("status") == "Aktif")

    def new_tc(self) -> str:
        known = {s["tc"] for s in self.live_portal.dev("state")["sgk"]}
        while True:
            tc = generate_tc(self.rng)
            if tc not in known and tc not in self.people:
                return tc

    # --- differences ------------------------------------------------------------------------------
    def seeded_sgk_changes(self) -> None:
        """The hires and leavers SGK knows of but the 4A list lacks (from the seed): the roster has them."""
        state = self.state()
        listed = {e["tc"]: e for e in state["employees"]}
        for record in state["sgk"]:
            if record["tc"] not in listed:
                self.people[record["tc"]] = dict(record)
                self.fixed.add(record["tc"])
            elif record["left"] and listed[record["tc"]]["status"] == "Aktif":
                self.people[record["tc"]]["left"] = record["left"]
                self.fixed.add(record["tc"])

    def hire_known_to_sgk(self, hired: str = "2025-02-20") -> str:
        """SGK learns of a hire (/_dev/sgk/hire); the roster has it: verifying fixes it."""
        tc = self.new_tc()
        person = {"sicil": self.sicil, "tc": tc, "name": "Yeni Gelen", "hired": hired}
        self.live_portal.dev("sgk/hire", json=person)
        self.people[tc] = {"sicil": self.sicil, "tc": tc, "name": "Yeni Gelen", "hired": hired, "left": None}
        self.fixed.add(tc)
        return tc

    def leave_known_to_sgk(self, left: str = "2025-02-25") -> str:
        """SGK learns of a leave (/_dev/sgk/leave); the roster has it: verifying fixes it."""
        tc = self.active()[0]
        self.live_portal.dev("sgk/leave", json={"sicil": self.sicil, "tc": tc, "left": left})
        self.people[tc]["left"] = left
        self.fixed.add(tc)
        return tc

    def hire_not_filed(self) -> str:
        """The roster has a hire SGK never heard of: "SGK kaydı bulunamadı"."""
        tc = self.new_tc()
        self.people[tc] = {"sicil": self.sicil, "tc": tc, "name": "Bildirilmemiş Kişi", "hired": "2025-02-10",
                           "left": None}
        self.expected[tc] = "hire_not_filed"
        return tc

    def leave_not_filed(self) -> str:
        """The roster says someone left; SGK still has them active."""
        tc = self.active()[1]
        self.people[tc]["left"] = "2025-02-15"
        self.expected[tc] = "leave_not_filed"
        return tc

    def hire_date_differs(self) -> str:
        """The roster's hire date is a day off SGK's."""
        tc = self.active()[2]
        hired = date.fromisoformat(self.people[tc]["hired"])
        self.people[tc]["hired"] = hired.replace(day=1 if hired.day != 1 else 2).isoformat()
        self.expected[tc] = "hired_date_differs"
        return tc

    def missing_from_roster(self) -> str:
        """An active person the roster forgot."""
        tc = self.active()[3]
        del self.people[tc]
        self.expected[tc] = "not_in_roster"
        return tc

    def roster(self, path: Path, extra: list[dict] | None = None) -> Roster:
        """Write the roster as a spreadsheet (a title row above the header) and read it like a user's file."""
        write_roster(path, [*self.people.values(), *(extra or [])], title="Personel Listesi — Mart 2025")
        roster = read_roster([path], today=date.today())
        assert roster.all_accepted, [r.reason for f in roster.files for r in f.rejected]
        return roster


def audit(live_portal, sicil: str, action: str) -> list[dict]:
    """The portal's audit entries of one kind at one workplace."""
    return [a for a in live_portal.dev(f"state?sicil={sicil}")["audit"] if a["action"] == action]
