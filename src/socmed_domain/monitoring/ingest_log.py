"""What one ingestion wrote, for the spike check that follows it.

The spike check counts every negative message stored in its window. Asked for them, the
inbox read model first catches up with every event the ingestion just wrote: each decoded
again from JSON, replayed and projected, measured at a third of a whole `inbox ingest`.
The ingestion knows those messages already. With this record the check reads the read
model's rows only as far as it is projected, takes the ingestion's own negative messages
from here, and decodes from the log only the events in between that someone else wrote:
the same messages, so the same alerts (docs/decisions.md, "The spike check after an
import"). The read model is caught up later, by its next reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from socmed_domain.monitoring.interaction import ReceivedMessage
from socmed_domain.monitoring.sentiment import Polarity


class IngestLog:
    """Collects, save by save, the log positions (notification ids) of an ingestion's
    events and the times of its negative messages."""

    def __init__(self) -> None:
        self._positions: list[int] = []
        self._negatives: list[tuple[int, datetime]] = []

    def record(self, recordings: Iterable[Any]) -> None:
        """A save's recordings (eventsourcing's `Recording`: the event and its
        notification)."""
        for recording in recordings:
            position = recording.notification.id
            self._positions.append(position)
            message = getattr(recording.domain_event, "message", None)
            if (isinstance(message, ReceivedMessage)
                    and message.assessment.sentiment is Polarity.NEGATIVE):
                self._negatives.append((position, message.received_at))

    def negative_times(self, after: int, since: datetime, until: datetime) -> list[datetime]:
        """The times in [since, until] of this ingestion's negative messages recorded after
        log position `after`."""
        return [at for position, at in self._negatives
                if position > after and since <= at <= until]

    def others_after(self, after: int) -> list[tuple[int, int | None]]:
        """The log's ranges (first, last; last None: to the log's end) after position
        `after` that hold no event of this ingestion: where another writer's may be."""
        gaps: list[tuple[int, int | None]] = []
        start = after + 1
        for position in sorted(p for p in self._positions if p > after):
            if position > start:
                gaps.append((start, position - 1))
            start = position + 1
        gaps.append((start, None))
        return gaps
