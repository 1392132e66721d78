"""Normalisation: slang, stretched letters, reduplication, emoji, URLs and mentions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socmed_domain.monitoring.normalise import (
    NEGATIVE_HINT,
    POSITIVE_HINT,
    normalise,
    tokenise,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gak bagus", "tidak bagus"),
        ("ga bisa, nggak jalan, ngga masuk, enggak ada, tdk jelas", "tidak bisa , tidak jalan ,"
         " tidak masuk , tidak ada , tidak jelas"),
        ("bgs bgt", "bagus banget"),
        ("MANTUL", "mantap"),
        ("yg krn", "yang karena"),
        ("makasih min", "terima kasih admin"),
        ("I dont like it", "i don't like it"),
    ],
)
def test_slang_is_expanded(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bagusss", "bagus"),
        ("bangettt", "banget"),
        ("kecewaaaa", "kecewa"),
        ("maaaaf", "maaf"),
        ("gooood", "good"),
        ("siiiip", "sip"),
        ("bgttt", "banget"),
    ],
)
def test_stretched_letters_collapse_to_a_known_spelling(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_real_double_letters_stay() -> None:
    assert normalise("maaf saat tunggu good") == "maaf saat tunggu good"


def test_vocabulary_guides_stretch_and_clitics() -> None:
    vocabulary = frozenset({"lemot", "mantap"})
    assert normalise("mantapp", vocabulary) == "mantap"
    assert normalise("lemotnyaaa", vocabulary) == "lemot"
    # Without the word in the vocabulary the clitic stays: "tanya" is not "ta" + "nya".
    assert normalise("tanya") == "tanya"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kecewa2", "kecewa"),
        ("kecewa-kecewa", "kecewa"),
        ("hati2 ya", "hati-hati ya"),
        ("jangan2 error", "jangan-jangan error"),
        ("bener2 bagus", "benar-benar bagus"),
        ("gak ngapa2in", "tidak ngapain"),
    ],
)
def test_reduplication(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_reduplication_known_to_the_caller_stays_whole() -> None:
    assert normalise("muter-muter", {"muter-muter"}) == "muter-muter"
    assert normalise("muter2") == "muter"


def test_urls_and_mentions_go_hashtag_words_stay() -> None:
    text = "@banknusa cek https://banknusa.co.id/promo dan www.contoh.com #KecewaBankNusa #promo"
    assert normalise(text) == "cek dan kecewa bank nusa promo"


def test_emoji_become_hints_once_per_run() -> None:
    assert tokenise("mantap 👍👍👍") == ("mantap", POSITIVE_HINT)
    assert tokenise("lemot 😡😤") == ("lemot", NEGATIVE_HINT)
    assert tokenise("🙏") == (POSITIVE_HINT,)
    assert tokenise("💩 👎") == (NEGATIVE_HINT,)


def test_punctuation_is_kept_once_and_thousands_separators_dropped() -> None:
    assert tokenise("Saldo Rp2.000.000 hilang!!! Kenapa??") == (
        "saldo", "rp2000000", "hilang", "!", "kenapa", "?")


def test_fancy_unicode_letters_and_curly_apostrophes() -> None:
    assert normalise("𝐁𝐚𝐠𝐮𝐬 don’t") == "bagus don't"


@given(st.text(max_size=80))
def test_normalising_never_fails_and_is_stable(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once
