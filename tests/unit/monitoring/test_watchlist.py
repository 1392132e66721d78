"""Watchlist: sensitive topics and campaign keywords, word-boundary and slang aware."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.watchlist import (
    DEFAULT_WATCHLIST,
    Topic,
    WatchlistHit,
    match,
)


def _found(text: str) -> list[tuple[Topic, str]]:
    return [(hit.topic, hit.term) for hit in match(text)]


@pytest.mark.parametrize(
    ("text", "topic", "term"),
    [
        ("Saya kirim somasi besok", Topic.LEGAL_THREAT, "somasi"),
        ("Saya akan lapor polisi", Topic.LEGAL_THREAT, "lapor polisi"),
        ("Sudah saya laporkan ke OJK dan YLKI", Topic.LEGAL_THREAT, "ojk"),
        ("Siap-siap digugat", Topic.LEGAL_THREAT, "digugat"),
        ("My lawyer will contact you", Topic.LEGAL_THREAT, "lawyer"),
        ("I'm going to sue this bank", Topic.LEGAL_THREAT, "sue"),
        ("Ada kebocoran data nasabah?", Topic.DATA_LEAK, "kebocoran data"),
        ("Kok data saya tersebar di grup", Topic.DATA_LEAK, "data saya tersebar"),
        ("Boikot Bank Nusa!", Topic.BOYCOTT, "boikot"),
        ("mending uninstall aja", Topic.BOYCOTT, "uninstall"),
        ("Awas modus baru atas nama CS", Topic.FRAUD, "modus"),
        ("Got a phishing SMS", Topic.FRAUD, "phishing"),
        ("Ini jelas penipuan", Topic.FRAUD, "penipuan"),
        ("Saya diteror debt collector", Topic.SAFETY, "diteror"),
        ("Jangan bawa isu SARA", Topic.SARA, "sara"),
    ],
)
def test_sensitive_topics(text: str, topic: Topic, term: str) -> None:
    assert (topic, term) in _found(text)


def test_word_boundaries() -> None:
    assert _found("There is an issue with the app") == []
    assert _found("Pursue your dreams") == []
    assert _found("Saya mau tanya soal kode promo") == []
    # A clitic on a watched word still counts ("modusnya" is "modus" + "-nya").
    assert (Topic.FRAUD, "modus") in _found("modusnya sudah ketahuan")


def test_slang_and_gaps() -> None:
    hits = match("data gw bocor, ini modus penipuan")
    assert [(h.topic, h.term, h.matched) for h in hits] == [
        (Topic.DATA_LEAK, "data * bocor", "data saya bocor"),
        (Topic.FRAUD, "modus penipuan", "modus penipuan"),
    ]
    assert (Topic.DATA_LEAK, "data * bocor") in _found("Kok data nomor saya bisa bocor?")
    # A gap never crosses the end of a sentence, nor more than three words.
    assert _found("Data saya aman. Atap bocor") == []
    assert _found("data ini kata orang sering bocor") == []


def test_one_hit_per_span_per_topic_and_per_term() -> None:
    hits = match("Saya akan lapor ke polisi. Polisi pasti bertindak, lapor ke polisi!")
    assert [(h.topic, h.term) for h in hits] == [
        (Topic.LEGAL_THREAT, "lapor * polisi"),
        (Topic.LEGAL_THREAT, "polisi"),
    ]


def test_hits_are_in_text_order_and_sensitive() -> None:
    hits = match("Uninstall! Ini scam, saya lapor OJK")
    assert [h.topic for h in hits] == [Topic.BOYCOTT, Topic.FRAUD, Topic.LEGAL_THREAT]
    assert all(h.sensitive for h in hits)


def test_hashtags_are_matched_by_their_words() -> None:
    assert (Topic.BOYCOTT, "boikot") in _found("#BoikotBankNusa")


def test_campaign_keywords() -> None:
    watchlist = DEFAULT_WATCHLIST.with_campaign("Harbolnas", ["harbolnas", "promo 12.12"])
    hits = watchlist.match("Ikut promo 12.12 #Harbolnas, tapi kok penipuan?")
    assert WatchlistHit(Topic.CAMPAIGN, "promo 12.12", "promo 1212", "Harbolnas") in hits
    assert WatchlistHit(Topic.CAMPAIGN, "harbolnas", "harbolnas", "Harbolnas") in hits
    assert [h.sensitive for h in hits] == [False, False, True]
    assert watchlist.without_campaign("Harbolnas").match("promo 12.12") == ()
    # Replacing a campaign's keywords keeps one set per campaign.
    replaced = watchlist.with_campaign("Harbolnas", ["flash sale"])
    assert len(replaced.campaigns) == 1
    assert DEFAULT_WATCHLIST.match("promo 12.12") == ()


def test_bad_terms_are_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInputError) as raised:
        DEFAULT_WATCHLIST.with_campaign("Ramadan", ["* promo"])
    assert raised.value.code == "error.watchlist_term"
    assert "'*'" in raised.value.message("en")
    with pytest.raises(InvalidInputError):
        DEFAULT_WATCHLIST.with_campaign(" ", ["promo"])
    with pytest.raises(InvalidInputError):
        DEFAULT_WATCHLIST.with_campaign("Ramadan", ["  "])


def test_extra_terms_for_a_topic() -> None:
    watchlist = DEFAULT_WATCHLIST.with_terms(Topic.FRAUD, ["undian palsu"], version="x-1")
    assert watchlist.version == "x-1"
    assert watchlist.match("awas undian palsu")[0].term == "undian palsu"


@given(st.text(max_size=100))
def test_every_hit_names_a_term_of_its_topic(text: str) -> None:
    for hit in match(text):
        assert hit.term in DEFAULT_WATCHLIST.topics[hit.topic]
        assert hit.matched
