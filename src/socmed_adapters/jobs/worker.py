"""`socmed worker --queue`: one worker process of the PostgreSQL job queue.

Any number of these, on any number of machines, share the work: procrastinate hands each job
to one worker (`SELECT ... FOR UPDATE SKIP LOCKED`), a job deferred at a slot's time is taken
at that time (woken by LISTEN/NOTIFY, or by polling every `poll` seconds), each worker writes
a heartbeat every `heartbeat` seconds, and the sweep hands the jobs of a worker silent for
`stalled_after` seconds to the living. Stopped by SIGTERM or SIGINT (the jobs in hand are
finished first).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from socmed_adapters.jobs.common import HEARTBEAT, STALLED_AFTER, set_runtime
from socmed_adapters.jobs.queue import JobQueue
from socmed_adapters.jobs.registry import QUEUES, Runtime
from socmed_domain.identity.principal import ActorRef


def run(services: Any, actor: ActorRef, *, concurrency: int = 1,
        queues: Sequence[str] = QUEUES, heartbeat: float = HEARTBEAT,
        stalled_after: float = STALLED_AFTER, poll: float = 5.0,
        listen_notify: bool = True, name: str | None = None) -> None:
    """Run jobs until stopped."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    base = JobQueue.of(services)
    if base is None:
        raise ValueError("the job queue needs a PostgreSQL store")
    base.ensure_schema()
    # The worker's own app: an async pool big enough for its concurrent jobs.
    queue = JobQueue(services.storage, min_size=1,
                     max_size=max(4, concurrency + 3))
    set_runtime(Runtime(services, actor, queue.app, stalled_after))
    queue.app.run_worker(queues=list(queues), concurrency=concurrency, name=name,
                         wait=True, listen_notify=listen_notify,
                         fetch_job_polling_interval=poll,
                         update_heartbeat_interval=heartbeat,
                         stalled_worker_timeout=stalled_after,
                         install_signal_handlers=True)
