"""Every run's own `run.log`: the lines of any thread working for that run, masked like every log line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from loguru import logger

from rpa.logs import FILE_FORMAT, ensure_masking


@contextmanager
def run_log(run_id: str, path: Path) -> Iterator[None]:
    """Copy the lines logged in this context (worker threads copy it, `rpa.parallel`) into `path`."""
    ensure_masking()  # whoever calls the app layer, no full TC number or known name reaches the file
    path.parent.mkdir(parents=True, exist_ok=True)
    sink = logger.add(path, level="DEBUG", format=FILE_FORMAT, encoding="utf-8", backtrace=False, diagnose=False,
                      filter=lambda record: record["extra"].get("run") == run_id)
    try:
        with logger.contextualize(run=run_id):
            yield
    finally:
        with suppress(ValueError):  # an entry point may have reset all sinks meanwhile
            logger.remove(sink)
