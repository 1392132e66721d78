"""The `MetricsSource` over every platform with credentials: what `socmed metrics fetch` reads.

`metrics_source_from_config()` takes the same credentials as `publisher_from_config()` (the
environment or $SOCMED_PLATFORMS_CONFIG, docs/platforms.md), so a platform that can be
published to can be read, with the same token and base URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from socmed_adapters.clock import system_clock
from socmed_adapters.metrics.client import MetricsClient
from socmed_adapters.metrics.facebook import FacebookMetrics
from socmed_adapters.metrics.instagram import InstagramMetrics
from socmed_adapters.metrics.linkedin import LinkedInMetrics
from socmed_adapters.metrics.tiktok import TikTokMetrics
from socmed_adapters.metrics.x import XMetrics
from socmed_adapters.platforms.base import HttpPolicy, Timing
from socmed_adapters.platforms.credentials import (
    PlatformCredentials,
    configured_credentials,
)
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.platforms import Platform

CLIENTS: dict[Platform, type[MetricsClient]] = {
    Platform.INSTAGRAM: InstagramMetrics,
    Platform.FACEBOOK: FacebookMetrics,
    Platform.LINKEDIN: LinkedInMetrics,
    Platform.TIKTOK: TikTokMetrics,
    Platform.X: XMetrics,
}


class PlatformMetrics:
    """A MetricsSource that hands each platform's questions to that platform's client."""

    def __init__(self, clients: Mapping[Platform, MetricsClient]) -> None:
        self.clients = dict(clients)

    @property
    def platforms(self) -> tuple[Platform, ...]:
        return tuple(p for p in Platform if p in self.clients)

    def post_insights(self, platform: Platform,
                      posts: Sequence[PostRef]) -> Mapping[str, MetricValues]:
        return self.clients[platform].post_insights(posts)

    def account_insights(self, platform: Platform) -> MetricValues | None:
        return self.clients[platform].account_insights()

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def metrics_source_from_config(
    credentials: Mapping[Platform, PlatformCredentials] | None = None,
    *,
    policy: HttpPolicy | None = None,
    timing: Timing | None = None,
    clock: Callable[[], datetime] = system_clock,
    environ: Mapping[str, str] | None = None,
    config_path: Path | str | None = None,
) -> PlatformMetrics:
    """One client per configured platform; CredentialsError when none is configured."""
    found = configured_credentials(credentials, environ, config_path,
                                   "no insights can be fetched")
    return PlatformMetrics({
        platform: CLIENTS[platform](creds, policy=policy, timing=timing, clock=clock)
        for platform, creds in found.items()})
