"""What every page object shares: the timeout policy, fault recognition and waiting for an outcome.

Faults are recognised here only, by their visible text (another portal may use other status codes):
"Sistem hatası" -> PortalError(SystemError500), "Sistem bakımda." -> PortalError(Maintenance503),
"Oturumunuzun süresi doldu" -> SessionExpired, "Bu işyerine erişim yetkiniz bulunmamaktadır." ->
AccessDenied, a refused stale/double form -> PortalError(StaleForm). Every Playwright timeout is
turned into PortalError(PortalTimeout) with a message naming the page and what we were doing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from loguru import logger
from playwright.sync_api import ElementHandle, Locator, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from rpa.errors import AccessDenied, PortalError, PortalErrorKind, SessionExpired
from rpa.pages import reading
from rpa.pages.texts import DEFAULT, Words
from rpa.resilience import PortalGuard

P = TypeVar("P", bound="BasePage")
# Reloads of a page that showed "Sistem hatası" instead of what a click should show, and the waits
# before them: none after a lone fault, growing from 0.3 s to 1 s when the portal keeps failing
# (`PortalGuard.retry_wait_s`).
RELOADS = 2
RELOAD_WAIT_S = (0.3, 3.0, 1.0)  # first, factor, most


@dataclass(frozen=True)
class PagePolicy:
    """What every page object needs besides the page: the start URL, the one timeout policy, and the
    run's guard (its politeness gap before every action that reaches the portal, its fault counters)."""

    start_url: str
    timeout_ms: int = 15_000
    guard: PortalGuard = field(default_factory=PortalGuard, compare=False)
    words: Words = DEFAULT  # the portal's words: the defaults, or a portal profile's (rpa.pages.profile)


class BasePage:
    """A screen of the portal. Constructors do no I/O; navigation methods return the next page."""

    NAME = "portal"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        self.page = page
        self.policy = policy
        self.t = policy.words
        # The visible text the last `_await` read, for a reader called right after it (`read_contract`):
        # the page has not been touched since, and reading it again costs a round trip.
        self.shown_text: str | None = None
        # Set by `step_back`: this screen shows again after a fault, fetched anew from the portal by Back
        # or a reload (False when the fault left the page as it was: an answer may still be on its way).
        self.fresh_after_fault = False

    def with_words(self: P, words: Words, timeout_ms: int | None = None) -> P:
        """The same screen read with other words (a portal profile learned on the way; no I/O)."""
        from dataclasses import replace

        timeout = self.policy.timeout_ms if timeout_ms is None else timeout_ms
        return type(self)(self.page, replace(self.policy, words=words, timeout_ms=timeout))

    def as_page(self, cls: type[P]) -> P:
        """This tab read as another screen's page object (when it already shows that screen; no I/O)."""
        return self._next(cls)

    # --- building blocks for subclasses -------------------------------------------------------

    def _next(self, cls: type[P]) -> P:
        return cls(self.page, self.policy)

    def _visible(self, locator: Locator) -> Locator:
        return locator.filter(visible=True)

    def _clickable(self, name: str, scope: Page | Locator | None = None) -> Locator:
        """A button or link (or a link dressed as a button) with exactly this visible name."""
        scope = scope or self.page
        found = scope.get_by_role("button", name=name, exact=True).or_(scope.get_by_role("link", name=name, exact=True))
        return self._visible(found)

    def _text(self, text: str | re.Pattern[str], exact: bool = False) -> Locator:
        return self._visible(self.page.get_by_text(text, exact=exact))

    def _heading(self, name: str) -> Locator:
        return self._visible(self.page.get_by_role("heading", name=name, exact=True))

    def _faults(self) -> Locator:
        return self._text(self.t.fault_pattern)

    def _pause(self) -> None:
        """The politeness gap before an action that the portal sees, shared by all of the run's workers."""
        self.policy.guard.limiter.wait()

    @contextlib.contextmanager
    def _step(self, intent: str) -> Iterator[None]:
        """Turn Playwright's timeouts and navigation failures into typed errors naming page and intent."""
        try:
            yield
        except PlaywrightTimeoutError as exc:
            # A fault page that showed up late explains the timeout best; if the page is still
            # changing, the timeout is all we know.
            with contextlib.suppress(PlaywrightError):
                self.raise_if_fault()
            seconds = self.policy.timeout_ms / 1000
            raise PortalError(
                f"{self.NAME}: {intent}: the portal did not answer as expected within {seconds:g} s.",
                PortalErrorKind.TIMEOUT,
                self.NAME,
            ) from exc
        except PlaywrightError as exc:
            if "net::" not in str(exc) and "NS_ERROR" not in str(exc):
                raise
            first_line = str(exc).splitlines()[0]
            raise PortalError(f"{self.NAME}: {intent}: {first_line}", PortalErrorKind.UNREACHABLE, self.NAME) from exc

    def _settled(self, intent: str) -> None:
        """Wait until the page's scripts have run: menus, row selection and the il -> ilçe list need them.

        A click that lands between the HTML and its (deferred) scripts does nothing, and the robot
        would then wait out the whole timeout for a submenu that never opens.
        """
        with self._step(intent):
            self.page.wait_for_load_state("load", timeout=self.policy.timeout_ms)

    def _click(self, locator: Locator, intent: str) -> None:
        """Click something that talks to the portal (after the politeness gap)."""
        self._pause()
        with self._step(intent):
            self._press(locator.first)

    def _press(self, target: Locator) -> None:
        """A click on an element a locator found visible (the robot's locators filter on it).

        Without `force`, Playwright first waits for the element to stand still over two animation frames
        and checks that nothing covers it: measured, 58 ms a click against 16 ms on this machine, five to ten
        clicks per contract. The portal's pages do not animate; what we click was just found visible."""
        target.click(timeout=self.policy.timeout_ms, force=True)

    def _show(self, locator: Locator, intent: str, *outcomes: Locator) -> int:
        """Click something that only shows another page, and wait for one of `outcomes`.

        Such a click changes nothing on the portal, so a "Sistem hatası" page in its place is answered
        as a person would: wait a moment and reload the page (twice at most). This keeps one fault from
        costing the whole walk back from the start URL. A click that changes data (approve, save,
        verify) never goes through here: its fault goes up to the flow, which checks before redoing.
        """
        self._click(locator, intent)
        return self._await_reloading(intent, *outcomes)

    def _await_reloading(self, intent: str, *outcomes: Locator, expired_ok: bool = False) -> int:
        """`_await`, answering a "Sistem hatası" page in place of a page that only shows something by
        waiting a moment and reloading it (twice at most), as a person would."""
        for tried in range(1, RELOADS + 2):
            try:
                return self._await(intent, *outcomes, expired_ok=expired_ok)
            except PortalError as exc:
                if exc.kind is not PortalErrorKind.SYSTEM_ERROR or tried > RELOADS:
                    raise
                if not self.policy.guard.page_fault(exc):
                    raise  # the breaker opened: the flow waits it out
                logger.info("{}: {} failed (try {}/{}): {}; trying again (reloading the page)",
                            self.NAME, intent, tried, RELOADS + 1, exc)
            self._reload(intent)
        raise AssertionError("unreachable")

    def _await_answer(self, intent: str, *outcomes: Locator) -> int:
        """`_await` after sending a form. A fault page at the end of a redirect is the next page's (the
        portal took the form and sent the browser on: Post/Redirect/Get), and that page only shows
        something: it is reloaded like one. A fault page that answered the form itself is not reloaded
        (that would send the form again): it goes up to the caller."""
        try:
            return self._await(intent, *outcomes)
        except PortalError as exc:
            if exc.kind is not PortalErrorKind.SYSTEM_ERROR or not self._came_by_redirect():
                raise
            if not self.policy.guard.page_fault(exc):
                raise  # the breaker opened: the flow waits it out
            logger.info("{}: {}: the page after the form's redirect failed: {}; reloading it", self.NAME, intent, exc)
        self._reload(intent)
        return self._await_reloading(intent, *outcomes)

    def _came_by_redirect(self) -> bool:
        """Whether the page shown now came at the end of a same-origin redirect (so it was fetched with a
        GET and a reload repeats only that GET). Cross-origin redirects are not told: then False."""
        return self._navigation().get("redirectCount", 0) > 0

    def _navigation(self) -> dict:
        """The shown document's navigation timing entry (type, redirectCount, transferSize); {} if unknown."""
        script = ("() => { const n = performance.getEntriesByType('navigation')[0];"
                  " return n ? {type: n.type, redirectCount: n.redirectCount, transferSize: n.transferSize} : {}; }")
        try:
            return self.page.evaluate(script) or {}
        except PlaywrightError:
            return {}

    def _reload(self, intent: str) -> None:
        """Reload the page after a fault page, waiting first only if the portal keeps failing."""
        wait_s = self.policy.guard.retry_wait_s(*RELOAD_WAIT_S)
        if wait_s > 0:
            self.page.wait_for_timeout(wait_s * 1000)
        self._pause()
        with self._step(intent):
            self.page.reload(wait_until="domcontentloaded", timeout=self.policy.timeout_ms)

    def showing(self) -> bool:
        """Whether the tab shows this screen now, with no fault on it (no waiting; False if unknown)."""
        marker = self.marker()
        try:
            return (marker is not None and self._visible(marker).count() > 0
                    and not self.t.fault_pattern.search(self.visible_text()))
        except PlaywrightError:
            return False

    def marker(self) -> Locator | None:
        """What tells this screen from the others (its heading); None for screens without one."""
        return None

    def step_back(self) -> bool:
        """After a fault page: the browser's Back and a reload, as a person would; True when this screen
        shows again, fresh from the portal (Back alone may show a stale copy from the browser's cache).

        A reload that meets "Sistem hatası" again is reloaded (twice at most), as in `_await_reloading`:
        giving up here means walking again from the start URL, half a dozen pages that must all answer."""
        self.fresh_after_fault = False
        if self.showing():
            return True  # the fault left this page where it was (a slow read, not a new page)
        intent = "step back after a fault"
        try:
            self._pause()
            self.page.go_back(wait_until="domcontentloaded", timeout=self.policy.timeout_ms)
            if self._fetched_by_history_navigation() and self.showing():
                self.fresh_after_fault = True  # Back itself asked the portal: no reload needed
                return True
            for tried in range(1, RELOADS + 2):
                if tried > 1 and not self._answer_fault_page():
                    return False
                self._reload(intent)
                if self.showing():
                    self.fresh_after_fault = True
                    return True
        except (PlaywrightError, PortalError):
            return False
        return False

    def _fetched_by_history_navigation(self) -> bool:
        """Whether Back loaded the page shown now from the portal, not from the browser's cache (the
        page's navigation timing: a history navigation, with bytes transferred; a page restored from the
        back/forward cache keeps its first load's entry, and a cached copy transfers nothing)."""
        shown = self._navigation()
        return shown.get("type") == "back_forward" and shown.get("transferSize", 0) > 0

    def _answer_fault_page(self) -> bool:
        """Whether the page shows "Sistem hatası" and the guard lets us reload it (False: anything else
        shows, or the breaker opened)."""
        try:
            self.raise_if_fault()
        except PortalError as exc:
            return exc.kind is PortalErrorKind.SYSTEM_ERROR and self.policy.guard.page_fault(exc)
        return False

    def _await(self, intent: str, *outcomes: Locator, expired_ok: bool = False) -> int:
        """Wait for one of `outcomes` or a fault; raise the fault's error; return the outcome's index."""
        combined = self._faults()
        for outcome in outcomes:
            combined = combined.or_(self._visible(outcome))
        with self._step(intent):
            combined.first.wait_for(state="visible", timeout=self.policy.timeout_ms)
        text = self.visible_text()
        faulty = bool(self.t.fault_pattern.search(text))
        if faulty:
            self.raise_if_fault(expired_ok=expired_ok)
        self.policy.guard.page_ok()
        self.shown_text = text
        if len(outcomes) == 1 and not faulty:
            return 0  # what showed is no fault, so it is the one outcome (a round trip saved per page)
        for index, outcome in enumerate(outcomes):
            if self._visible(outcome).count():
                return index
        # Only a fault we were told to tolerate is showing.
        return -1

    def _handles(self, *locators: Locator) -> list[ElementHandle]:
        """The elements these locators show now (to tell an old message from a new one later)."""
        return [handle for locator in locators for handle in locator.element_handles()]

    @staticmethod
    def _still_attached(handles: list[ElementHandle]) -> bool:
        """Whether any of these elements is still in the page (False once the page was replaced)."""
        for handle in handles:
            try:
                if handle.evaluate("element => element.isConnected"):
                    return True
            except PlaywrightError:
                continue  # its document is gone: a navigation replaced the page
        return False

    def _goto(self, url: str, intent: str) -> None:
        self._pause()
        with self._step(intent):
            self.page.goto(url, wait_until="domcontentloaded", timeout=self.policy.timeout_ms)

    def visible_text(self) -> str:
        """What a person sees on the page, as lines (hidden panels excluded)."""
        script = "() => document.body ? document.body.innerText : ''"
        try:
            return self.page.evaluate(script)
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc):
                raise
        # A navigation replaced the document while we read it: read the new one once it is there.
        self.page.wait_for_load_state("domcontentloaded", timeout=self.policy.timeout_ms)
        return self.page.evaluate(script)

    def _field(self, *labels: str) -> str | None:
        """The value shown next to a label ("Sözleşme No", "Aktif Çalışan Sayısı: 12"), any markup."""
        return reading.labelled_value(self.visible_text(), labels)

    # --- public ------------------------------------------------------------------------------

    def raise_if_fault(self, expired_ok: bool = False) -> None:
        """Raise the typed error for a fault text visible now; return quietly if there is none."""
        # The page's text in one round trip settles the usual case (no fault); only when a fault's
        # words are there do we ask which elements show them (and whether they are really visible).
        if not self.t.fault_pattern.search(self.visible_text()):
            return
        texts = [t.strip() for t in self._faults().all_inner_texts() if t.strip()]
        joined = " ".join(texts)
        if not joined:
            return
        message = texts[-1] if len(texts) > 1 else joined  # the detailed line, not the heading
        if re.search(re.escape(self.t.EXPIRED), joined, re.IGNORECASE):
            if expired_ok:
                return
            raise SessionExpired(message, self.NAME)
        if re.search(re.escape(self.t.FORBIDDEN), joined, re.IGNORECASE):
            raise AccessDenied(message, self.NAME)
        if re.search(re.escape(self.t.MAINTENANCE), joined, re.IGNORECASE):
            raise PortalError(message, PortalErrorKind.MAINTENANCE, self.NAME)
        if re.search(re.escape(self.t.SYSTEM_ERROR), joined, re.IGNORECASE):
            raise PortalError(message, PortalErrorKind.SYSTEM_ERROR, self.NAME)
        raise PortalError(message, PortalErrorKind.STALE_FORM, self.NAME)

    def message(self) -> str | None:
        """The success or error line the portal shows now (role status/alert), if any."""
        for role in ("alert", "status"):
            texts = [t.strip() for t in self._visible(self.page.get_by_role(role)).all_inner_texts()]
            texts = [t for t in texts if t]
            if texts:
                return texts[0]
        return None

    def screenshot(self, path: str) -> None:
        """Save what the page shows now (for a failure report)."""
        self.page.screenshot(path=path, full_page=True)
