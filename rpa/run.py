"""One robot run: its id, its folder under `out/runs/<run-id>/`, and evidence of failed items.

Evidence of a failed item is what a person needs to see what the robot saw: a screenshot, the page's
HTML, a Playwright trace of just that item (open it with `playwright show-trace <file>`) and the log
lines the item wrote. The HTML, trace and log are masked (TC numbers, known names: `rpa.privacy`).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger
from pydantic import BaseModel

from rpa.logs import end_item_log, start_item_log
from rpa.privacy import mask_personal, redact_zip_or_drop

if TYPE_CHECKING:  # Playwright is imported lazily: `katip --help` must not load it.
    from playwright.sync_api import BrowserContext, Page

RUN_ID_PATTERN = re.compile(r"^\d{8}-\d{6}-[0-9a-z]{4}$")
_SUFFIX_ALPHABET = string.digits + string.ascii_lowercase
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def new_run_id(now: datetime | None = None, rng: random.Random | None = None) -> str:
    """`YYYYmmdd-HHMMSS-xxxx`: sortable by time, unique enough for two runs in the same second."""
    now = now or datetime.now()
    rng = rng or random.SystemRandom()
    suffix = "".join(rng.choice(_SUFFIX_ALPHABET) for _ in range(4))
    return f"{now:%Y%m%d-%H%M%S}-{suffix}"


def pdf_path(contracts_dir: Path, sicil: str, contract_no: str) -> Path:
    """Where a contract's PDF lives: `<out>/contracts/<sicil>/sozlesme-<no>.pdf`."""
    return contracts_dir / _UNSAFE.sub("_", sicil) / f"sozlesme-{_UNSAFE.sub('_', contract_no)}.pdf"


@dataclass(frozen=True)
class Run:
    """A run's identity and the files it writes."""

    id: str
    out_dir: Path
    started: datetime = field(default_factory=datetime.now)

    @classmethod
    def start(cls, out_dir: Path, now: datetime | None = None) -> Run:
        """Create a new run folder under `out_dir/runs/`."""
        now = now or datetime.now()
        run = cls(id=new_run_id(now), out_dir=out_dir.resolve(), started=now)
        run.dir.mkdir(parents=True, exist_ok=False)
        # Evidence holds screenshots of portal pages (names, TC numbers): only the operator reads it.
        run.evidence_dir.mkdir(mode=0o700, exist_ok=True)
        return run

    @classmethod
    def join(cls, out_dir: Path, run_id: str) -> Run:
        """The folder of run `run_id`, started elsewhere (a worker's share of a distributed run)."""
        if not RUN_ID_PATTERN.match(run_id):
            raise ValueError(f"not a run id: {run_id!r}")
        run = cls(id=run_id, out_dir=out_dir.resolve())
        run.dir.mkdir(parents=True, exist_ok=True)
        run.evidence_dir.mkdir(mode=0o700, exist_ok=True)
        return run

    @property
    def dir(self) -> Path:
        return self.out_dir / "runs" / self.id

    @property
    def evidence_dir(self) -> Path:
        return self.dir / "evidence"

    @property
    def log_file(self) -> Path:
        return self.dir / "run.log"

    @property
    def report_path(self) -> Path:
        return self.dir / "report.html"

    @property
    def contracts_dir(self) -> Path:
        return self.out_dir / "contracts"


class Evidence(BaseModel):
    """Files kept for one failed item (any of them may be missing if the browser was gone)."""

    screenshot: Path | None = None
    html: Path | None = None
    trace: Path | None = None
    log: Path | None = None  # the item's own log lines


class EvidenceRecorder:
    """Per-item Playwright trace chunks, kept only for items that fail, plus screenshot and HTML."""

    def __init__(self, page: Callable[[], Page], evidence_dir: Path | None, snapshots: bool = False) -> None:
        """`page` is a callable because a re-login may give the account a new page or context.

        `snapshots`: DOM snapshots in the traces, so the trace viewer shows the page at each step. Off by
        default: measured, they cost 0.25 s CPU per approved contract (4 accounts x 2 workplaces x 2
        contracts: 28 s with, 24 s without, 23 s with no trace at all), and the screenshot and HTML
        kept at failure already show the page that failed. The trace still lists every action and
        request."""
        self._page = page
        self._dir = evidence_dir
        self._snapshots = snapshots
        self._traced: BrowserContext | None = None
        self._chunk_open = False
        self._count = 0
        self._label: str | None = None
        self._resume_label: str | None = None

    def begin(self, label: str) -> None:
        """Start recording one item: its trace chunk and its log lines."""
        if self._dir is None:
            return
        start_item_log(label)
        self._trace(label)

    def _trace(self, label: str) -> None:
        self._label = label
        try:
            context = self._page().context
            if self._traced is not context:
                self._chunk_open = False
                # The screencast (screenshots=True) cost 0.19 s per approved contract (13 %) and adds
                # little to the screenshot taken at failure.
                context.tracing.start(screenshots=False, snapshots=self._snapshots)
                self._traced = context
            if self._chunk_open:
                context.tracing.stop_chunk()
            context.tracing.start_chunk(title=label)
            self._chunk_open = True
        except Exception as exc:  # evidence is best effort: it must never fail the item itself
            logger.debug("tracing not started for {}: {}", label, exc)

    def discard(self) -> None:
        """The item went well: drop its trace and its log lines."""
        end_item_log()
        if self._traced is not None and self._chunk_open:
            try:
                self._traced.tracing.stop_chunk()
            except Exception as exc:
                logger.debug("trace chunk not stopped: {}", exc)
            self._chunk_open = False

    def pause(self) -> None:
        """Stop recording for a while (a login is about to type the password); `resume` goes on."""
        self._resume_label = self._label if self._chunk_open else None
        # A whole stop, not just the chunk: Playwright keeps one network log per recording across its
        # chunks, so a login made between two chunks (its form: the password) would reach later traces.
        self._stop_tracing()

    def resume(self) -> None:
        """Record again after `pause`, as the same item."""
        label, self._resume_label = self._resume_label, None
        if label is not None and self._dir is not None:
            self._trace(label)  # the item's log goes on collecting: the login's lines belong to it

    def capture(self, label: str) -> Evidence | None:
        """The item failed: keep screenshot, HTML, the item's trace and log lines; returns where they are."""
        if self._dir is None:
            return None
        self._count += 1
        stem = self._dir / f"{self._count:03d}-{_UNSAFE.sub('-', label).strip('-')[:80]}"
        evidence = Evidence()
        item_log = end_item_log()  # before anything below logs a line of its own
        if item_log is not None:
            try:
                evidence.log = item_log.write(stem.parent / f"{stem.name}.log.txt")
            except OSError as exc:
                logger.debug("no log file for {}: {}", label, exc)
        try:
            page = self._page()
            page.screenshot(path=str(stem.with_suffix(".png")), full_page=True)
            evidence.screenshot = stem.with_suffix(".png")
            # The 4A list and contract pages show TC numbers and names: the snapshot keeps them masked.
            stem.with_suffix(".html").write_text(mask_personal(page.content()), encoding="utf-8")
            evidence.html = stem.with_suffix(".html")
        except Exception as exc:
            logger.debug("no screenshot/HTML for {}: {}", label, exc)
        if self._traced is not None and self._chunk_open:
            try:
                self._traced.tracing.stop_chunk(path=str(stem.with_suffix(".zip")))
                if redact_zip_or_drop(stem.with_suffix(".zip")):
                    evidence.trace = stem.with_suffix(".zip")
            except Exception as exc:
                logger.debug("trace chunk not saved for {}: {}", label, exc)
            self._chunk_open = False
        return evidence

    def close(self) -> None:
        """Stop tracing and collecting log lines (end of the account's work)."""
        if self._dir is not None:
            end_item_log()  # lines the worker logs next (another account) belong to no item of this one
        self._stop_tracing()

    def _stop_tracing(self) -> None:
        if self._traced is not None:
            try:
                if self._chunk_open:
                    self._traced.tracing.stop_chunk()
                self._traced.tracing.stop()
            except Exception as exc:
                logger.debug("tracing not stopped: {}", exc)
            self._traced = None
            self._chunk_open = False
