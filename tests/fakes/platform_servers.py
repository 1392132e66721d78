"""The local platform servers under the names the adapter tests use.

The servers live in `socmed_adapters.platforms.local` (shipped for development, demos and
tests); this module only re-exports them, as Fake*, for tests/integration/platforms.
"""

from __future__ import annotations

from socmed_adapters.platforms.local import (
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
    Recorded,
    Reply,
    fast_policy,
    unused_port_url,
)
from socmed_adapters.platforms.local import LocalFacebook as FakeFacebook
from socmed_adapters.platforms.local import LocalGraphServer as FakeGraphServer
from socmed_adapters.platforms.local import LocalInstagram as FakeInstagram
from socmed_adapters.platforms.local import LocalLinkedIn as FakeLinkedIn
from socmed_adapters.platforms.local import LocalPlatformServer as FakePlatformServer
from socmed_adapters.platforms.local import LocalTikTok as FakeTikTok
from socmed_adapters.platforms.local import LocalX as FakeX

__all__ = [
    "ANSWERED", "CONTAINER_ERROR", "CONTAINER_EXPIRED", "DROP", "DUPLICATE",
    "ERROR_AFTER_ACCEPT", "EXPIRED_TOKEN", "HANG", "PUBLISH_FAILED", "QUOTA_EXHAUSTED",
    "RATE_LIMIT", "REJECTED_MEDIA", "SERVER_ERROR", "SLOW", "TOKEN", "UNAVAILABLE",
    "FakeFacebook", "FakeGraphServer", "FakeInstagram", "FakeLinkedIn", "FakePlatformServer",
    "FakeTikTok", "FakeTime", "FakeX", "Fault", "Recorded", "Reply", "fast_policy",
    "unused_port_url",
]
