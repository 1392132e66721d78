"""Brand-voice policy: banned phrases anywhere in what is published; sponsored disclosure."""

from __future__ import annotations

import pytest

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import (
    CHECKLIST_KEYS,
    ContentPolicy,
    automatic_findings,
    policy_findings,
    unchecked_findings,
)
from socmed_domain.production.revision import CaptionVariant, Draft, MediaRef

POLICY = ContentPolicy()


def findings(draft: Draft, policy: ContentPolicy = POLICY) -> list[tuple[str, dict[str, str]]]:
    return [(f.code, f.params) for f in policy_findings(draft, policy)]


def test_clean_text_has_no_policy_findings() -> None:
    assert findings(Draft("Promo akhir tahun untuk pelanggan setia.", (Platform.X,))) == []


@pytest.mark.parametrize("phrase", ContentPolicy().banned_phrases)
def test_each_banned_phrase_is_found_case_insensitively(phrase: str) -> None:
    draft = Draft(f"Investasi ini {phrase.upper()} lho", (Platform.X,))
    assert findings(draft) == [("finding.banned_word", {"word": phrase})]


def test_banned_phrase_in_a_caption_variant_is_found() -> None:
    draft = Draft("Promo biasa", (Platform.X, Platform.LINKEDIN),
                  captions=(CaptionVariant(Platform.LINKEDIN, "Harga termurah se-Indonesia"),))
    assert findings(draft) == [("finding.banned_word", {"word": "termurah"})]


def test_banned_phrase_in_a_hashtag_is_found() -> None:
    draft = Draft("Promo", (Platform.X,), hashtags=("termurah",))
    assert findings(draft) == [("finding.banned_word", {"word": "termurah"})]


def test_a_custom_policy_replaces_the_phrases() -> None:
    policy = ContentPolicy(banned_phrases=("gratis ongkir",))
    assert findings(Draft("GRATIS ONGKIR!", (Platform.X,)), policy) == [
        ("finding.banned_word", {"word": "gratis ongkir"})]
    assert findings(Draft("termurah", (Platform.X,)), policy) == []


def test_sponsored_without_disclosure_is_found_per_platform() -> None:
    draft = Draft("Kolaborasi dengan brand X", (Platform.X, Platform.LINKEDIN), sponsored=True)
    got = findings(draft)
    assert [code for code, _ in got] == ["finding.missing_disclosure"] * 2
    assert [params["platform"] for _, params in got] == ["linkedin", "x"]


@pytest.mark.parametrize("marker", ContentPolicy().disclosure_markers)
def test_any_disclosure_marker_satisfies_it(marker: str) -> None:
    draft = Draft(f"Kolaborasi {marker.upper()}", (Platform.X,), sponsored=True)
    assert findings(draft) == []


def test_disclosure_from_the_hashtag_list_counts() -> None:
    draft = Draft("Kolaborasi", (Platform.X,), sponsored=True, hashtags=("iklan",))
    assert findings(draft) == []


def test_disclosure_missing_on_one_caption_variant_is_found_for_that_platform() -> None:
    draft = Draft("Kolaborasi #iklan", (Platform.X, Platform.LINKEDIN), sponsored=True,
                  captions=(CaptionVariant(Platform.X, "Kolaborasi seru"),))
    assert findings(draft) == [("finding.missing_disclosure",
                                {"markers": "#iklan, #ad, #sponsored", "platform": "x"})]


@pytest.mark.parametrize("lookalike", ["#adventure", "#advertising_tips", "#iklanbaris",
                                       "#sponsoredby", "email#ad"])
def test_a_hashtag_that_merely_starts_with_a_marker_is_no_disclosure(lookalike: str) -> None:
    draft = Draft(f"Kolaborasi {lookalike}", (Platform.X,), sponsored=True)
    assert [code for code, _ in findings(draft)] == ["finding.missing_disclosure"]


def test_unsponsored_content_needs_no_disclosure() -> None:
    assert findings(Draft("Kolaborasi", (Platform.X,))) == []


def test_automatic_findings_combine_platform_and_policy() -> None:
    draft = Draft("Pasti untung!", (Platform.INSTAGRAM,), sponsored=True)
    got = [f.code for f in automatic_findings(draft, POLICY, wired_rules())]
    assert got == ["finding.media_required", "finding.banned_word", "finding.missing_disclosure"]
    clean = Draft("Promo #iklan", (Platform.INSTAGRAM,), sponsored=True,
                  media=(MediaRef("dam://a.jpg"),))
    assert automatic_findings(clean, POLICY, wired_rules()) == ()


def test_unchecked_checklist_items() -> None:
    assert unchecked_findings(CHECKLIST_KEYS) == ()
    missing = unchecked_findings(CHECKLIST_KEYS[1:])
    assert [(f.code, f.params) for f in missing] == [
        ("finding.unchecked", {"item": CHECKLIST_KEYS[0]})]
    assert len(unchecked_findings(())) == len(CHECKLIST_KEYS)
    assert unchecked_findings((*CHECKLIST_KEYS, "not-a-key")) == ()


def test_a_phrase_marker_matches_as_text() -> None:
    policy = ContentPolicy(disclosure_markers=("Paid partnership", "#iklan"))
    assert findings(Draft("paid partnership with X", (Platform.X,), sponsored=True),
                    policy) == []
    assert [c for c, _ in findings(Draft("with X", (Platform.X,), sponsored=True), policy)] == [
        "finding.missing_disclosure"]
