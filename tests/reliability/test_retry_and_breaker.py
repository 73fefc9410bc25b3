"""Retries know portal faults from data faults; the breaker, the politeness gap and the session cap."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from rpa.errors import AccessDenied, BusinessError, PortalError, PortalErrorKind, SessionExpired
from rpa.flows.retry import Attempts, RetryPolicy, retrying
from rpa.resilience import CircuitBreaker, PolitenessLimiter, PortalGuard, SessionSlots

POLICY = RetryPolicy(attempts=4, first_wait_s=0.2, factor=2.0, max_wait_s=0.5)


class Clock:
    """A fake monotonic clock that `sleep` moves on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def failing(*errors: BaseException, then: str = "ok"):
    """A step that raises `errors` one per call, then returns `then`; `.calls` counts the calls."""
    queue = list(errors)

    def step() -> str:
        step.calls += 1
        if queue:
            raise queue.pop(0)
        return then

    step.calls = 0
    return step


def server_error() -> PortalError:
    return PortalError("Sistem hatası", PortalErrorKind.SYSTEM_ERROR)


def maintenance() -> PortalError:
    return PortalError("Sistem bakımda", PortalErrorKind.MAINTENANCE)


class PlaywrightTimeout(Exception):
    """Looks like playwright's own TimeoutError to `is_portal_fault`."""


PlaywrightTimeout.__module__ = "playwright._impl._errors"
PlaywrightTimeout.__name__ = "TimeoutError"


@pytest.mark.parametrize("data_fault", [BusinessError("SGK kaydı bulunamadı."), AccessDenied("yetki yok")])
def test_a_data_fault_is_reported_at_once_and_never_retried(data_fault):
    step = failing(data_fault)
    with pytest.raises(type(data_fault)):
        retrying(step, what="verify", recover=lambda: None, policy=POLICY, sleep=lambda _s: None)
    assert step.calls == 1


def test_faults_in_a_row_are_retried_at_once_then_with_growing_jittered_capped_waits_then_given_up():
    step, clock, recovered = failing(*[server_error() for _ in range(10)]), Clock(), []
    attempts = Attempts()
    with pytest.raises(PortalError):
        retrying(step, what="approve", recover=lambda: recovered.append(1), policy=POLICY, sleep=clock.sleep,
                 attempts=attempts)
    assert step.calls == 4 and len(recovered) == 3 and attempts.count == 4
    first, second, third = clock.slept
    assert first == 0.0 and 0.1 <= second <= 0.2 and 0.2 <= third <= 0.4


def test_a_step_whose_pages_answer_between_its_faults_is_retried_without_waiting():
    """A step of several requests under a portal failing one in five: each try met one fault, but the
    portal answered in between (a page reported ok), so no try waits."""
    guard, clock = PortalGuard(), Clock()
    errors = [server_error() for _ in range(3)]

    def step() -> str:
        guard.page_ok()  # the step's first page answered
        if errors:
            raise errors.pop()
        return "ok"

    assert retrying(step, what="approve", recover=lambda: None, policy=POLICY, sleep=clock.sleep,
                    guard=guard) == "ok"
    assert clock.slept == [0.0, 0.0, 0.0]


def test_the_wait_grows_with_the_portals_faults_in_a_row_across_workers_and_an_answer_resets_it():
    guard = PortalGuard()
    waits = []
    for _ in range(4):  # four faults, as if met by different workers, no page answering between them
        guard.fault(server_error())
        waits.append(guard.retry_wait_s(0.2, 2.0, 0.5))
    assert waits[0] == 0.0 and 0.1 <= waits[1] <= 0.2 and 0.2 <= waits[2] <= 0.4 and 0.25 <= waits[3] <= 0.5
    guard.page_ok()
    guard.fault(server_error())
    assert guard.retry_wait_s(0.2, 2.0, 0.5) == 0.0
    guard.fault(SessionExpired("Oturumunuzun süresi doldu."))  # an idle-out is no sign of a failing portal
    assert guard.retry_wait_s(0.2, 2.0, 0.5) == 0.0


def test_a_playwright_timeout_that_escaped_a_page_object_is_retried_like_a_portal_fault():
    step = failing(PlaywrightTimeout("Timeout 10000ms exceeded"))
    assert retrying(step, what="open", recover=lambda: None, policy=POLICY, sleep=lambda _s: None) == "ok"
    assert step.calls == 2


def test_after_an_idle_out_the_next_try_logs_in_at_once_without_waiting():
    clock = Clock()
    step = failing(SessionExpired("Oturumunuzun süresi doldu."))
    assert retrying(step, what="open", recover=lambda: None, policy=POLICY, sleep=clock.sleep) == "ok"
    assert clock.slept == [0.0] or clock.slept == []


def test_maintenance_pauses_the_run_for_the_cool_down_instead_of_failing_the_item():
    clock = Clock()
    guard = PortalGuard(breaker=CircuitBreaker(threshold=5, cooldown_s=30, max_cooldown_s=120, clock=clock))
    step = failing(*[maintenance() for _ in range(6)])  # six answers "bakımda": more than the item's four tries
    assert retrying(step, what="approve", recover=lambda: None, policy=POLICY, sleep=clock.sleep,
                    guard=guard) == "ok"
    assert sum(clock.slept) >= 6 * 30  # each "bakımda" answer: one cool-down, no item try used up
    assert guard.breaker.stats.breaker_opened == 6 and not guard.breaker.is_open


def test_without_the_breaker_the_same_maintenance_fails_the_item_after_its_tries():
    step = failing(*[maintenance() for _ in range(6)])
    with pytest.raises(PortalError):
        retrying(step, what="approve", recover=lambda: None, policy=POLICY, sleep=lambda _s: None)
    assert step.calls == 4


def test_consecutive_portal_faults_open_the_breaker_and_one_success_closes_it():
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown_s=10, clock=clock)
    assert [breaker.record_fault(server_error()) for _ in range(3)] == [False, False, True]
    assert breaker.is_open
    breaker.wait_if_open(clock.sleep)
    assert clock.slept == [10] and not breaker.is_open
    breaker.record_success()
    assert breaker.record_fault(server_error()) is False  # the count starts again


def test_a_long_outage_stops_being_absorbed_so_items_fail_rather_than_wait_for_ever():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown_s=100, max_cooldown_s=100, max_pause_s=250, clock=clock)
    absorbed = []
    for _ in range(6):
        absorbed.append(breaker.record_fault(maintenance()))
        breaker.wait_if_open(clock.sleep)
    assert absorbed == [True, True, True, False, False, False]


def test_the_politeness_gap_spaces_steps_of_all_threads():
    # A frozen clock: every caller arrives "at once", so each must be given its own slot one gap later
    # than the previous one, whichever thread it runs in (real time would make this flaky under load).
    limiter = PolitenessLimiter(min_gap_s=0.5, clock=lambda: 100.0, sleep=lambda _s: None)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(3):
            waited = limiter.wait()
            with lock:
                waits.append(waited)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == [0.5 * k for k in range(12)]


def test_no_more_accounts_are_logged_in_at_once_than_the_session_cap():
    slots = SessionSlots(2)
    inside = threading.Barrier(2, timeout=5)

    def account() -> None:
        with slots.slot():
            with contextlib.suppress(threading.BrokenBarrierError):
                inside.wait()  # two at a time do get in together
            time.sleep(0.01)

    threads = [threading.Thread(target=account) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert slots.peak == 2 and slots.in_use == 0


def test_after_the_cool_down_one_random_fault_does_not_pause_the_run_again():
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown_s=10, clock=clock)
    for _ in range(3):
        breaker.record_fault(server_error())
    breaker.wait_if_open(clock.sleep)
    assert breaker.record_fault(server_error()) is False and not breaker.is_open
    assert breaker.record_fault(maintenance()) is True  # maintenance still pauses at once


def test_each_run_has_its_own_guard_so_one_runs_open_breaker_never_pauses_another():
    from rpa.settings import Settings

    settings = Settings(portal_url="http://127.0.0.1:9", breaker_threshold=1, breaker_cooldown_s=60)
    first, second = PortalGuard.for_settings(settings), PortalGuard.for_settings(settings)
    assert first.breaker is not None and second.breaker is not None
    first.breaker.record_fault(maintenance())
    assert first.breaker.is_open and not second.breaker.is_open
    assert (first.limiter, first.slots) != (second.limiter, second.slots)


def test_a_fault_seen_by_a_page_and_then_by_the_step_retry_counts_once():
    guard = PortalGuard(breaker=CircuitBreaker(threshold=2, cooldown_s=30, clock=Clock()))
    fault = server_error()
    assert guard.page_fault(fault) is True  # the page reloads once...
    assert guard.fault(fault) is False  # ...then gives up: the step's retry sees the same fault
    assert guard.stats.faults == {"SystemError500": 1} and not guard.breaker.is_open


def test_random_faults_between_pages_that_answer_never_pause_the_run_but_a_dead_portal_does():
    clock = Clock()
    guard = PortalGuard(breaker=CircuitBreaker(threshold=3, cooldown_s=30, clock=clock))
    for _ in range(20):  # one request in three fails; the others answer
        guard.fault(server_error())
        guard.page_ok()
        guard.page_ok()
    assert guard.stats.breaker_opened == 0
    assert [guard.fault(server_error()) for _ in range(3)] == [False, False, True]  # nothing answers any more


def test_idle_outs_neither_count_nor_pause():
    guard = PortalGuard(breaker=CircuitBreaker(threshold=2, cooldown_s=30, clock=Clock()))
    assert [guard.fault(SessionExpired("Oturumunuzun süresi doldu.")) for _ in range(5)] == [False] * 5
    assert not guard.breaker.is_open and guard.fault(server_error()) is False


@pytest.mark.parametrize("error", [
    PortalError("Sistem hatası", PortalErrorKind.SYSTEM_ERROR, "contracts"),
    SessionExpired("Oturumunuzun süresi doldu.", "shell"),
    AccessDenied("Bu işyerine erişim yetkiniz bulunmamaktadır.", "workplaces"),
])
def test_errors_survive_a_copy_and_a_pickle_as_they_were(error):
    import copy
    import pickle

    for again in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert (type(again), str(again), again.__dict__) == (type(error), str(error), error.__dict__)


def test_a_login_needed_and_a_form_refusal_keep_their_details_through_a_pickle():
    import pickle

    from rpa.errors import FormRejected, LoginNeeded

    login = pickle.loads(pickle.dumps(LoginNeeded("firma", "its code is 'prompt'")))
    form = pickle.loads(pickle.dumps(FormRejected("İl seçiniz.", ["İl seçiniz."], "contact")))
    assert (login.account, login.reason, str(login).startswith("Account 'firma'")) == ("firma", "its code is 'prompt'",
                                                                                         True)
    assert (form.field_errors, form.page) == (["İl seçiniz."], "contact")
