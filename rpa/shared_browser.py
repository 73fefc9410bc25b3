"""One Chromium process for all worker threads; each worker drives it over CDP with its own Playwright.

Playwright's sync API binds a browser to the thread (and driver) that launched it, so threads cannot
hand a `Browser` to each other. But any number of drivers can `connect_over_cdp` to one Chromium, and
each still gets its own browser contexts (cookies, downloads, traces). So we start Chromium ourselves,
with the switches Playwright would pass, listening on a loopback DevTools port, and every
`BrowserSession` connects to it. That saves, per extra worker, Chromium's browser, GPU, network and
storage processes and zygotes: at --parallel 4 (8 accounts, loaded 2-core machine) summed RSS fell from
4.75 to 2.77 GB and PSS from 1.24 to about 0.97 GB.

Not the default (`KATIP_SHARED_BROWSER=true` turns it on): it is slower. Over CDP each worker's driver
receives the events of every page in the browser, not only its own. Measured on the headless shell,
8 accounts x 2 workplaces x 2 contracts at --parallel 4, portal +200 ms a page: 53.6 s shared against
44.7 s with a Chromium per worker; the Playwright drivers used 22.7 s CPU instead of 10.9 s. Memory
was close (PSS 1.19 against 1.26 GB); summed RSS 1.9 against 2.8 GB.

Lifetime: `acquire()` hands out a lease and starts Chromium for the first one; the last `release()`
stops it, and so does an `atexit` hook, so neither Ctrl-C nor an exception leaves Chromium running.
Chromium runs in its own process group: a Ctrl-C in the terminal reaches the robot, which finishes the
items in progress, and not Chromium, which would die under them (Playwright's `handle_sigint=False`).
If Chromium dies, every connected worker's calls fail at once (the DevTools socket closes); `failure()`
says why, and the next `acquire()` starts a fresh Chromium.

Trade-off: the DevTools port listens on 127.0.0.1 without a password, so another user of the same
machine could attach while a run lasts; Playwright's own launch uses a pipe instead. The robot is meant
for a machine of the OSGB's own, where that is acceptable. A visible (headed) browser is still launched
by Playwright per `BrowserSession` (`rpa.session`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from loguru import logger

from rpa.browser import BrowserChoice, chromium_command

START_TIMEOUT_S = 30.0
POLL_S = 0.02  # how often the DevToolsActivePort file is looked for while Chromium starts
STOP_GRACE_S = 5.0


class SharedBrowserError(RuntimeError):
    """The shared Chromium could not start, or died while workers used it."""


@dataclass
class SharedChromium:
    """A Chromium process listening for DevTools on a loopback port, in its own process group."""

    process: subprocess.Popen[bytes]
    endpoint: str  # ws://127.0.0.1:<port>/devtools/browser/<id>
    profile: Path  # temporary user-data-dir (and the stderr log), removed on stop
    leases: int = 0
    stopping: bool = field(default=False)

    @property
    def alive(self) -> bool:
        """Whether the Chromium process is still running."""
        return self._exit() is None

    def _exit(self) -> str | None:
        """How Chromium ended ("exit code N", "signal N"), or None while it runs.

        WNOWAIT leaves an ended Chromium a zombie until `stop` reaps it, so its pid, the group id
        `stop` signals, cannot be handed to some other process in between."""
        code = self.process.returncode
        if code is not None:
            return f"signal {-code}" if code < 0 else f"exit code {code}"
        try:
            info = os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return "exit (already reaped)"
        if info is None:
            return None
        return f"signal {info.si_status}" if info.si_code in (os.CLD_KILLED, os.CLD_DUMPED) else \
            f"exit code {info.si_status}"

    def failure(self) -> str | None:
        """Why this Chromium is gone (None while it runs or when we stopped it ourselves)."""
        ended = None if self.stopping else self._exit()
        if ended is None:
            return None
        return (f"the shared Chromium (pid {self.process.pid}) ended with {ended}"
                f"{_tail(self.profile / 'stderr.log')}; every account in progress in it stops")

    def stop(self, clock: Callable[[], float] = time.monotonic) -> None:
        """End Chromium and every process it started, then remove its profile."""
        self.stopping = True
        if self.process.returncode is None:  # not reaped: the group id is still ours to signal
            _signal_group(self.process.pid, signal.SIGTERM)
            deadline = clock() + STOP_GRACE_S
            while self.alive and clock() < deadline:
                time.sleep(POLL_S)
            _signal_group(self.process.pid, signal.SIGKILL)  # whatever is left: renderers, zygotes
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def launch(choice: BrowserChoice, headless: bool, clock: Callable[[], float] = time.monotonic) -> SharedChromium:
    """Start Chromium on a free loopback DevTools port and wait until it listens."""
    profile = Path(tempfile.mkdtemp(prefix="katip-chromium-"))
    command = _dies_with_us(chromium_command(choice, headless, profile))
    with open(profile / "stderr.log", "wb") as log:
        # Started from the keeper thread: the kernel's "parent died" signal follows the thread that
        # started a process, and a worker thread may end long before the run does.
        process = _KEEPER.submit(
            subprocess.Popen, command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        ).result()
    shared = SharedChromium(process, "", profile)
    try:
        shared.endpoint = _wait_for_endpoint(shared, clock)
    except BaseException:
        shared.stop()
        raise
    logger.debug("shared Chromium pid {} listening at {}", process.pid, shared.endpoint)
    return shared


# A thread that lives as long as this process: the one that starts Chromium (see `launch`).
_KEEPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium-keeper")


def _dies_with_us(command: list[str]) -> list[str]:
    """On Linux, have the kernel kill Chromium when the robot dies without cleaning up (kill -9, OOM).

    Otherwise a stray Chromium would keep running with its DevTools port open and the account's
    session in memory. `setpriv` (util-linux) sets the signal and then runs Chromium; elsewhere the
    atexit hook is all there is."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "KILL", "--", *command] if setpriv else command


def _wait_for_endpoint(shared: SharedChromium, clock: Callable[[], float]) -> str:
    """Chromium writes its port and browser path to DevToolsActivePort once it listens."""
    port_file = shared.profile / "DevToolsActivePort"
    deadline = clock() + START_TIMEOUT_S
    while clock() < deadline:
        if not shared.alive:
            raise SharedBrowserError(f"Chromium ended with {shared._exit()} at start"
                                     f"{_tail(shared.profile / 'stderr.log')}")
        lines = port_file.read_text().split() if port_file.is_file() else []
        if len(lines) >= 2:
            return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(POLL_S)
    raise SharedBrowserError(f"Chromium did not open its DevTools port within {START_TIMEOUT_S:.0f} s")


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal Chromium's whole process group (start_new_session made its pid the group id)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _tail(log: Path, lines: int = 3) -> str:
    try:
        text = log.read_text(errors="replace").strip().splitlines()[-lines:]
    except OSError:
        return ""
    return f" ({' | '.join(text)})" if text else ""


# --- one shared Chromium per (executable, headless) for the whole process ---------------------------

_lock = threading.Lock()
_running: dict[tuple[str, bool], SharedChromium] = {}


def acquire(choice: BrowserChoice, headless: bool) -> SharedChromium:
    """A lease on the shared Chromium for this executable, starting it (again) if none is running."""
    key = (choice.executable_path or "", headless)
    with _lock:
        shared = _running.get(key)
        if shared is None or not shared.alive:
            if shared is not None:
                logger.warning("{}; starting a new one", shared.failure() or "the shared Chromium is gone")
                shared.stop()
            shared = _running[key] = launch(choice, headless)
        shared.leases += 1
        return shared


def release(shared: SharedChromium) -> None:
    """Give a lease back; the last one stops Chromium."""
    with _lock:
        shared.leases -= 1
        if shared.leases > 0:
            return
        for key, running in list(_running.items()):
            if running is shared:
                del _running[key]
    shared.stop()


def stop_all() -> None:
    """Stop every shared Chromium at once (at exit: a second Ctrl-C does not wait for the workers)."""
    with _lock:
        running = list(_running.values())
        _running.clear()
    for shared in running:
        shared.stop()


atexit.register(stop_all)
