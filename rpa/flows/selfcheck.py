"""Selfcheck: a read-only walk through every screen the robot uses, checking each word it relies on there.

For each screen: every word of the robot's (`rpa.pages.texts`, through the portal profile) found or not;
for a word not found, the screen's closest texts (by accessible name), a screenshot and the URL. A
missing word whose best candidate is close enough is used to walk on, so one renamed button does not
hide every screen behind it. Nothing is changed on the portal: no box ticked, no form posted; the only
clicks open menus, tabs, a contract's approval page and its detail page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from loguru import logger
from pydantic import BaseModel, Field

from rpa.errors import KatipError, LoginNeeded, PortalError
from rpa.flows.common import error_text
from rpa.pages.texts import DEFAULT, Words

P = TypeVar("P")

# The words each screen must show (names of `Words` fields); menus are checked level by level.
SCREEN_WORDS: dict[str, tuple[str, ...]] = {
    "start": ("LOGIN_LINK",),
    "login": ("LOGIN_HEADING", "TC_FIELD", "PASSWORD_FIELD", "LOGIN_BUTTON"),
    "two_step": ("TWO_STEP_HEADING", "CODE_FIELD", "CODE_BUTTON"),
    "choice": ("INDIVIDUAL", "CORPORATE"),
    "workplaces": ("WORKPLACES_HEADING", "SICIL", "UNVAN", "HAZARD", "CHOOSE", "REFRESH_BUTTON"),
    "shell": ("CHANGE_WORKPLACE", "LOGOUT", "MAIN_MENU", "MENU_CONTRACTS", "MENU_CARD"),
    "contracts": ("CONTRACTS_HEADING", "COL_PROFESSIONAL", "COL_TITLE", "COL_CERT", "COL_PROVIDER", "COL_START",
                  "COL_MINUTES", "COL_CONTRACT_STATUS", "COL_APPROVAL", "COL_COMPLIANT", "GO_TO_PROCESS",
                  "SHOW_DETAIL"),
    "contract_detail": ("DETAIL_HEADING", "CONTRACT_NO", "COL_PROFESSIONAL", "COL_MINUTES", "DOWNLOAD_PDF"),
    "approval": ("APPROVAL_HEADING", "CONTRACT_NO", "COL_PROFESSIONAL", "COL_MINUTES", "READ_AND_AGREE",
                 "COMPLETE", "REJECT"),
    "card": ("CARD_HEADING", "TAB_GENERAL", "TAB_EMPLOYEES", "TAB_CONTACT"),
    "employees": ("ACTIVE_COUNT", "VERIFY_FIELD", "VERIFY_BUTTON", "BULK_BUTTON", "COL_TC", "COL_NAME",
                  "COL_HIRED", "COL_STATUS"),
    "contact": ("PHONE", "EMAIL", "ADDRESS", "IL", "ILCE", "AUTO_UPDATE_GROUP", "YES", "NO", "SUBMIT_CONTACT"),
}
ALL_SCREENS = tuple(SCREEN_WORDS)
_LOGIN = ("start", "login", "two_step", "choice", "workplaces")
# What each flow needs to be there before a batch touches anything (the quick check before a run).
FLOW_SCREENS: dict[str, tuple[str, ...]] = {
    "refresh": _LOGIN,
    "approve": (*_LOGIN, "shell", "contracts", "approval", "contract_detail", "card", "employees"),
    "contact": (*_LOGIN, "shell", "card", "contact"),
    "roster_sync": (*_LOGIN, "shell", "card", "employees", "contracts"),
    "audit": (*_LOGIN, "shell", "contracts", "contract_detail", "card", "employees"),
}
QUICK_TIMEOUT_MS = 5_000  # a word that is not there is not waited for as long as a slow page


class MissingWord(BaseModel):
    """A word the robot relies on that the screen does not show, and what it shows that is most like it."""

    text: str  # the robot's default text (the key a portal profile maps)
    expected: str  # what the robot looked for (the profile's word, if it has one)
    candidates: list[str] = Field(default_factory=list)


class ScreenCheck(BaseModel):
    """One screen: where it is, the words looked for, those missing."""

    name: str
    url: str = ""
    checked: list[str] = Field(default_factory=list)
    missing: list[MissingWord] = Field(default_factory=list)
    screenshot: Path | None = None
    note: str | None = None  # e.g. "not reached: no waiting contract"


class SelfcheckResult(BaseModel):
    """The walk's findings for one account."""

    account: str
    screens: list[ScreenCheck] = Field(default_factory=list)
    login_needed: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Every word found on every screen reached, and nothing stopped the walk."""
        return not self.login_needed and not self.error and not any(s.missing for s in self.screens)

    def changed(self) -> dict[str, list[str]]:
        """Default text -> candidates, for every missing word."""
        return {m.text: m.candidates for s in self.screens for m in s.missing}

    def draft_profile(self) -> dict[str, str]:
        """Default text -> best candidate, for a person to check (`--write-profile`)."""
        return {text: found[0] for text, found in self.changed().items() if found}


class SelfcheckRequest(BaseModel):
    """Which account, which workplace (default: the first listed), which screens."""

    account: str
    workplace: str | None = None
    screens: tuple[str, ...] = ALL_SCREENS
    evidence_dir: Path | None = None
    timeout_ms: int = QUICK_TIMEOUT_MS


class _Stop(Exception):
    """A word needed to walk on is missing and nothing on the screen is close enough to use instead."""


def run(session: Any, request: SelfcheckRequest) -> SelfcheckResult:
    """Walk the screens of `request.screens`, read-only; a login happens only if the saved session is gone."""
    walk = _Walk(session, request)
    try:
        walk.everything()
    except LoginNeeded as exc:
        walk.result.login_needed = str(exc)
    except _Stop:
        pass
    except KatipError as exc:
        walk.result.error = error_text(exc)
        logger.bind(flow="selfcheck", account=request.account).warning("selfcheck stopped: {}", exc)
    return walk.result


class _Walk:
    """The walk's state: the words as learned so far, and the findings."""

    def __init__(self, session: Any, request: SelfcheckRequest) -> None:
        self.session, self.request = session, request
        self.result = SelfcheckResult(account=request.account)
        base: Words = session.policy.words
        self.renamed = {getattr(DEFAULT, f.name): getattr(base, f.name) for f in dataclasses.fields(Words)
                        if isinstance(getattr(base, f.name), str) and getattr(base, f.name) != getattr(DEFAULT, f.name)}
        self.words = base

    # --- reading a screen --------------------------------------------------------------------------

    def check(self, name: str) -> bool:
        """Read the screen as `name`; learn close candidates; True when every word was found."""
        if name not in self.request.screens:
            return True
        screen = self.session.inspection(self.request.timeout_ms).with_words(self.words, self.request.timeout_ms)
        texts = screen.texts()
        found = ScreenCheck(name=name, url=screen.url())
        learned = False
        for field in SCREEN_WORDS[name]:
            value = getattr(self.words, field)
            parts = value if isinstance(value, tuple) else (value,)
            defaults = getattr(DEFAULT, field)
            defaults = defaults if isinstance(defaults, tuple) else (defaults,)
            for level, (word, default) in enumerate(zip(parts, defaults, strict=True)):
                if level and isinstance(value, tuple):
                    texts = screen.expand_menu(parts[: level + 1], texts)
                found.checked.append(word)
                if screen.shows(word, texts):
                    continue
                candidates = screen.candidates(word, texts)
                found.missing.append(MissingWord(text=default, expected=word, candidates=candidates))
                if candidates and screen.confident(word, candidates[0]):
                    self.renamed[default] = candidates[0]
                    learned = True
        if found.missing and self.request.evidence_dir is not None:
            self.request.evidence_dir.mkdir(parents=True, exist_ok=True)
            found.screenshot = screen.save_screenshot(self.request.evidence_dir / f"selfcheck-{name}.png")
        if learned:
            self.words = DEFAULT.renamed(self.renamed)
        self.result.screens.append(found)
        return not found.missing

    def used(self, name: str, fields: tuple[str, ...]) -> None:
        """A screen the walk passed through by using its words (the login's): found, by use."""
        if name in self.request.screens:
            self.result.screens.append(ScreenCheck(name=name, checked=[getattr(self.words, f) for f in fields],
                                                   note="girişte kullanıldı / used by the login"))

    def note(self, name: str, why: str) -> None:
        """A screen the walk could not show (and why)."""
        if name in self.request.screens:
            self.result.screens.append(ScreenCheck(name=name, note=why))

    def go(self, target: str, move: Callable[[], P], page: Callable[[Words], P]) -> P:
        """Move on to `target` and check it; if the move failed on a word the target renamed, go on with
        what was learned (`page(words)` wraps the target screen); else stop the walk there."""
        try:
            moved = move()
        except PortalError as exc:
            before = dict(self.renamed)
            self.check(target)
            if self.renamed == before:
                self.result.error = self.result.error or f"{target}: {error_text(exc)}"
                raise _Stop(target) from exc
            return page(self.words)
        self.check(target)
        return moved

    def fresh(self, page: P) -> P:
        """`page` read with the words learned so far."""
        return page.with_words(self.words, self.request.timeout_ms)  # type: ignore[attr-defined]

    # --- the walk ----------------------------------------------------------------------------------

    def everything(self) -> None:
        session = self.session
        start = self.fresh(session.portal())
        try:
            start = start.open()
            screen = start.where()
        except PortalError:
            screen = None
        if screen in (None, "start"):
            self.check("start")
            start = self.fresh(start)
            try:
                screen = start.enter()
            except PortalError as exc:
                raise _Stop("start") from exc
        if screen == "login":
            self.check("login")
        elif screen == "choice":
            self.check("choice")
            start = self.fresh(start)
        workplaces = self.fresh(session.ensure_logged_in() if screen == "login" else start.reach_corporate())
        if screen == "login":  # the login just used these screens' words: they are there
            self.used("two_step", ("TWO_STEP_HEADING", "CODE_FIELD", "CODE_BUTTON"))
            self.used("choice", ("CORPORATE",))
        self.check("workplaces")
        self.inside(self.fresh(workplaces))

    def inside(self, workplaces: Any) -> None:
        listed = workplaces.workplaces()
        if not listed:
            self.note("shell", "işyeri yok / the account lists no workplace")
            return
        sicil = self.request.workplace or listed[0].sicil
        shell = self.fresh(workplaces.choose(sicil))
        self.check("shell")
        wanted = set(self.request.screens)
        if wanted & {"contracts", "approval", "contract_detail"}:
            self.contracts(self.fresh(shell))
        if wanted & {"card", "employees", "contact"}:
            from rpa.pages.card import WorkplaceCardPage

            shell = self.fresh(shell)
            card = self.go("card", shell.open_card, lambda words: shell.as_page(WorkplaceCardPage).with_words(words))
            self.card(self.fresh(card))

    def contracts(self, shell: Any) -> None:
        from rpa.pages.contracts import ContractsPage

        contracts = self.go("contracts", shell.open_contracts, lambda w: shell.as_page(ContractsPage).with_words(w))
        rows = self.fresh(contracts).rows()
        if not rows:
            self.note("contract_detail", "sözleşme yok / no contract to open")
        elif "contract_detail" in self.request.screens:
            detail = self.fresh(contracts).open_detail(rows[0])
            self.check("contract_detail")
            contracts = self.fresh(detail).back()
        waiting = [row for row in self.fresh(contracts).rows() if row.pending]
        if not waiting:
            self.note("approval", "onay bekleyen sözleşme yok / no contract waiting: not opened")
        elif "approval" in self.request.screens:
            approval = self.fresh(contracts).open_approval(waiting[0])  # opened, never ticked or submitted
            self.check("approval")
            self.fresh(approval).open_contracts()

    def card(self, card: Any) -> None:
        if "employees" in self.request.screens:
            self.fresh(card).employees_tab()
            self.check("employees")
        if "contact" in self.request.screens:
            self.fresh(card).contact_tab()
            self.check("contact")
