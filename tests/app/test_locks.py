"""One run per account at a time, across processes: the account lock, its holder, its release on death."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from rpa.app.locks import AccountBusy, FileLocks, Holder, lock_key

TC = "10000000146"
HOLD_IN_A_CHILD = """
import sys, time
from pathlib import Path
from rpa.app.locks import FileLocks, Holder
with FileLocks(Path(sys.argv[1])).hold(sys.argv[2], Holder(run_id="20250301-070000-kill", account="firma"), 0,
                                       lambda: False):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_second_run_on_the_same_account_waits_then_is_told_which_run_holds_it(tmp_path):
    locks = FileLocks(tmp_path)
    with locks.hold(TC, Holder(run_id="run-a", account="firma"), 0, lambda: False):
        started = time.monotonic()
        with pytest.raises(AccountBusy) as busy, locks.hold(TC, Holder(run_id="run-b", account="firma"), 0.5,
                                                             lambda: False):
            pass
        assert time.monotonic() - started >= 0.5
    assert "meşgul / busy: run run-a" in str(busy.value) and busy.value.holder.pid == os.getpid()
    with locks.hold(TC, Holder(run_id="run-b", account="firma"), 0, lambda: False):
        pass  # free again once the first run let go


def test_another_account_is_not_held_up_and_a_stopped_run_stops_waiting_at_once(tmp_path):
    locks = FileLocks(tmp_path)
    with locks.hold(TC, Holder(run_id="run-a", account="a"), 0, lambda: False):
        with locks.hold("38472910510", Holder(run_id="run-b", account="b"), 0, lambda: False):
            pass
        started = time.monotonic()
        with pytest.raises(AccountBusy), locks.hold(TC, Holder(run_id="run-b", account="a"), 30, lambda: True):
            pass
        assert time.monotonic() - started < 5


def test_the_lock_file_is_private_and_its_name_does_not_show_the_tc(tmp_path):
    locks = FileLocks(tmp_path)
    with locks.hold(TC, Holder(run_id="run-a", account="firma"), 0, lambda: False):
        [path] = list((tmp_path / "locks").iterdir())
        assert path.name == f"{lock_key(TC)}.lock" and TC not in path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "locks").stat().st_mode) == 0o700
        assert TC not in path.read_text()


def test_a_run_killed_with_sigkill_frees_its_accounts_at_once(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", HOLD_IN_A_CHILD, str(tmp_path), TC], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(AccountBusy) as busy, FileLocks(tmp_path).hold(TC, Holder(run_id="mine", account="f"),
                                                                            0, lambda: False):
            pass
        assert busy.value.holder is not None and busy.value.holder.run_id == "20250301-070000-kill"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        with FileLocks(tmp_path).hold(TC, Holder(run_id="mine", account="f"), 2, lambda: False):
            pass
    finally:
        if child.poll() is None:
            child.kill()
