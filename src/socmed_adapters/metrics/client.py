"""What every platform metrics client shares: batches of posts under one deadline each, and
the number rules (`count`, `total`); reading through the publisher's HTTP client, and any
failure as one `MetricsUnavailable` line, come from `PlatformReader`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from socmed_adapters.platforms.base import Deadline
from socmed_adapters.platforms.reader import PlatformReader
from socmed_domain.evaluation.metrics import COUNT_LIMIT, MetricValues
from socmed_domain.evaluation.sources import MetricsUnavailable, PostRef

AGAIN = "fetch the metrics again"


class MetricsClient(PlatformReader, ABC):
    """One platform's insights reader; subclasses speak the API."""

    again = AGAIN
    unavailable = MetricsUnavailable
    #: How many posts one request may ask about.
    batch_size: ClassVar[int] = 1

    # ------------------------------------------------------------------ the port's half

    def post_insights(self, posts: Sequence[PostRef]) -> dict[str, MetricValues]:
        """Every readable post's values, by post id, batch by batch (one deadline each)."""
        found: dict[str, MetricValues] = {}
        readable = [post for post in posts if self.readable(post)]
        with self.failures():
            for start in range(0, len(readable), self.batch_size):
                chunk = readable[start:start + self.batch_size]
                deadline = self.deadline()
                for post_id, values in self.read_posts(chunk, deadline).items():
                    if values is not None:
                        found[post_id] = values
        return found

    def account_insights(self) -> MetricValues | None:
        with self.failures():
            return self.read_account(self.deadline())

    # ------------------------------------------------------------------ for subclasses

    def readable(self, post: PostRef) -> bool:
        """Whether the platform can be asked about this id at all."""
        return True

    @abstractmethod
    def read_posts(self, posts: Sequence[PostRef],
                   deadline: Deadline) -> Mapping[str, MetricValues | None]: ...

    @abstractmethod
    def read_account(self, deadline: Deadline) -> MetricValues | None: ...


def count(value: Any) -> int | None:
    """A platform's number as a count we record: whole and within bounds, else None (not
    reported), never a guess."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= COUNT_LIMIT else None


def total(*values: Any) -> int | None:
    """The sum of the numbers that are reported; None when none is."""
    counted = [c for c in (count(v) for v in values) if c is not None]
    return sum(counted) if counted else None


def values_or_none(**metrics: int | None) -> MetricValues | None:
    """MetricValues when at least one metric is reported (an empty answer is 'no data yet')."""
    if all(value is None for value in metrics.values()):
        return None
    return MetricValues(**metrics)
