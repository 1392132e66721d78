"""The final check of stage 3 per platform: caption length, hashtags, mentions, media."""

from __future__ import annotations

import pytest

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.platform_rules import rules_with_overrides
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import platform_findings
from socmed_domain.production.revision import CaptionVariant, ContentType, Draft, MediaRef

IMAGE = MediaRef("dam://promo.jpg", "image", alt_text="promo")
RULES = wired_rules()  # the shipped rules, reading captions by twitter-text
VIDEO = MediaRef("dam://promo.mp4", "video", duration_seconds=30)


def codes(draft: Draft, *platforms: Platform, rules=None) -> list[str]:
    return [f.code for f in platform_findings(draft, platforms or draft.platforms,
                                              rules or RULES)]


def test_a_clean_post_has_no_findings_on_any_platform() -> None:
    draft = Draft("Halo Desember! Promo akhir tahun.", tuple(Platform), hashtags=("promo",),
                  media=(IMAGE,), content_type=ContentType.IMAGE)
    assert codes(draft) == []


@pytest.mark.parametrize(
    ("platform", "limit", "unit_text"),
    [
        (Platform.X, 280, "a"),
        (Platform.INSTAGRAM, 2200, "a"),
        (Platform.LINKEDIN, 3000, "a"),
        (Platform.FACEBOOK, 63206, "a"),
        (Platform.TIKTOK, 2200, "a"),
    ],
)
def test_caption_at_the_limit_passes_one_over_fails(platform: Platform, limit: int,
                                                    unit_text: str) -> None:
    at_limit = Draft(unit_text * limit, (platform,), media=(VIDEO,))
    over = Draft(unit_text * (limit + 1), (platform,), media=(VIDEO,))
    assert "finding.caption_too_long" not in codes(at_limit)
    findings = platform_findings(over, (platform,), RULES)
    too_long = [f for f in findings if f.code == "finding.caption_too_long"]
    assert len(too_long) == 1
    assert too_long[0].params == {"platform": platform.value, "length": str(limit + 1),
                                  "limit": str(limit),
                                  "unit": "weighted characters" if platform is Platform.X
                                  else "characters"}


def test_x_uses_weighted_length_so_cjk_fills_it_twice_as_fast() -> None:
    assert "finding.caption_too_long" not in codes(Draft("日" * 140, (Platform.X,)))
    assert "finding.caption_too_long" in codes(Draft("日" * 141, (Platform.X,)))
    # the same 141 characters are fine on LinkedIn, which counts code points
    assert codes(Draft("日" * 141, (Platform.LINKEDIN,))) == []


def test_tiktok_counts_utf16_units() -> None:
    emoji = "\U0001F389"  # two UTF-16 units
    assert "finding.caption_too_long" not in codes(
        Draft(emoji * 1100, (Platform.TIKTOK,), media=(VIDEO,)))
    assert "finding.caption_too_long" in codes(
        Draft(emoji * 1101, (Platform.TIKTOK,), media=(VIDEO,)))


def test_the_appended_hashtags_count_towards_the_caption() -> None:
    text = "a" * 270
    assert codes(Draft(text, (Platform.X,))) == []
    # body is text + "\n\n#promosi" = 270 + 2 + 8 = 280: still fine; one more tag is not.
    assert codes(Draft(text, (Platform.X,), hashtags=("promosi",))) == []
    assert "finding.caption_too_long" in codes(
        Draft(text, (Platform.X,), hashtags=("promosi", "x")))


def test_a_caption_variant_is_what_is_checked_on_its_platform() -> None:
    draft = Draft("short", (Platform.X, Platform.LINKEDIN),
                  captions=(CaptionVariant(Platform.X, "a" * 281),))
    assert codes(draft, Platform.X) == ["finding.caption_too_long"]
    assert codes(draft, Platform.LINKEDIN) == []


def test_instagram_allows_five_hashtags_not_six() -> None:
    five = tuple(f"tag{i}" for i in range(5))
    six = tuple(f"tag{i}" for i in range(6))
    assert codes(Draft("Promo", (Platform.INSTAGRAM,), hashtags=five, media=(IMAGE,))) == []
    findings = platform_findings(Draft("Promo", (Platform.INSTAGRAM,), hashtags=six,
                                       media=(IMAGE,)), (Platform.INSTAGRAM,), RULES)
    assert [f.code for f in findings] == ["finding.too_many_hashtags"]
    assert findings[0].params["count"] == "6"
    assert findings[0].params["limit"] == "5"


def test_hashtags_in_the_caption_and_the_list_are_counted_once() -> None:
    text = "Promo #tag0 #TAG1 #tag2"
    draft = Draft(text, (Platform.INSTAGRAM,), hashtags=("tag0", "tag1", "tag2", "tag3", "tag4"),
                  media=(IMAGE,))
    assert codes(draft) == []  # five distinct tags, case-insensitive
    draft = Draft(text + " #tag5", (Platform.INSTAGRAM,),
                  hashtags=("tag0", "tag1", "tag2", "tag3", "tag4"), media=(IMAGE,))
    assert codes(draft) == ["finding.too_many_hashtags"]


def test_many_hashtags_are_fine_where_there_is_no_limit() -> None:
    tags = tuple(f"tag{i}" for i in range(30))
    assert codes(Draft("Promo", (Platform.LINKEDIN, Platform.FACEBOOK), hashtags=tags)) == []


def test_instagram_mentions_limit() -> None:
    twenty = " ".join(f"@user{i}" for i in range(20))
    assert codes(Draft(twenty, (Platform.INSTAGRAM,), media=(IMAGE,))) == []
    assert codes(Draft(twenty + " @user20", (Platform.INSTAGRAM,), media=(IMAGE,))) == [
        "finding.too_many_mentions"]


@pytest.mark.parametrize("platform", [Platform.INSTAGRAM, Platform.TIKTOK])
def test_instagram_and_tiktok_require_media(platform: Platform) -> None:
    assert codes(Draft("Promo", (platform,))) == ["finding.media_required"]
    assert codes(Draft("Promo", (platform,), media=(VIDEO,))) == []


@pytest.mark.parametrize("platform", [Platform.X, Platform.LINKEDIN, Platform.FACEBOOK])
def test_text_posts_need_no_media_elsewhere(platform: Platform) -> None:
    assert codes(Draft("Promo", (platform,))) == []


@pytest.mark.parametrize("kind", [ContentType.IMAGE, ContentType.VIDEO, ContentType.CAROUSEL,
                                  ContentType.INFOGRAPHIC])
def test_a_visual_content_type_requires_media_on_every_platform(kind: ContentType) -> None:
    draft = Draft("Promo", (Platform.X, Platform.LINKEDIN), content_type=kind)
    assert codes(draft) == ["finding.media_required", "finding.media_required"]


def test_media_kind_the_platform_does_not_take() -> None:
    rules = wired_rules(rules_with_overrides({"x": {"media_kinds": ["image"]}}))
    draft = Draft("Promo", (Platform.X,), media=(VIDEO,))
    findings = platform_findings(draft, (Platform.X,), rules)
    assert [f.code for f in findings] == ["finding.media_kind"]
    assert findings[0].params == {"platform": "x", "kind": "video", "kinds": "image"}
    assert codes(Draft("Promo", (Platform.X,), media=(IMAGE,)), rules=rules) == []


def test_too_many_media_on_x() -> None:
    four = tuple(MediaRef(f"dam://{i}.jpg") for i in range(4))
    five = tuple(MediaRef(f"dam://{i}.jpg") for i in range(5))
    assert codes(Draft("Promo", (Platform.X,), media=four)) == []
    assert codes(Draft("Promo", (Platform.X,), media=five)) == ["finding.too_many_media"]


def test_empty_caption_on_a_platform() -> None:
    draft = Draft("Promo", (Platform.X, Platform.LINKEDIN),
                  captions=(CaptionVariant(Platform.X, "   "),))
    assert codes(draft, Platform.X) == ["finding.empty_caption"]


def test_only_the_named_platforms_are_checked() -> None:
    draft = Draft("Promo", (Platform.X, Platform.INSTAGRAM))
    assert codes(draft, Platform.X) == []
    assert codes(draft, Platform.INSTAGRAM) == ["finding.media_required"]


def test_every_finding_renders_in_both_languages() -> None:
    draft = Draft("a" * 3000 + " @a" * 25, (Platform.INSTAGRAM, Platform.X),
                  hashtags=tuple(f"t{i}" for i in range(9)), content_type=ContentType.VIDEO,
                  media=tuple(MediaRef(f"dam://{i}.gif", "gif") for i in range(11)))
    findings = platform_findings(draft, draft.platforms, RULES)
    assert {f.code for f in findings} == {
        "finding.caption_too_long", "finding.too_many_hashtags", "finding.too_many_mentions",
        "finding.media_kind", "finding.too_many_media"}
    for finding in findings:
        for lang in ("en", "id"):
            message = finding.message(lang)
            assert "{" not in message and finding.code not in message


# --- media limits of the rules data (sizes, aspect ratios, durations, links) -----------------

MB = 1024 * 1024


@pytest.mark.parametrize(("platform", "media", "code"), [
    (Platform.INSTAGRAM, MediaRef("dam://wide.jpg", "image", width=2000, height=1000),
     "finding.aspect_ratio"),
    (Platform.INSTAGRAM, MediaRef("dam://big.jpg", "image", width=1080, height=1080,
                                  size_bytes=9 * MB), "finding.file_too_large"),
    (Platform.INSTAGRAM, MediaRef("dam://long.mp4", "video", duration_seconds=901),
     "finding.video_too_long"),
    (Platform.INSTAGRAM, MediaRef("dam://short.mp4", "video", duration_seconds=2),
     "finding.video_too_short"),
    (Platform.FACEBOOK, MediaRef("dam://big.jpg", "image", size_bytes=11 * MB),
     "finding.file_too_large"),
    (Platform.FACEBOOK, MediaRef("dam://long.mp4", "video", duration_seconds=14401),
     "finding.video_too_long"),
    (Platform.LINKEDIN, MediaRef("dam://tall.mp4", "video", duration_seconds=30, width=400,
                                 height=1000), "finding.aspect_ratio"),
    (Platform.LINKEDIN, MediaRef("dam://big.mp4", "video", duration_seconds=30,
                                 size_bytes=501 * MB), "finding.file_too_large"),
    (Platform.LINKEDIN, MediaRef("dam://long.mp4", "video", duration_seconds=1801),
     "finding.video_too_long"),
    (Platform.TIKTOK, MediaRef("dam://big.jpg", "image", size_bytes=21 * MB),
     "finding.file_too_large"),
    (Platform.TIKTOK, MediaRef("dam://long.mp4", "video", duration_seconds=601),
     "finding.video_too_long"),
    (Platform.TIKTOK, MediaRef("dam://short.mp4", "video", duration_seconds=2),
     "finding.video_too_short"),
    (Platform.X, MediaRef("dam://big.jpg", "image", size_bytes=6 * MB),
     "finding.file_too_large"),
    (Platform.X, MediaRef("dam://long.mp4", "video", duration_seconds=141),
     "finding.video_too_long"),
    (Platform.X, MediaRef("dam://strip.mp4", "video", duration_seconds=10, width=1200,
                          height=300), "finding.aspect_ratio"),
])
def test_every_media_limit_of_the_rules_is_checked(platform: Platform, media: MediaRef,
                                                   code: str) -> None:
    draft = Draft("Promo", (platform,), media=(media,),
                  content_type=ContentType.VIDEO if media.kind == "video" else ContentType.IMAGE)
    found = platform_findings(draft, (platform,), RULES)
    assert [f.code for f in found] == [code]
    assert found[0].params["platform"] == platform.value
    assert found[0].message("en") and found[0].message("id") != found[0].message("en")


def test_media_within_every_limit_passes_everywhere() -> None:
    fine = (MediaRef("dam://ok.mp4", "video", duration_seconds=30, width=1080, height=1350,
                     size_bytes=50 * MB),)
    draft = Draft("Promo", tuple(Platform), media=fine, content_type=ContentType.VIDEO)
    assert codes(draft) == []


def test_links_where_captions_cannot_hold_them() -> None:
    draft = Draft("Daftar di https://banknusa.example/promo", (Platform.TIKTOK, Platform.X),
                  media=(VIDEO,))
    assert codes(draft, Platform.TIKTOK) == ["finding.too_many_links"]
    assert codes(draft, Platform.X) == []
    instagram_in_bio = wired_rules(rules_with_overrides({"instagram": {"link_max": 0}}))
    ig = Draft("Lihat www.banknusa.example", (Platform.INSTAGRAM,), media=(IMAGE,))
    assert codes(ig, rules=instagram_in_bio) == ["finding.too_many_links"]
    assert codes(ig) == []


def test_aspect_limits_are_overridable_as_data() -> None:
    square_only = wired_rules(rules_with_overrides({"instagram": {"image_aspect": [1, 1]}}))
    portrait = Draft("Promo", (Platform.INSTAGRAM,), content_type=ContentType.IMAGE,
                     media=(MediaRef("dam://p.jpg", "image", width=1080, height=1350),))
    assert codes(portrait) == []
    assert codes(portrait, rules=square_only) == ["finding.aspect_ratio"]
