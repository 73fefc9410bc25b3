"""The journal, the run history and the account locks on a real PostgreSQL, through the same code as on
SQLite (one code path): what a killed run leaves is seen by the next process, locks die with their holder."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from rpa.app.locks import AccountBusy, FileLocks, Holder, account_locks
from rpa.app.shared_locks import AdvisoryLocks
from rpa.history import RunHistory, RunRecord
from rpa.journal import AccountJournal, Journal, Kind, RunJournal, State
from rpa.settings import Settings

TC = "10000000146"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str | None:
    """None (SQLite files in the state dir) or a new database on the session's PostgreSQL."""
    return None if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def test_the_journal_keeps_runs_actions_and_tries_and_finds_the_unfinished(tmp_path, database_url):
    journal = Journal(tmp_path, database_url)
    run = RunJournal.start(journal, "20250301-070000-abcd", flow="approve", command="katip approve",
                           request={"flow": "approve"}, settings={"out_dir": "/x"})
    view = run.account("firma")
    for state in (State.PLANNED, State.IN_PROGRESS, State.IN_PROGRESS, State.DONE):
        view.mark(Kind.APPROVE, "s1", "2025000001", state, label="sözleşme", detail={"pdf": "a.pdf"})
    view.mark(Kind.APPROVE, "s1", "2025000002", State.IN_PROGRESS)
    run.finish()
    # Another process (a new connection pool) sees what this one committed.
    again = Journal(tmp_path, database_url)
    items = {i.key: i for i in again.items("20250301-070000-abcd")}
    assert (items["2025000001"].state, items["2025000001"].tries) == (State.DONE, 2)
    assert items["2025000001"].detail == {"pdf": "a.pdf"} and items["2025000001"].label == "sözleşme"
    assert [r.run_id for r in again.unfinished_runs()] == ["20250301-070000-abcd"]  # one left in progress
    assert AccountJournal(again, "20250301-070000-abcd", "firma").state(Kind.APPROVE, "2025000002") \
        is State.IN_PROGRESS
    assert again.get_run("20250301-070000").request == {"flow": "approve"}
    assert again.counts("20250301-070000-abcd") == {"done": 1, "in_progress": 1}
    assert again.person_key(TC) == journal.person_key(TC)  # one salt for every process


def test_a_prefix_with_an_underscore_is_matched_literally(tmp_path, database_url):
    journal = Journal(tmp_path, database_url)
    for run_id in ("a_1", "ab1"):
        journal.start_run(run_id, "approve", "katip approve", {}, {})
    assert journal.get_run("a_").run_id == "a_1"
    history = RunHistory(tmp_path, database_url)
    for run_id in ("a_1", "ab1"):
        history.save(RunRecord(id=run_id, flow="approve"))
    assert history.get("a_").id == "a_1"


def test_the_history_records_a_run_once_and_updates_it(tmp_path, database_url):
    history = RunHistory(tmp_path, database_url)
    record = RunRecord(id="20250301-070000-abcd", flow="approve", command="katip approve", accounts=["a", "b"])
    history.save(record)
    record.outcome, record.counts, record.problems = "attention", {"approved": 3, "held": 1}, ["held: x"]
    history.save(record)
    [found] = RunHistory(tmp_path, database_url).recent()
    assert (found.outcome, found.counts, found.accounts, found.problems) == (
        "attention", {"approved": 3, "held": 1}, ["a", "b"], ["held: x"])
    if database_url:
        assert "password" not in history.where and history.where.startswith("127.0.0.1:")


def test_postgresql_settings_take_advisory_locks_and_sqlite_ones_file_locks(tmp_path, postgres_url):
    shared = Settings(state_dir=tmp_path / "s", database_url=postgres_url)
    assert isinstance(account_locks(shared), AdvisoryLocks)
    assert isinstance(account_locks(Settings(state_dir=tmp_path / "s")), FileLocks)
    assert isinstance(account_locks(Settings(state_dir=tmp_path / "s",
                                             database_url=f"sqlite:///{tmp_path}/x.sqlite")), FileLocks)


def test_an_advisory_lock_makes_a_second_run_wait_then_names_the_holder(postgres_url):
    locks, other = AdvisoryLocks(postgres_url), AdvisoryLocks(postgres_url)
    with locks.hold(TC, Holder(run_id="run-a", account="firma"), 0, lambda: False):
        started = time.monotonic()
        with pytest.raises(AccountBusy) as busy, other.hold(TC, Holder(run_id="run-b", account="firma"), 0.5,
                                                             lambda: False):
            pass
        assert time.monotonic() - started >= 0.5
        assert busy.value.holder is not None and busy.value.holder.run_id == "run-a"
        with other.hold("38472910510", Holder(run_id="run-b", account="b"), 0, lambda: False):
            pass  # another account is not held up
    with other.hold(TC, Holder(run_id="run-b", account="firma"), 0, lambda: False):
        pass  # free again


HOLD_IN_A_CHILD = """
import sys, time
from rpa.app.shared_locks import AdvisoryLocks
from rpa.app.locks import Holder
with AdvisoryLocks(sys.argv[1]).hold(sys.argv[2], Holder(run_id="20250301-070000-kill", account="firma"), 0,
                                     lambda: False):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_worker_killed_with_sigkill_frees_its_advisory_locks(postgres_url):
    child = subprocess.Popen([sys.executable, "-c", HOLD_IN_A_CHILD, postgres_url, TC], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        locks = AdvisoryLocks(postgres_url)
        with pytest.raises(AccountBusy) as busy, locks.hold(TC, Holder(run_id="mine", account="f"), 0,
                                                            lambda: False):
            pass
        assert busy.value.holder is not None and busy.value.holder.run_id == "20250301-070000-kill"
        child.kill()
        child.wait(10)
        with locks.hold(TC, Holder(run_id="mine", account="f"), 10, lambda: False):
            pass  # the server noticed the dead connection
    finally:
        if child.poll() is None:
            child.kill()
