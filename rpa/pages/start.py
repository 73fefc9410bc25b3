"""The start page ("İSG-KATİP", "e-Devlet Giriş") and finding out where a saved session lands."""

from __future__ import annotations

from enum import StrEnum

from playwright.sync_api import Locator, Page

from rpa.pages.base import BasePage, PagePolicy
from rpa.pages.choice import ChoicePage
from rpa.pages.edevlet import EDevletLoginPage
from rpa.pages.shell import WorkplaceShell
from rpa.pages.workplaces import WorkplacesPage


class Screen(StrEnum):
    """Where the start URL (or a click on "e-Devlet Giriş") left us."""

    START = "start"  # the start page: not logged in
    LOGIN = "login"  # the e-Devlet identity page: not logged in
    CHOICE = "choice"  # "Bireysel" / "Kurumsal": logged in
    WORKPLACES = "workplaces"  # the Kurumsal workplace list: logged in
    SHELL = "shell"  # inside a workplace: logged in


LOGGED_IN = (Screen.CHOICE, Screen.WORKPLACES, Screen.SHELL)


class StartPage(BasePage):
    """The portal's start URL: the only address the robot types."""

    NAME = "İSG-KATİP start page"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.login_link = self._clickable(self.t.LOGIN_LINK)
        self.login_heading = self._heading(self.t.LOGIN_HEADING)
        self.corporate_button = self._clickable(self.t.CORPORATE)
        self.workplaces_heading = self._heading(self.t.WORKPLACES_HEADING)
        self.change_workplace_button = self._clickable(self.t.CHANGE_WORKPLACE)

    def open(self) -> StartPage:
        """Go to the start URL (an idle-out message there is expected, not an error; a "Sistem hatası"
        page in its place is reloaded, twice at most)."""
        self._goto(self.policy.start_url, "open the start URL")
        self._await_reloading("open the start URL", *self._screen_markers(), expired_ok=True)
        return self

    def where(self) -> Screen:
        """Which screen shows: the start or login page (logged out) or a logged-in screen."""
        return self._which("recognise the screen", Screen.START)

    def go_to_login(self) -> EDevletLoginPage:
        """Click "e-Devlet Giriş" and wait for the identity page."""
        self._click(self.login_link, "open e-Devlet login")
        self._await("open e-Devlet login", self.login_heading, expired_ok=True)
        return self._next(EDevletLoginPage)

    def enter(self) -> Screen:
        """Click "e-Devlet Giriş" and say where it leads (a live session may skip the login page)."""
        self._click(self.login_link, "open e-Devlet login")
        screens = self._screens()
        index = self._await_reloading("open e-Devlet login", *(locator for locator, _ in screens), expired_ok=True)
        return screens[index][1] if index >= 0 else Screen.LOGIN

    def reach_corporate(self) -> WorkplacesPage | None:
        """From wherever the start URL landed, go on to the workplace list; None when a login is needed."""
        screen = self.where()
        if screen == Screen.START:
            screen = self.enter()
        if screen == Screen.CHOICE:
            return self._next(ChoicePage).corporate()
        if screen == Screen.SHELL:
            return self._next(WorkplaceShell).change_workplace()
        if screen == Screen.WORKPLACES:
            return self._next(WorkplacesPage)
        return None  # the e-Devlet login page is showing

    def _screens(self) -> list[tuple[Locator, Screen]]:
        # Order matters: a logged-in screen wins over a login link that the page may also show.
        return [
            (self.corporate_button, Screen.CHOICE),
            (self.workplaces_heading, Screen.WORKPLACES),
            (self.change_workplace_button, Screen.SHELL),
            (self.login_heading, Screen.LOGIN),
            (self.login_link, Screen.START),
        ]

    def _which(self, intent: str, default: Screen) -> Screen:
        screens = self._screens()
        index = self._await(intent, *(locator for locator, _ in screens), expired_ok=True)
        return screens[index][1] if index >= 0 else default

    def _screen_markers(self) -> list[Locator]:
        return [locator for locator, _ in self._screens()]
