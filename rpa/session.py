"""Browser lifecycle in one place: a Playwright driver per thread, one shared Chromium, a context per account.

    with BrowserSession(settings) as browser:
        with browser.account_context(account) as session:
            workplaces = session.ensure_logged_in()

Each account gets its own BrowserContext (cookies, downloads), so several accounts can be open at
once. After a login the context's storage state is kept in `<state_dir>/sessions/<account>.json`
(mode 0600, directory 0700) and reused by the next run.

Login and tracing: the password is typed into the page, and a Playwright trace records what was
typed. Nothing here starts tracing; flows start trace chunks only after `ensure_logged_in()` returns.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from loguru import logger

from rpa.accounts import Account, check_code_allowed
from rpa.browser import BrowserChoice, find_chromium
from rpa.errors import AccountBlocked, ConfigError, LoginNeeded
from rpa.resilience import PortalGuard
from rpa.secrets import Prompter, code_from_command, code_from_mock
from rpa.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

    from rpa.pages import EDevletLoginPage, PagePolicy, StartPage, WorkplacesPage
    from rpa.pages.inspection import ScreenInspection
    from rpa.shared_browser import SharedChromium
    from rpa.store.sessions import SharedSessions


# Playwright's driver is a Node.js process per worker. Its young generation at 1 MB: measured at
# --parallel 4 (8 accounts x 2 workplaces x 2 contracts), the drivers' PSS fell from 439 to 357 MB for
# the same CPU time. A NODE_OPTIONS of the user's that sets it already wins.
NODE_YOUNG_GENERATION = "--max-semi-space-size=1"


def _lean_driver() -> None:
    options = os.environ.get("NODE_OPTIONS", "")
    if "--max-semi-space-size" not in options:
        os.environ["NODE_OPTIONS"] = f"{options} {NODE_YOUNG_GENERATION}".strip()


TRACES_PREFIX = "katip-traces-"


def tracing_buffer() -> Path:
    """A fresh 0700 folder in the temp dir for Playwright's raw trace chunks (every request and page of
    the items in progress, TC numbers included), deleted with the browser.

    Not under the state dir: it is the browser's working memory, not the robot's record; only the
    failed items' traces are kept, redacted, as evidence. A process killed with -9 cannot delete its
    folder, so the next start deletes those whose process is gone (the pid is in the name)."""
    temp = Path(tempfile.gettempdir())
    for stale in temp.glob(f"{TRACES_PREFIX}*-*"):
        pid = stale.name[len(TRACES_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and stale.is_dir() and stale.stat().st_uid == os.getuid():
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{TRACES_PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_private_json(path: Path, data: dict) -> None:
    """Write `data` to `path` atomically, readable by us only (0600)."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        json.dump(data, handle)
    os.replace(tmp, path)


class BrowserSession:
    """One Playwright driver on the shared Chromium (or its own); closes every account context on exit."""

    def __init__(self, settings: Settings, browser: Browser | None = None, shared: bool | None = None,
                 guard: PortalGuard | None = None) -> None:
        """`browser`: use a Chromium someone else started and will close (tests share one per session).

        `shared`: connect to the process-wide Chromium (`rpa.shared_browser`) instead of launching one;
        by default as `settings.shared_browser` says, and only when headless.
        `guard`: the run's breaker, politeness gap and session cap (every worker of a run passes the same
        one); by default a guard of this session's own, from the settings."""
        self.settings = settings
        self.guard = guard or PortalGuard.for_settings(settings)
        self.words = settings.words()  # the portal profile is read once per browser
        self._playwright: Playwright | None = None
        self._browser: Browser | None = browser
        self._owns_browser = browser is None
        self._share = (settings.shared_browser and settings.headless) if shared is None else shared
        self._shared: SharedChromium | None = None
        self._open: list[AccountSession] = []
        self._traces: Path | None = None
        self._sessions: SharedSessions | None = None

    def shared_sessions(self) -> SharedSessions | None:
        """The saved sessions shared in the database (KATIP_SECRET_KEY set), or None: this machine's only."""
        if self._sessions is None and self.settings.shares_sessions():
            from rpa.store.sessions import SharedSessions

            assert self.settings.secret_key is not None and self.settings.database_url is not None
            self._sessions = SharedSessions(self.settings.database_url, self.settings.secret_key.get_secret_value(),
                                            self.settings.portal_url)
        return self._sessions

    def __enter__(self) -> BrowserSession:
        from playwright.sync_api import sync_playwright

        if not self._owns_browser:
            return self

        choice = find_chromium(self.settings.browser_path, self.settings.headless)
        _lean_driver()  # the driver inherits this process's environment
        self._playwright = sync_playwright().start()
        try:
            if self._share:
                self._browser = self._connect_shared(choice)
            else:
                # Ctrl-C reaches the Playwright driver too; by default it would close Chromium at once,
                # killing the items in progress. The run stops itself between items (`rpa.parallel`).
                # Traces go to a private folder of ours that goes with the browser: without one, every
                # saved trace chunk leaves an empty `playwright-tracing-*` folder in the temp dir.
                self._traces = tracing_buffer()
                self._browser = self._playwright.chromium.launch(
                    **choice.launch_kwargs(self.settings.headless), handle_sigint=False, traces_dir=self._traces
                )
        except BaseException:
            self._playwright.stop()
            self._playwright = None
            raise
        return self

    def _connect_shared(self, choice: BrowserChoice) -> Browser:
        from rpa import shared_browser

        assert self._playwright is not None
        self._shared = shared_browser.acquire(choice, self.settings.headless)
        try:
            return self._playwright.chromium.connect_over_cdp(
                self._shared.endpoint, timeout=shared_browser.START_TIMEOUT_S * 1000
            )
        except BaseException:
            shared_browser.release(self._shared)
            self._shared = None
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for session in list(self._open):
            session.close()
        if not self._owns_browser:
            return
        try:
            if self._browser is not None:
                self._browser.close()  # over CDP: drops our contexts and disconnects; Chromium stays
        except Exception as exc:  # a crashed browser may not close cleanly
            logger.debug("closing the browser: {}", exc)
        finally:
            if self._playwright is not None:
                self._playwright.stop()
            if self._shared is not None:
                from rpa import shared_browser

                shared_browser.release(self._shared)
            if self._traces is not None:
                shutil.rmtree(self._traces, ignore_errors=True)
            self._browser = self._playwright = self._shared = None
            self._traces = None

    def failure(self) -> str | None:
        """Why the shared Chromium this session used is gone, if it died (None otherwise)."""
        return self._shared.failure() if self._shared is not None else None

    @property
    def browser(self) -> Browser:
        """The running Chromium (only inside the `with` block)."""
        if self._browser is None:
            raise RuntimeError("BrowserSession is not started: use it as a context manager.")
        return self._browser

    def account_context(self, account: Account, prompter: Prompter | None = None) -> AccountSession:
        """A fresh browser context for this account, with its saved session if there is one."""
        start_url = self.settings.start_url()
        check_code_allowed(account, start_url)
        state_file = self.settings.sessions_dir() / f"{account.file_key}.json"
        self._take_shared_session(account, state_file)
        options: dict = {"accept_downloads": True, "locale": "tr-TR", "timezone_id": "Europe/Istanbul"}
        try:
            context = self.browser.new_context(
                **options, storage_state=str(state_file) if state_file.is_file() else None
            )
        except Exception as exc:  # a damaged state file: start clean rather than stop the account
            logger.bind(account=account.name).warning("saved session unreadable ({}); starting fresh", exc)
            context = self.browser.new_context(**options)
        context.set_default_timeout(self.settings.timeout_ms)
        context.set_default_navigation_timeout(self.settings.timeout_ms)
        session = AccountSession(self, account, context, state_file, prompter)
        self._open.append(session)
        return session

    def _take_shared_session(self, account: Account, state_file: Path) -> None:
        """The account's latest session from any machine, into its file here (the shared copy wins)."""
        try:
            shared = self.shared_sessions()
            state = shared.load(account.tc) if shared is not None else None
        except Exception as exc:  # the shared database is down: this machine's own session still works
            logger.bind(account=account.name).warning("shared sessions unavailable: {}", type(exc).__name__)
            return
        if state is not None:
            write_private_json(state_file, state)

    def _forget(self, session: AccountSession) -> None:
        if session in self._open:
            self._open.remove(session)


class AccountSession:
    """One account's browser context and page, and how it gets (and stays) logged in."""

    def __init__(
        self,
        owner: BrowserSession,
        account: Account,
        context: BrowserContext,
        state_file: Path,
        prompter: Prompter | None = None,
    ) -> None:
        self.owner = owner
        self.account = account
        self.context = context
        self.state_file = state_file
        self.prompter = prompter
        self.settings = owner.settings
        self.guard = owner.guard
        self._page: Page | None = None
        self.log = logger.bind(account=account.name)

    def __enter__(self) -> AccountSession:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def page(self) -> Page:
        """The account's one tab (opened on first use)."""
        if self._page is None or self._page.is_closed():
            self._page = self.context.new_page()
        return self._page

    @property
    def policy(self) -> PagePolicy:
        """Start URL and timeouts for this account's page objects."""
        from rpa.pages import PagePolicy

        return PagePolicy(self.settings.start_url(), self.settings.timeout_ms, self.guard, self.owner.words)

    def portal(self) -> StartPage:
        """The start page object (not opened yet)."""
        from rpa.pages import StartPage

        return StartPage(self.page, self.policy)

    def inspection(self, timeout_ms: int | None = None) -> ScreenInspection:
        """Whatever screen the tab shows, to be read for the robot's words (`katip selfcheck`)."""
        from dataclasses import replace

        from rpa.pages.inspection import ScreenInspection

        policy = self.policy if timeout_ms is None else replace(self.policy, timeout_ms=timeout_ms)
        return ScreenInspection(self.page, policy)

    def ensure_logged_in(self) -> WorkplacesPage:
        """The Kurumsal workplace list: through the saved session if it still works, else by logging in
        unattended if the account allows it (password without a prompt, code mock/command); otherwise
        LoginNeeded."""
        found = self.portal().open().reach_corporate()
        if found is not None:
            self.log.info("saved session still valid")
            return found
        blocked = self.blocked()
        if blocked:  # the portal said so at the last try: no use asking a person to log in again
            raise AccountBlocked(self.account.name, blocked)
        blocker = self.account.unattended_blocker(self.settings.state_dir)
        if blocker:
            raise LoginNeeded(self.account.name, blocker)
        return self._log_in(self._login_page(), prompter=None)

    def login(self) -> WorkplacesPage:
        """Log in now (asking the prompter for a 'prompt' password or code) and save the session."""
        start = self.portal().open()
        found = start.reach_corporate()
        if found is not None:
            self.save()
            return found
        return self._log_in(self._login_page(), self.prompter)

    def wait_for_manual_login(self, timeout_s: float) -> WorkplacesPage:
        """For a person at a visible browser: type the TC number, then wait while they finish e-Devlet."""
        found = self.portal().open().reach_corporate()
        if found is None:
            login_page = self._login_page()
            login_page.prefill(self.account.tc)
            self.log.info("waiting up to {} s for the e-Devlet login in the browser", int(timeout_s))
            found = login_page.wait_for_person(int(timeout_s * 1000))
            if found is None:
                raise LoginNeeded(self.account.name, f"no login within {int(timeout_s)} s")
        self.save()
        return found

    @property
    def blocked_file(self) -> Path:
        """Where the portal's last refusal for good is kept (beside the saved session)."""
        return self.state_file.with_suffix(".blocked.json")

    def blocked(self) -> str | None:
        """The portal's reason if it refused this account for good at the last login (None otherwise)."""
        try:
            return str(json.loads(self.blocked_file.read_text(encoding="utf-8"))["reason"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _remember_blocked(self, reason: str) -> None:
        fd = os.open(self.blocked_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"reason": reason}, handle, ensure_ascii=False)

    def save(self) -> Path:
        """Write the context's storage state (cookies) to the account's file, readable by us only."""
        state = self.context.storage_state()
        write_private_json(self.state_file, dict(state))
        self.blocked_file.unlink(missing_ok=True)  # a login went through: whatever blocked it is fixed
        self._share(lambda shared: shared.save(self.account.tc, dict(state)))
        self.log.info("session saved")
        return self.state_file

    def _share(self, change: Callable[[SharedSessions], None]) -> None:
        try:
            shared = self.owner.shared_sessions()
            if shared is not None:
                change(shared)
        except Exception as exc:  # a shared copy is a convenience: the run goes on without it
            self.log.warning("shared session not updated: {}", type(exc).__name__)

    def forget(self) -> None:
        """Drop the saved session (file and cookies), e.g. after the portal refused it."""
        self.state_file.unlink(missing_ok=True)
        self._share(lambda shared: shared.forget(self.account.tc))
        self.context.clear_cookies()

    def free_memory(self) -> None:
        """Collect the tab's JavaScript garbage now (between workplaces).

        Chromium keeps the one renderer of an account's tab through every page of its run and collects
        lazily: measured at --parallel 4 with 10 contracts per account, the renderers' PSS peaked at
        591 MB, and 271 MB with a collection before each workplace (the whole robot: 1364 -> 1056 MB)."""
        if self._page is None or self._page.is_closed():
            return
        try:
            cdp = self.context.new_cdp_session(self._page)
            try:
                cdp.send("HeapProfiler.collectGarbage")
            finally:
                cdp.detach()
        except Exception as exc:  # a memory nicety must never fail the run
            self.log.debug("garbage collection skipped: {}", exc)

    def close(self) -> None:
        """Close the context (its page and downloads go with it)."""
        self.owner._forget(self)
        try:
            self.context.close()
        except Exception as exc:  # the browser may already be gone at shutdown
            self.log.debug("context close: {}", exc)

    # --- login steps -------------------------------------------------------------------------------

    def _login_page(self) -> EDevletLoginPage:
        from rpa.pages import EDevletLoginPage

        return EDevletLoginPage(self.page, self.policy)

    def _log_in(self, login_page: EDevletLoginPage, prompter: Prompter | None) -> WorkplacesPage:
        account = self.account
        password = account.password.resolve(account.name, prompter, f"e-Devlet Şifresi ({account.name})",
                                            self.settings.state_dir)
        try:
            two_step = login_page.login(account.tc, password)
        except AccountBlocked as exc:
            self._remember_blocked(exc.reason)
            raise AccountBlocked(account.name, exc.reason, exc.page) from None
        choice = two_step.confirm(self._code(prompter))
        workplaces = choice.corporate()
        self.log.info("logged in as {}", account.masked_tc)
        self.save()
        return workplaces

    def _code(self, prompter: Prompter | None) -> str:
        """The two-step code, from where the account says it comes."""
        source = self.account.code
        if source.kind == "mock":
            return code_from_mock(self.settings.start_url(), self.account.tc, self.settings.timeout_ms / 1000)
        if source.kind == "command":
            return code_from_command(source.command, {"KATIP_ACCOUNT": self.account.name})
        if prompter is None:
            raise LoginNeeded(self.account.name, "its code is 'prompt'")
        code = prompter.code(f"Doğrulama Kodu ({self.account.name})").strip()
        if not code:
            raise ConfigError("No two-step code given.")
        return code
