"""Local platform servers: Instagram, Facebook, LinkedIn, TikTok and X on 127.0.0.1.

These are stand-ins for development, demos and tests. Each speaks its platform's documented
request and answer shapes and its documented faults (see `common` and docs/platforms.md), so
the real adapters in `socmed_adapters.platforms` can be run end to end over real HTTP without
the internet. They are not the platforms: never point real tokens or real content at them, and
never take "it works here" as "it works on the platform".

    from socmed_testing.platforms import LocalPlatforms

    with LocalPlatforms() as local:
        local.urls                        # {Platform.X: "http://127.0.0.1:41234", ...}
        publisher = local.publisher()     # publisher_from_config(local.credentials())
        env = local.environ()             # or: SOCMED_*_TOKEN / ACCOUNT / BASE_URL for a child
        local.media_url("photo.jpg")      # a media file every server serves, for drafts
        local.x.inject(RATE_LIMIT)        # each server by name, or local.servers[platform]
        local.x.posts                     # what each server accepted

`python -m socmed_testing.platforms` starts them in the foreground and prints the
variables to export.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, Self

from socmed_adapters.platforms.credentials import PlatformCredentials, load_credentials
from socmed_adapters.platforms.router import PlatformRouter, publisher_from_config
from socmed_domain.platforms import Platform
from socmed_testing.platforms.common import (
    ANSWERED,
    CONTAINER_ERROR,
    CONTAINER_EXPIRED,
    DROP,
    DUPLICATE,
    ERROR_AFTER_ACCEPT,
    EXPIRED_TOKEN,
    HANG,
    PUBLISH_FAILED,
    QUOTA_EXHAUSTED,
    RATE_LIMIT,
    REJECTED_MEDIA,
    SERVER_ERROR,
    SLOW,
    TOKEN,
    UNAVAILABLE,
    FakeTime,
    Fault,
    LocalPlatformServer,
    Recorded,
    Reply,
    fast_policy,
    unused_port_url,
)
from socmed_testing.platforms.facebook import LocalFacebook
from socmed_testing.platforms.graph import LocalGraphServer
from socmed_testing.platforms.instagram import LocalInstagram
from socmed_testing.platforms.linkedin import LocalLinkedIn
from socmed_testing.platforms.tiktok import LocalTikTok
from socmed_testing.platforms.x import LocalX

__all__ = [
    "ANSWERED", "CONTAINER_ERROR", "CONTAINER_EXPIRED", "DROP", "DUPLICATE",
    "ERROR_AFTER_ACCEPT", "EXPIRED_TOKEN", "HANG", "PUBLISH_FAILED", "QUOTA_EXHAUSTED",
    "RATE_LIMIT", "REJECTED_MEDIA", "SERVER_ERROR", "SLOW", "TOKEN", "UNAVAILABLE",
    "FakeTime", "Fault", "LocalFacebook", "LocalGraphServer", "LocalInstagram",
    "LocalLinkedIn", "LocalPlatformServer", "LocalPlatforms", "LocalTikTok", "LocalX",
    "Recorded", "Reply", "fast_policy", "unused_port_url",
]


class LocalPlatforms:
    """All five local servers at once, each on 127.0.0.1 (a free port, or `port_base` + 0..4
    in the order Instagram, Facebook, LinkedIn, TikTok, X), as a context manager."""

    def __init__(self, *, token: str = TOKEN, hang_seconds: float = 10.0,
                 port_base: int = 0, clock: Callable[[], float] | None = None,
                 serve_any_media: bool = False) -> None:
        def port(index: int) -> int:
            return port_base + index if port_base else 0

        self.token = token
        self.instagram = LocalInstagram(token=token, hang_seconds=hang_seconds, port=port(0))
        self.facebook = LocalFacebook(token=token, hang_seconds=hang_seconds, port=port(1))
        self.linkedin = LocalLinkedIn(token=token, hang_seconds=hang_seconds, port=port(2))
        self.tiktok = LocalTikTok(token=token, hang_seconds=hang_seconds, port=port(3))
        self.x = LocalX(token=token, hang_seconds=hang_seconds, port=port(4))
        self.servers: dict[Platform, LocalPlatformServer] = {
            server.platform: server
            for server in (self.instagram, self.facebook, self.linkedin, self.tiktok, self.x)}
        for server in self.servers.values():
            server.serve_any_media = serve_any_media
            if clock is not None:  # e.g. a demo's simulated month
                server.clock = clock
        self._stack: ExitStack | None = None

    def __enter__(self) -> Self:
        with ExitStack() as stack:  # a server that fails to start stops the ones started
            for server in self.servers.values():
                stack.enter_context(server)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    @property
    def urls(self) -> dict[Platform, str]:
        """Each platform's API root, to pass as `publisher_from_config(base_urls=...)`."""
        return {platform: server.api_url for platform, server in self.servers.items()}

    def media_url(self, name: str = "photo.jpg") -> str:
        """A media file served without a token (photo.jpg, second.jpg, clip.mp4)."""
        return self.instagram.media_url(name)

    def environ(self, tiktok_post_mode: str = "direct") -> dict[str, str]:
        """The SOCMED_* variables that configure every platform against these servers:
        tokens, account ids and base URLs (for a child process, or `publisher_from_config(
        environ=...)`)."""
        settings = {Platform.INSTAGRAM: ("ACCOUNT_ID", self.instagram.user_id),
                    Platform.FACEBOOK: ("PAGE_ID", self.facebook.page_id),
                    Platform.LINKEDIN: ("AUTHOR_URN", self.linkedin.author),
                    Platform.TIKTOK: ("POST_MODE", tiktok_post_mode),
                    Platform.X: ("USER_ID", self.x.user_id)}
        env: dict[str, str] = {}
        for platform, server in self.servers.items():
            prefix = f"SOCMED_{platform.name}_"
            key, value = settings[platform]
            env[prefix + "TOKEN"] = server.token
            env[prefix + key] = value
            env[prefix + "BASE_URL"] = server.api_url
        return env

    def credentials(self, tiktok_post_mode: str = "direct") -> dict[Platform, PlatformCredentials]:
        """The credentials `publisher_from_config()` takes, read from `environ()` the way a
        deployment's are."""
        return load_credentials(self.environ(tiktok_post_mode), config_path=None)

    def publisher(self, **options: Any) -> PlatformRouter:
        """`publisher_from_config()` over these servers; options (policy, timing, clock, ...)
        are passed on."""
        return publisher_from_config(self.credentials(), **options)

    def posts(self) -> dict[Platform, list[dict[str, Any]]]:
        """What each server accepted, oldest first."""
        return {platform: list(server.posts) for platform, server in self.servers.items()}

    def violations(self) -> dict[Platform, list[str]]:
        """Requests that did not fit the platform's documented shapes, per platform."""
        return {platform: list(server.violations)
                for platform, server in self.servers.items() if server.violations}

    def clear_faults(self) -> None:
        for server in self.servers.values():
            server.clear_faults()
