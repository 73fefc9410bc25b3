"""Ask the portal for the account's current E-Bildirge workplaces and wait until new rows show.

"E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir" only files a request: the new rows appear later
("sistem güncellemesi sonrası tekrar kontrol edilmelidir"). So the flow reloads the list with growing
pauses until a new row appears or the time limit passes; "nothing new" is a normal answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from loguru import logger
from pydantic import BaseModel

from rpa.errors import KatipError, LoginNeeded
from rpa.flows.common import ItemRunner, Navigator, Screen, error_text, evidence_recorder
from rpa.flows.ports import PortalSession
from rpa.flows.results import RefreshResult
from rpa.flows.retry import DEFAULT_POLICY, RetryPolicy

FIRST_PAUSE_S = 0.5
MAX_PAUSE_S = 5.0


class RefreshRequest(BaseModel):
    """What to refresh for one account."""

    account: str
    refresh: bool = True  # False: only read the list as it is
    wait_s: float = 60.0  # how long to keep reloading for new rows
    evidence_dir: Path | None = None


def run(
    session: PortalSession,
    request: RefreshRequest,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> RefreshResult:
    """The account's workplaces, after a refresh request if asked; new ones marked."""
    log = logger.bind(flow="refresh", account=request.account)
    result = RefreshResult(account=request.account)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    try:
        # The first step may log in: it runs before any trace is recorded (the password is typed).
        before = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
        if not request.refresh:
            result.workplaces = list(before)
            return result
        runner.begin("workplaces-refresh")
        result.message = runner.step("request the refresh", lambda: nav.workplaces().request_refresh())
        result.requested = True
        known = {w.sicil for w in before}
        after, result.waited_s, result.timed_out = _wait_for_new(runner, known, request.wait_s, sleep, clock)
        result.workplaces = [w.model_copy(update={"new": w.sicil not in known}) for w in after]
        log.info("{} workplaces, {} new", len(result.workplaces), len(result.new))
        runner.succeeded()
    except LoginNeeded as exc:
        result.login_needed = str(exc)
        runner.recorder.discard()
    except KatipError as exc:
        log.error("workplace list failed: {}", exc)
        result.error = error_text(exc)
        result.evidence = runner.failed("workplaces-refresh")
    finally:
        runner.recorder.close()
    return result


def _wait_for_new(
    runner: ItemRunner,
    known: set[str],
    wait_s: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> tuple[list, float, bool]:
    """Reload until a sicil not in `known` shows or `wait_s` passes; (rows, seconds waited, timed out)."""
    nav = runner.nav
    start = clock()
    pause = FIRST_PAUSE_S
    while True:
        rows = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
        waited = clock() - start
        if any(w.sicil not in known for w in rows):
            return rows, waited, False
        if waited >= wait_s:
            return rows, waited, True
        sleep(min(pause, wait_s - waited))
        pause = min(pause * 2, MAX_PAUSE_S)
        runner.step("reload the workplace list", lambda: _reload(nav))


def _reload(nav: Navigator) -> None:
    nav.at(nav.workplaces().reload(), Screen.WORKPLACES)
