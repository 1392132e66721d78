"""Sentiment: lexicon terms, negation scope, boosters, contrast, questions, the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.lexicon import DEFAULT, VERSION
from socmed_domain.monitoring.sentiment import THRESHOLD, Polarity, analyse

DATA = Path(__file__).resolve().parents[2] / "data" / "sentiment_labelled.jsonl"
POS, NEG, NEU = Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Pelayanannya ramah dan cepat", POS),
        ("Aplikasinya lemot dan sering error", NEG),
        ("Saldo hilang tanpa notifikasi", NEG),
        ("Thanks, very helpful", POS),
        ("Min, jam buka cabang hari Sabtu?", NEU),
        ("Saya sudah kirim DM", NEU),
    ],
)
def test_plain_terms(text: str, label: Polarity) -> None:
    assert analyse(text).label is label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("tidak bagus", NEG),
        ("gak ribet", POS),
        ("not helpful", NEG),
        ("not bad", POS),
        ("tidak pernah kecewa", POS),
        ("CS nya tidak membantu sama sekali", NEG),
        ("tidak ramah dan lambat", NEG),
        ("gak ribet dan cepat", POS),
        ("never had a failed transfer", POS),
    ],
)
def test_negation_flips_the_next_term(text: str, label: Polarity) -> None:
    assert analyse(text).label is label


def test_negation_reaches_three_units_and_stops_at_punctuation() -> None:
    within = analyse("gak ada yang ramah")
    assert within.matched[0].negated
    assert not analyse("tidak, bagus").matched[0].negated
    assert not analyse("tidak ada apa pun yang bagus").matched[0].negated


def test_negation_flips_one_term_unless_terms_are_joined() -> None:
    score = analyse("tidak bagus, cepat")
    assert [term.negated for term in score.matched] == [True, False]
    joined = analyse("tidak ramah dan cepat")
    assert [term.negated for term in joined.matched] == [True, True]
    # Only terms of the first one's polarity share its negation.
    mixed = analyse("gak ribet dan cepat")
    assert [term.negated for term in mixed.matched] == [True, False]


def test_kurang_only_softens() -> None:
    kurang = analyse("kurang bagus")
    tidak = analyse("tidak bagus")
    assert kurang.label is NEG
    assert tidak.raw < kurang.raw < 0


def test_negated_expectations_are_complaints() -> None:
    for text in ("saldo belum masuk", "tidak ada respon dari CS", "gak bisa login",
                 "no reply after 3 days"):
        assert analyse(text).label is NEG, text
    assert analyse("saldo sudah masuk").label is NEU


def test_neutral_phrases_swallow_their_negator() -> None:
    assert analyse("tidak hanya cepat tapi juga ramah").label is POS
    assert analyse("gpp kok, mantap").label is POS
    assert analyse("Kalau top up e-wallet ada fee nya?").label is NEU


@pytest.mark.parametrize("text", ["bagus banget", "sangat bagus", "bagus sekali", "bagus bgt",
                                  "bagusss bangettt", "really good"])
def test_boosters_before_or_after(text: str) -> None:
    plain = analyse(text.split()[0] if text.startswith("bagus") else "good")
    boosted = analyse(text)
    assert boosted.raw > plain.raw
    assert boosted.label is POS


def test_parah_boosts_after_a_term_and_is_negative_alone() -> None:
    assert analyse("lemot parah").raw == pytest.approx(-3.0)
    assert analyse("Parah, ATM nelen kartu").label is NEG
    assert analyse("bagus parah").label is POS


def test_softener_and_dropped_booster_under_negation() -> None:
    assert analyse("agak lambat").raw > analyse("lambat").raw
    assert analyse("tidak terlalu bagus").raw == pytest.approx(analyse("tidak bagus").raw)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Aplikasinya bagus tapi sering error", NEG),
        ("Sempat error, tapi CS nya sigap bantu", POS),
        ("The app is nice but transfers keep failing", NEG),
        ("It was slow at first, but now it works perfectly", POS),
        ("Meskipun antri, petugasnya ramah", POS),
    ],
)
def test_the_clause_after_a_contrast_weighs_more(text: str, label: Polarity) -> None:
    assert analyse(text).label is label


def test_questions_lean_neutral_but_rhetorical_questions_do_not() -> None:
    inquiry = analyse("Apakah aman?")
    assert inquiry.question and inquiry.label is NEU
    complaint = analyse("Kenapa aplikasinya error terus?")
    assert not complaint.question and complaint.label is NEG
    mixed = analyse("Can't log in since this morning, what's going on?")
    assert not mixed.question and mixed.label is NEG


def test_emoji_hints_count() -> None:
    assert analyse("👍").label is POS
    assert analyse("😡").label is NEG


def test_result_explains_itself() -> None:
    score = analyse("Tidak membantu sama sekali, lemot banget")
    assert score.lexicon_version == VERSION
    assert [term.term for term in score.matched] == ["membantu", "lemot"]
    membantu, lemot = score.matched
    assert membantu.negated and membantu.multiplier == 1.5
    assert lemot.base == -2.0 and lemot.contribution == pytest.approx(-3.0)
    assert score.raw == pytest.approx(sum(term.contribution for term in score.matched))


def test_custom_terms_need_a_new_version_and_a_valid_score() -> None:
    custom = DEFAULT.with_terms({"nusapay": 0.0, "auto lunas": 2.0}, version="custom-1")
    assert analyse("fitur auto lunas", custom).label is POS
    assert analyse("fitur auto lunas", custom).lexicon_version == "custom-1"
    with pytest.raises(InvalidInputError) as raised:
        DEFAULT.with_terms({"mantap jiwa": 5.0}, version="custom-2")
    assert raised.value.code == "error.lexicon_score"


@given(st.text(max_size=120))
def test_any_text_gets_a_consistent_score(text: str) -> None:
    score = analyse(text)
    assert -1.0 < score.score < 1.0
    if score.label is POS:
        assert score.raw >= THRESHOLD
    elif score.label is NEG:
        assert score.raw <= -THRESHOLD
    else:
        assert abs(score.raw) < THRESHOLD
    assert analyse(text) == score


def _rows(split: str) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line]
    return [row for row in rows if row["split"] == split]


def test_labelled_set_is_well_formed_and_balanced() -> None:
    rows = _rows("dev") + _rows("test")
    assert len(rows) >= 400
    assert len({row["text"] for row in rows}) == len(rows)
    for row in rows:
        assert row["label"] in {"positive", "negative", "neutral"}
        assert row["lang"] in {"id", "en", "mix"}
    for label in ("positive", "negative", "neutral"):
        share = sum(row["label"] == label for row in rows) / len(rows)
        assert 0.25 <= share <= 0.42, label


@pytest.mark.parametrize(("split", "floor"), [("dev", 0.9), ("test", 0.85)])
def test_accuracy_does_not_regress(split: str, floor: float) -> None:
    """A guard against regressions, below the measured figures (docs/monitoring.md)."""
    rows = _rows(split)
    right = sum(analyse(row["text"]).label.value == row["label"] for row in rows)
    assert right / len(rows) >= floor
