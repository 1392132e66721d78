"""The Publisher port: how the domain asks an adapter to post, and the faults it may report."""

from __future__ import annotations

from typing import Protocol

from socmed_domain.publication.outcomes import OutboundPost, PostReceipt


class PublishError(Exception):
    """The platform refused or failed; `retryable` says whether trying later may succeed."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class OutcomeUnknownError(Exception):
    """The request may have reached the platform but no answer came (timeout, cut connection)."""


class Publisher(Protocol):
    """Posts one OutboundPost; returns a receipt, raises PublishError or OutcomeUnknownError."""

    def publish(self, post: OutboundPost) -> PostReceipt: ...

    def find(self, post: OutboundPost) -> PostReceipt | None:
        """Look a post up by its idempotency key, to settle an unknown outcome."""
        ...
