"""The Celery app: one task, one account of a run (`katip.account`), acknowledged only when it is done.

- `task_acks_late` + `task_reject_on_worker_lost`: a task whose worker dies (kill -9, power loss) is not
  lost: a dead pool process puts it back at once, a dead machine leaves it unacknowledged in Redis and
  the broker hands it to another worker after `visibility_timeout` (KATIP_VISIBILITY_TIMEOUT_S, longer
  than the longest account of a run). The journal in the shared database makes the next delivery carry
  on where the dead worker stopped.
- `worker_prefetch_multiplier = 1`: a worker takes one account at a time per process, so a slow account
  never keeps others waiting behind it on a busy worker while another sits idle.
- JSON only: a task is the app layer's request (a pydantic model), its result the worker's report.
- Celery's own log lines never print a task's arguments or result (names, contact rows).
"""

from __future__ import annotations

from typing import Any

from celery import Celery, signals

from rpa.settings import Settings

QUEUE = "katip"
TASK = "katip.account"
RETRY_S = 15  # another delivery of the same task holds the account: look again this much later
RESULT_EXPIRES_S = 24 * 3600


def make_app(settings: Settings) -> Celery:
    """The Celery app for these settings' broker (`KATIP_BROKER_URL`, results on the same Redis)."""
    from rpa.errors import ConfigError

    if not settings.broker_url:
        raise ConfigError("no broker: set KATIP_BROKER_URL=redis://host:6379/0")
    app = Celery("katip", broker=settings.broker_url, backend=settings.broker_url, set_as_current=False)
    transport = {
        "visibility_timeout": settings.visibility_timeout_s,
        # Look for tasks of dead workers every few seconds (by default only every ~100 s).
        "unacked_restore_interval": min(10, max(1, settings.visibility_timeout_s // 4)),
        "unacked_restore_throttle": 1,
    }
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_acks_late=True, task_reject_on_worker_lost=True, task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1, task_track_started=True,
        task_default_queue=QUEUE, task_queues=None,
        broker_transport_options=transport, result_backend_transport_options=transport,
        result_expires=RESULT_EXPIRES_S, result_extended=False,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False, worker_send_task_events=False,
    )
    app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True)(account_task)
    return app


def account_task(self: Any, request: dict[str, Any], where: dict[str, str]) -> dict[str, Any]:
    """One account of a distributed run (`RunRequest.part`), through the app layer; its `PartResult`."""
    from rpa.app.distributed import run_part, to_wire
    from rpa.app.requests import REQUEST_TYPES
    from rpa.workers.progress import TaskProgress

    settings = worker_settings(where)
    part_request = REQUEST_TYPES[request["flow"]].model_validate(request)
    assert part_request.part is not None
    result = run_part(settings, part_request, progress=TaskProgress(self))
    if result.same_run_busy:  # an earlier delivery of this task is still on it (the broker was too quick)
        raise self.retry(countdown=RETRY_S, max_retries=None)
    from rpa.workers.sealed import seal

    return seal(settings, dict(to_wire(result)))


def worker_settings(where: dict[str, str]) -> Settings:
    """This machine's settings (its own state dir), working where the run works: the run's portal, accounts
    file and out folder (shared: the same path on every machine)."""
    from pathlib import Path

    settings = Settings()
    update: dict[str, Any] = {}
    if where.get("portal_url"):
        update["portal_url"] = where["portal_url"]
    if where.get("accounts_file"):
        update["accounts_file"] = Path(where["accounts_file"])
    if where.get("out_dir"):
        update["out_dir"] = Path(where["out_dir"])
    return settings.model_copy(update=update)


@signals.worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    """A forked pool process must not share the parent's pooled database connections."""
    from rpa.store.database import dispose_all

    dispose_all()


def _quiet_trace() -> None:
    """Celery logs a task's return value when it succeeds: ours holds names; log only id and time."""
    from celery.app import trace

    trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"


_quiet_trace()
