"""A worker's progress, sent to the run that follows it as the task's state (PROGRESS, with counts)."""

from __future__ import annotations

from typing import Any


class TaskProgress:
    """`rpa.app.control.Progress` for a Celery task: workplace counts go to the result backend."""

    def __init__(self, task: Any) -> None:
        self.task = task

    def started(self, run_id: str, accounts: list[str]) -> None:
        """Nothing to tell: the run that sent the task knows."""

    def account(self, name: str) -> None:
        """Nothing to tell: the task's STARTED state says it."""

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """How far the account is."""
        if getattr(self.task.request, "id", None):
            self.task.update_state(state="PROGRESS", meta={"done": done, "total": total})

    def account_done(self, name: str, outcome: str) -> None:
        """The result says it."""
