"""One webhook delivery's processing, shared by `socmed inbox webhook` (a captured body) and
the worker that processes the deliveries the HTTP receiver recorded (`webhook_worker`).

`receive_delivery` is the whole job for a captured body: the secret from the environment, the
signature checked on the raw body before a byte is parsed, the payload read, then `ingest`.
`ingest` is what the worker runs for a recorded (already verified) delivery: the interactions
ingested through the application (idempotent on the platform's message id, so a redelivery,
or a delivery processed again after a crash, adds nothing), spike alerts raised over the span
ingested (recorded once). A refused delivery never reaches the event store.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from attrs import frozen

from socmed_adapters.monitoring.webhook_payloads import WebhookBatch
from socmed_adapters.monitoring.webhooks import LABELS, WebhookSource, secret_for, verified_batch
from socmed_domain.errors import InvalidInputError
from socmed_domain.identity.principal import ActorRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionsUnavailable
from socmed_domain.platforms import Platform

#: Bodies larger than this are answered 413 (never kept or parsed).
DEFAULT_MAX_BODY = 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+)\s*(?:([kmg])(?:i?b)?|b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """'1MB', '512KB', '2m', '65536': bytes, with K, M and G as powers of 1024."""
    match = _SIZE.match(text)
    if not match or int(match.group(1)) <= 0:
        raise InvalidInputError("error.webhook_size", value=text)
    power = " kmg".index((match.group(2) or " ").lower())
    return int(match.group(1)) << (10 * power)


@frozen
class DeliveryReport:
    """What one accepted delivery did."""

    family: str
    received: int
    new: int
    duplicates: int
    opened: int
    skipped: int
    unread: int
    alerts: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.family]

    def as_json(self) -> dict[str, Any]:
        return {"platform": self.family, "received": self.received, "new": self.new,
                "duplicates": self.duplicates, "conversations_opened": self.opened,
                "skipped": self.skipped, "unread": self.unread, "alerts": list(self.alerts)}


def receive_delivery(family: str, body: bytes, signature: str | None, actor: ActorRef,
                     app: Callable[[], Any], *, alerts: bool = True,
                     environ: Mapping[str, str] | None = None, now: datetime | None = None,
                     lock: threading.Lock | None = None,
                     mentions: MentionReader | None = None,
                     source: str = "body") -> DeliveryReport:
    """Verify, read and ingest one delivery, then raise spike alerts over its time span.
    `source` names the body in error messages (the captured file's path, or "body").

    Instagram announces @mentions by id only; with `mentions` (an Instagram client's
    `mentioned`, see `mention_reader`) their text is read from the API before ingesting.

    `app` is called only once the delivery is verified and read, so a refused delivery does
    not even open (or create) the store. `lock` serialises the writing part when deliveries
    arrive on several threads."""
    batch = verified_batch(family, body, signature, secret_for(family, environ),
                           now or datetime.now(UTC), source)
    if mentions is not None:
        read_mentions(batch, mentions)
    with lock or nullcontext():
        return ingest(app(), actor, family, batch, alerts=alerts)


def ingest(application: Any, actor: ActorRef, family: str, batch: WebhookBatch, *,
           alerts: bool = True) -> DeliveryReport:
    """Ingest a read delivery's interactions, then raise spike alerts over its time span.
    Safe to run again for the same delivery: repeats are counted as duplicates, and an
    alert already raised over the same span is not raised twice."""
    report = application.inbox.ingest_interactions(actor, WebhookSource(batch).interactions())
    raised: tuple[str, ...] = ()
    # Over the whole delivery, repeats included: alerts are recorded once, and a
    # redelivery after a failed check runs the check again.
    times = [item.received_at for item in batch.interactions]
    if alerts and times:
        raised = tuple(application.inbox.raise_spike_alerts(actor, min(times), max(times)))
    return DeliveryReport(family, report.received, report.new, report.duplicates,
                          report.conversations_opened, batch.skipped, batch.unread, raised)


MentionReader = Callable[[str, str], InboundInteraction | None]


def read_mentions(batch: WebhookBatch, read: MentionReader) -> None:
    """Turn the delivery's Instagram mention ids into interactions. One the API cannot read
    now stays counted as unread (the response says so); one Instagram no longer has is
    skipped."""
    for media_id, comment_id in batch.mention_ids:
        try:
            found = read(media_id, comment_id)
        except InteractionsUnavailable:
            continue
        batch.unread -= 1
        if found is None:
            batch.skipped += 1
        else:
            batch.interactions.append(found)
    batch.mention_ids.clear()


def mention_reader(environ: Mapping[str, str] | None = None) -> MentionReader | None:
    """Instagram's `mentioned` with the configured credentials; None when Instagram has
    none (its mentions then stay counted as unread)."""
    from socmed_adapters.interactions.instagram import InstagramInteractions
    from socmed_adapters.platforms.credentials import CredentialsError, load_credentials

    try:
        credentials = load_credentials(environ).get(Platform.INSTAGRAM)
    except CredentialsError:
        return None
    return None if credentials is None else InstagramInteractions(credentials).mentioned
