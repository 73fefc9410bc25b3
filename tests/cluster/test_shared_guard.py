"""The politeness gap and the session cap across workers, in a real Redis."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from rpa.store.shared_guard import SharedPoliteness, SharedSessionSlots

PORTAL = "http://127.0.0.1:5000/"


def test_two_workers_steps_keep_the_gap_between_them(redis_url):
    gap = 0.1
    first, second = SharedPoliteness(redis_url, PORTAL, gap), SharedPoliteness(redis_url, PORTAL, gap)
    moments: list[float] = []
    lock = threading.Lock()

    def steps(limiter: SharedPoliteness) -> None:
        for _ in range(5):
            limiter.wait()
            with lock:
                moments.append(time.monotonic())

    threads = [threading.Thread(target=steps, args=(limiter,)) for limiter in (first, second)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    moments.sort()
    # Ten steps of two workers, one gap apart in Redis' schedule: never faster than nine gaps (the moments
    # seen here may bunch up when this machine is busy: threads wake late, never early).
    assert len(moments) == 10 and moments[-1] - started >= 9 * gap - 0.02
    assert SharedPoliteness(redis_url, "http://other/", gap).wait() == 0  # another portal: its own gap


def test_the_session_cap_holds_across_workers(redis_url):
    slots = [SharedSessionSlots(redis_url, PORTAL, limit=2) for _ in range(3)]
    holding, peak = [0], [0]
    lock = threading.Lock()

    def work(mine: SharedSessionSlots) -> None:
        for _ in range(2):
            with mine.slot():
                with lock:
                    holding[0] += 1
                    peak[0] = max(peak[0], holding[0])
                time.sleep(0.2)
                with lock:
                    holding[0] -= 1

    threads = [threading.Thread(target=work, args=(s,)) for s in slots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert peak[0] == 2


HOLD_IN_A_CHILD = """
import sys, time
from rpa.store.shared_guard import SharedSessionSlots
with SharedSessionSlots(sys.argv[1], sys.argv[2], limit=1, lease_s=1.5).slot():
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_killed_workers_slot_is_free_again_when_its_lease_runs_out(redis_url):
    child = subprocess.Popen([sys.executable, "-c", HOLD_IN_A_CHILD, redis_url, PORTAL], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        time.sleep(2)  # renewed while it lives
        child.kill()
        child.wait(10)
        started = time.monotonic()
        with SharedSessionSlots(redis_url, PORTAL, limit=1, lease_s=1.5).slot():
            waited = time.monotonic() - started
        assert waited < 5
    finally:
        if child.poll() is None:
            child.kill()
