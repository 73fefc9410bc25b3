"""Ask the portal for the account's current E-Bildirge workplaces, and collect the new rows when they show.

"E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir" only files a request: the new rows appear later,
minutes to hours on the real portal ("sistem güncellemesi sonrası tekrar kontrol edilmelidir"). So the
work is two steps a run can take apart: `file_request` (read the list, press the button) for every
account first, then `collect` (reload with growing pauses until a row not in `known` shows, or until a
deadline every account shares). `run` does both for one account. "Nothing new" is a normal answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from loguru import logger
from pydantic import BaseModel

from rpa.errors import AccountBlocked, KatipError, LoginNeeded
from rpa.flows.common import ItemRunner, Navigator, Screen, error_text, evidence_recorder
from rpa.flows.ports import PortalSession
from rpa.flows.results import RefreshResult
from rpa.flows.retry import DEFAULT_POLICY, RetryPolicy
from rpa.models import Workplace

FIRST_PAUSE_S = 0.5
MAX_PAUSE_S = 5.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class RefreshRequest(BaseModel):
    """What to refresh for one account."""

    account: str
    refresh: bool = True  # False: only read the list as it is
    wait_s: float = 60.0  # how long to keep reloading for new rows
    evidence_dir: Path | None = None


class CollectRequest(BaseModel):
    """Look for the rows a refresh request brings: `known` is the list as it was before the request."""

    account: str
    known: set[str] | None = None  # None: no request on record, nothing is new
    deadline: float = 0.0  # on the run's clock; 0: look once
    evidence_dir: Path | None = None


def run(session: PortalSession, request: RefreshRequest, *, policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Sleep = time.sleep, clock: Clock = time.monotonic) -> RefreshResult:
    """The account's workplaces, after a refresh request if asked; new ones marked."""
    filed = file_request(session, request, policy=policy, sleep=sleep)
    if not request.refresh or filed.login_needed or filed.error:
        return filed
    known = {w.sicil for w in filed.workplaces}
    collected = collect(session, CollectRequest(account=request.account, known=known,
                                                deadline=clock() + request.wait_s,
                                                evidence_dir=request.evidence_dir),
                        policy=policy, sleep=sleep, clock=clock)
    return collected.model_copy(update={"message": filed.message, "requested": True})


def file_request(session: PortalSession, request: RefreshRequest, *, policy: RetryPolicy = DEFAULT_POLICY,
                 sleep: Sleep = time.sleep) -> RefreshResult:
    """Read the list, then (if asked) press the refresh button; `workplaces` is the list before it."""
    result = RefreshResult(account=request.account)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    with _account(runner, result, "workplaces-refresh"):
        # The first step may log in: it runs before any trace is recorded (the password is typed).
        result.workplaces = list(runner.step("read the workplace list", lambda: nav.workplaces().workplaces()))
        if request.refresh:
            runner.begin("workplaces-refresh")
            result.message = runner.step("request the refresh", lambda: nav.workplaces().request_refresh())
            result.requested = True
            runner.succeeded()
    return result


def collect(session: PortalSession, request: CollectRequest, *, policy: RetryPolicy = DEFAULT_POLICY,
            sleep: Sleep = time.sleep, clock: Clock = time.monotonic) -> RefreshResult:
    """The list now, reloaded until a row not in `known` shows or `deadline` passes; new rows marked."""
    log = logger.bind(flow="refresh", account=request.account)
    result = RefreshResult(account=request.account)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    with _account(runner, result, "workplaces-collect"):
        started = clock()
        rows = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
        runner.begin("workplaces-collect")
        if request.known is not None:
            rows, result.timed_out = _wait_for_new(runner, rows, request.known, request.deadline, sleep, clock)
        result.waited_s = round(clock() - started, 1)
        known = request.known
        result.workplaces = [w.model_copy(update={"new": known is not None and w.sicil not in known}) for w in rows]
        log.info("{} workplaces, {} new", len(result.workplaces), len(result.new))
        runner.succeeded()
    return result


@contextmanager
def _account(runner: ItemRunner, result: RefreshResult, label: str) -> Iterator[None]:
    """Around one account's refresh step: a login needed or a portal failure ends it, with evidence."""
    try:
        yield
    except LoginNeeded as exc:
        result.login_needed = str(exc)
        runner.recorder.discard()
    except AccountBlocked as exc:
        result.error = str(exc)
        runner.recorder.discard()
    except KatipError as exc:
        logger.bind(flow="refresh", account=result.account).error("workplace list failed: {}", exc)
        result.error = error_text(exc)
        result.evidence = runner.failed(label)
    finally:
        runner.recorder.close()


def _wait_for_new(runner: ItemRunner, rows: list[Workplace], known: set[str], deadline: float, sleep: Sleep,
                  clock: Clock) -> tuple[list[Workplace], bool]:
    """Reload until a sicil not in `known` shows or the deadline passes; (rows, timed out)."""
    nav = runner.nav
    pause = FIRST_PAUSE_S
    while not any(w.sicil not in known for w in rows):
        left = deadline - clock()
        if left <= 0:
            return rows, True
        sleep(min(pause, left))
        pause = min(pause * 2, MAX_PAUSE_S)
        runner.step("reload the workplace list", lambda: _reload(nav))
        rows = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
    return rows, False


def _reload(nav: Navigator) -> None:
    nav.at(nav.workplaces().reload(), Screen.WORKPLACES)
