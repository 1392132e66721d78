"""The job registry: each job is one function, registered with `@job(...)`.

    @job("socmed.notify", queue=NOTIFICATIONS)
    def notify(runtime: Runtime, member: str) -> None:
        runtime.services.app.<service>.<method>(runtime.actor, member)

The function takes the worker's `Runtime` (its services and the acting member) and JSON
arguments; it calls ONE service method. `queue.build_app` makes a procrastinate task of each
(the runtime is filled in by the worker before it runs any), so adding a job is adding
that one function in `socmed_adapters.jobs.tasks`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen

from socmed_domain.identity.principal import ActorRef

PUBLISHING = "publishing"
WEBHOOKS = "webhooks"
MAINTENANCE = "maintenance"
#: Every queue socmed uses (a worker runs all of them unless told `--queues`).
QUEUES = (PUBLISHING, WEBHOOKS, MAINTENANCE)


@frozen
class Runtime:
    """What a job runs with in a worker process: the store's services, the acting member,
    and the procrastinate app it runs in (to defer other jobs)."""

    services: Any
    actor: ActorRef
    app: Any = None
    stalled_after: float = 30.0


@frozen
class Job:
    """One registered job: its task name, queue, the function, and procrastinate's task
    options (`retry`, ...); `periodic` is a cron line (6 fields: seconds last) or None."""

    name: str
    queue: str
    func: Callable[..., Any]
    options: dict[str, Any]
    periodic: str | None = None
    is_async: bool = False


JOBS: dict[str, Job] = {}


def job(name: str, *, queue: str, periodic: str | None = None,
        **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as the job `name` on `queue` (see the module's docstring)."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        import inspect

        JOBS[name] = Job(name, queue, func, dict(options), periodic,
                         inspect.iscoroutinefunction(func))
        return func

    return register
