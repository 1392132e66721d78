"""The jobs socmed runs on the queue: each one function calling one service method (see
`registry`). Adding a job (the notifications, say) is adding one function here."""

from __future__ import annotations

import asyncio
import logging
from uuid import UUID

from socmed_adapters.jobs.common import (
    SWEEP_SECONDS,
    defer_async,
    publish_lock,
    retry_stalled,
)
from socmed_adapters.jobs.registry import MAINTENANCE, PUBLISHING, WEBHOOKS, Runtime, job

log = logging.getLogger("socmed.jobs")


@job("socmed.publish_item", queue=PUBLISHING)
def publish_item(runtime: Runtime, item_id: str) -> None:
    """One item at its slot (or again, when a sweep finds it still due)."""
    for line in runtime.services.app.publication.publish_item(runtime.actor, UUID(item_id)):
        log.info("publish %s %s %s %s %s", line.item_id, line.platform, line.outcome,
                 line.url, line.detail)


@job("socmed.process_webhooks", queue=WEBHOOKS)
def process_webhooks(runtime: Runtime) -> None:
    """The recorded webhook deliveries that are due, into the inbox (claimed with a lease,
    idempotent: see `socmed_adapters.monitoring.webhook_worker`)."""
    from socmed_adapters.monitoring.webhook_worker import WebhookWorker

    report = WebhookWorker.of(runtime.services, runtime.actor).drain()
    if report.claimed:
        log.info("webhooks %s", report.as_json())


@job("socmed.sweep", queue=MAINTENANCE, periodic=f"* * * * * */{SWEEP_SECONDS}",
     queueing_lock="socmed.sweep")
async def sweep(runtime: Runtime, timestamp: int) -> None:
    """Every SWEEP_SECONDS, in one worker: a publish job for every due item without one
    waiting (a deferral that failed, a retryable failure, an attempt left by a dead worker
    to be surfaced once stale), the webhook drain, and the jobs of dead workers retried."""
    due = await asyncio.to_thread(runtime.services.app.publication.due_items, runtime.actor)
    for item_id in due:
        await defer_async(runtime.app, "socmed.publish_item", queueing_lock=publish_lock(item_id),
                          item_id=str(item_id))
    await defer_async(runtime.app, "socmed.process_webhooks",
                      queueing_lock="socmed.process_webhooks")
    await retry_stalled(runtime.app, runtime.stalled_after)
