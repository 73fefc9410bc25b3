"""A fresh mock portal per benchmark: seeded with exactly the work to measure, every request timed.

The portal runs in this process (waitress in a thread), so `resource.getrusage(RUSAGE_SELF)` deltas
taken while a robot *subprocess* works are the mock's own CPU time.
"""

from __future__ import annotations

import itertools
import json
import random
import resource
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_portal.seed import CONTRACT_NO_BASE, REFERENCE_DAY, SeedData
from mock_portal.seed_names import FIRST_NAMES, LAST_NAMES, PROVIDERS
from rpa.domain.identifiers import generate_sicil, generate_tc
from rpa.domain.rules import HazardClass, Title, legal_minimum

PASSWORD = "Bench.2025"  # every bench account's e-Devlet password (the mock's, nobody's real one)
PASSWORD_ENV = "KATIP_BENCH_PASSWORD"
EMPLOYEES = 12  # active employees per workplace: enough for a legal minimum above zero
HAZARD = HazardClass.TEHLIKELI


@dataclass(frozen=True)
class BenchAccount:
    """One seeded e-Devlet user and the workplaces it serves."""

    name: str
    tc: str
    sicils: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One HTTP request the portal served."""

    method: str
    path: str
    started: float  # time.perf_counter() at arrival
    ended: float  # when the view returned its response
    status: int = 0  # the HTTP status answered (0: unknown)

    @property
    def redirect(self) -> bool:
        """A 3xx answer: the browser (or client) follows it without showing a page."""
        return 300 <= self.status < 400

    @property
    def seconds(self) -> float:
        """Time the portal spent on it."""
        return self.ended - self.started


@dataclass
class RequestLog:
    """WSGI middleware: records every request's method, path and server time (thread-safe)."""

    app: Callable[..., Any]
    hits: list[Hit] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started, answered = time.perf_counter(), [0]

        def recording_start(status: str, headers: Any, *rest: Any) -> Any:
            answered[0] = int(status.split(" ", 1)[0])
            return start_response(status, headers, *rest)

        try:
            return self.app(environ, recording_start)
        finally:
            hit = Hit(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), started, time.perf_counter(),
                      answered[0])
            with self._lock:
                self.hits.append(hit)

    def mark(self) -> int:
        """A position to read `since` from."""
        with self._lock:
            return len(self.hits)

    def since(self, mark: int) -> list[Hit]:
        """Requests served after `mark`."""
        with self._lock:
            return list(self.hits[mark:])


@dataclass
class BenchPortal:
    """A live mock portal with its request log."""

    url: str
    app: Any
    log: RequestLog

    def dev(self, path: str, body: Any = None) -> Any:
        """GET (no body) or POST (JSON body) the `/_dev/` API; the decoded answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_dev/{path}", data=data, method="POST" if data else "GET")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read().decode())

    def load(self, data: SeedData) -> None:
        """Replace the whole portal state (sessions included) with `data`."""
        from mock_portal.seed import reset

        reset(self.app, data)

    def approvals(self) -> list[str]:
        """Contract numbers approved so far, from the portal's audit log (each approval once)."""
        return [entry["target"] for entry in self.dev("state")["audit"] if entry["action"] == "approve"]


@contextmanager
def fresh_portal(workdir: Path, data: SeedData, config: dict[str, Any] | None = None) -> Iterator[BenchPortal]:
    """A new portal in test mode with its own database, holding `data`; stopped afterwards.

    `config`: more app settings, for experiments (e.g. {"SEND_FILE_MAX_AGE_DEFAULT": 3600}).
    """
    from mock_portal import create_app
    from mock_portal.server import start_in_thread

    workdir.mkdir(parents=True, exist_ok=True)
    settings = {"DATABASE": str(workdir / "portal.sqlite"), "TEST_MODE": True, "SEED": None, **(config or {})}
    app = create_app(settings)
    log = RequestLog(app.wsgi_app)
    app.wsgi_app = log
    portal = BenchPortal(url="", app=app, log=log)
    portal.load(data)
    server = start_in_thread(app)
    portal.url = server.url
    try:
        yield portal
    finally:
        server.stop()


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (the in-process mock's, while a subprocess works)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu_seconds() -> float:
    """CPU time of finished, waited-for child processes (and theirs): the robot subprocesses."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _people() -> Iterator[str]:
    """Distinct professional names (approval is one per professional, rows are told apart by name)."""
    for last, first in itertools.product(LAST_NAMES, FIRST_NAMES):
        yield f"{first} {last}"


def bench_seed(accounts: int, workplaces: int, pending: int, seed: int = 7) -> tuple[SeedData, list[BenchAccount]]:
    """`accounts` users × `workplaces` workplaces each × `pending` compliant contracts waiting per workplace.

    Nothing else waits for approval, so a correct robot run approves exactly
    accounts × workplaces × pending contracts.
    """
    rng = random.Random(seed)
    data = SeedData()
    names = _people()
    numbers = itertools.count(CONTRACT_NO_BASE)
    tcs: set[str] = set()
    made: list[BenchAccount] = []
    for index in range(accounts):
        tc = _unique(lambda: generate_tc(rng), tcs)
        data.accounts.append(
            {"tc": tc, "password": PASSWORD, "name": f"Bench Firma {index + 1}", "two_step": 1, "phone": "05320000000"}
        )
        sicils = []
        for number in range(workplaces):
            sicil = generate_sicil(rng, il_code=34)
            sicils.append(sicil)
            data.workplaces.append(_workplace(sicil, f"Bench {index + 1}-{number + 1} Metal San. Ltd. Şti."))
            data.account_workplaces.append({"tc": tc, "sicil": sicil, "visible": 1})
            _staff(data, rng, sicil, tcs)
            data.contracts.extend(_pending(sicil, names, numbers, pending))
        made.append(BenchAccount(name=f"bench-{index + 1:03d}", tc=tc, sicils=tuple(sicils)))
    return data, made


def _unique(make: Callable[[], str], seen: set[str]) -> str:
    while True:
        value = make()
        if value not in seen:
            seen.add(value)
            return value


def _workplace(sicil: str, unvan: str) -> dict[str, Any]:
    return {"sicil": sicil, "unvan": unvan, "hazard_class": HAZARD.value, "nace": "25.11.01",
            "address_seed": "Atatürk Cad. No: 1, Kadıköy/İstanbul", "auto_update": 1, "phone": None,
            "email": None, "address": None, "il": None, "ilce": None}


def _staff(data: SeedData, rng: Any, sicil: str, tcs: set[str]) -> None:
    for number in range(EMPLOYEES):
        tc = _unique(lambda: generate_tc(rng), tcs)
        person = {"sicil": sicil, "tc": tc, "name": f"Çalışan {number + 1}", "hired": "2020-01-15", "left": None}
        data.employees.append({**person, "status": "Aktif"})
        data.sgk.append(person)


def _pending(sicil: str, names: Iterator[str], numbers: Iterator[int], count: int) -> Iterable[dict[str, Any]]:
    """Compliant waiting contracts: experts (class A serves every hazard class) and physicians, alternating."""
    for index in range(count):
        title = Title.UZMAN if index % 2 == 0 else Title.HEKIM
        minutes = legal_minimum(title, HAZARD, EMPLOYEES) + 60
        yield {
            "no": str(next(numbers)), "sicil": sicil, "professional": next(names), "professional_tc": None,
            "title": title.value, "cert_class": "A" if title is Title.UZMAN else "-", "provider": PROVIDERS[0],
            "start_date": REFERENCE_DAY.isoformat(), "minutes": minutes, "process_type": "Yeni Sözleşme",
            "status": "Beklemede", "approval": "Onay Bekliyor", "parent_no": None, "approved_at": None,
            "reject_reason": None, "created_at": f"{REFERENCE_DAY.isoformat()}T09:00:00",
        }


def accounts_yaml(path: Path, accounts: list[BenchAccount]) -> Path:
    """The robot's accounts file for these accounts (password from PASSWORD_ENV, code from the mock)."""
    lines = ["accounts:"]
    for account in accounts:
        lines += [f"  - name: {account.name}", f'    tc: "{account.tc}"',
                  f"    password: env:{PASSWORD_ENV}", "    code: mock"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
