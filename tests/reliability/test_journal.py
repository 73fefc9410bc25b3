"""The run journal: states, unfinished runs, private file, people journalled without their TC number."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator

import pytest

from rpa.journal import AccountJournal, Journal, Kind, State
from rpa.settings import Settings

TC = "10000000146"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets every new file be read by anyone: privacy must not depend on the user's umask."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_an_action_goes_planned_in_progress_done_and_counts_its_tries(tmp_path):
    journal = Journal(tmp_path)
    journal.start_run("20250301-070000-abcd", "approve", "katip approve", {"flow": "approve"}, {})
    for state in (State.PLANNED, State.IN_PROGRESS, State.IN_PROGRESS, State.DONE):
        journal.record("20250301-070000-abcd", "firma", Kind.APPROVE, "s1", "2025000001", state)
    [item] = journal.items("20250301-070000-abcd")
    assert (item.state, item.tries) == (State.DONE, 2)


def test_a_killed_run_and_a_run_with_an_action_in_progress_are_unfinished_a_finished_one_is_not(tmp_path):
    journal = Journal(tmp_path)
    for run_id in ("r1", "r2", "r3"):
        journal.start_run(run_id, "approve", "katip approve", {"flow": "approve"}, {})
    journal.finish_run("r1")
    journal.record("r2", "firma", Kind.APPROVE, "s1", "2025000001", State.IN_PROGRESS)
    journal.finish_run("r2")  # it ended, but an action never did: still to be looked at
    assert [r.run_id for r in journal.unfinished_runs()] == ["r2", "r3"]


def test_a_resumed_run_is_unfinished_again_until_its_resume_finishes(tmp_path):
    journal = Journal(tmp_path)
    journal.start_run("r1", "approve", "katip approve", {"flow": "approve"}, {})
    journal.finish_run("r1")
    journal.resumed("r1", by="r9")
    assert [r.run_id for r in journal.unfinished_runs()] == ["r1"]
    assert journal.get_run("r1").resumed_by == ["r9"]


def test_a_person_is_journalled_by_a_salted_hash_and_the_masked_number_never_the_tc(tmp_path):
    journal = Journal(tmp_path)
    key, label = journal.person_key(TC)
    journal.record("r1", "firma", Kind.VERIFY, "s1", key, State.DONE, label=label,
                   reason=f"SGK kaydı bulunamadı: {TC}")
    journal.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert TC.encode() not in raw
    assert label == "100*****146" and TC not in key
    assert Journal(tmp_path).person_key(TC) == (key, label)  # the same salt: the same person, the same key
    assert Journal(tmp_path / "other").person_key(TC)[0] != key if (tmp_path / "other").mkdir() is None else True


def test_the_journal_is_private_and_survives_a_crash_in_wal_mode(tmp_path):
    journal = Journal(tmp_path)
    journal.record("r1", "firma", Kind.CONTACT, "s1", "s1", State.IN_PROGRESS)
    assert stat.S_IMODE((tmp_path / "journal.sqlite").stat().st_mode) == 0o600
    # Another connection (the next process after a kill -9) sees the committed row at once.
    other = sqlite3.connect(tmp_path / "journal.sqlite")
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert other.execute("SELECT state FROM katip_journal_actions").fetchall() == [("in_progress",)]


def test_a_run_is_found_by_the_start_of_its_id(tmp_path):
    journal = Journal(tmp_path)
    journal.start_run("20250301-070000-abcd", "approve", "katip approve --force", {"flow": "approve", "force": True},
                      {"portal_url": "u"})
    journal.start_run("20250301_070000-efgh", "approve", "katip approve", {"flow": "approve"}, {})
    run = journal.get_run("20250301-0700")
    assert run.request == {"flow": "approve", "force": True} and run.settings == {"portal_url": "u"}
    # "_" is a letter here, not a wildcard: only the second run matches (as a wildcard: both, ambiguous).
    assert journal.get_run("20250301_").run_id == "20250301_070000-efgh"


def test_an_action_left_in_progress_by_a_crash_is_reported_to_the_next_process(tmp_path):
    before = AccountJournal(Journal(tmp_path), "r1", "firma")  # never closed: the process was killed
    before.mark(Kind.APPROVE, "s1", "2025000001", State.PLANNED)
    before.mark(Kind.APPROVE, "s1", "2025000002", State.IN_PROGRESS)
    before.mark(Kind.APPROVE, "s1", "2025000003", State.IN_PROGRESS)
    before.mark(Kind.APPROVE, "s1", "2025000003", State.DONE)
    before.mark(Kind.APPROVE, "s2", "2025000004", State.IN_PROGRESS)  # another workplace
    AccountJournal(before.journal, "r1", "other").mark(Kind.APPROVE, "s1", "2025000005", State.IN_PROGRESS)

    after = AccountJournal(Journal(tmp_path), "r1", "firma")  # the resumed run, a new connection

    assert [i.key for i in after.left_in_progress(Kind.APPROVE, "s1")] == ["2025000002"]
    assert [i.key for i in after.left_in_progress(Kind.APPROVE, "s1", State.DONE)] == ["2025000002", "2025000003"]
    assert after.left_in_progress(Kind.CONTACT, "s1") == []


def test_every_journal_file_is_private_in_a_private_state_dir_whatever_the_umask(tmp_path, open_umask):
    state_dir = Settings(state_dir=tmp_path / "state").private_state_dir()
    journal = Journal(state_dir)
    journal.record("r1", "firma", Kind.CONTACT, "s1", "s1", State.IN_PROGRESS)  # the WAL now holds a row
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in state_dir.iterdir()}
    assert {"journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"} <= set(files)
    assert set(files.values()) == {0o600}
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700


def test_a_journal_file_others_could_read_is_made_private_again(tmp_path):
    (tmp_path / "journal.sqlite").touch(mode=0o644)
    (tmp_path / "journal.sqlite").chmod(0o644)  # e.g. copied from a backup
    Journal(tmp_path)
    assert stat.S_IMODE((tmp_path / "journal.sqlite").stat().st_mode) == 0o600


def test_no_tc_number_reaches_the_disk_from_a_command_label_or_reason_not_even_the_wal(tmp_path):
    journal = Journal(tmp_path)
    journal.start_run("r1", "roster_sync", f"katip roster sync {TC}", {"flow": "roster_sync"}, {})
    account = AccountJournal(journal, "r1", "firma")
    key, label = account.person(TC)
    account.mark(Kind.VERIFY, "s1", key, State.IN_PROGRESS, label=f"{label} / {TC}")
    account.mark(Kind.VERIFY, "s1", key, State.FAILED, reason=f"TC {TC} SGK'da yok")
    # Still open: the rows are in the WAL, not yet copied into journal.sqlite.
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"firma" in raw  # the journal really wrote here
    assert TC.encode() not in raw
    [item] = journal.items("r1")
    assert item.label == "100*****146 / 100*****146" and TC not in item.key
    assert journal.get_run("r1").command == "katip roster sync 100*****146"
