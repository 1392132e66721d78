"""The local platform servers under the names the adapter tests use.

The servers live in `socmed_testing.platforms` (shipped for development, demos and
tests); this module only re-exports them, with the server classes also as Fake*, for
tests/integration/platforms.
"""

from __future__ import annotations

from socmed_testing.platforms import *  # noqa: F403  (the whole public surface)
from socmed_testing.platforms import LocalFacebook as FakeFacebook
from socmed_testing.platforms import LocalGraphServer as FakeGraphServer
from socmed_testing.platforms import LocalInstagram as FakeInstagram
from socmed_testing.platforms import LocalLinkedIn as FakeLinkedIn
from socmed_testing.platforms import LocalPlatformServer as FakePlatformServer
from socmed_testing.platforms import LocalTikTok as FakeTikTok
from socmed_testing.platforms import LocalX as FakeX

__all__ = ["FakeFacebook", "FakeGraphServer", "FakeInstagram", "FakeLinkedIn",
           "FakePlatformServer", "FakeTikTok", "FakeX"]
