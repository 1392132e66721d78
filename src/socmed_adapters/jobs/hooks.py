"""The deferral hook: an item scheduled or rescheduled on a PostgreSQL store gets its publish
job at the slot's time, replacing the one that waited (`JobQueue.defer_publish`).

Added by the composition root to every PostgreSQL store's saves. It defers only once the
queue's tables exist (`socmed init`, or a `socmed worker --queue`), and a failure to defer
never fails the command, whose events are already recorded: it is logged, and the sweep
(every few seconds, in some worker) defers a job for every due item that has none.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger("socmed.jobs")


class SlotHook:
    """`Kernel.saved_listeners` entry of one store."""

    def __init__(self, services: Any) -> None:
        self.services = services

    def __call__(self, events: Sequence[Any]) -> None:
        from socmed_domain.production.content_item import ContentItem

        slots = [(event.originator_id, event.slot.at) for event in events
                 if isinstance(event, ContentItem.Scheduled)]
        if not slots:
            return
        try:
            from socmed_adapters.jobs.queue import JobQueue

            queue = JobQueue.of(self.services)
            if queue is None or not queue.ready():
                return
            for item_id, at in slots:
                queue.defer_publish(item_id, at)
        except Exception as error:
            log.warning("could not defer the publish job of %s: %s: %s",
                        ", ".join(str(i) for i, _ in slots), type(error).__name__, error)


def install(services: Any) -> None:
    """Add the hook to a PostgreSQL store's saves (`SOCMED_JOBS=off` leaves it out)."""
    import os

    if services.storage.kind != "postgres" or os.environ.get("SOCMED_JOBS") == "off":
        return
    services.app.saved_listeners.append(SlotHook(services))


class WebhookWaker:
    """`on_recorded` of the webhook receiver on a PostgreSQL store: a recorded delivery
    defers the webhook drain job (at most one waits; at most one deferral every `every`
    seconds from this process), so a `socmed worker --queue` processes it at once rather
    than at the next sweep. Never fails the delivery: it is recorded already."""

    def __init__(self, services: Any, every: float = 0.2) -> None:
        self.services = services
        self.every = every
        self._last = 0.0

    def __call__(self) -> None:
        import time

        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        import threading

        # Off the server's event loop: the deferral is a round trip to the database.
        threading.Thread(target=self._defer, name="socmed-webhook-waker", daemon=True).start()

    def _defer(self) -> None:
        try:
            from socmed_adapters.jobs.queue import JobQueue

            queue = JobQueue.of(self.services)
            if queue is not None and queue.ready():
                queue.defer("socmed.process_webhooks", queueing_lock="socmed.process_webhooks")
        except Exception as error:
            log.warning("could not defer the webhook job: %s: %s", type(error).__name__, error)


def webhook_waker(services: Any) -> WebhookWaker | None:
    """The receiver's hook on a PostgreSQL store (None elsewhere, or with SOCMED_JOBS=off)."""
    import os

    if services.storage.kind != "postgres" or os.environ.get("SOCMED_JOBS") == "off":
        return None
    return WebhookWaker(services)
