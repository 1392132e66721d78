"""The local platform servers under the names the adapter tests use.

The servers live in `socmed_adapters.platforms.local` (shipped for development, demos and
tests); this module only re-exports them, with the server classes also as Fake*, for
tests/integration/platforms.
"""

from __future__ import annotations

from socmed_adapters.platforms.local import *  # noqa: F403  (the whole public surface)
from socmed_adapters.platforms.local import LocalFacebook as FakeFacebook
from socmed_adapters.platforms.local import LocalGraphServer as FakeGraphServer
from socmed_adapters.platforms.local import LocalInstagram as FakeInstagram
from socmed_adapters.platforms.local import LocalLinkedIn as FakeLinkedIn
from socmed_adapters.platforms.local import LocalPlatformServer as FakePlatformServer
from socmed_adapters.platforms.local import LocalTikTok as FakeTikTok
from socmed_adapters.platforms.local import LocalX as FakeX

__all__ = ["FakeFacebook", "FakeGraphServer", "FakeInstagram", "FakeLinkedIn",
           "FakePlatformServer", "FakeTikTok", "FakeX"]
