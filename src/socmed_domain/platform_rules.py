"""Platform publishing rules kept as data, because platforms change them.

`DEFAULT_PLATFORM_RULES` is versioned (`RULES_VERSION`); a deployment overrides single values
with `rules_with_overrides()` (passed to `bootstrap(rules=...)`) without touching code. Every
rule names its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import evolve, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform, platform_named

RULES_VERSION = "2026-11"


@frozen
class PlatformRules:
    """What one platform accepts for one post."""

    platform: Platform
    caption_max: int
    counting: str  # "chars" | "utf16" | "x_weighted"
    hashtag_max: int | None
    mention_max: int | None
    requires_media: bool
    media_kinds: tuple[str, ...]
    media_max: int
    video_max_seconds: int | None
    daily_quota: int | None
    source: str


DEFAULT_PLATFORM_RULES: dict[Platform, PlatformRules] = {
    Platform.INSTAGRAM: PlatformRules(
        platform=Platform.INSTAGRAM,
        caption_max=2200,
        counting="chars",
        hashtag_max=5,
        mention_max=20,
        requires_media=True,
        media_kinds=("image", "video"),
        media_max=10,
        video_max_seconds=900,
        daily_quota=100,
        source="Instagram Graph API content publishing (caption 2,200 chars, 20 @-mentions, "
        "carousel 10, 100 API posts / 24 h via content_publishing_limit); hashtags cut to 5 "
        "per post in December 2025",
    ),
    Platform.FACEBOOK: PlatformRules(
        platform=Platform.FACEBOOK,
        caption_max=63206,
        counting="chars",
        hashtag_max=None,
        mention_max=None,
        requires_media=False,
        media_kinds=("image", "video"),
        media_max=10,
        video_max_seconds=14400,
        daily_quota=None,
        source="Facebook Pages API /{page-id}/feed and /photos (message 63,206 chars)",
    ),
    Platform.LINKEDIN: PlatformRules(
        platform=Platform.LINKEDIN,
        caption_max=3000,
        counting="chars",
        hashtag_max=None,
        mention_max=None,
        requires_media=False,
        media_kinds=("image", "video"),
        media_max=20,
        video_max_seconds=1800,
        daily_quota=150,
        source="LinkedIn Posts API (commentary 3,000 chars, multiImage 2-20, member 150 "
        "requests/day)",
    ),
    Platform.TIKTOK: PlatformRules(
        platform=Platform.TIKTOK,
        caption_max=2200,
        counting="utf16",
        hashtag_max=None,
        mention_max=None,
        requires_media=True,
        media_kinds=("video", "image"),
        media_max=35,
        video_max_seconds=600,
        daily_quota=15,
        source="TikTok Content Posting API (title 2,200 UTF-16 runes, photo posts up to 35 "
        "images, about 15 posts per creator per day; max_video_post_duration_sec from "
        "creator_info)",
    ),
    Platform.X: PlatformRules(
        platform=Platform.X,
        caption_max=280,
        counting="x_weighted",
        hashtag_max=None,
        mention_max=None,
        requires_media=False,
        media_kinds=("image", "video"),
        media_max=4,
        video_max_seconds=140,
        daily_quota=None,
        source="X API v2 POST /2/tweets and twitter-text v3 weighting (280 weighted, URL = 23)",
    ),
}

_OVERRIDABLE = {
    "caption_max",
    "counting",
    "hashtag_max",
    "mention_max",
    "requires_media",
    "media_kinds",
    "media_max",
    "video_max_seconds",
    "daily_quota",
}


def rules_with_overrides(
    overrides: Mapping[str, Mapping[str, Any]],
    base: Mapping[Platform, PlatformRules] = DEFAULT_PLATFORM_RULES,
) -> dict[Platform, PlatformRules]:
    """Apply `{platform: {field: value}}` overrides, refusing unknown platforms or fields."""
    rules = dict(base)
    for name, changes in overrides.items():
        platform = platform_named(name)
        unknown = set(changes) - _OVERRIDABLE
        if unknown:
            raise InvalidInputError(
                "error.unknown_choice",
                kind="platform rule",
                value=", ".join(sorted(unknown)),
                choices=", ".join(sorted(_OVERRIDABLE)),
            )
        values = dict(changes)
        if "media_kinds" in values:
            values["media_kinds"] = tuple(values["media_kinds"])
        rules[platform] = evolve(rules[platform], **values)
    return rules
