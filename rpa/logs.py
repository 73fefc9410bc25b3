"""Logging set-up for entry points (CLI, scheduler): console + a file in the run dir, personal data masked.

Libraries only call `logger.bind(...).info(...)`; sinks are configured here, once, by the command
that starts a run. Every sink sees messages after `mask_personal_numbers` has run, so no full TC
number and no name the robot has read (`rpa.privacy`) reaches a log file or a terminal (KVKK).

Each item the flows work on (`start_item_log`) also collects its own lines, so that a failed item's
evidence holds them: attributed by the thread's context, never by time, since accounts run in parallel.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loguru import logger

if TYPE_CHECKING:
    from loguru import Record

from rpa.privacy import mask_known_names

# Any run of exactly 11 digits not starting with 0 (a TC number never does; a phone number written
# "0532..." stays readable), and not part of a longer number such as a 26-digit SGK sicil.
_ELEVEN_DIGITS = re.compile(r"(?<!\d)([1-9]\d{2})\d{5}(\d{3})(?!\d)")
CONSOLE_FORMAT = "<level>{level: <7}</level> {message}"
FILE_FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <7} | {extra} | {message}"


def mask_numbers(text: str) -> str:
    """Replace every 11-digit number in `text` by its masked form, e.g. 123*****950."""
    return _ELEVEN_DIGITS.sub(r"\1*****\2", text)


def mask_personal_numbers(record: Record) -> None:
    """loguru patcher: mask TC numbers and known names in the message and in values bound with `bind()`."""
    record["message"] = mask_known_names(mask_numbers(record["message"]))
    extra = record["extra"]
    for key, value in list(extra.items()):
        if isinstance(value, str):
            extra[key] = mask_known_names(mask_numbers(value))
    item = _ITEM.get()
    if item is not None:
        extra.setdefault("item", item.label)


def ensure_masking() -> None:
    """Make sure every sink sees masked records (the entry points set this too; the app layer relies on it)."""
    logger.configure(patcher=mask_personal_numbers)


def private_file_opener(path: str, flags: int) -> int:
    """`open(..., opener=...)` for log files in the state dir: created 0600 (rotated files too)."""
    return os.open(path, flags, 0o600)


class ItemLog:
    """The log lines of one item while it runs (masked like every line), for its failure evidence."""

    MAX_LINES = 2000  # a long wait loop keeps its last lines, not the whole memory

    def __init__(self, label: str) -> None:
        self.label = mask_known_names(mask_numbers(label))
        self.lines: deque[str] = deque(maxlen=self.MAX_LINES)

    def write(self, path: Path) -> Path | None:
        """Write the lines to `path`; None (no file) when the item logged nothing."""
        if not self.lines:
            return None
        path.write_text("".join(self.lines), encoding="utf-8")
        return path


# The item the current thread works on: each account's worker thread has its own context.
_ITEM: ContextVar[ItemLog | None] = ContextVar("katip_item_log", default=None)


def start_item_log(label: str) -> ItemLog:
    """From now on, this thread's log lines also go to a new item log (the previous one is dropped)."""
    item = ItemLog(label)
    _ITEM.set(item)
    return item


def end_item_log() -> ItemLog | None:
    """Stop collecting this thread's lines; the item log that was collecting them, if any."""
    item = _ITEM.get()
    _ITEM.set(None)
    return item


def _to_item_log(message: Any) -> None:
    """loguru sink: a formatted line to the item log of the thread that logged it."""
    item = _ITEM.get()
    if item is not None:
        item.lines.append(str(message))


def _add_item_sink() -> None:
    logger.add(_to_item_log, level="DEBUG", format=FILE_FORMAT, backtrace=False, diagnose=False)


def configure_logging(
    log_file: Path | None = None,
    *,
    console_level: str = "WARNING",
    file_level: str = "DEBUG",
    console_write: Callable[[str], Any] | None = None,
) -> None:
    """Replace all sinks: the console (stderr or `console_write`) and, if given, a log file."""
    logger.remove()
    logger.configure(patcher=mask_personal_numbers)
    # Console logs go to stderr so that `--json` keeps stdout for the one JSON document.
    # diagnose=False: loguru would otherwise print variable values (passwords, TC numbers) in tracebacks.
    logger.add(
        console_write or sys.stderr,
        level=console_level,
        format=CONSOLE_FORMAT,
        colorize=console_write is None,
        diagnose=False,
    )
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        logger.add(
            log_file, level=file_level, format=FILE_FORMAT, encoding="utf-8", backtrace=False, diagnose=False
        )
    _add_item_sink()


class _ToLoguru(logging.Handler):
    """Hands stdlib log records (APScheduler's) to loguru, so that they reach the same sinks, masked."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        logger.bind(source=record.name).opt(exception=record.exc_info).log(level, record.getMessage())


def _for_people(record: Record) -> bool:
    """The terminal of a person: no library chatter (APScheduler's "Added job ...") below a warning."""
    return not (str(record["extra"].get("source", "")).startswith("apscheduler") and record["level"].no < 30)


def configure_service_logging(
    state_dir: Path, *, json_lines: bool = False, console_level: str = "INFO"
) -> Path:
    """Long-running processes (the scheduler): console + a rotating file in the state dir; returns its path.

    `json_lines` writes the console as one JSON object per line, for log collectors (journald, Docker).
    """
    logger.remove()
    logger.configure(patcher=mask_personal_numbers)
    if json_lines:
        logger.add(sys.stderr, level=console_level, serialize=True, backtrace=False, diagnose=False)
    else:
        logger.add(sys.stderr, level=console_level, format=CONSOLE_FORMAT, diagnose=False, filter=_for_people)
    log_file = state_dir / "logs" / "katip.log"
    log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    scheduler_log = logging.getLogger("apscheduler")
    scheduler_log.handlers, scheduler_log.propagate = [_ToLoguru()], False
    scheduler_log.setLevel(logging.INFO)
    # Rotation keeps a scheduler that runs for months from filling the disk.
    logger.add(
        log_file,
        level="DEBUG",
        format=FILE_FORMAT,
        rotation="10 MB",
        retention=10,
        encoding="utf-8",
        opener=private_file_opener,
        backtrace=False,
        diagnose=False,
    )
    _add_item_sink()
    return log_file
