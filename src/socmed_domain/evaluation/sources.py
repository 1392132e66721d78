"""The `MetricsSource` port: where insights fetched from the platforms come from.

SOP stage 5 asks for performance data; the platforms are where it lives. The domain decides
which posts to ask about, when the measurement counts as taken and how it is recorded
(`EvaluationService.fetch_metrics`); an adapter per platform only speaks its insights API.
A source answers for a batch of posts at a time, because most platforms read many posts per
request (X 100, TikTok and LinkedIn 20) and their rate limits count requests, not posts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from attrs import frozen

from socmed_domain.errors import SocmedError
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.platforms import Platform


@frozen
class PostRef:
    """A published post as a platform knows it: its id there, and when it went out (some
    metrics, e.g. X's non-public ones, exist only for recent posts)."""

    post_id: str
    published_at: datetime


class MetricsUnavailable(SocmedError):
    """A platform could not be read (refused token, rate limit outlasting the deadline, ...).
    The fetch records nothing, so running it again later is always safe."""

    code = "error.metrics_fetch"

    def __init__(self, platform: Platform, detail: str) -> None:
        super().__init__(platform=platform.label, detail=detail)


class MetricsSource(Protocol):
    """Post and account insights of the configured platforms (answered by socmed_adapters)."""

    @property
    def platforms(self) -> tuple[Platform, ...]:
        """The platforms this source can read."""
        ...

    def post_insights(self, platform: Platform,
                      posts: Sequence[PostRef]) -> Mapping[str, MetricValues]:
        """Running totals of each post, by post id; a post the platform no longer has, or has
        no insights for yet, is left out. Raises MetricsUnavailable."""
        ...

    def account_insights(self, platform: Platform) -> MetricValues | None:
        """The account's level figures (followers); None when the platform reports none for
        this kind of account. Raises MetricsUnavailable."""
        ...
