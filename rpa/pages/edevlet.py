"""e-Devlet identity page and two-step verification.

The password is typed with `fill`; Playwright traces record fill values, so no trace may be running
during login (`rpa.session` never starts one; flows start trace chunks only after login).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pydantic import SecretStr

from rpa.errors import AccountBlocked, LoginFailed
from rpa.pages.base import BasePage, PagePolicy
from rpa.pages.choice import ChoicePage
from rpa.pages.workplaces import WorkplacesPage

# The spec names only the lock-out text; a single wrong or expired code gets whatever the portal
# says about the code, so anything mentioning a wrong, invalid or expired code counts.
CODE_REFUSED = re.compile(r"(doğrulama )?kod\w*.{0,60}(hatalı|geçersiz|süresi (doldu|dolmuş|geçmiş))", re.IGNORECASE)


class EDevletLoginPage(BasePage):
    """e-Devlet Kapısı Kimlik Doğrulama: T.C. Kimlik No, e-Devlet Şifresi, Giriş Yap."""

    NAME = "e-Devlet login page"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.LOGIN_HEADING)
        self.tc_input = page.get_by_label(self.t.TC_FIELD, exact=True)
        self.password_input = page.get_by_label(self.t.PASSWORD_FIELD, exact=True)
        self.login_button = self._clickable(self.t.LOGIN_BUTTON)
        self.two_step_heading = self._heading(self.t.TWO_STEP_HEADING)
        self.refusals = self._text(re.compile(f"{re.escape(self.t.WRONG_PASSWORD)}|{re.escape(self.t.NO_TWO_STEP)}"))

    def prefill(self, tc: str) -> None:
        """Type the TC number only (for a person who completes the login in a visible browser)."""
        with self._step("type the T.C. Kimlik No"):
            self.tc_input.fill(tc)

    def wait_for_person(self, timeout_ms: int) -> WorkplacesPage | None:
        """Wait while a person completes e-Devlet (password, code, retries); None if they do not in time."""
        done = self._clickable(self.t.CORPORATE).or_(self._heading(self.t.WORKPLACES_HEADING))
        try:
            done.first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeoutError:
            return None
        if self._clickable(self.t.CORPORATE).count():
            return self._next(ChoicePage).corporate()
        return self._next(WorkplacesPage)

    def login(self, tc: str, password: SecretStr | str) -> TwoStepPage:
        """Submit number and password; LoginFailed with the portal's text if e-Devlet refuses them."""
        secret = password.get_secret_value() if isinstance(password, SecretStr) else password
        with self._step("fill in the login form"):
            self.tc_input.fill(tc)
            self.password_input.fill(secret)
        self._click(self.login_button, "submit the login form")
        if self._await_answer("submit the login form", self.two_step_heading, self.refusals) == 1:
            said = self.refusals.first.inner_text().strip()
            if self.t.NO_TWO_STEP in said:
                raise AccountBlocked("", said, self.NAME)  # the session names the account
            raise LoginFailed(said, self.NAME)
        return self._next(TwoStepPage)


class TwoStepPage(BasePage):
    """İki Aşamalı Doğrulama: the 6-digit code sent to the registered phone."""

    NAME = "two-step verification page"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.TWO_STEP_HEADING)
        self.code_input = page.get_by_label(self.t.CODE_FIELD, exact=True)
        self.confirm_button = self._clickable(self.t.CODE_BUTTON)
        self.choice_button = self._clickable(self.t.CORPORATE)
        self.locked_out = self._text(self.t.CODE_LOCKED)
        self.refused = self._text(CODE_REFUSED)

    def confirm(self, code: str) -> ChoicePage:
        """Submit the code; LoginFailed with the portal's text when it is wrong, expired or locked out."""
        with self._step("fill in the two-step code"):
            self.code_input.fill(code)
        self._click(self.confirm_button, "submit the two-step code")
        # A fault page after the redirect is the next page's: the code was taken, and that page is reloaded.
        outcome = self._await_answer("submit the two-step code", self.choice_button, self.locked_out, self.refused)
        if outcome == 1:
            raise LoginFailed(self.locked_out.first.inner_text().strip(), self.NAME)
        if outcome == 2:
            raise LoginFailed(self.refused.first.inner_text().strip(), self.NAME)
        return self._next(ChoicePage)
