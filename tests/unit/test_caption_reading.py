"""Our own cases, the ones that matter to our users: Indonesian captions, emoji, URLs and bare
domains, CJK, the examples of issue 18, per-platform hashtags and mentions, and the refused
characters named in the final check (English and Indonesian)."""

from __future__ import annotations

import pytest

from socmed_adapters.twitter_text import X_TEXT, wired_rules
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import ContentPolicy, platform_findings, policy_findings
from socmed_domain.production.revision import Draft, MediaRef
from socmed_domain.text_entities import hashtags_in, mentions_in
from socmed_domain.text_length import TextRulesNotWiredError

RULES = wired_rules()
VIDEO = MediaRef("dam://promo.mp4", "video", duration_seconds=30)
KANA = "あいうえおかきくけこ"


@pytest.mark.parametrize(("text", "expected"), [
    ("promo di toko.shop", 32),  # bare domain on twitter-text's TLD list: 9 + 23
    ("a" * 64 + ".com", 68),  # a 64-character label is no valid host: counted in full
    ("Kunjungi bit.ly/promo2026 sekarang", 9 + 23 + 9),
    ("Kunjungi https://banknusa.co.id/promo?utm=x ya", 9 + 23 + 3),
    ("Halo Kak 🙏🏽 promo akhir tahun! 🎉🎉", 9 + 2 + 20 + 2 + 2),
    ("info@banknusa.co.id", 19),  # an e-mail address is no link
    (KANA * 12 + " http://" + KANA * 5 + "あいう.com", 358),  # host over 63 in punycode
    ("日本語のテキスト https://example.com", 16 + 1 + 23),
])
def test_x_counts_as_x_does(text: str, expected: int) -> None:
    assert X_TEXT.weighted_length(text) == expected


def test_the_issue_examples_are_refused_or_passed_as_x_would() -> None:
    long_url = "https://" + "somesuperlongurl" * 249 + ".com/foo"
    draft = Draft(f"Promo {long_url}", (Platform.X,))
    found = platform_findings(draft, (Platform.X,), RULES)
    assert [f.code for f in found] == ["finding.caption_too_long"]
    assert int(found[0].params["length"]) > 4000
    cjk = Draft(KANA * 12 + " http://" + KANA * 5 + "あいう.com", (Platform.X,))
    assert [f.code for f in platform_findings(cjk, (Platform.X,), RULES)] == [
        "finding.caption_too_long"]


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufeff"])
def test_x_refuses_twitter_text_invalid_characters_and_names_them(char: str) -> None:
    draft = Draft(f"Promo{char} akhir tahun", (Platform.X,))
    found = platform_findings(draft, (Platform.X,), RULES)
    assert [f.code for f in found] == ["finding.refused_characters"]
    assert f"U+{ord(char):04X}" in found[0].message("en")
    assert "ditolak platform" in found[0].message("id")
    assert f"U+{ord(char):04X}" in found[0].message("id")


def test_directional_marks_pass_on_x_as_twitter_text_says() -> None:
    # twitter-text's conformance: text with U+2066/U+202A/U+202C/U+2069 is valid.
    draft = Draft("\u2066\u202aPromo akhir tahun\u202c\u2069", (Platform.X,))
    assert platform_findings(draft, (Platform.X,), RULES) == ()


@pytest.mark.parametrize("platform", [Platform.INSTAGRAM, Platform.FACEBOOK,
                                      Platform.LINKEDIN, Platform.TIKTOK])
def test_noncharacters_and_controls_are_refused_elsewhere(platform: Platform) -> None:
    draft = Draft("Promo\uffff\x07 akhir tahun", (platform,), media=(VIDEO,))
    found = [f for f in platform_findings(draft, (platform,), RULES)
             if f.code == "finding.refused_characters"]
    assert len(found) == 1
    assert "U+FFFF" in found[0].params["characters"]
    assert "U+0007" in found[0].params["characters"]


def test_a_bare_domain_in_a_tiktok_caption_is_a_link_like_its_https_form() -> None:
    for body in ("Belanja di toko.shop", "Belanja di https://toko.shop"):
        draft = Draft(body, (Platform.TIKTOK,), media=(VIDEO,))
        assert [f.code for f in platform_findings(draft, (Platform.TIKTOK,), RULES)] == [
            "finding.too_many_links"], body


@pytest.mark.parametrize("platform", list(Platform))
def test_hashtags_every_platform(platform: Platform) -> None:
    text = ("Promo #AkhirTahun #16 #2026 ＃hemat https://banknusa.co.id/#promo "
            "#नमस्ते #ภาษาไทย #مرحبا #tabungan_aman")
    assert hashtags_in(text, platform) == ["AkhirTahun", "hemat", "नमस्ते", "ภาษาไทย",
                                           "مرحبا", "tabungan_aman"]


def test_tags_are_not_cut_at_marks_or_joiners() -> None:
    # Devanagari with a virama + ZWJ, Thai vowel marks, Arabic with a harakat mark: two
    # different tags stay two tags (the old \w regex made both 'क').
    assert hashtags_in("#क्\u200dष #क्ष") == ["क्\u200dष", "क्ष"]
    assert hashtags_in("#สวัสดี") == ["สวัสดี"]
    assert hashtags_in("#مَرحبا") == ["مَرحبا"]


@pytest.mark.parametrize("platform", list(Platform))
def test_mentions_every_platform(platform: Platform) -> None:
    assert mentions_in("email me @test@example.com", platform) == []
    assert mentions_in("RT@banknusa: promo", platform) == ["banknusa"]
    assert mentions_in("halo @budi_dm, cek ya", platform) == ["budi_dm"]


def test_dotted_handles_where_the_platform_has_them() -> None:
    assert mentions_in("cc @sari.dewi.", Platform.INSTAGRAM) == ["sari.dewi"]
    assert mentions_in("cc @sari.dewi.", Platform.X) == ["sari"]


def test_disclosure_hashtag_inside_a_url_does_not_disclose() -> None:
    draft = Draft("Promo https://banknusa.co.id/#iklan", (Platform.INSTAGRAM,),
                  sponsored=True)
    codes = [f.code for f in policy_findings(draft, ContentPolicy())]
    assert codes == ["finding.missing_disclosure"]
    fullwidth = Draft("Promo ＃iklan", (Platform.INSTAGRAM,), sponsored=True)
    assert policy_findings(fullwidth, ContentPolicy()) == ()


def test_unwired_rules_are_a_clear_error_not_a_guess() -> None:
    with pytest.raises(TextRulesNotWiredError):
        platform_findings(Draft("Promo", (Platform.X,)), (Platform.X,))
