"""Every media rule of platform_rules.py, for each platform, on both sides of its limit.

The media here are probes as the media reader makes them (tests/integration/test_media_reading.py
makes real files and reads them); the rule itself is pure and checked with exact values.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from attrs import evolve

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES, rules_with_overrides
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import platform_findings
from socmed_domain.production.revision import ContentType, Draft, MediaProbe, MediaRef

MEDIA_CODES = {"finding.media_kind", "finding.too_many_media", "finding.video_too_long",
               "finding.video_too_short", "finding.aspect_ratio", "finding.file_too_large",
               "finding.media_type", "finding.frame_too_small", "finding.frame_too_large",
               "finding.mixed_media", "finding.media_alone"}


def photo(width: int = 1080, height: int = 1080, *, mime: str = "image/jpeg",
          size: int = 200_000, frames: int = 1, name: str = "p.jpg") -> MediaRef:
    probe = MediaProbe(sha256="a" * 64, size_bytes=size, mime_type=mime,
                       format=mime.split("/")[1].upper(), width=width, height=height,
                       frames=frames)
    return MediaRef(f"https://cdn.example/{name}", "image", probe=probe)


def video(width: int = 720, height: int = 1280, *, seconds: float = 10.0,
          mime: str = "video/mp4", size: int = 5_000_000) -> MediaRef:
    probe = MediaProbe(sha256="b" * 64, size_bytes=size, mime_type=mime, format="mp4",
                       width=width, height=height, duration_ms=round(seconds * 1000),
                       video_codec="h264", audio_codec="aac")
    return MediaRef("https://cdn.example/v.mp4", "video", probe=probe)


def media_codes(platform: Platform, *media: MediaRef, rules: object = None) -> set[str]:
    draft = Draft("Halo", (platform,), ContentType.IMAGE, media=media)
    found = platform_findings(draft, (platform,), wired_rules(rules))  # type: ignore[arg-type]
    return {f.code for f in found} & MEDIA_CODES


def cases() -> Iterator[tuple[str, Platform, tuple[MediaRef, ...], str | None]]:
    """(rule, platform, media, the finding expected or None): inside, then outside."""
    for platform, rule in DEFAULT_PLATFORM_RULES.items():
        for kind, bounds in (("image", rule.image_aspect), ("video", rule.video_aspect)):
            if bounds is None:
                continue
            make = photo if kind == "image" else video
            low, high = bounds
            base = 1000 if kind == "image" else 720
            for ratio, expected in ((low, None), (low - 0.01, "finding.aspect_ratio"),
                                    (high, None), (high + 0.01, "finding.aspect_ratio")):
                width = max(1, round(ratio * base))
                yield (f"{kind}_aspect", platform, (make(width, base),), expected)
        for kind, limit in (("image", rule.image_max_bytes), ("video", rule.video_max_bytes)):
            if limit is None:
                continue
            make = photo if kind == "image" else video
            yield f"{kind}_max_bytes", platform, (make(size=limit),), None
            yield f"{kind}_max_bytes", platform, (make(size=limit + 1),), \
                "finding.file_too_large"
        if rule.gif_max_bytes is not None:
            gif = photo(mime="image/gif", frames=5, size=rule.gif_max_bytes)
            yield "gif_max_bytes", platform, (gif,), None
            yield "gif_max_bytes", platform, (evolve(gif, probe=evolve(
                gif.probe, size_bytes=rule.gif_max_bytes + 1)),), "finding.file_too_large"
        if rule.video_max_seconds is not None:
            yield "video_max_seconds", platform, (video(seconds=rule.video_max_seconds),), None
            yield "video_max_seconds", platform, (
                video(seconds=rule.video_max_seconds + 0.1),), "finding.video_too_long"
        if rule.video_min_seconds is not None:
            yield "video_min_seconds", platform, (video(seconds=rule.video_min_seconds),), None
            yield "video_min_seconds", platform, (
                video(seconds=rule.video_min_seconds - 0.1),), "finding.video_too_short"
        if rule.video_min_side is not None:
            side = rule.video_min_side
            yield "video_min_side", platform, (video(side, side),), None
            yield "video_min_side", platform, (video(side, side - 1),), \
                "finding.frame_too_small"
        if rule.video_max_side is not None:
            side = rule.video_max_side
            yield "video_max_side", platform, (video(side * 9 // 16, side),), None
            yield "video_max_side", platform, (video(side * 9 // 16, side + 1),), \
                "finding.frame_too_large"
        if rule.image_max_pixels is not None:
            width = 6016
            height = rule.image_max_pixels // width
            yield "image_max_pixels", platform, (photo(width, height),), None
            yield "image_max_pixels", platform, (photo(width, height + 1),), \
                "finding.frame_too_large"
        for kind, accepted, refused in (("image", rule.image_types, "image/heic"),
                                        ("video", rule.video_types, "video/3gpp")):
            if accepted is None:
                continue
            make = photo if kind == "image" else video
            for mime in accepted:
                yield f"{kind}_types", platform, (make(mime=mime),), None
            yield f"{kind}_types", platform, (make(mime=refused),), "finding.media_type"
        yield "media_max", platform, tuple(photo() for _ in range(rule.media_max)), None
        yield "media_max", platform, tuple(photo() for _ in range(rule.media_max + 1)), \
            "finding.too_many_media"
        yield "mixed_media", platform, (photo(), video()), (
            None if rule.mixed_media else "finding.mixed_media")
        yield "alone_kinds", platform, (video(), video()), (
            "finding.media_alone" if "video" in rule.alone_kinds else None)
        yield "alone_kinds", platform, (photo(), photo(mime="image/gif", frames=3)), (
            "finding.media_alone" if "gif" in rule.alone_kinds else None)


CASES = list(cases())


@pytest.mark.parametrize(("rule", "platform", "media", "expected"), CASES,
                         ids=[f"{p.value}-{r}-{i}" for i, (r, p, _, _) in enumerate(CASES)])
def test_each_media_rule_fires_on_the_right_side_of_its_limit(
        rule: str, platform: Platform, media: tuple[MediaRef, ...], expected: str | None) -> None:
    found = media_codes(platform, *media)
    if expected is None:
        assert RULE_CODES[rule] not in found
    else:
        assert expected in found


RULE_CODES = {
    "image_aspect": "finding.aspect_ratio", "video_aspect": "finding.aspect_ratio",
    "image_max_bytes": "finding.file_too_large", "video_max_bytes": "finding.file_too_large",
    "gif_max_bytes": "finding.file_too_large", "video_max_seconds": "finding.video_too_long",
    "video_min_seconds": "finding.video_too_short", "video_min_side": "finding.frame_too_small",
    "video_max_side": "finding.frame_too_large", "image_max_pixels": "finding.frame_too_large",
    "image_types": "finding.media_type", "video_types": "finding.media_type",
    "media_max": "finding.too_many_media", "mixed_media": "finding.mixed_media",
    "alone_kinds": "finding.media_alone"}


@pytest.mark.parametrize("platform", list(Platform))
def test_the_ordinary_photo_and_video_pass_every_media_rule(platform: Platform) -> None:
    """So each case above differs from a clean post by its one rule only."""
    assert media_codes(platform, photo()) == set()
    assert media_codes(platform, video()) == set()


def test_every_platform_has_its_media_rules_tested() -> None:
    tested = {(p, r) for r, p, _, _ in CASES}
    for platform, rule in DEFAULT_PLATFORM_RULES.items():
        for name in ("image_aspect", "video_aspect", "image_max_bytes", "video_max_bytes",
                     "gif_max_bytes", "video_max_seconds", "video_min_seconds",
                     "video_min_side", "video_max_side", "image_max_pixels", "image_types",
                     "video_types"):
            if getattr(rule, name) is not None:
                assert (platform, name) in tested, (platform, name)
        for name in ("media_max", "mixed_media", "alone_kinds"):
            assert (platform, name) in tested


def test_x_takes_four_photos_or_one_gif_or_one_video() -> None:
    gif = photo(mime="image/gif", frames=4)
    assert media_codes(Platform.X, *(photo() for _ in range(4))) == set()
    assert media_codes(Platform.X, gif) == set()
    assert media_codes(Platform.X, video()) == set()
    assert "finding.mixed_media" in media_codes(Platform.X, photo(), video())
    assert "finding.media_alone" in media_codes(Platform.X, photo(), gif)
    assert "finding.media_alone" in media_codes(Platform.X, gif, gif)
    # A GIF of one frame is a photo.
    assert media_codes(Platform.X, photo(), photo(mime="image/gif")) == set()


def test_a_media_kind_a_platform_does_not_take_is_a_finding() -> None:
    rules = rules_with_overrides({"linkedin": {"media_kinds": ["image"]}})
    assert media_codes(Platform.LINKEDIN, photo(), rules=rules) == set()
    assert "finding.media_kind" in media_codes(Platform.LINKEDIN, video(), rules=rules)


def test_measured_values_win_over_stated_ones() -> None:
    stated = MediaRef("https://cdn.example/v.mp4", "video", duration_seconds=10, width=720,
                      height=1280)
    measured = evolve(stated, probe=video(seconds=200).probe)
    assert media_codes(Platform.X, stated) == set()
    assert "finding.video_too_long" in media_codes(Platform.X, measured)


def test_the_findings_say_what_is_wrong_in_both_languages() -> None:
    draft = Draft("Halo", (Platform.X,), ContentType.VIDEO, media=(
        video(seconds=0.4, mime="video/webm"), photo()))
    messages = {f.code: (f.message("en"), f.message("id"))
                for f in platform_findings(draft, (Platform.X,), wired_rules())}
    assert messages["finding.video_too_short"] == (
        "x: video v.mp4 runs 0.4 s, at least 0.5 s",
        "x: video v.mp4 berdurasi 0.4 detik, minimal 0.5 detik")
    assert "video/webm" in messages["finding.media_type"][0]
    assert "dibaca dari isinya" in messages["finding.media_type"][1]
    assert "not both" in messages["finding.mixed_media"][0]
    assert "tidak keduanya" in messages["finding.mixed_media"][1]
