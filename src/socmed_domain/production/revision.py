"""A draft's content and the immutable, hashed revision it becomes.

The SHA-256 of a revision is what an approval names; what is published must hash the same,
so nothing that was not approved can go out.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from datetime import date

from attrs import field, frozen

from socmed_domain.bounds import check_date
from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform

HASHTAG_TEXT_RE = re.compile(r"^\w{1,100}$", re.UNICODE)
_TAG_PREFIX_RE = re.compile(r"^[\s#]+")


class ContentType(enum.Enum):
    """The SOP's kinds of content: text, images, video, infographics, and carousels."""

    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    CAROUSEL = "carousel"
    INFOGRAPHIC = "infographic"


def content_type_named(name: str) -> ContentType:
    for kind in ContentType:
        if kind.value == name.strip().lower():
            return kind
    raise InvalidInputError(
        "error.unknown_choice",
        kind="content type",
        value=name,
        choices=", ".join(k.value for k in ContentType),
    )


@frozen
class MediaProbe:
    """What the media's bytes are, as read from the bytes themselves when the revision was
    saved: never from a file name, a URL's extension or a host's Content-Type.

    Part of the revision's hash, so an approval covers the exact bytes (`sha256`): the same
    URL answering other bytes later makes another revision with another hash.
    """

    sha256: str
    size_bytes: int
    #: The MIME type sniffed from the content ("image/jpeg", "video/mp4", ...).
    mime_type: str
    #: The image format or the video container as the decoder names it ("JPEG", "mp4").
    format: str
    width: int | None = None
    height: int | None = None
    #: Video duration in milliseconds (X's lower limit is half a second).
    duration_ms: int | None = None
    video_codec: str | None = None
    #: None: the video has no audio stream.
    audio_codec: str | None = None
    #: Frames of an image: more than one is an animated GIF/WebP (X counts those apart).
    frames: int = 1

    @property
    def kind(self) -> str:
        return "video" if self.mime_type.startswith("video/") else "image"

    @property
    def animated(self) -> bool:
        return self.kind == "image" and self.frames > 1

    def hashed(self) -> list[object]:
        return [self.sha256, self.size_bytes, self.mime_type, self.format, self.width,
                self.height, self.duration_ms, self.video_codec, self.audio_codec,
                self.frames]


@frozen
class MediaRef:
    """A media asset by reference (the DAM or file store keeps the bytes), and, once read,
    what its bytes are (`probe`)."""

    uri: str
    kind: str = "image"  # "image" | "video"
    alt_text: str = ""
    duration_seconds: int | None = None
    #: Pixel size and file size as stated by whoever wrote the revision (before media were
    #: read, or in stores without a media reader); a probe's measured values win.
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    probe: MediaProbe | None = None

    @property
    def pixel_size(self) -> tuple[int, int] | None:
        width, height = ((self.probe.width, self.probe.height) if self.probe
                         else (self.width, self.height))
        return (width, height) if width and height else None

    @property
    def aspect_ratio(self) -> float | None:
        size = self.pixel_size
        return size[0] / size[1] if size else None

    @property
    def file_bytes(self) -> int | None:
        return self.probe.size_bytes if self.probe else self.size_bytes

    @property
    def seconds(self) -> float | None:
        if self.probe is not None and self.probe.duration_ms is not None:
            return self.probe.duration_ms / 1000
        return None if self.duration_seconds is None else float(self.duration_seconds)

    @property
    def mime_type(self) -> str | None:
        return self.probe.mime_type if self.probe else None

    @property
    def category(self) -> str:
        """'photo', 'gif' (animated) or 'video': how X counts media in a post."""
        if self.kind == "video":
            return "video"
        return "gif" if self.probe is not None and self.probe.animated else "photo"


@frozen
class CaptionVariant:
    """A platform-specific caption that replaces the main text on that platform."""

    platform: Platform
    text: str


def _sorted_unique_platforms(value: tuple[Platform, ...]) -> tuple[Platform, ...]:
    order = list(Platform)
    return tuple(sorted(set(value), key=order.index))


def _clean_hashtags(value: tuple[str, ...]) -> tuple[str, ...]:
    """Strip '#' and drop case-insensitive duplicates; validity is checked by validate().
    Idempotent, so a draft read back from storage is the draft that was saved."""
    seen: list[str] = []
    for tag in value:
        cleaned = _TAG_PREFIX_RE.sub("", tag).rstrip()
        if cleaned.lower() not in (s.lower() for s in seen):
            seen.append(cleaned)
    return tuple(seen)


@frozen
class Draft:
    """What an author writes; becomes a Revision when saved."""

    text: str
    platforms: tuple[Platform, ...] = field(converter=_sorted_unique_platforms)
    content_type: ContentType = ContentType.TEXT
    captions: tuple[CaptionVariant, ...] = ()
    hashtags: tuple[str, ...] = field(default=(), converter=_clean_hashtags)
    media: tuple[MediaRef, ...] = ()
    sponsored: bool = False
    planned_for: date | None = None
    #: Promotes the company's own products or services (TikTok's "Your brand" disclosure).
    own_brand: bool = False
    #: Made or substantially changed by generative AI; declared to platforms that take it.
    ai_generated: bool = False

    def validate(self) -> Draft:
        """Refuse a draft no one could publish. Called when a revision is saved, never when
        a stored event is read back, so tightening a rule never breaks old events."""
        if self.planned_for is not None:
            check_date(self.planned_for, "planned for")
        for tag in self.hashtags:
            if not HASHTAG_TEXT_RE.match(tag):
                raise InvalidInputError(
                    "error.unknown_choice",
                    kind="hashtag",
                    value=tag,
                    choices="letters, digits and '_' only, without spaces",
                )
        for media in self.media:
            if media.kind not in ("image", "video"):
                raise InvalidInputError("error.unknown_choice", kind="media kind",
                                        value=media.kind, choices="image, video")
            if media.probe is not None and media.probe.kind != media.kind:
                raise InvalidInputError("error.media_kind_mismatch", media=media.uri,
                                        kind=media.kind, sniffed=media.probe.mime_type)
        if not self.platforms:
            raise InvalidInputError("error.empty", field="platforms")
        if not self.text.strip() and not all(
            self.caption_text(p).strip() for p in self.platforms
        ):
            raise InvalidInputError("error.empty", field="text")
        for variant in self.captions:
            if variant.platform not in self.platforms:
                raise InvalidInputError(
                    "error.platform_not_targeted",
                    platform=variant.platform.value,
                    revision="(draft)",
                    targets=", ".join(p.value for p in self.platforms),
                )
        return self

    def caption_text(self, platform: Platform) -> str:
        for variant in self.captions:
            if variant.platform is platform:
                return variant.text
        return self.text

    def body_for(self, platform: Platform) -> str:
        """The exact text posted on `platform`: its caption, then the hashtags not in it."""
        caption = self.caption_text(platform).rstrip()
        present = {t.lower() for t in re.findall(r"#(\w+)", caption)}
        extra = [f"#{t}" for t in self.hashtags if t.lower() not in present]
        if not extra:
            return caption
        return f"{caption}\n\n{' '.join(extra)}" if caption else " ".join(extra)

    def canonical_json(self) -> str:
        """A stable serialisation of everything that is published, for hashing."""
        payload = {
            "text": self.text,
            "platforms": [p.value for p in self.platforms],
            "content_type": self.content_type.value,
            "captions": [[c.platform.value, c.text] for c in self.captions],
            "hashtags": list(self.hashtags),
            "media": [_media_fields(m) for m in self.media],
            "sponsored": self.sponsored,
            "planned_for": self.planned_for.isoformat() if self.planned_for else None,
        }
        # Added later: hashed only when set, so every revision stored before keeps its hash.
        if self.own_brand:
            payload["own_brand"] = True
        if self.ai_generated:
            payload["ai_generated"] = True
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


@frozen
class Revision:
    """One immutable version of a content item, with who wrote it and its hash."""

    number: int
    draft: Draft
    author_id: str
    sha256: str
    note: str = ""


def _media_fields(media: MediaRef) -> list[object]:
    """The hashed form of one media item. Dimensions, size and the probe were added later:
    they join the hash only when set, so every revision stored before keeps its hash."""
    fields: list[object] = [media.uri, media.kind, media.alt_text, media.duration_seconds]
    if (media.width, media.height, media.size_bytes) != (None, None, None):
        fields += [media.width, media.height, media.size_bytes]
    if media.probe is not None:
        # The bytes themselves (their SHA-256) and what they are, added with media reading;
        # absent from revisions stored before, which keep their hashes.
        fields.append({"probe": media.probe.hashed()})
    return fields


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
