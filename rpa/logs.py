"""Logging set-up for entry points (CLI, scheduler): console + a file in the run dir, TC numbers masked.

Libraries only call `logger.bind(...).info(...)`; sinks are configured here, once, by the command
that starts a run. Every sink sees messages after `mask_personal_numbers` has run, so no full TC
number reaches a log file or a terminal (KVKK).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loguru import logger

# Any run of exactly 11 digits not starting with 0 (a TC number never does; a phone number written
# "0532..." stays readable), and not part of a longer number such as a 26-digit SGK sicil.
_ELEVEN_DIGITS = re.compile(r"(?<!\d)([1-9]\d{2})\d{5}(\d{3})(?!\d)")
CONSOLE_FORMAT = "<level>{level: <7}</level> {message}"
FILE_FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <7} | {extra} | {message}"


def mask_numbers(text: str) -> str:
    """Replace every 11-digit number in `text` by its masked form, e.g. 123*****950."""
    return _ELEVEN_DIGITS.sub(r"\1*****\2", text)


def mask_personal_numbers(record: dict[str, Any]) -> None:
    """loguru patcher: mask TC numbers in the message and in string values bound with `bind()`."""
    record["message"] = mask_numbers(record["message"])
    extra = record["extra"]
    for key, value in list(extra.items()):
        if isinstance(value, str):
            extra[key] = mask_numbers(value)


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


class _ToLoguru(logging.Handler):
    """Hands stdlib log records (APScheduler's) to loguru, so that they reach the same sinks, masked."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        logger.bind(source=record.name).opt(exception=record.exc_info).log(level, record.getMessage())


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
        logger.add(sys.stderr, level=console_level, format=CONSOLE_FORMAT, diagnose=False)
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
        backtrace=False,
        diagnose=False,
    )
    return log_file
