"""The API `InteractionSource` and `ReplySender` over every platform with credentials: what
`socmed inbox fetch` reads and what `socmed inbox reply --publisher platforms` sends through.

Credentials are the publishers' (the environment or $SOCMED_PLATFORMS_CONFIG,
docs/platforms.md): a platform that can be published to can be read and answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from importlib import import_module
from pathlib import Path

from socmed_adapters.clock import system_clock
from socmed_adapters.interactions.client import InteractionClient
from socmed_adapters.platforms.base import HttpPolicy, Timing
from socmed_adapters.platforms.credentials import (
    PlatformCredentials,
    configured_credentials,
)
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import InboundInteraction
from socmed_domain.monitoring.replies import OutboundReply, ReplyError, ReplyReceipt
from socmed_domain.platforms import Platform

#: Each platform's client, imported when that platform is configured.
CLIENTS: dict[Platform, str] = {
    Platform.INSTAGRAM: "socmed_adapters.interactions.instagram:InstagramInteractions",
    Platform.FACEBOOK: "socmed_adapters.interactions.facebook:FacebookInteractions",
    Platform.LINKEDIN: "socmed_adapters.interactions.linkedin:LinkedInInteractions",
    Platform.TIKTOK: "socmed_adapters.interactions.tiktok:TikTokInteractions",
    Platform.X: "socmed_adapters.interactions.x:XInteractions",
}


def client_class(platform: Platform) -> type[InteractionClient]:
    module, _, name = CLIENTS[platform].partition(":")
    cls: type[InteractionClient] = getattr(import_module(module), name)
    return cls


class PlatformInteractions:
    """Reads each platform through its client, and sends each reply through the client of
    the reply's platform.

    As an `InteractionSource`: `interactions()` yields what every platform in `platforms`
    has since `since`, comments only on `posts` (our published posts, by platform). Each
    platform is read whole before anything of it is yielded, so a platform that fails
    raises InteractionsUnavailable before its first interaction is delivered."""

    def __init__(self, clients: Mapping[Platform, InteractionClient], *,
                 since: datetime | None = None,
                 posts: Mapping[Platform, Sequence[PostRef]] | None = None,
                 platforms: Iterable[Platform] | None = None) -> None:
        self.clients = dict(clients)
        self.since = since
        self.posts = dict(posts or {})
        wanted = set(Platform) if platforms is None else set(platforms)
        self.selected = tuple(p for p in Platform if p in wanted and p in self.clients)

    @property
    def platforms(self) -> tuple[Platform, ...]:
        return tuple(p for p in Platform if p in self.clients)

    def fetch(self, platform: Platform, since: datetime,
              posts: Sequence[PostRef] = ()) -> list[InboundInteraction]:
        return self.clients[platform].fetch(since, posts)

    def interactions(self) -> Iterator[InboundInteraction]:
        if self.since is None:
            raise ValueError("PlatformInteractions needs `since` to be read as a source")
        for platform in self.selected:
            yield from self.fetch(platform, self.since, self.posts.get(platform, ()))

    def send_reply(self, reply: OutboundReply) -> ReplyReceipt:
        client = self.clients.get(reply.platform)
        if client is None:
            raise ReplyError(f"{reply.platform.label} has no credentials configured, so the "
                             "reply cannot be sent: see docs/platforms.md")
        return client.send_reply(reply)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def interactions_from_config(
    credentials: Mapping[Platform, PlatformCredentials] | None = None,
    *,
    since: datetime | None = None,
    posts: Mapping[Platform, Sequence[PostRef]] | None = None,
    platforms: Iterable[Platform] | None = None,
    policy: HttpPolicy | None = None,
    timing: Timing | None = None,
    clock: Callable[[], datetime] = system_clock,
    environ: Mapping[str, str] | None = None,
    config_path: Path | str | None = None,
) -> PlatformInteractions:
    """One client per configured platform; CredentialsError when none is configured."""
    found = configured_credentials(credentials, environ, config_path,
                                   "no comments or messages can be fetched or answered")
    return PlatformInteractions(
        {platform: client_class(platform)(creds, policy=policy, timing=timing, clock=clock)
         for platform, creds in found.items()},
        since=since, posts=posts, platforms=platforms)
