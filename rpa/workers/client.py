"""The run's side of a distributed run: one Celery task per account, followed until each has ended."""

from __future__ import annotations

import time
from typing import Any

from loguru import logger

from rpa.app.control import Progress, StopToken
from rpa.app.distributed import PartResult, failed_part, use
from rpa.app.requests import RunRequest
from rpa.settings import Settings
from rpa.workers.celery_app import QUEUE, TASK, make_app
from rpa.workers.sealed import unseal

POLL_S = 0.5
RUNNING = ("STARTED", "PROGRESS", "RETRY")


class CeleryDispatcher:
    """`rpa.app.distributed.Dispatcher` on Celery: tasks out through the broker, results back from Redis."""

    def __init__(self, settings: Settings) -> None:
        self.app = make_app(settings)
        self.settings = settings

    def run(self, settings: Settings, parts: list[RunRequest], progress: Progress,
            stop: StopToken) -> list[PartResult]:
        """Send every part, then follow them; a stop revokes the parts no worker has started yet."""
        where = {"portal_url": settings.portal_url or "", "accounts_file": str(settings.accounts_file.resolve()),
                 "out_dir": str(settings.out_dir.resolve())}
        sent: dict[str, Any] = {}
        for part in parts:
            assert part.part is not None
            sent[part.part.account] = self.app.send_task(TASK, args=[part.model_dump(mode="json"), where],
                                                         queue=QUEUE)
        logger.info("{} account(s) sent to the workers", len(sent))
        results: dict[str, PartResult] = {}
        started: set[str] = set()
        revoked: set[str] = set()
        while len(results) + len(revoked) < len(sent):
            try:
                if stop.is_set():
                    for name, task in sent.items():
                        if name not in started and name not in results and name not in revoked:
                            task.revoke()
                            revoked.add(name)
                for name, task in sent.items():
                    if name in results or name in revoked:
                        continue
                    self._follow(name, task, progress, started, results)
                time.sleep(POLL_S)
            except KeyboardInterrupt:
                if stop.is_set():
                    raise
                stop.set("Ctrl-C")
        for task in sent.values():
            task.forget()
        return list(results.values())

    def _follow(self, name: str, task: Any, progress: Progress, started: set[str],
                results: dict[str, PartResult]) -> None:
        state = task.state
        if (state in RUNNING or state in ("SUCCESS", "FAILURE")) and name not in started:
            started.add(name)
            progress.account(name)
        if state == "PROGRESS" and isinstance(task.info, dict):
            progress.workplace(name, int(task.info.get("done", 0)), int(task.info.get("total", 0)), "")
        elif state == "SUCCESS":
            results[name] = PartResult.model_validate(unseal(self.settings, task.result))
            progress.account_done(name, results[name].outcome)
        elif state == "FAILURE":
            why = f"işçi hatası / worker error: {type(task.result).__name__}: {task.result}"
            logger.bind(account=name).error("{}", why)
            results[name] = failed_part(name, why)
            progress.account_done(name, "failed")


def install(settings: Settings) -> None:
    """Let `--distributed` runs of this process reach the workers."""
    use(CeleryDispatcher(settings))
