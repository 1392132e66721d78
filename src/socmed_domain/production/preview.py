"""What a draft looks like on each platform it targets: the exact text posted (caption, then
the hashtags not in it), split into plain text, hashtags, mentions and links as that
platform reads them, its length counted the platform's way against its limit, and its media.

The console draws a preview frame per platform from this; the numbers are the same ones the
automatic checks (`quality.platform_findings`) judge, because both count through the same
platform rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import _length, _x_text
from socmed_domain.production.revision import Draft, MediaRef
from socmed_domain.text_entities import entities_in


@frozen
class Segment:
    """A run of the posted text: "text", "hashtag", "mention" or "url"."""

    kind: str
    text: str


@frozen
class PlatformPreview:
    platform: Platform
    body: str
    segments: tuple[Segment, ...]
    length: int
    limit: int
    #: How the platform counts: "chars", "utf16" or "x_weighted".
    counting: str
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    links: tuple[str, ...]
    media: tuple[MediaRef, ...]

    @property
    def over_limit(self) -> bool:
        return self.length > self.limit


def previews(draft: Draft, rules: Mapping[Platform, PlatformRules]) -> tuple[PlatformPreview, ...]:
    """One preview per platform the draft targets, in the platforms' order."""
    return tuple(platform_preview(draft, platform, rules[platform])
                 for platform in draft.platforms)


def platform_preview(draft: Draft, platform: Platform, rule: PlatformRules) -> PlatformPreview:
    body = draft.body_for(platform)
    x_text = _x_text(rule)
    urls = x_text.url_spans(body)
    entities = entities_in(body, platform, urls)
    segments: list[Segment] = []
    position = 0
    for entity in entities:
        if entity.start > position:
            segments.append(Segment("text", body[position:entity.start]))
        segments.append(Segment(entity.kind, body[entity.start:entity.end]))
        position = entity.end
    if position < len(body):
        segments.append(Segment("text", body[position:]))
    return PlatformPreview(
        platform=platform, body=body, segments=tuple(segments),
        length=_length(rule, x_text, body), limit=rule.caption_max, counting=rule.counting,
        hashtags=tuple(e.value for e in entities if e.kind == "hashtag"),
        mentions=tuple(e.value for e in entities if e.kind == "mention"),
        links=tuple(e.value for e in entities if e.kind == "url"),
        media=draft.media)
