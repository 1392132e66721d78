"""What the queue's parts share: its timings, the runtime of a worker's jobs, and the
deferring and retrying a job does from inside a worker (async)."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import procrastinate
from procrastinate import exceptions as pq_exceptions
from procrastinate.jobs import Status

from socmed_adapters.jobs.registry import Runtime

log = logging.getLogger("socmed.jobs")

#: Seconds between two sweeps (the periodic job that defers what has no job yet and hands
#: the jobs of dead workers to the living).
SWEEP_SECONDS = 5
#: A worker whose heartbeat is older than this is dead: its running jobs are retried.
STALLED_AFTER = 30.0
#: How often a worker writes its heartbeat.
HEARTBEAT = 5.0

_RUNTIME: list[Runtime] = []


def set_runtime(runtime: Runtime) -> None:
    """What the jobs of this process run with (the worker sets it before running any)."""
    _RUNTIME[:] = [runtime]


def runtime() -> Runtime:
    if not _RUNTIME:
        raise RuntimeError("no socmed worker runtime in this process")
    return _RUNTIME[0]


def publish_lock(item_id: UUID | str) -> str:
    """The queueing lock of an item's publish job: at most one waits per item."""
    return f"socmed.publish:{item_id}"


async def defer_async(app: procrastinate.App, name: str, *, queueing_lock: str | None = None,
                      **kwargs: Any) -> bool:
    try:
        await app.configure_task(name, queueing_lock=queueing_lock).defer_async(**kwargs)
    except pq_exceptions.AlreadyEnqueued:
        return False
    return True


async def retry_stalled(app: procrastinate.App, seconds: float = STALLED_AFTER) -> int:
    """Running jobs of workers silent for `seconds` go back to the queue. A job whose item
    has a newer job waiting already (its queueing lock is taken) is closed as failed: the
    waiting one does the work (and the domain surfaces the dead worker's attempt)."""
    count = 0
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds):
        assert job.id is not None
        try:
            await app.job_manager.retry_job(job)
            count += 1
            log.info("job %s (%s) of a dead worker retried", job.id, job.task_name)
        except Exception as error:
            try:
                await app.job_manager.finish_job_by_id_async(job.id, status=Status.FAILED,
                                                             delete_job=False)
                log.info("job %s of a dead worker closed (%s)", job.id, type(error).__name__)
            except Exception:
                log.info("job %s of a dead worker: settled by another sweep", job.id)
    return count
