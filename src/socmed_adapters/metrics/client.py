"""What every platform metrics client shares: the publishers' HTTP client, retries and error
reading, and the turn of any failure into one `MetricsUnavailable` line.

A metrics client reads with the same credentials as the platform's publisher and through the
same `PlatformApi` (deadline, backoff, Retry-After, token refusals), so a token, a base URL
or a retry rule is configured once for publishing and reading. Reads never create anything,
so every transient failure is simply tried again within the deadline.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar

import httpx

from socmed_adapters.clock import system_clock
from socmed_adapters.platforms.base import (
    NOT_FOUND,
    Deadline,
    HttpPolicy,
    PlatformPublisher,
    Refusal,
    Timing,
    Verdict,
    json_body,
)
from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_domain.evaluation.metrics import COUNT_LIMIT, MetricValues
from socmed_domain.evaluation.sources import MetricsUnavailable, PostRef
from socmed_domain.platforms import Platform
from socmed_domain.publication.ports import PublishError

AGAIN = "fetch the metrics again"


class MetricsClient(ABC):
    """One platform's insights reader; subclasses speak the API."""

    platform: ClassVar[Platform]
    publisher_class: ClassVar[type[PlatformPublisher]]
    #: How many posts one request may ask about.
    batch_size: ClassVar[int] = 1

    def __init__(self, credentials: PlatformCredentials, *, base_url: str | None = None,
                 policy: HttpPolicy | None = None, timing: Timing | None = None,
                 clock: Callable[[], datetime] = system_clock) -> None:
        self.adapter = self.publisher_class(credentials, base_url=base_url, policy=policy,
                                            timing=timing, clock=clock)
        self.adapter.api.again = AGAIN
        self.api = self.adapter.api
        self.credentials = credentials
        self.policy = self.adapter.policy
        self.clock = clock

    def close(self) -> None:
        self.adapter.close()

    # ------------------------------------------------------------------ the port's half

    def post_insights(self, posts: Sequence[PostRef]) -> dict[str, MetricValues]:
        """Every readable post's values, by post id, batch by batch (one deadline each)."""
        found: dict[str, MetricValues] = {}
        readable = [post for post in posts if self.readable(post)]
        with self.failures():
            for start in range(0, len(readable), self.batch_size):
                chunk = readable[start:start + self.batch_size]
                deadline = Deadline(self.policy.deadline, self.api.timing)
                for post_id, values in self.read_posts(chunk, deadline).items():
                    if values is not None:
                        found[post_id] = values
        return found

    def account_insights(self) -> MetricValues | None:
        with self.failures():
            return self.read_account(Deadline(self.policy.deadline, self.api.timing))

    # ------------------------------------------------------------------ for subclasses

    def readable(self, post: PostRef) -> bool:
        """Whether the platform can be asked about this id at all."""
        return True

    @abstractmethod
    def read_posts(self, posts: Sequence[PostRef],
                   deadline: Deadline) -> Mapping[str, MetricValues | None]: ...

    @abstractmethod
    def read_account(self, deadline: Deadline) -> MetricValues | None: ...

    def get(self, path: str, deadline: Deadline, **params: Any) -> dict[str, Any]:
        response = self.api.send("GET", path, deadline, classify=self.classify,
                                 params=params or None)
        return json_body(response)

    def get_one(self, path: str, deadline: Deadline, **params: Any) -> dict[str, Any] | None:
        """A read of one object; None when the platform no longer has it."""
        try:
            return self.get(path, deadline, **params)
        except Refusal as refusal:
            if refusal.kind == NOT_FOUND:
                return None
            raise

    def classify(self, response: httpx.Response) -> Verdict:
        return self.adapter.classify(response)

    @contextmanager
    def failures(self) -> Iterator[None]:
        try:
            yield
        except PublishError as error:
            raise MetricsUnavailable(self.platform, error.reason) from error


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
