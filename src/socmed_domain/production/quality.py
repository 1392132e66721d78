"""The Content Quality Checklist of SOP stage 2 and the automatic checks behind it.

Manual items are what a reviewer confirms by reading; automatic checks are what a machine can
decide (platform limits, banned phrases, the sponsored-content disclosure). The same platform
checks are the 'final check' of stage 3, run again when content is scheduled and published.

The values here are the built-in ones: the banking pack and the default of a store that
never applied a configuration. The services read the company's configuration in force
(`app.configuration`, socmed_domain.configuration; issue 17).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from attrs import field, frozen

from socmed_domain.i18n import render
from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES, PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import ContentType, Draft, MediaRef
from socmed_domain.text_entities import hashtags_in, mentions_in
from socmed_domain.text_length import (
    TextRulesNotWiredError,
    XText,
    char_length,
    describe_character,
    refused_characters,
    utf16_length,
)


@frozen
class ChecklistItem:
    key: str
    en: str
    id: str


QUALITY_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("brand", "Fits the brand voice and brand visual guide",
                  "Sesuai panduan brand voice dan brand visual"),
    ChecklistItem("language", "Spelling and grammar are correct (PUEBI / English)",
                  "Ejaan dan tata bahasa benar (PUEBI / bahasa Inggris)"),
    ChecklistItem("accuracy", "Facts, figures and claims are verified",
                  "Fakta, angka dan klaim sudah diverifikasi"),
    ChecklistItem("visual", "Visuals/video are in the right format and quality",
                  "Visual/video sesuai format dan berkualitas"),
    ChecklistItem("rights", "Asset rights, licences and model releases are in hand",
                  "Hak cipta, lisensi aset dan izin model tersedia"),
    ChecklistItem("sensitivity", "Free of SARA, hoaxes and other sensitive matter",
                  "Bebas SARA, hoaks dan konten sensitif lainnya"),
    ChecklistItem("calendar", "Fits the content calendar and the campaign goal",
                  "Sesuai content calendar dan tujuan kampanye"),
    ChecklistItem("regulation", "Complies with UU ITE, UU PDP and Etika Pariwara Indonesia",
                  "Sesuai UU ITE, UU PDP dan Etika Pariwara Indonesia"),
)
CHECKLIST_KEYS = tuple(item.key for item in QUALITY_CHECKLIST)


@frozen
class ContentPolicy:
    """Brand-voice rules the automatic checks apply (stage 1's brand voice guide feeds these)."""

    banned_phrases: tuple[str, ...] = (
        "pasti untung",
        "dijamin 100%",
        "100% aman",
        "termurah",
        "nomor satu",
        "paling murah",
        "guaranteed returns",
        "risk-free",
    )
    disclosure_markers: tuple[str, ...] = (
        "#iklan",
        "#ad",
        "#sponsored",
        "#paidpartnership",
        "#kerjasama",
    )


@frozen
class Finding:
    """One thing a check found wrong, renderable in English or Bahasa Indonesia."""

    code: str
    params: dict[str, str] = field(factory=dict)

    def message(self, lang: str = "en") -> str:
        return render(self.code, lang, **self.params)


_MEDIA_TYPES = {ContentType.IMAGE, ContentType.VIDEO, ContentType.CAROUSEL,
                ContentType.INFOGRAPHIC}


def platform_findings(
    draft: Draft,
    platforms: Iterable[Platform],
    rules: Mapping[Platform, PlatformRules] = DEFAULT_PLATFORM_RULES,
) -> tuple[Finding, ...]:
    """The final check of stage 3: caption, hashtags, mentions and format per platform."""
    findings: list[Finding] = []
    for platform in platforms:
        rule = rules[platform]
        body = draft.body_for(platform)
        name = platform.value
        if not body.strip():
            findings.append(Finding("finding.empty_caption", {"platform": name}))
        x_text = _x_text(rule)
        urls = x_text.url_spans(body)
        length = _length(rule, x_text, body)
        if length > rule.caption_max:
            unit = "weighted characters" if rule.counting == "x_weighted" else "characters"
            findings.append(Finding("finding.caption_too_long", {
                "platform": name, "length": str(length), "limit": str(rule.caption_max),
                "unit": unit}))
        refused = refused_characters(body, x_text if rule.counting == "x_weighted" else None)
        if refused:
            findings.append(Finding("finding.refused_characters", {
                "platform": name,
                "characters": ", ".join(describe_character(c) for c in refused)}))
        tags = {t.lower() for t in hashtags_in(body, platform, urls)}
        if rule.hashtag_max is not None and len(tags) > rule.hashtag_max:
            findings.append(Finding("finding.too_many_hashtags", {
                "platform": name, "count": str(len(tags)), "limit": str(rule.hashtag_max)}))
        mentions = mentions_in(body, platform, urls)
        if rule.mention_max is not None and len(mentions) > rule.mention_max:
            findings.append(Finding("finding.too_many_mentions", {
                "platform": name, "count": str(len(mentions)), "limit": str(rule.mention_max)}))
        needs_media = rule.requires_media or draft.content_type in _MEDIA_TYPES
        if needs_media and not draft.media:
            findings.append(Finding("finding.media_required", {
                "platform": name, "kinds": "/".join(rule.media_kinds)}))
        for media in draft.media:
            if media.kind not in rule.media_kinds:
                findings.append(Finding("finding.media_kind", {
                    "platform": name, "kind": media.kind, "kinds": "/".join(rule.media_kinds)}))
        findings.extend(_media_findings(draft, rule, name))
        if rule.link_max is not None:
            # twitter-text's URL rules: a bare `toko.shop` is as much a link as its https://
            # form (TikTok shows neither as a link, and refuses both here).
            links = _link_count(body, urls)
            if links > rule.link_max:
                findings.append(Finding("finding.too_many_links", {
                    "platform": name, "count": str(links), "limit": str(rule.link_max)}))
        if len(draft.media) > rule.media_max:
            findings.append(Finding("finding.too_many_media", {
                "platform": name, "count": str(len(draft.media)), "limit": str(rule.media_max)}))
    return tuple(findings)


_SCHEME_OR_WWW = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def _link_count(body: str, urls: tuple[tuple[int, int], ...]) -> int:
    """twitter-text's URLs, plus anything written as a link (a scheme or `www.`) on a host
    twitter-text does not take (`https://toko.example`): a reader still sees a link."""
    extra = [m for m in _SCHEME_OR_WWW.finditer(body)
             if not any(start < m.end() and m.start() < end for start, end in urls)]
    return len(urls) + len(extra)


def _x_text(rule: PlatformRules) -> XText:
    if rule.x_text is None:
        raise TextRulesNotWiredError(
            f"{rule.platform.value}: platform rules without text rules; build them with "
            "bootstrap() or socmed_adapters.twitter_text.wired_rules()")
    return rule.x_text


def _length(rule: PlatformRules, x_text: XText, body: str) -> int:
    if rule.counting == "x_weighted":
        return x_text.weighted_length(body)
    if rule.counting == "utf16":
        return utf16_length(body)
    return char_length(body)


def _media_findings(draft: Draft, rule: PlatformRules, name: str) -> list[Finding]:
    """Every media rule of the platform: types, durations, aspect ratios, frame and file
    sizes, and how media may be combined in one post. Measured values (the probe, read from
    the bytes) are used when the revision has them; otherwise the values the revision
    states; an unknown value is not guessed."""
    found: list[Finding] = []
    for media in draft.media:
        where = {"platform": name, "media": media.uri.rsplit("/", 1)[-1]}
        found.extend(_media_type_findings(media, rule, where))
        seconds = media.seconds
        if media.kind == "video" and seconds is not None:
            if rule.video_max_seconds is not None and seconds > rule.video_max_seconds:
                found.append(Finding("finding.video_too_long", {
                    **where, "seconds": _seconds(seconds),
                    "limit": _seconds(rule.video_max_seconds)}))
            if rule.video_min_seconds is not None and seconds < rule.video_min_seconds:
                found.append(Finding("finding.video_too_short", {
                    **where, "seconds": _seconds(seconds),
                    "limit": _seconds(rule.video_min_seconds)}))
        bounds = rule.video_aspect if media.kind == "video" else rule.image_aspect
        ratio = media.aspect_ratio
        size = media.pixel_size
        if bounds is not None and ratio is not None and not (
                bounds[0] - 0.005 <= ratio <= bounds[1] + 0.005):
            found.append(Finding("finding.aspect_ratio", {
                **where, "ratio": f"{ratio:.2f}", "low": f"{bounds[0]:.2f}",
                "high": f"{bounds[1]:.2f}", "size": _pixels(size)}))
        found.extend(_frame_findings(media, rule, where))
        limit = _byte_limit(media, rule)
        file_bytes = media.file_bytes
        if limit is not None and file_bytes is not None and file_bytes > limit:
            found.append(Finding("finding.file_too_large", {
                **where, "size": _megabytes(file_bytes), "limit": _megabytes(limit)}))
    found.extend(_media_mix_findings(draft, rule, name))
    return found


def _media_type_findings(media: MediaRef, rule: PlatformRules,
                         where: dict[str, str]) -> list[Finding]:
    accepted = rule.video_types if media.kind == "video" else rule.image_types
    mime = media.mime_type
    if accepted is None or mime is None or mime in accepted:
        return []
    return [Finding("finding.media_type", {**where, "type": mime,
                                           "types": ", ".join(accepted)})]


def _frame_findings(media: MediaRef, rule: PlatformRules,
                    where: dict[str, str]) -> list[Finding]:
    size = media.pixel_size
    if size is None:
        return []
    short, long = min(size), max(size)
    found: list[Finding] = []
    if media.kind == "video":
        if rule.video_min_side is not None and short < rule.video_min_side:
            found.append(Finding("finding.frame_too_small", {
                **where, "size": _pixels(size), "limit": f"{rule.video_min_side} px"}))
        if rule.video_max_side is not None and long > rule.video_max_side:
            found.append(Finding("finding.frame_too_large", {
                **where, "size": _pixels(size), "limit": f"{rule.video_max_side} px"}))
    elif rule.image_max_pixels is not None and size[0] * size[1] > rule.image_max_pixels:
        found.append(Finding("finding.frame_too_large", {
            **where, "size": _pixels(size), "limit": f"{rule.image_max_pixels:,} pixels"}))
    return found


def _byte_limit(media: MediaRef, rule: PlatformRules) -> int | None:
    if media.kind == "video":
        return rule.video_max_bytes
    if media.category == "gif" and rule.gif_max_bytes is not None:
        return rule.gif_max_bytes
    return rule.image_max_bytes


def _media_mix_findings(draft: Draft, rule: PlatformRules, name: str) -> list[Finding]:
    """How media combine in one post: X takes up to 4 photos, or 1 GIF, or 1 video;
    Facebook, LinkedIn and TikTok take photos or one video."""
    kinds = {media.kind for media in draft.media}
    found: list[Finding] = []
    if not rule.mixed_media and len(kinds) > 1:
        found.append(Finding("finding.mixed_media", {"platform": name}))
    if len(draft.media) > 1:
        for category in rule.alone_kinds:
            if any(media.category == category for media in draft.media):
                found.append(Finding("finding.media_alone", {
                    "platform": name, "kind": category}))
    return found


def _pixels(size: tuple[int, int] | None) -> str:
    return f"{size[0]}x{size[1]}" if size else "?"


def _seconds(value: float) -> str:
    """Whole seconds as before ('30'); fractions where they matter ('0.4')."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def policy_findings(draft: Draft, policy: ContentPolicy) -> tuple[Finding, ...]:
    """Banned phrases anywhere in the published text; the disclosure on sponsored content."""
    findings: list[Finding] = []
    bodies = [draft.body_for(p) for p in draft.platforms]
    lowered = "\n".join(bodies).lower()
    for phrase in policy.banned_phrases:
        if phrase.lower() in lowered:
            findings.append(Finding("finding.banned_word", {"word": phrase}))
    if draft.sponsored:
        for platform, body in zip(draft.platforms, bodies, strict=True):
            if not _discloses(body, policy.disclosure_markers, platform):
                findings.append(Finding("finding.missing_disclosure", {
                    "markers": ", ".join(policy.disclosure_markers[:3]),
                    "platform": platform.value}))
    return tuple(findings)


def _discloses(body: str, markers: Iterable[str], platform: Platform) -> bool:
    """A hashtag marker counts only as a whole hashtag as the platform reads it ('#ad',
    never '#adventure', nor a '#iklan' inside a URL); any other marker (a phrase such as
    'Paid partnership') as text anywhere in the body."""
    tags = {tag.lower() for tag in hashtags_in(body, platform)}
    lowered = body.lower()
    for marker in markers:
        wanted = marker.lower()
        if wanted.startswith("#") and wanted[1:] in tags:
            return True
        if not wanted.startswith("#") and wanted in lowered:
            return True
    return False


def automatic_findings(
    draft: Draft,
    policy: ContentPolicy,
    rules: Mapping[Platform, PlatformRules] = DEFAULT_PLATFORM_RULES,
) -> tuple[Finding, ...]:
    """Everything a machine can check before a person reviews."""
    return platform_findings(draft, draft.platforms, rules) + policy_findings(draft, policy)


class ReviewRules(Protocol):
    """Where the content service reads the company's review checklist and content policy
    (app.configuration answers it; `BuiltInReviewRules` is the built-in default)."""

    def checklist(self) -> tuple[ChecklistItem, ...]: ...

    def checklist_keys(self) -> tuple[str, ...]: ...

    def content_policy(self) -> ContentPolicy: ...


class BuiltInReviewRules:
    """The built-in checklist and policy (the banking pack's)."""

    def checklist(self) -> tuple[ChecklistItem, ...]:
        return QUALITY_CHECKLIST

    def checklist_keys(self) -> tuple[str, ...]:
        return CHECKLIST_KEYS

    def content_policy(self) -> ContentPolicy:
        return ContentPolicy()


def unchecked_findings(confirmed: Iterable[str], checklist: Iterable[str] = CHECKLIST_KEYS
                       ) -> tuple[Finding, ...]:
    """An item of `checklist` (the company's, see app.content.checklist) not confirmed."""
    done = set(confirmed)
    return tuple(Finding("finding.unchecked", {"item": key})
                 for key in checklist if key not in done)
