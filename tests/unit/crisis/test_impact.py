"""The impact matrix (SOP stage 6, 'classify the crisis level by its impact'): each threshold,
each exposure, the guard against calling a few complaints a wave, and reasons that name their
numbers in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from socmed_domain.crisis.impact import (
    FLAG_LEVELS,
    MIN_MENTIONS_FOR_A_WAVE,
    THRESHOLDS,
    ImpactFactor,
    ImpactSignals,
    Threshold,
    suggest_level,
)
from socmed_domain.errors import InvalidInputError

F = ImpactFactor


def test_isolated_complaints_are_level_1_and_say_why() -> None:
    suggestion = suggest_level(ImpactSignals(negative_mentions=3, baseline_mean=Decimal(1)))
    assert suggestion.level == 1
    assert suggestion.reasons[0].factor is F.FEW_MENTIONS
    assert str(suggestion.reasons[0]) == ("3 negative mentions, isolated complaints "
                                          "(< 10 → level 1)")
    assert "0 negative mentions per hour (< 10/h → level 1)" in suggestion.message()
    assert all(r.level == 1 and not r.reached for r in suggestion.reasons)


def test_a_wave_above_baseline_is_level_2() -> None:
    suggestion = suggest_level(ImpactSignals(negative_mentions=30, baseline_mean=Decimal(10)))
    assert suggestion.level == 2
    assert str(suggestion.reasons[0]) == "negative volume 3.0× baseline (>= 2× → level 2)"


def test_eight_times_the_baseline_is_level_3_as_the_guide_says() -> None:
    suggestion = suggest_level(ImpactSignals(negative_mentions=80, baseline_mean=Decimal(10)))
    assert suggestion.level == 3
    assert str(suggestion.reasons[0]) == "negative volume 8.0× baseline (>= 5× → level 3)"
    assert suggestion.reasons[0].message("id") == (
        "volume negatif 8,0× baseline (>= 5× → level 3)")


def test_mass_exposure_is_level_4_with_indonesian_digit_grouping() -> None:
    suggestion = suggest_level(ImpactSignals(negative_mentions=12, estimated_reach=1_500_000))
    assert suggestion.level == 4
    assert str(suggestion.reasons[0]) == "estimated reach 1,500,000 (>= 1,000,000 → level 4)"
    assert suggestion.reasons[0].message("id") == (
        "perkiraan jangkauan 1.500.000 (>= 1.000.000 → level 4)")


@pytest.mark.parametrize(("factor", "level"), sorted(FLAG_LEVELS.items(), key=str))
def test_each_exposure_alone_sets_its_level(factor: ImpactFactor, level: int) -> None:
    suggestion = suggest_level(ImpactSignals(**{factor.value: True}))
    assert suggestion.level == level
    assert [r.factor for r in suggestion.reasons] == [factor]
    assert f"level {level}" in suggestion.reasons[0].message("id")


def test_personal_data_and_account_compromise_are_critical() -> None:
    assert suggest_level(ImpactSignals(personal_data_exposure=True)).level == 4
    assert suggest_level(ImpactSignals(account_compromised=True)).level == 4
    assert suggest_level(ImpactSignals(legal_exposure=True, media_pickup=True)).level == 3


def _signals_at(threshold: Threshold, value: Decimal) -> ImpactSignals:
    mentions = MIN_MENTIONS_FOR_A_WAVE
    if threshold.factor is F.VOLUME_RATIO:
        return ImpactSignals(negative_mentions=int(value * 10), baseline_mean=Decimal(10))
    if threshold.factor is F.VELOCITY:
        return ImpactSignals(negative_mentions=mentions, baseline_mean=Decimal(100),
                             velocity_per_hour=value)
    if threshold.factor is F.REACH:
        return ImpactSignals(negative_mentions=mentions, baseline_mean=Decimal(100),
                             estimated_reach=int(value))
    return ImpactSignals(negative_mentions=mentions, baseline_mean=Decimal(100),
                         negative_share=value)


@pytest.mark.parametrize("threshold", THRESHOLDS, ids=lambda t: f"{t.factor.value}-{t.level}")
def test_each_threshold_counts_from_its_value_and_not_below(threshold: Threshold) -> None:
    at = suggest_level(_signals_at(threshold, threshold.at_least))
    assert at.level == threshold.level
    assert any(r.factor is threshold.factor and r.threshold == threshold.at_least
               for r in at.reasons)
    below = suggest_level(_signals_at(threshold, threshold.at_least - Decimal("0.1")))
    assert below.level < threshold.level


def test_few_mentions_are_not_a_wave_whatever_the_ratio_or_share() -> None:
    few = ImpactSignals(negative_mentions=MIN_MENTIONS_FOR_A_WAVE - 1, baseline_mean=Decimal(0),
                        negative_share=Decimal("0.95"))
    assert suggest_level(few).level == 1
    assert suggest_level(evolve(few, negative_mentions=MIN_MENTIONS_FOR_A_WAVE)).level == 3


def test_a_zero_baseline_is_floored_so_the_ratio_stays_finite() -> None:
    suggestion = suggest_level(ImpactSignals(negative_mentions=20, baseline_mean=Decimal(0)))
    assert suggestion.level == 3
    assert "20.0× baseline" in str(suggestion.reasons[0])


def test_callers_may_give_plain_numbers_and_get_exact_decimals() -> None:
    signals = ImpactSignals(baseline_mean=2.5, velocity_per_hour="12", negative_share=0.1)  # type: ignore[arg-type]
    assert signals.baseline_mean == Decimal("2.5")
    assert signals.velocity_per_hour == Decimal(12)
    assert signals.negative_share == Decimal("0.1")


@pytest.mark.parametrize(("signals", "code"), [
    (ImpactSignals(negative_mentions=-1), "error.negative"),
    (ImpactSignals(estimated_reach=-5), "error.negative"),
    (ImpactSignals(baseline_mean=Decimal(-1)), "error.negative"),
    (ImpactSignals(velocity_per_hour=Decimal("NaN")), "error.negative"),
    (ImpactSignals(velocity_per_hour=Decimal("Infinity")), "error.negative"),
    (ImpactSignals(negative_share=Decimal("1.2")), "error.incident_share_range"),
])
def test_impossible_signals_are_refused(signals: ImpactSignals, code: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        suggest_level(signals)
    assert raised.value.code == code
    assert raised.value.message("id") != raised.value.message("en")


SIGNALS = st.builds(
    ImpactSignals,
    negative_mentions=st.integers(0, 5000),
    baseline_mean=st.decimals(0, 500, places=1),
    velocity_per_hour=st.decimals(0, 500, places=1),
    estimated_reach=st.integers(0, 3_000_000),
    negative_share=st.decimals(0, 1, places=2),
    media_pickup=st.booleans(), legal_exposure=st.booleans(), safety_exposure=st.booleans(),
    personal_data_exposure=st.booleans(), account_compromised=st.booleans(),
)


@given(SIGNALS)
def test_the_level_is_the_most_severe_reason_and_every_reason_reads(
        signals: ImpactSignals) -> None:
    suggestion = suggest_level(signals)
    assert suggestion.level in (1, 2, 3, 4)
    assert suggestion.reasons
    assert suggestion.level == max(r.level for r in suggestion.reasons)
    assert [r.level for r in suggestion.reasons] == sorted(
        (r.level for r in suggestion.reasons), reverse=True)
    for lang in ("en", "id"):
        text = suggestion.message(lang)
        assert "{" not in text and "impact." not in text


@given(SIGNALS, st.sampled_from(["negative_mentions", "velocity_per_hour", "estimated_reach",
                                 "negative_share", "media_pickup", "legal_exposure",
                                 "safety_exposure", "personal_data_exposure",
                                 "account_compromised"]))
def test_more_of_any_signal_never_lowers_the_level(signals: ImpactSignals, name: str) -> None:
    value = getattr(signals, name)
    if isinstance(value, bool):
        worse = evolve(signals, **{name: True})
    elif name == "negative_share":
        worse = evolve(signals, negative_share=min(Decimal(1), value + Decimal("0.3")))
    else:
        worse = evolve(signals, **{name: value * 3 + 10})
    assert suggest_level(worse).level >= suggest_level(signals).level
