"""What every client that reads a platform shares with its publisher (the metrics clients,
the inbox clients): the same credentials and `PlatformApi` (deadline, backoff, Retry-After,
token refusals), so a token, a base URL or a retry rule is configured once; reads create
nothing, so every transient failure is simply tried again within the deadline. A failure
becomes one line of the reader's own `unavailable` error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from socmed_domain.platforms import Platform
from socmed_domain.publication.ports import PublishError


class PlatformReader:
    """A reader over one platform's publisher; subclasses speak what they read."""

    platform: ClassVar[Platform]
    publisher_class: ClassVar[type[PlatformPublisher]]
    #: What a failure tells the member to do ("fetch the metrics again").
    again: ClassVar[str]
    #: The one-line error a failure becomes, made with (platform, reason).
    unavailable: ClassVar[type[Exception]]

    def __init__(self, credentials: PlatformCredentials, *, base_url: str | None = None,
                 policy: HttpPolicy | None = None, timing: Timing | None = None,
                 clock: Callable[[], datetime] = system_clock) -> None:
        self.adapter = self.publisher_class(credentials, base_url=base_url, policy=policy,
                                            timing=timing, clock=clock)
        self.adapter.api.again = self.again
        self.api = self.adapter.api
        self.credentials = credentials
        self.policy = self.adapter.policy
        self.clock = clock

    def close(self) -> None:
        self.adapter.close()

    def deadline(self) -> Deadline:
        return Deadline(self.policy.deadline, self.api.timing)

    def get(self, path: str, deadline: Deadline | None = None, **params: Any) -> dict[str, Any]:
        response = self.api.send("GET", path, deadline or self.deadline(),
                                 classify=self.classify, params=params or None)
        return json_body(response)

    def get_one(self, path: str, deadline: Deadline | None = None,
                **params: Any) -> dict[str, Any] | None:
        """A read of one object; None when the platform no longer has it (a deleted post)."""
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
            raise self.unavailable(self.platform, error.reason) from error
