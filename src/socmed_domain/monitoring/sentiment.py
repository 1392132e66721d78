"""Lexicon-based sentiment of one short social text, with the terms that decided it.

Why rules and not a model: an admin or Legal must be able to see why a comment was marked
negative (every matched term and what it added is in the result), the result must not change
between runs or machines, and the domain may not load files or models.

How a text is scored (the numbers are module constants, documented in docs/monitoring.md):

1. `tokenise` the text with the lexicon's vocabulary, then cut the tokens into units, longest
   lexicon phrase first ("saldo hilang" before "saldo", "tidak apa-apa" before "tidak").
2. Each term adds its score. A negator ("tidak", "not", "kurang") flips the first term within
   the next NEGATION_WINDOW units, and the terms of the same polarity joined to it by
   "dan"/"and", up to MAX_NEGATED_TERMS ("tidak ramah dan cepat": both flipped; "gak ribet dan
   cepat": only "ribet"); punctuation and contrast words end its scope. A negated expectation
   ("belum masuk", "no reply") adds its own negative score instead of a flip.
3. Boosters multiply the term they stand next to: before it ("sangat bagus") or after it
   ("bagus banget", "lemot parah"). A booster between a negator and its term is dropped:
   "tidak terlalu bagus" is about as negative as "tidak bagus", not more.
4. Clause weights: the units before the last "tapi"/"namun"/"but" count CONTRAST_BEFORE,
   those after it CONTRAST_AFTER; a clause opened by "meskipun"/"although" counts CONCESSIVE,
   one opened by "kalau"/"if" counts CONDITIONAL. The last clause of a sentence ending in "?"
   counts QUESTION_WEIGHT, because an inquiry ("apakah aman?") names good or bad things
   without feeling them, so a text made only of questions leans neutral; a rhetorical
   question ("kenapa error terus?", "why is it so slow?") is a complaint and counts fully.
5. The raw sum decides the label: positive at >= THRESHOLD, negative at <= -THRESHOLD, else
   neutral.
6. `score` squashes the raw sum into (-1, 1) as raw / sqrt(raw^2 + SQUASH), for ranking.
"""

from __future__ import annotations

import enum
import math
from functools import lru_cache
from typing import Any

from attrs import frozen

from socmed_domain.monitoring.lexicon import DEFAULT, Lexicon
from socmed_domain.monitoring.normalise import tokenise

THRESHOLD = 1.0
QUESTION_WEIGHT = 0.5
NEGATION_WINDOW = 3
MAX_NEGATED_TERMS = 3
BOOSTER_REACH = 2
CONTRAST_BEFORE = 0.5
CONTRAST_AFTER = 1.5
CONCESSIVE = 0.5
CONDITIONAL = 0.5
SQUASH = 15.0

_SENTENCE_ENDS = frozenset({".", "!", "?", ";"})
_PUNCTUATION = frozenset({".", ",", "!", "?", ";", ":"})


class Polarity(enum.Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


@frozen
class MatchedTerm:
    """One lexicon entry found in the text, and what it added after the rules."""

    term: str
    base: float
    contribution: float
    negated: bool = False
    multiplier: float = 1.0
    weight: float = 1.0


@frozen
class SentimentScore:
    """The label, the squashed score in (-1, 1), the raw sum and the terms behind them."""

    label: Polarity
    score: float
    raw: float
    matched: tuple[MatchedTerm, ...]
    question: bool
    lexicon_version: str


@frozen
class _Unit:
    """A token or lexicon phrase, with every role the lexicon gives it."""

    text: str
    term: float | None = None
    expectation: float | None = None
    negator: float | None = None
    before: float | None = None
    after: float | None = None
    neutral: bool = False
    contrast: bool = False
    concessive: bool = False
    coordinator: bool = False

    @property
    def punctuation(self) -> bool:
        return self.text in _PUNCTUATION


def analyse(text: str, lexicon: Lexicon = DEFAULT) -> SentimentScore:
    """Score `text` (Indonesian, English or both) with `lexicon`."""
    units = _units(tokenise(text, _vocabulary(lexicon)), lexicon)
    weights, question = _clause_weights(units, lexicon)
    matched = _score(units, weights)
    raw = math.fsum(term.contribution for term in matched)
    if raw >= THRESHOLD:
        label = Polarity.POSITIVE
    elif raw <= -THRESHOLD:
        label = Polarity.NEGATIVE
    else:
        label = Polarity.NEUTRAL
    return SentimentScore(
        label=label,
        score=raw / math.sqrt(raw * raw + SQUASH),
        raw=raw,
        matched=matched,
        question=question,
        lexicon_version=lexicon.version,
    )


@lru_cache(maxsize=8)
def _vocabulary(lexicon: Lexicon) -> frozenset[str]:
    return lexicon.vocabulary


@lru_cache(maxsize=8)
def _phrase_table(lexicon: Lexicon) -> tuple[dict[tuple[str, ...], _Unit], int,
                                             frozenset[str]]:
    """Every lexicon entry as a token tuple -> its unit, the longest entry's length, and the
    first words of the entries longer than one word (only those need a longer look)."""
    roles: dict[str, dict[str, Any]] = {}

    def put(entry: str, role: str, value: float | bool) -> None:
        roles.setdefault(" ".join(entry.split()), {})[role] = value

    for role, scores in (("term", lexicon.terms), ("expectation", lexicon.expectations),
                         ("negator", lexicon.negators), ("before", lexicon.boosters_before),
                         ("after", lexicon.boosters_after)):
        for entry, value in scores.items():
            put(entry, role, value)
    for role, entries in (("neutral", lexicon.neutral_phrases), ("contrast", lexicon.contrast),
                          ("concessive", lexicon.concessive),
                          ("coordinator", lexicon.coordinators)):
        for entry in entries:
            put(entry, role, True)
    table = {tuple(key.split()): _Unit(key, **kwargs) for key, kwargs in roles.items()}
    heads = frozenset(key[0] for key in table if len(key) > 1)
    return table, max((len(key) for key in table), default=1), heads


def _units(tokens: tuple[str, ...], lexicon: Lexicon) -> tuple[_Unit, ...]:
    """Greedy longest-match segmentation of the tokens into lexicon units."""
    table, longest, heads = _phrase_table(lexicon)
    units: list[_Unit] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        widest = min(longest, len(tokens) - position) if token in heads else 1
        for size in range(widest, 0, -1):
            unit = table.get(tokens[position : position + size])
            if unit is not None:
                break
        else:
            size, unit = 1, _Unit(token)
        units.append(unit)
        position += size
    return tuple(units)


def _clause_weights(units: tuple[_Unit, ...], lexicon: Lexicon) -> tuple[list[float], bool]:
    """How much each unit counts, and whether the text is made only of real questions.

    Less before a contrast, inside a concession or a condition, and in a question clause.
    """
    weights = [1.0] * len(units)
    contrasts = [index for index, unit in enumerate(units) if unit.contrast]
    if contrasts:
        last = contrasts[-1]
        weights = [CONTRAST_BEFORE if index < last else CONTRAST_AFTER
                   for index in range(len(units))]
    for index, unit in enumerate(units):
        factor = (CONCESSIVE if unit.concessive
                  else CONDITIONAL if unit.text in lexicon.conditional else None)
        if factor is None:
            continue
        for inside in range(index + 1, len(units)):
            if units[inside].punctuation or units[inside].contrast:
                break
            weights[inside] *= factor
    damped = _question_clauses(units, lexicon)
    for index in damped:
        weights[index] *= QUESTION_WEIGHT
    words = {index for index, unit in enumerate(units) if not unit.punctuation}
    return weights, bool(words) and words <= damped


def _question_clauses(units: tuple[_Unit, ...], lexicon: Lexicon) -> set[int]:
    """Units in the last clause of each sentence that ends in '?' and is not rhetorical."""
    damped: set[int] = set()
    sentence: list[int] = []
    for index, unit in enumerate(units):
        sentence.append(index)
        if unit.text not in _SENTENCE_ENDS:
            continue
        if unit.text == "?" and not any(units[i].text in lexicon.rhetorical for i in sentence):
            clause: list[int] = []
            for inside in reversed(sentence[:-1]):
                if units[inside].punctuation:
                    break
                clause.append(inside)
            damped.update(clause)
        sentence = []
    return damped


def _score(units: tuple[_Unit, ...], weights: list[float]) -> tuple[MatchedTerm, ...]:
    matched: list[MatchedTerm] = []
    consumed: set[int] = set()
    negation, negation_left, flipped, carried_sign = 0.0, 0, 0, 0.0
    boost, boost_age = 1.0, 0
    for index, unit in enumerate(units):
        if index in consumed:
            continue
        if unit.punctuation or unit.contrast:
            negation, negation_left, flipped, boost, boost_age = 0.0, 0, 0, 1.0, 0
            continue
        if unit.neutral:
            negation_left = 0
            continue
        if unit.negator is not None and unit.term is None:
            negation, negation_left, flipped, carried_sign = unit.negator, NEGATION_WINDOW, 0, 0.0
            continue
        if unit.before is not None and unit.term is None:
            if negation_left:
                continue  # "tidak terlalu bagus": the booster is dropped
            boost, boost_age = boost * unit.before, 0
            continue
        negated = negation_left > 0
        base = unit.term
        if negated and carried_sign and base is not None and base * carried_sign < 0:
            negated, negation_left = False, 0  # "gak ribet dan cepat": cepat stays positive
        if negated and unit.expectation is not None:
            value = unit.expectation
            base = unit.expectation
        elif base is not None:
            value = base * negation if negated else base
        else:
            negation_left = max(0, negation_left - 1)
            boost_age += 1
            if boost_age >= BOOSTER_REACH:
                boost, boost_age = 1.0, 0
            continue
        multiplier = boost
        for after in range(index + 1, min(index + 3, len(units))):
            if units[after].after is None:
                break
            multiplier *= units[after].after or 1.0
            consumed.add(after)
        weight = weights[index]
        matched.append(MatchedTerm(unit.text, base, value * multiplier * weight, negated,
                                   multiplier, weight))
        boost, boost_age = 1.0, 0
        if negated:
            flipped += 1
            joined = index + 1 < len(units) and units[index + 1].coordinator
            negation_left = 2 if joined and flipped < MAX_NEGATED_TERMS else 0
            carried_sign = carried_sign or math.copysign(1.0, base)
    return tuple(matched)
