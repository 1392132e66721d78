"""The worker that turns recorded webhook deliveries into inbox interactions.

Each pass claims due deliveries (a committed lease), processes each through the same path as
`socmed inbox webhook` (`webhook_delivery.ingest`: idempotent on the platform's message id),
and marks it done. Killed between any two steps, nothing is lost (a claimed row whose lease
ran out is claimed again) and nothing is doubled (processing again counts every message as a
duplicate). A failure is retried with exponential backoff (`BACKOFF_BASE` doubled per attempt,
at most `BACKOFF_CAP`) up to `max_attempts`; a delivery that can never be processed (its body
cannot be read, or an interaction in it is invalid) fails at once. Failures are surfaced by
`socmed worker status`.

`run_once` is one pass; `run` loops until its stop event is set; `WorkerThread` runs the loop
in the background of a server (`socmed inbox listen`, and `socmed serve`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import define, frozen

from socmed_adapters.monitoring.webhook_delivery import (
    DeliveryReport,
    MentionReader,
    ingest,
    mention_reader,
    read_mentions,
)
from socmed_adapters.monitoring.webhook_inbox import Claim, Delivery, WebhookInbox
from socmed_adapters.monitoring.webhooks import META, read_batch
from socmed_domain.errors import InvalidInputError
from socmed_domain.identity.principal import ActorRef

log = logging.getLogger("socmed.webhooks.worker")

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 5 s, 10 s, 20 s, ... at most 1 h."""
    wait: timedelta = BACKOFF_BASE * (2 ** min(20, max(0, attempts - 1)))
    return min(wait, BACKOFF_CAP)


@frozen
class PassReport:
    """What one pass did."""

    claimed: int = 0
    done: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0  # claims that ran out before the delivery was marked done

    def as_json(self) -> dict[str, int]:
        return {"claimed": self.claimed, "done": self.done, "retrying": self.retrying,
                "failed": self.failed, "lost": self.lost}


@define
class WebhookWorker:
    """Processes the recorded deliveries of one store as `actor`."""

    services: Any
    actor: ActorRef
    inbox: WebhookInbox
    batch: int = 20
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 8
    alerts: bool = True
    mentions: MentionReader | None = None
    name: str = ""
    #: Called between the steps of processing (tests stop a worker there).
    step: Callable[[str, int], None] | None = None
    #: Called with each delivery processed and what it did (servers log it).
    on_done: Callable[[Delivery, DeliveryReport], None] | None = None

    def __attrs_post_init__(self) -> None:
        if not self.name:
            self.name = f"{socket.gethostname()[:16]}:{os.getpid()}"

    @classmethod
    def of(cls, services: Any, actor: ActorRef, **options: Any) -> WebhookWorker:
        if "mentions" not in options:
            options["mentions"] = mention_reader()
        return cls(services, actor, WebhookInbox.of(services), **options)

    def run_once(self, now: datetime | None = None) -> PassReport:
        """Claim one batch of due deliveries and process each."""
        claim = self.inbox.claim(self.name, limit=self.batch, lease=self.lease,
                                 max_attempts=self.max_attempts, now=now)
        counts = {"done": 0, "retrying": 0, "failed": 0, "lost": 0}
        for delivery in claim.deliveries:
            counts[self._process(claim, delivery)] += 1
        return PassReport(len(claim.deliveries), **counts)

    def drain(self) -> PassReport:
        """Passes until no delivery is due (those waiting for a retry are left)."""
        total = {"claimed": 0, "done": 0, "retrying": 0, "failed": 0, "lost": 0}
        while True:
            report = self.run_once()
            for key, value in report.as_json().items():
                total[key] += value
            if report.claimed == 0:
                return PassReport(**total)

    def run(self, stop: threading.Event, *, poll: float = 1.0,
            wake: threading.Event | None = None) -> None:
        """Process until `stop` is set: a pass, then (when nothing was due) a wait of `poll`
        seconds or until `wake` is set (the receiver sets it after recording)."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception as error:  # storage down: say so, wait, try again
                log.warning("webhook worker pass failed: %s: %s", type(error).__name__,
                            _first_line(error))
                stop.wait(poll)
                continue
            if report.claimed == 0:
                if wake is not None:
                    wake.wait(poll)
                    wake.clear()
                else:
                    stop.wait(poll)

    def _process(self, claim: Claim, delivery: Delivery) -> str:
        step = self.step or (lambda name, delivery_id: None)
        step("claimed", delivery.id)
        try:
            batch = read_batch(delivery.platform, delivery.body, f"delivery {delivery.id}")
            if delivery.platform == META and self.mentions is not None:
                read_mentions(batch, self.mentions)
            report = ingest(self.services.app, self.actor, delivery.platform, batch,
                            alerts=self.alerts)
        except InvalidInputError as error:  # the body or an interaction can never be read
            self.inbox.fail(claim, delivery.id, error.message("en"), retry_at=None)
            log.warning("webhook delivery %s failed: %s", delivery.id, error.message("en"))
            return "failed"
        except Exception as error:
            detail = f"{type(error).__name__}: {_first_line(error)}"
            given_up = delivery.attempts >= self.max_attempts
            retry_at = None if given_up else datetime.now(UTC) + backoff(delivery.attempts)
            self.inbox.fail(claim, delivery.id, detail, retry_at=retry_at)
            log.warning("webhook delivery %s attempt %s failed: %s", delivery.id,
                        delivery.attempts, detail)
            return "failed" if given_up else "retrying"
        step("processed", delivery.id)
        if not self.inbox.finish(claim, delivery.id, report.as_json()):
            return "lost"
        step("finished", delivery.id)
        if self.on_done is not None:
            self.on_done(delivery, report)
        return "done"


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return " ".join(lines[0].split())[:300] if lines else type(error).__name__


class WorkerThread:
    """A worker loop on a daemon thread, for a server that processes in-process: `start()`,
    `wake()` after a delivery is recorded, `stop()` (waits for the delivery in hand)."""

    def __init__(self, worker: WebhookWorker, poll: float = 1.0) -> None:
        self.worker = worker
        self.poll = poll
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="socmed-webhook-worker",
                                        daemon=True)

    def _run(self) -> None:
        self.worker.run(self._stop, poll=self.poll, wake=self._wake)

    def start(self) -> WorkerThread:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)


def start_worker(services: Any, actor: ActorRef, **options: Any) -> WorkerThread:
    """Start processing recorded deliveries in this process (for `socmed serve`): returns
    the running thread; call its `stop()` on shutdown and its `wake()` after recording."""
    poll = options.pop("poll", 1.0)
    return WorkerThread(WebhookWorker.of(services, actor, **options), poll=poll).start()
