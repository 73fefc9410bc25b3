"""What the console runs in the background: one thread per run (through `rpa.app.runs.start`) and one
per login (through `rpa.app.login.log_in`), with their live progress, stop tokens and code prompts."""

from __future__ import annotations

import queue
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from loguru import logger

from rpa.app.control import StopToken
from rpa.app.requests import RunRequest
from rpa.errors import ConfigError
from rpa.history import RunRecord
from rpa.logs import mask_numbers
from rpa.settings import Settings

START_WAIT_S = 60.0  # a run has its id once its settings and accounts are checked: seconds at most
LoginState = Literal["running", "code_needed", "done", "failed"]


@dataclass
class AccountProgress:
    """One account's place in a run, for the live view."""

    state: str = "waiting"  # waiting | working | done | login_needed | busy | failed
    done: int = 0
    total: int = 0
    current: str = ""


class LiveProgress:
    """The app layer's Progress, kept for the pages and `GET /api/runs/<id>`."""

    def __init__(self) -> None:
        self.run_id: str | None = None
        self.accounts: dict[str, AccountProgress] = {}
        self.started_event = threading.Event()
        self._lock = threading.Lock()

    def started(self, run_id: str, accounts: list[str]) -> None:
        """The run has its id."""
        with self._lock:
            self.run_id = run_id
            self.accounts = {name: AccountProgress() for name in accounts}
        self.started_event.set()

    def account(self, name: str) -> None:
        """An account starts."""
        with self._lock:
            self.accounts.setdefault(name, AccountProgress()).state = "working"

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """A workplace finished."""
        with self._lock:
            entry = self.accounts.setdefault(account, AccountProgress())
            entry.done, entry.total, entry.current = done, total, mask_numbers(name)

    def account_done(self, name: str, outcome: str) -> None:
        """An account ended."""
        with self._lock:
            entry = self.accounts.setdefault(name, AccountProgress())
            entry.state, entry.current = outcome, ""

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Per account: state, done, total, current workplace."""
        with self._lock:
            return {name: vars(p).copy() for name, p in self.accounts.items()}


@dataclass
class ConsoleRun:
    """A run started from the console, in its own thread."""

    request: RunRequest
    progress: LiveProgress = field(default_factory=LiveProgress)
    stop: StopToken = field(default_factory=StopToken)
    record: RunRecord | None = None
    error: str | None = None
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def id(self) -> str | None:
        return self.progress.run_id


class RunJobs:
    """The console's runs: start one in a thread, find it by id, stop it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runs: dict[str, ConsoleRun] = {}
        self._lock = threading.Lock()

    def start(self, request: RunRequest) -> ConsoleRun:
        """Start `request` in a thread; returns once it has its id (ConfigError saying why it cannot run)."""
        from rpa.app import distributed, runs

        if distributed.installed() and request.flow in distributed.DISTRIBUTED_FLOWS:
            request = request.model_copy(update={"distributed": True})  # a broker is set: to the workers
        job = ConsoleRun(request=request)

        def work() -> None:
            try:
                job.record = runs.start(self.settings, request, progress=job.progress, stop=job.stop).record
            except Exception as error:  # the page shows it; the run's own record says failed
                job.error = mask_numbers(str(error) if isinstance(error, ConfigError)
                                         else f"{type(error).__name__}: {error}")
                if not isinstance(error, ConfigError):
                    logger.opt(exception=error).error("console run failed")
            finally:
                job.finished.set()
                job.progress.started_event.set()

        threading.Thread(target=work, name=f"console-{request.flow}", daemon=True).start()
        job.progress.started_event.wait(START_WAIT_S)
        if job.id is None:
            job.finished.wait(1.0)
            raise ConfigError(job.error or "the run did not start")
        with self._lock:
            self._runs[job.id] = job
        return job

    def get(self, run_id: str) -> ConsoleRun | None:
        """The console's run with this id (None: not started here, or by another process)."""
        with self._lock:
            return self._runs.get(run_id)

    def active(self) -> list[ConsoleRun]:
        """Runs still going on, oldest first."""
        with self._lock:
            return [job for job in self._runs.values() if not job.finished.is_set()]

    def approving(self, contract_no: str) -> bool:
        """Whether a run in progress was started for exactly this contract."""
        return any(getattr(job.request, "contracts", None) == [contract_no] for job in self.active())


class WebPrompter:
    """The Prompter of a login started in the browser: the code comes from what the clerk types."""

    def __init__(self, job: LoginJob, timeout_s: float, password: str | None = None) -> None:
        self.job, self.timeout_s, self._password = job, timeout_s, password

    def password(self, question: str) -> str:
        """An account with `password: prompt`: the password typed with "Giriş yap" (kept in memory, once)."""
        given, self._password = self._password, None
        if not given:
            raise ConfigError(f"{question}: şifre 'prompt' — Giriş yap ile şifreyi de yazın ya da hesapla kaydedin / "
                              "the password is 'prompt': type it with the login, or keep it with the account "
                              "(Hesaplar → Düzenle / Accounts → Edit)")
        return given

    def code(self, question: str) -> str:
        """Ask the page for the two-step code and wait for it."""
        self.job.set("code_needed", f"{question}: SMS ile gelen kodu yazın / type the code from the SMS")
        try:
            return self.job.codes.get(timeout=self.timeout_s)
        except queue.Empty:
            raise ConfigError(f"{int(self.timeout_s)} s içinde kod girilmedi / no code within "
                              f"{int(self.timeout_s)} s") from None


@dataclass
class LoginJob:
    """One login in progress or ended."""

    id: str
    account: str
    state: LoginState = "running"
    message: str = "giriş yapılıyor / logging in"
    codes: queue.Queue[str] = field(default_factory=queue.Queue)

    def set(self, state: LoginState, message: str) -> None:
        self.state, self.message = state, message


class LoginJobs:
    """The console's logins: one thread each, at most one per account at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jobs: dict[str, LoginJob] = {}
        self._lock = threading.Lock()

    def start(self, name: str, password: str | None = None) -> LoginJob:
        """Start logging `name` in (or return its login in progress); ConfigError if there is no such account.

        `password`: for an account whose password is 'prompt' (used once, never kept)."""
        from rpa.app.login import account_named

        account_named(self.settings, name)
        with self._lock:
            for job in self._jobs.values():
                if job.account == name and job.state in ("running", "code_needed"):
                    return job
            job = LoginJob(id=secrets.token_urlsafe(9), account=name)
            self._jobs[job.id] = job
        prompter = WebPrompter(job, self.settings.login_timeout_s, password)
        threading.Thread(target=self._work, args=(job, prompter), name=f"console-login-{name}", daemon=True).start()
        return job

    def _work(self, job: LoginJob, prompter: WebPrompter) -> None:
        from rpa.app.login import log_in
        from rpa.errors import KatipError

        try:
            done = log_in(self.settings, job.account, prompter=prompter)
            job.set("done", f"oturum kaydedildi / session saved for '{done.account}' ({done.masked_tc})")
        except (KatipError, ConfigError) as error:
            job.set("failed", mask_numbers(str(error)))
        except Exception as error:  # a browser that would not start, a portal that went away
            logger.opt(exception=error).error("console login of {} failed", job.account)
            job.set("failed", mask_numbers(f"{type(error).__name__}: {error}"))

    def get(self, login_id: str) -> LoginJob | None:
        with self._lock:
            return self._jobs.get(login_id)

    def give_code(self, login_id: str, code: str) -> bool:
        """Hand the clerk's code to a login waiting for it; False if it is not waiting."""
        job = self.get(login_id)
        if job is None or job.state != "code_needed":
            return False
        job.set("running", "kod gönderildi / code sent")
        job.codes.put(code)
        return True
