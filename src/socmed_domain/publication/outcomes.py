"""What happened when a post was sent to a platform: published, failed, or unknown.

'Unknown' is a first-class outcome: a timeout after the request left means the post may or may
not exist, and re-sending blindly could post it twice. It is surfaced and settled, never retried.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from attrs import frozen

from socmed_domain.platforms import Platform
from socmed_domain.production.revision import MediaRef

#: An attempt with no recorded outcome after this long is surfaced as 'unknown'; before it, the
#: call may still be running, so nobody may settle it by looking the post up.
STALE_ATTEMPT = timedelta(minutes=10)


@frozen
class Slot:
    """When and where a content item is to be published."""

    at: datetime
    platforms: tuple[Platform, ...]


@frozen
class PostReceipt:
    """The platform's answer to a successful post."""

    post_id: str
    url: str
    published_at: datetime


class PublicationState(enum.Enum):
    ATTEMPTING = "attempting"
    PUBLISHED = "published"
    RETRYABLE = "failed_retryable"
    FAILED = "failed"
    UNKNOWN = "unknown"


@frozen
class PlatformPublication:
    """Where one (content item, platform) stands; at most one PUBLISHED, ever."""

    platform: Platform
    state: PublicationState
    attempts: int = 0
    idempotency_key: str = ""
    receipt: PostReceipt | None = None
    last_error: str = ""
    revision_sha256: str = ""
    body_sha256: str = ""
    attempted_at: datetime | None = None


@frozen
class OutboundPost:
    """Exactly what goes to a platform: the approved revision's body for that platform."""

    item_id: str
    platform: Platform
    body: str
    media_uris: tuple[str, ...]
    revision_sha256: str
    idempotency_key: str
    title: str = ""
    #: The media as approved, with what their bytes are (sniffed type, SHA-256), in the order
    #: of `media_uris`; empty for callers that name URIs only.
    media: tuple[MediaRef, ...] = ()
    #: The revision's disclosures, for platforms with a field for them (TikTok's brand
    #: content toggles, AI-generated content labels).
    sponsored: bool = False
    own_brand: bool = False
    ai_generated: bool = False
