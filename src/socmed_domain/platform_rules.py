"""Platform publishing rules kept as data, because platforms change them.

`DEFAULT_PLATFORM_RULES` is versioned (`RULES_VERSION`); a deployment overrides single values
with `rules_with_overrides()` (passed to `bootstrap(rules=...)`) without touching code. Every
rule names its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import evolve, field, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform, platform_named
from socmed_domain.text_length import XText

RULES_VERSION = "2026-12.1"
MB = 1024 * 1024


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
    #: Links (URLs) a caption may hold; None: no limit (0: 'link in bio' platforms).
    link_max: int | None = None
    #: Accepted width/height ratios (min, max) for images and for videos.
    image_aspect: tuple[float, float] | None = None
    video_aspect: tuple[float, float] | None = None
    image_max_bytes: int | None = None
    video_max_bytes: int | None = None
    video_min_seconds: float | None = None
    #: MIME types accepted, as sniffed from the bytes (None: not checked).
    image_types: tuple[str, ...] | None = None
    video_types: tuple[str, ...] | None = None
    #: May photos and videos share one post?
    mixed_media: bool = True
    #: Media categories ("gif", "video") that must be the only media item of a post.
    alone_kinds: tuple[str, ...] = ()
    #: Video frame size: the shorter side at least, the longer side at most (pixels).
    video_min_side: int | None = None
    video_max_side: int | None = None
    #: Largest image in pixels (width x height).
    image_max_pixels: int | None = None
    #: Animated GIFs have their own size limit on X (15 MB, photos 5 MB).
    gif_max_bytes: int | None = None
    #: X's text rules (twitter-text), plugged in by the composition root: X's weighted length
    #: and refused characters, and for every platform the URLs in a caption (links, and no
    #: hashtag inside one). Not data: left out of equality and of the listing.
    x_text: XText | None = field(default=None, eq=False, repr=False)


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
        "carousel 10, 100 API posts / 24 h via content_publishing_limit; JPEG up to 8 MB, "
        "aspect 4:5 to 1.91:1; reels MP4/MOV, 3 s to 15 min, up to 1 GB, 0.01:1 to 10:1, "
        "width up to 1920 px; photos and videos may share a carousel); hashtags cut to 5 per "
        "post in December 2025",
        image_aspect=(0.8, 1.91),
        video_aspect=(0.01, 10.0),
        image_max_bytes=8 * MB,
        video_max_bytes=1024 * MB,
        video_min_seconds=3,
        image_types=("image/jpeg",),
        video_types=("video/mp4", "video/quicktime"),
        video_max_side=1920,
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
        source="Facebook Pages API /{page-id}/feed and /photos (message 63,206 chars; photos "
        "up to 10 MB, JPEG/PNG/GIF/BMP/TIFF; videos up to 10 GB and 240 min); a post is "
        "photos or one video",
        image_max_bytes=10 * MB,
        video_max_bytes=10 * 1024 * MB,
        image_types=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"),
        video_types=("video/mp4", "video/quicktime", "video/webm", "video/x-matroska",
                     "video/x-msvideo"),
        mixed_media=False,
        alone_kinds=("video",),
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
        "requests/day); Videos API (3 s to 30 min, 75 KB to 500 MB, aspect 1:2.4 to 2.4:1); "
        "Images API (JPG/GIF/PNG, up to 36,152,320 pixels); MP4 frames 256x144 to "
        "4096x2304; a post is images or one video",
        video_aspect=(1 / 2.4, 2.4),
        video_max_bytes=500 * MB,
        video_min_seconds=3,
        image_types=("image/jpeg", "image/png", "image/gif"),
        video_types=("video/mp4",),
        mixed_media=False,
        alone_kinds=("video",),
        video_min_side=144,
        video_max_side=4096,
        image_max_pixels=36_152_320,
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
        "images of up to 20 MB, about 15 posts per creator per day; videos up to 4 GB, "
        "max_video_post_duration_sec from creator_info; MP4/WebM/MOV, sides 360 to 4096 px; "
        "photos JPEG/WebP); a post is one video or photos; links are not clickable in "
        "captions",
        link_max=0,
        image_max_bytes=20 * MB,
        video_max_bytes=4096 * MB,
        video_min_seconds=3,
        image_types=("image/jpeg", "image/webp"),
        video_types=("video/mp4", "video/webm", "video/quicktime"),
        mixed_media=False,
        alone_kinds=("video",),
        video_min_side=360,
        video_max_side=4096,
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
        source="X API v2 POST /2/tweets and twitter-text v3 weighting (280 weighted, URL = 23); "
        "media upload: images JPEG/PNG/GIF/WebP up to 5 MB, animated GIF 15 MB, videos "
        "MP4/MOV 0.5 s to 140 s, up to 512 MB, aspect 1:3 to 3:1; a post has up "
        "to 4 photos, or 1 GIF, or 1 video",
        image_max_bytes=5 * MB,
        video_max_bytes=512 * MB,
        video_aspect=(1 / 3, 3.0),
        video_min_seconds=0.5,
        image_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
        video_types=("video/mp4", "video/quicktime"),
        mixed_media=False,
        alone_kinds=("gif", "video"),
        gif_max_bytes=15 * MB,
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
    "link_max",
    "image_aspect",
    "video_aspect",
    "image_max_bytes",
    "video_max_bytes",
    "video_min_seconds",
    "image_types",
    "video_types",
    "mixed_media",
    "alone_kinds",
    "video_min_side",
    "video_max_side",
    "image_max_pixels",
    "gif_max_bytes",
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
        for listed in ("media_kinds", "alone_kinds", "image_types", "video_types"):
            if values.get(listed) is not None:
                values[listed] = tuple(values[listed])
        for aspect in ("image_aspect", "video_aspect"):
            if values.get(aspect) is not None:
                low, high = (float(v) for v in values[aspect])
                values[aspect] = (low, high)
        rules[platform] = evolve(rules[platform], **values)
    return rules


def with_x_text(rules: Mapping[Platform, PlatformRules], x_text: XText,
                ) -> dict[Platform, PlatformRules]:
    """`rules` reading captions by `x_text` (the composition root's one call)."""
    return {platform: evolve(rule, x_text=x_text) for platform, rule in rules.items()}
