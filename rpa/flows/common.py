"""What the flows share: walking to a workplace's screens, and running one item with retries and evidence.

A flow composes page objects only through `Navigator`, which remembers the screen the browser is on so
that consecutive items in one workplace do not start from the workplace list each time; after any
fault it forgets, and the next step walks again from the list (logging in again if the portal asks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar, cast

from loguru import logger

from rpa.errors import AccountBlocked, KatipError, LoginNeeded
from rpa.flows.ports import Card, ContractList, PortalSession, Shell, WorkplaceList
from rpa.flows.retry import DEFAULT_POLICY, Attempts, RetryPolicy, retrying
from rpa.run import EvidenceRecorder

T = TypeVar("T")
P = TypeVar("P")


class Screen(StrEnum):
    """Which kind of page object the navigator holds."""

    WORKPLACES = "workplaces"  # the Kurumsal workplace list
    SHELL = "shell"  # any page inside the chosen workplace that shows the menu
    CONTRACTS = "contracts"  # "İSG Hizmet Sözleşmeleri"
    CARD = "card"  # "İşyeri Kartı Bilgileri"


class Navigator:
    """The account's current page object, and the walk to the screen a step needs.

    Each walk is retried on its own (`RetryPolicy.walk_attempts`): after a fault page the way back
    starts at the start URL, and a step should not fail because its way back met a fault.
    """

    def __init__(self, session: PortalSession, policy: RetryPolicy = DEFAULT_POLICY,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._session = session
        self.guard = session.guard
        self._policy = policy
        self._sleep = sleep
        # Wraps every call that may type the password (see ItemRunner: no trace may record it).
        self.login_guard: Callable[[Callable[[], Any]], Any] = lambda login: login()
        self._page: Any = None
        self._screen: Screen | None = None
        self._sicil: str | None = None

    def between_workplaces(self) -> None:
        """A workplace is done: let the browser free what its pages left behind."""
        self._session.free_memory()

    def lost(self) -> None:
        """After a fault: back to the screen we were on, as a person would (Back, reload); if that does
        not show it, the browser may be anywhere: walk again next time from the start (logging in if asked).

        Under a portal that fails one page in five, a walk from the start URL is six pages that must all
        answer; a step back is two."""
        step_back = getattr(self._page, "step_back", None)
        if step_back is not None and self._screen is not None:
            try:
                if step_back() or self._still_in_workplace():
                    return
            except KatipError:
                pass
        self._page = self._screen = self._sicil = None

    def _still_in_workplace(self) -> bool:
        """Back and reload showed another page of the workplace we were in (an approved contract's
        page leads on to the list): go on from its menu (a walk from the start is six pages more)."""
        within = getattr(self._page, "within", None)
        if within is None or self._sicil is None or self._screen is Screen.WORKPLACES:
            return False
        found = within(self._sicil)
        if found is None:
            return False
        page, screen = found
        self.at(page, Screen(screen), self._sicil)
        return True

    def holds(self, page: object) -> bool:
        """Whether the browser shows this page object's screen still (or again: after a fault, Back and a
        reload showed it), so that a step's next try can go on from it instead of walking to it."""
        return page is not None and page is self._page

    def at(self, page: P, screen: Screen | None, sicil: str | None = None) -> P:
        """Record where a page-object call left the browser (None: somewhere we do not walk from)."""
        self._page, self._screen = page, screen
        if screen is Screen.WORKPLACES:
            self._sicil = None
        elif sicil is not None:
            self._sicil = sicil
        return page

    def workplaces(self) -> WorkplaceList:
        """The workplace list ("E-Bildirge Kullanıcısı Olduğunuz İşyerleri")."""
        return self._walk("go to the workplace list", self._to_workplaces)

    def shell(self, sicil: str) -> Shell:
        """Any menu page inside this workplace (choosing it from the list if needed)."""
        return self._walk(f"open workplace {sicil}", lambda: self._to_shell(sicil))

    def contracts(self, sicil: str) -> ContractList:
        """This workplace's "İSG Hizmet Sözleşmeleri" list."""
        return self._walk("open İSG Hizmet Sözleşmeleri", lambda: self._to(sicil, Screen.CONTRACTS))

    def card(self, sicil: str) -> Card:
        """This workplace's "İşyeri Kartı Bilgileri"."""
        return self._walk("open İşyeri Kartı Bilgileri", lambda: self._to(sicil, Screen.CARD))

    def _walk(self, what: str, walk: Callable[[], T]) -> T:
        # After any fault (an idle-out too) forgetting where we are is enough: the next try walks from
        # the start URL, and `ensure_logged_in` logs in again if the portal asks.
        return retrying(walk, what=what, recover=self.lost, policy=self._policy, sleep=self._sleep, walk=True,
                        guard=self.guard)

    def _to_workplaces(self) -> WorkplaceList:
        if self._screen is Screen.WORKPLACES:
            return cast(WorkplaceList, self._page)
        if self._screen in (Screen.SHELL, Screen.CONTRACTS, Screen.CARD):
            return self.at(cast(Shell, self._page).change_workplace(), Screen.WORKPLACES)
        return self.at(self.login_guard(self._session.ensure_logged_in), Screen.WORKPLACES)

    def _to_shell(self, sicil: str) -> Shell:
        if self._sicil == sicil and self._screen in (Screen.SHELL, Screen.CONTRACTS, Screen.CARD):
            return cast(Shell, self._page)
        return self.at(self._to_workplaces().choose(sicil), Screen.SHELL, sicil)

    def _to(self, sicil: str, screen: Screen) -> Any:
        """This workplace's contract list or card (the caller knows which it asked for)."""
        here = self._to_shell(sicil)
        if self._screen is screen:
            return here
        page: ContractList | Card = here.open_contracts() if screen is Screen.CONTRACTS else here.open_card()
        return self.at(page, screen, sicil)


@dataclass
class ItemRunner:
    """Runs a flow's steps with the one retry policy, and keeps evidence of the items that fail."""

    nav: Navigator
    recorder: EvidenceRecorder
    policy: RetryPolicy = DEFAULT_POLICY
    sleep: Callable[[float], None] = time.sleep
    attempts: Attempts = field(default_factory=Attempts)
    label: str = ""

    def __post_init__(self) -> None:
        self.nav.login_guard = self._unrecorded

    def _unrecorded(self, login: Callable[[], T]) -> T:
        # A login types the password: keep it out of the item's trace (the chunk restarts after it).
        self.recorder.pause()
        try:
            return login()
        finally:
            self.recorder.resume()

    def step(self, what: str, action: Callable[[], T]) -> T:
        """Run one step; portal faults are retried, a lost session is logged in again."""
        return retrying(
            action,
            what=what,
            recover=self.nav.lost,
            policy=self.policy,
            sleep=self.sleep,
            attempts=self.attempts,
            guard=self.nav.guard,
        )

    def begin(self, label: str) -> None:
        """A new item starts: count its tries and record its trace."""
        self.attempts = Attempts()
        self.label = label
        self.recorder.begin(label)
        logger.debug("item {} begins", label)

    def succeeded(self) -> None:
        """The item needs no evidence."""
        self.recorder.discard()

    def failed(self, label: str) -> Any:
        """Keep screenshot, HTML and trace of the failed item; the browser is now anywhere."""
        evidence = self.recorder.capture(label)
        self.nav.lost()
        return evidence


def evidence_recorder(session: PortalSession, evidence_dir: Path | None) -> EvidenceRecorder:
    """A recorder for this account's page (None dir: no evidence, e.g. in unit tests)."""
    snapshots = getattr(getattr(session, "settings", None), "evidence_snapshots", False)
    return EvidenceRecorder(lambda: session.page, evidence_dir, snapshots=snapshots is True)


def error_text(exc: BaseException) -> str:
    """A one-line description of an error for results and reports."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


def each_workplace(
    nav: Navigator,
    targets: list[tuple[str, Any]],
    should_stop: Callable[[], bool] | None,
    on_workplace: Callable[[int, int, str], None] | None,
    log: Any,
) -> Iterator[tuple[str, Any]]:
    """The chosen (sicil, workplace) pairs in order, until a stop is asked for (Ctrl-C, a scheduled run's
    end): what is left waits for the next run. `on_workplace(done, total, name)` is told before each
    workplace and once at the end, for the progress bars."""
    total = len(targets)
    for index, (sicil, workplace) in enumerate(targets):
        if should_stop is not None and should_stop():
            log.info("stop requested: {} workplace(s) left for the next run", total - index)
            break
        if on_workplace:
            on_workplace(index, total, workplace.unvan if workplace else sicil)
        if index:
            nav.between_workplaces()
        yield sicil, workplace
    if on_workplace:
        on_workplace(total, total, "")


@contextmanager
def account_work(runner: ItemRunner, result: Any, log: Any) -> Iterator[None]:
    """Around one account's work in a flow: a login needed or an unreadable workplace list ends the account
    (written into `result`: login_needed, or error and evidence), and the evidence recorder is closed."""
    try:
        yield
    except LoginNeeded as exc:
        log.warning("stopping this account: {}", exc)
        result.login_needed = str(exc)
    except AccountBlocked as exc:  # a person must change something at e-Devlet: no evidence helps
        log.error("{}", exc)
        result.error = str(exc)
    except KatipError as exc:  # the items catch their own: only the workplace list gets here
        log.error("the workplace list could not be read: {}", exc)
        result.error = error_text(exc)
        result.evidence = runner.failed("workplace-list")
    finally:
        runner.recorder.close()
