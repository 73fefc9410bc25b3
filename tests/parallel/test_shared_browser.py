"""Workers share one Chromium process (`rpa.shared_browser`): separate accounts, clean stops, loud crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import psutil
import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.accounts import Account
from rpa.parallel import AccountPool
from rpa.secrets import CodeSource, SecretRef
from rpa.session import BrowserSession
from rpa.settings import Settings

pytestmark = pytest.mark.browser
WAIT_S = 120  # only so that a broken test fails instead of hanging; nothing is timed


def _group(pgid: int) -> list[int]:
    """Processes still alive in a process group (zombies are gone in all but name)."""
    found = []
    for pid in psutil.pids():
        try:
            if os.getpgid(pid) == pgid and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                found.append(pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return found


def _browser_processes() -> list[psutil.Process]:
    """Chromium browser processes (not renderers or helpers) under this Python."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = child.cmdline()
        except psutil.Error:
            continue
        if line and "chrom" in Path(line[0]).name and not any(arg.startswith("--type=") for arg in line):
            found.append(child)
    return found


def test_workers_on_separate_threads_drive_one_chromium_each_with_its_own_cookies_and_downloads(tmp_path):
    ready = threading.Barrier(2, timeout=WAIT_S)
    seen: dict[int, dict] = {}
    # pytest-playwright's own Chromium may be running in this test process already: not ours to count.
    before = {process.pid for process in _browser_processes()}

    def worker(n: int) -> None:
        with BrowserSession(Settings(state_dir=tmp_path, shared_browser=True)) as session:
            context = session.browser.new_context(accept_downloads=True)
            context.add_cookies([{"name": "who", "value": f"worker-{n}", "url": "http://127.0.0.1/"}])
            page = context.new_page()
            page.set_content(f"<a download='r{n}.txt' href='data:text/plain,report-{n}'>indir</a>")
            with page.expect_download() as info:
                page.click("a")
            ready.wait()  # both connected at once
            seen[n] = {"pid": session.failure() is None and session._shared.process.pid,
                       "browsers": len([p for p in _browser_processes() if p.pid not in before]),
                       "cookies": [c["value"] for c in context.cookies()],
                       "download": Path(info.value.path()).read_text()}

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)

    assert seen[1]["pid"] == seen[2]["pid"] and seen[1]["browsers"] == 1
    assert [seen[n]["cookies"] for n in (1, 2)] == [["worker-1"], ["worker-2"]]
    assert [seen[n]["download"] for n in (1, 2)] == ["report-1", "report-2"]
    assert _group(seen[1]["pid"]) == []  # the last worker out stopped Chromium


def test_a_saved_session_outlives_the_shared_chromium_it_was_made_in(live_portal, tmp_path, monkeypatch):
    monkeypatch.setenv("KATIP_TEST_SHARED_PASSWORD", DEMO_PASSWORD)
    account = Account(name="demo", tc=DEMO_TC, password=SecretRef(kind="env", target="KATIP_TEST_SHARED_PASSWORD"),
                      code=CodeSource(kind="mock"))
    settings = Settings(portal_url=f"{live_portal.url}/", state_dir=tmp_path, timeout_ms=10_000, politeness_ms=0,
                        shared_browser=True)
    found: dict[str, object] = {}

    def both_sessions() -> None:
        # In a thread of its own, as the robot's workers do: this test process may run pytest-playwright's
        # sync API on its main thread, and a thread has one sync Playwright at a time.
        with BrowserSession(settings) as first, first.account_context(account) as session:
            session.ensure_logged_in()
            found["pid"] = first._shared.process.pid
        with BrowserSession(settings) as second, second.account_context(account) as session:
            found["fresh"] = second._shared.process.pid != found["pid"]  # only the saved file carries over
            found["logged_in"] = session.portal().open().reach_corporate() is not None

    worker = threading.Thread(target=both_sessions)
    worker.start()
    worker.join(WAIT_S)
    assert found.get("fresh") is True and found.get("logged_in") is True


def test_a_crashed_shared_chromium_fails_every_account_in_it_with_the_reason_and_the_next_starts_afresh(tmp_path):
    both_open = threading.Barrier(2, timeout=WAIT_S)
    crashed: dict[str, BaseException] = {}
    finished: list[str] = []

    def run_one(session: BrowserSession, name: str) -> None:
        page = session.browser.new_context().new_page()
        if name in ("a", "b"):
            both_open.wait()
            if name == "a":
                chromium = session._shared.process.pid
                os.kill(chromium, signal.SIGKILL)
                os.waitid(os.P_PID, chromium, os.WEXITED | os.WNOWAIT)  # dead, but left for the robot to see
            both_open.wait()  # the Chromium under both is gone now
        page.set_content(f"<p>{name}</p>")
        finished.append(name)

    shared = Settings(state_dir=tmp_path, shared_browser=True)
    pool = AccountPool(["a", "b", "c"], 2, open_browser=lambda: BrowserSession(shared),
                       run_one=run_one, on_crash=crashed.__setitem__, stop=threading.Event())

    assert pool.run() == []
    assert sorted(crashed) == ["a", "b"] and finished == ["c"]
    assert all("shared Chromium" in str(exc) and "signal 9" in str(exc) for exc in crashed.values())


CTRL_C_SCRIPT = textwrap.dedent("""
    import sys, threading
    from rpa.parallel import AccountPool
    from rpa.session import BrowserSession
    from rpa.settings import Settings

    busy, stop = threading.Event(), threading.Event()

    def run_one(session, name):
        page = session.browser.new_context().new_page()
        print(session._shared.process.pid, flush=True)
        busy.set()
        stop.wait()  # the item in progress when Ctrl-C comes
        page.set_content("<title>finished</title>")
        print(page.title(), flush=True)

    shared = Settings(state_dir=sys.argv[2], shared_browser=True)
    pool = AccountPool(["a", "b"], 1, open_browser=lambda: BrowserSession(shared),
                       run_one=run_one, on_crash=lambda n, e: print("crashed", e, flush=True), stop=stop)
    if sys.argv[1] == "raise":
        threading.Thread(target=pool.run, daemon=True).start()
        busy.wait()
        raise RuntimeError("an error in the main thread while a worker is busy")
    print("left", pool.run(), flush=True)
""")


@pytest.mark.parametrize("ending", ["ctrl-c", "raise"])
def test_neither_ctrl_c_nor_an_error_leaves_a_chromium_behind(ending, tmp_path):
    script = tmp_path / "run.py"
    script.write_text(CTRL_C_SCRIPT)
    process = subprocess.Popen([sys.executable, str(script), ending, str(tmp_path)], stdout=subprocess.PIPE,
                               text=True, start_new_session=True, cwd=Path(__file__).parents[2])
    assert process.stdout is not None
    chromium = int(process.stdout.readline())
    if ending == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # as the terminal sends it: to the whole foreground group
    output, _ = process.communicate(timeout=WAIT_S)

    if ending == "ctrl-c":  # the item in progress finished in the shared Chromium; the next never started
        assert output.splitlines() == ["finished", "left ['b']"]
    else:
        assert process.returncode == 1
    assert _group(chromium) == []


KILLED_SCRIPT = textwrap.dedent("""
    import threading, time
    from rpa import shared_browser
    from rpa.browser import find_chromium

    def worker():  # a worker thread starts the shared Chromium and ends long before the process
        print(shared_browser.acquire(find_chromium(), True).process.pid, flush=True)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    time.sleep(0.5)
    print("still running", flush=True)
    time.sleep(600)
""")


def test_a_robot_killed_with_sigkill_takes_its_shared_chromium_with_it(tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(KILLED_SCRIPT)
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                               cwd=Path(__file__).parents[2])
    assert process.stdout is not None
    chromium = int(process.stdout.readline())
    assert process.stdout.readline().strip() == "still running"
    assert psutil.pid_exists(chromium), "the worker thread's end must not end the shared Chromium"
    process.kill()  # kill -9: no atexit hook, no cleanup of our own
    process.wait(timeout=WAIT_S)
    try:
        psutil.Process(chromium).wait(timeout=WAIT_S)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        pytest.fail("a stray Chromium outlived the robot that started it")
    assert _group(chromium) == []
