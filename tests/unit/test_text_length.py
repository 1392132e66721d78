"""How captions are counted per platform: X's weighted count above all (280 weighted)."""

from __future__ import annotations

import pytest

from socmed_adapters.twitter_text import X_TEXT
from socmed_domain.text_entities import hashtags_in, mentions_in
from socmed_domain.text_length import char_length, utf16_length

X_URL_WEIGHT = 23
x_weighted_length = X_TEXT.weighted_length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello", 5),
        ("Halo Desember! Promo akhir tahun.", 33),
        ("é", 1),  # precomposed
        ("e\u0301", 1),  # decomposed: NFC makes it one light code point
        ("\u2014", 1),  # em dash: general punctuation is light
        ("\u2026", 2),  # ellipsis (8230) is outside twitter-text's light ranges
        ("\u2032", 1),  # prime (8242..8247)
        ("\u20ac", 2),  # euro sign is outside the light ranges
    ],
)
def test_x_latin_and_punctuation_weigh_one(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日本語", 6),
        ("한국어", 6),
        ("中文 ok", 4 + 1 + 2),
        ("ｈ", 2),  # full-width Latin
    ],
)
def test_x_cjk_weighs_two(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


@pytest.mark.parametrize(
    ("emoji", "label"),
    [
        ("\U0001F44D", "thumbs up"),
        ("\U0001F44D\U0001F3FD", "thumbs up, skin tone"),
        ("\u2764\ufe0f", "red heart with variation selector"),
        ("\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466", "family (ZWJ)"),
        ("\U0001F3F3\ufe0f\u200d\U0001F308", "rainbow flag"),
        ("\U0001F1EE\U0001F1E9", "flag of Indonesia"),
        ("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
         "flag of England (tags)"),
        ("1\ufe0f\u20e3", "keycap one"),
        ("#\ufe0f\u20e3", "keycap number sign"),
    ],
)
def test_x_each_emoji_sequence_weighs_two(emoji: str, label: str) -> None:
    assert x_weighted_length(emoji) == 2, label
    assert x_weighted_length(f"a{emoji}b") == 4, label


def test_x_consecutive_flags_count_each() -> None:
    # Regional indicators pair up: two flags are two emoji, not one long sequence.
    indonesia, japan = "\U0001F1EE\U0001F1E9", "\U0001F1EF\U0001F1F5"
    assert x_weighted_length(indonesia + japan) == 4
    assert x_weighted_length(indonesia * 5) == 10


def test_x_emoji_after_text_and_in_a_row() -> None:
    assert x_weighted_length("Promo \U0001F389\U0001F389") == 6 + 2 + 2


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "https://example.com/a/very/long/path/that/goes/on/and/on?with=query&and=more#frag",
        "http://sub.domain.co.id/promo",
        "contoh.co.id",
        "bit.ly/abc123",
    ],
)
def test_x_url_weighs_23_whatever_its_length(url: str) -> None:
    assert x_weighted_length(url) == X_URL_WEIGHT
    assert x_weighted_length(f"Lihat {url} sekarang") == 6 + X_URL_WEIGHT + 9


def test_x_two_urls() -> None:
    assert x_weighted_length("https://a.com https://b.com") == 2 * X_URL_WEIGHT + 1


def test_x_email_domain_is_not_a_url() -> None:
    # "@contoh.com" in an address must not be swallowed as a URL after the '@'.
    assert x_weighted_length("info@contoh.com") != X_URL_WEIGHT + 5


def test_x_280_boundary() -> None:
    assert x_weighted_length("a" * 280) == 280
    assert x_weighted_length("日" * 140) == 280
    assert x_weighted_length("日" * 141) == 282


def test_utf16_counts_code_units() -> None:
    assert utf16_length("abc") == 3
    assert utf16_length("日本") == 2
    assert utf16_length("\U0001F44D") == 2  # astral: a surrogate pair
    assert utf16_length("\U0001F468\u200d\U0001F469") == 5


def test_char_length_counts_code_points_after_nfc() -> None:
    assert char_length("e\u0301") == 1
    assert char_length("\U0001F44D") == 1
    assert char_length("日本語") == 3


def test_hashtags_and_mentions() -> None:
    text = "Promo #Akhir_Tahun #promo2026 ke @budi.dm dan @sari, email a@b.com, ab#c &#39;"
    assert hashtags_in(text) == ["Akhir_Tahun", "promo2026"]
    assert mentions_in(text) == ["budi.dm", "sari"]
    assert hashtags_in("#日本 #ok") == ["日本", "ok"]
