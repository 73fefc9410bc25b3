"""Where the robot's time goes: the approval flow in this process, every page-object step timed.

Runs `rpa.flows.approve_contracts.run` for one account against a bench portal (same seed as
`bench.approval`), with each page-object method, `reading.find_table` and the PDF check wrapped in a
timer, and every message to the Playwright driver counted (each one is a round trip to the browser).
Prints, per approved contract: the portal's HTTP requests, the driver round trips by kind, and the
steps by their own time (time in nested steps taken out).

The mock runs in this process too, so the robot's Python and the portal share one GIL here: use it to
see proportions, and `bench.approval` for the numbers.

Run: .venv/bin/python -m bench.profile_robot [--contracts 6]
"""

from __future__ import annotations

import functools
import inspect
import os
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.portal import PASSWORD, PASSWORD_ENV, accounts_yaml, bench_seed, fresh_portal
from bench.timeline import cycle


class StepTimer:
    """Inclusive and own (exclusive) time per wrapped function, nesting-aware."""

    def __init__(self) -> None:
        self.inclusive: dict[str, float] = defaultdict(float)
        self.own: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._stack: list[list[float]] = []  # per open call: [time spent in nested calls]

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, timed under `name`."""

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([0.0])
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                took = time.perf_counter() - started
                nested = self._stack.pop()[0]
                self.inclusive[name] += took
                self.own[name] += took - nested
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1][0] += took

        return timed


@contextmanager
def instrumented(timer: StepTimer, round_trips: Counter[str]) -> Iterator[None]:
    """Wrap the page objects' methods and count driver messages; everything restored afterwards."""
    from playwright._impl.connection import Connection

    import rpa.pages as pages
    from rpa.flows import pdfcheck
    from rpa.pages import reading

    undo: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, replacement: Any) -> None:
        undo.append((owner, attr, owner.__dict__[attr]))
        setattr(owner, attr, replacement)

    for cls in {getattr(pages, name) for name in pages.__all__ if inspect.isclass(getattr(pages, name))}:
        for attr, value in list(vars(cls).items()):
            if inspect.isfunction(value) and not attr.startswith("__"):
                patch(cls, attr, timer.wrap(f"{cls.__name__}.{attr}", value))
    patch(reading, "find_table", timer.wrap("reading.find_table", reading.find_table))
    patch(pdfcheck, "pdf_names_contract", timer.wrap("pdf_names_contract", pdfcheck.pdf_names_contract))
    send = Connection.send_message_to_server

    def counted(self: Any, obj: Any, method: str, params: Any, options: Any) -> Any:
        round_trips[method] += 1
        return send(self, obj, method, params, options)

    patch(Connection, "send_message_to_server", counted)
    try:
        yield
    finally:
        for owner, attr, original in reversed(undo):
            setattr(owner, attr, original)


def profile(workplaces: int = 1, per_workplace: int = 6) -> str:
    """Run the flow once, instrumented; the report as text."""
    from loguru import logger

    from rpa.accounts import load_accounts
    from rpa.flows import approve_contracts
    from rpa.flows.approve_contracts import ApproveRequest
    from rpa.flows.results import Outcome
    from rpa.session import BrowserSession
    from rpa.settings import Settings

    logger.remove()  # the flow's log lines would drown the report
    data, accounts = bench_seed(1, workplaces, per_workplace)
    timer, round_trips = StepTimer(), Counter[str]()
    with tempfile.TemporaryDirectory() as tmp, fresh_portal(Path(tmp) / "portal", data) as portal:
        os.environ[PASSWORD_ENV] = PASSWORD
        path = accounts_yaml(Path(tmp) / "accounts.yaml", accounts)
        settings = Settings(portal_url=portal.url, state_dir=Path(tmp) / "state", out_dir=Path(tmp) / "out",
                            accounts_file=path)
        account = load_accounts(path, portal.url)[0]
        request = ApproveRequest(account=account.name, contracts_dir=Path(tmp) / "out" / "contracts")
        with BrowserSession(settings) as browser, browser.account_context(account) as session:
            session.ensure_logged_in()  # the login is not what we look at
            mark = portal.log.mark()
            with instrumented(timer, round_trips):
                started = time.perf_counter()
                result = approve_contracts.run(session, request)
                took = time.perf_counter() - started
        hits = portal.log.since(mark)
    approved = sum(1 for wp in result.workplaces for c in wp.contracts if c.outcome == Outcome.DONE)
    return _report(timer, round_trips, hits, took, max(approved, 1), workplaces)


def _report(timer: StepTimer, round_trips: Counter[str], hits: list, took: float, approved: int,
            workplaces: int) -> str:
    steady = cycle(hits)
    lines = [f"approval flow after login: {approved} contracts in {workplaces} workplace(s), {took:.2f} s "
             f"({took / approved:.3f} s per contract)"]
    if steady:
        lines.append(f"steady cycle: {steady.seconds:.3f} s per contract, {steady.pages:.1f} page requests + "
                     f"{steady.statics:.1f} static files, portal time {steady.portal_s:.3f} s")
    trips = sum(round_trips.values())
    lines.append(f"Playwright driver round trips: {trips} ({trips / approved:.0f} per contract); by kind:")
    lines += [f"  {count / approved:7.1f}  {method}" for method, count in round_trips.most_common(14)]
    lines.append("steps by own time per contract (s, calls per contract, inclusive s per contract):")
    for name, own in sorted(timer.own.items(), key=lambda item: -item[1])[:22]:
        lines.append(f"  {own / approved:7.3f}  {timer.calls[name] / approved:5.1f}  "
                     f"{timer.inclusive[name] / approved:7.3f}  {name}")
    return "\n".join(lines)


def main() -> None:
    """Print where the time goes."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workplaces", type=int, default=1)
    parser.add_argument("--contracts", type=int, default=6, help="waiting contracts per workplace")
    args = parser.parse_args()
    print(profile(args.workplaces, args.contracts))


if __name__ == "__main__":
    main()
