"""One Publisher for all platforms: dispatch each post to the adapter configured for its platform.

`publisher_from_config()` is what the composition root calls: it reads the credentials
(environment or TOML file), builds one adapter per configured platform and returns the router.
A post for a platform without an adapter is refused with a retryable `PublishError` that says
which variable to set: nothing was sent, and configuring the platform lets it go out later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from socmed_adapters.clock import system_clock
from socmed_adapters.platforms.base import HttpPolicy, PlatformPublisher, Timing
from socmed_adapters.platforms.credentials import (
    CONFIG_VARIABLE,
    SPECS,
    PlatformCredentials,
    configured_credentials,
)
from socmed_adapters.platforms.facebook import FacebookPublisher
from socmed_adapters.platforms.instagram import InstagramPublisher
from socmed_adapters.platforms.linkedin import LinkedInPublisher
from socmed_adapters.platforms.tiktok import TikTokPublisher
from socmed_adapters.platforms.x import XPublisher
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import Publisher, PublishError

ADAPTERS: dict[Platform, type[PlatformPublisher]] = {
    Platform.INSTAGRAM: InstagramPublisher,
    Platform.FACEBOOK: FacebookPublisher,
    Platform.LINKEDIN: LinkedInPublisher,
    Platform.TIKTOK: TikTokPublisher,
    Platform.X: XPublisher,
}


class PlatformRouter:
    """A Publisher that hands each post to the publisher of its platform."""

    #: Posts go to the platforms' APIs, so replies go there too (bootstrap reads this to
    #: choose the reply channel, instead of guessing from what is imported).
    replies_through_platforms = True

    def __init__(self, publishers: Mapping[Platform, Publisher]) -> None:
        self.publishers = dict(publishers)

    @property
    def platforms(self) -> tuple[Platform, ...]:
        return tuple(p for p in Platform if p in self.publishers)

    def publish(self, post: OutboundPost) -> PostReceipt:
        return self._publisher(post).publish(post)

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return self._publisher(post).find(post)

    def close(self) -> None:
        for publisher in self.publishers.values():
            close = getattr(publisher, "close", None)
            if callable(close):
                close()

    def _publisher(self, post: OutboundPost) -> Publisher:
        publisher = self.publishers.get(post.platform)
        if publisher is None:
            configured = ", ".join(p.value for p in self.platforms) or "none"
            token = SPECS[post.platform].variable("token")
            raise PublishError(
                f"no publisher is configured for {post.platform.label} (configured: "
                f"{configured}): set {token} (or [{post.platform.value}] in {CONFIG_VARIABLE}) "
                "and publish again", retryable=True)
        return publisher


def publisher_from_config(
    credentials: Mapping[Platform, PlatformCredentials] | None = None,
    *,
    base_urls: Mapping[Platform, str] | None = None,
    policy: HttpPolicy | None = None,
    timing: Timing | None = None,
    clock: Callable[[], datetime] = system_clock,
    environ: Mapping[str, str] | None = None,
    config_path: Path | str | None = None,
) -> PlatformRouter:
    """The router over every platform with credentials.

    `credentials` defaults to `load_credentials(environ, config_path)`; `base_urls` overrides
    a platform's API root (tests point it at 127.0.0.1; a credential's `base_url` is the
    next choice, the platform's public API the default). Raises CredentialsError when no
    platform is configured at all, so a deployment never silently publishes nowhere.
    """
    found = configured_credentials(credentials, environ, config_path)
    urls = base_urls or {}
    publishers: dict[Platform, Publisher] = {
        platform: ADAPTERS[platform](creds, base_url=urls.get(platform), policy=policy,
                                     timing=timing, clock=clock)
        for platform, creds in found.items()
    }
    return PlatformRouter(publishers)
