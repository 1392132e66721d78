"""The procrastinate app of a PostgreSQL store: its schema, its tasks, and deferring.

The queue's tables (`procrastinate_jobs`, ...) live in the store's database, in the store's
schema when the URL names one (`?schema=NAME`), so one backup holds both. `socmed init`
creates them; `socmed worker --queue` creates them too when the role may.
"""

from __future__ import annotations

import logging
import weakref
from datetime import datetime
from typing import Any
from uuid import UUID

import procrastinate
from procrastinate import exceptions as pq_exceptions
from procrastinate.jobs import Status

from socmed_adapters.jobs.common import SWEEP_SECONDS, publish_lock, runtime
from socmed_adapters.jobs.registry import JOBS, Job

log = logging.getLogger("socmed.jobs")

#: Serialises creating the queue's tables between processes that start together.
_SCHEMA_LOCK = 0x50C3ED_0B5

_QUEUES: weakref.WeakKeyDictionary[Any, JobQueue] = weakref.WeakKeyDictionary()


def connection_of(storage: Any) -> tuple[str, dict[str, Any]]:
    """libpq connection string and psycopg connection options of the queue: the store's
    database, or $SOCMED_QUEUE_URL (a PgBouncer in front of it, say); a `schema` parameter
    puts the queue's tables in that schema. Statements are never prepared on the server
    (`prepare_threshold=None`), so a PgBouncer in transaction pooling mode may stand
    between (it cannot follow a prepared statement from one server connection to another
    before version 1.21)."""
    import os
    from urllib.parse import parse_qs, urlencode

    url = os.environ.get("SOCMED_QUEUE_URL") or storage.database_url
    base, _, query = url.partition("?")
    params = parse_qs(query)
    kept = [(k, v) for k, values in params.items() if k != "schema" for v in values]
    conninfo = f"{base}?{urlencode(kept)}" if kept else base
    kwargs: dict[str, Any] = {"prepare_threshold": None}
    schema = params.get("schema", [None])[0]
    if schema:
        kwargs["options"] = f"-c search_path={schema},public"
    return conninfo, kwargs


def _task_function(job: Job) -> Any:
    if job.is_async:
        async def run_async(**kwargs: Any) -> Any:
            return await job.func(runtime(), **kwargs)
        run: Any = run_async
    else:
        def run_sync(**kwargs: Any) -> Any:
            return job.func(runtime(), **kwargs)
        run = run_sync
    run.__name__ = run.__qualname__ = job.name.rsplit(".", 1)[-1]
    run.__module__ = job.func.__module__
    return run


def build_app(conninfo: str, kwargs: dict[str, Any], **pool: Any) -> procrastinate.App:
    """A procrastinate app with every registered job as a task."""
    from socmed_adapters.jobs import tasks  # noqa: F401  (registers the jobs)

    connector = procrastinate.PsycopgConnector(conninfo=conninfo, kwargs=kwargs, **pool)
    app = procrastinate.App(connector=connector,
                            periodic_defaults={"max_delay": 2 * SWEEP_SECONDS})
    for job in JOBS.values():
        decorate: Any = app.task(name=job.name, queue=job.queue, **job.options)
        task = decorate(_task_function(job))
        if job.periodic:
            app.periodic(cron=job.periodic, periodic_id=job.name)(task)
    return app


class JobQueue:
    """The queue of one PostgreSQL store (one per Services; see `of`)."""

    def __init__(self, storage: Any, **pool: Any) -> None:
        self.storage = storage
        self.conninfo, self.kwargs = connection_of(storage)
        self.app = build_app(self.conninfo, self.kwargs, **({"min_size": 1, "max_size": 2} | pool))
        self._opened = False
        self._ready: bool | None = None

    @classmethod
    def of(cls, services: Any) -> JobQueue | None:
        """The queue of a store: None unless it is on PostgreSQL."""
        if services.storage.kind != "postgres":
            return None
        known = _QUEUES.get(services.app)
        if known is None:
            known = _QUEUES[services.app] = cls(services.storage)
        return known

    # ------------------------------------------------------------------ schema

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.conninfo, **self.kwargs)

    def schema_exists(self) -> bool:
        with self._connect() as conn:
            return conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] \
                is not None

    def ensure_schema(self) -> bool:
        """Create the queue's tables unless they exist; True when this call made them (one
        transaction, serialised by an advisory lock between processes that start together)."""
        if self.schema_exists():
            self._ready = True
            return False
        sql = self.app.schema_manager.get_schema()
        with self._connect() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0]:
                self._ready = True
                return False
            conn.execute(sql.encode())
        self._ready = True
        return True

    def ready(self) -> bool:
        """The queue's tables exist (asked once per process)."""
        if self._ready is None:
            self._ready = self.schema_exists()
        return self._ready

    # ------------------------------------------------------------------ deferring (sync)

    def _open(self) -> None:
        if not self._opened:
            self.app.open()
            self._opened = True

    def defer_publish(self, item_id: UUID | str, at: datetime | None) -> None:
        """The item's publish job at `at` (its slot), replacing one waiting (a reschedule):
        at most one waits per item."""
        self._open()
        lock = publish_lock(item_id)
        for _attempt in range(3):
            for waiting in self.app.job_manager.list_jobs(queueing_lock=lock,
                                                          status=Status.TODO.value):
                assert waiting.id is not None
                self.app.job_manager.cancel_job_by_id(waiting.id)
            try:
                self.app.configure_task("socmed.publish_item", schedule_at=at,
                                        queueing_lock=lock).defer(item_id=str(item_id))
                return
            except pq_exceptions.AlreadyEnqueued:
                continue  # another process deferred meanwhile: replace that one

    def defer(self, name: str, *, queueing_lock: str | None = None, **kwargs: Any) -> bool:
        """Defer job `name` now; False when one with the same queueing lock waits."""
        self._open()
        try:
            self.app.configure_task(name, queueing_lock=queueing_lock).defer(**kwargs)
        except pq_exceptions.AlreadyEnqueued:
            return False
        return True

    def close(self) -> None:
        if self._opened:
            self.app.close()
            self._opened = False


def close_queue(services: Any) -> None:
    """Close the queue a store's services opened (`Services.close`)."""
    known = _QUEUES.pop(services.app, None)
    if known is not None:
        known.close()

