"""Spike detection: threshold, baseline, cooldown, and incremental use equal to batch use."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.spikes import (
    SpikeConfig,
    SpikeDetector,
    SpikeReason,
    detect_spikes,
)
from socmed_domain.timezones import WIB, WITA

START = datetime(2026, 12, 1, 0, 0, tzinfo=WIB)


def _steady(days: int, per_hour: int) -> list[datetime]:
    """`per_hour` observations spread over each hour, for `days` days from START."""
    step = timedelta(hours=1) / per_hour
    return [START + timedelta(hours=h) + step * i
            for h in range(days * 24) for i in range(per_hour)]


def test_a_burst_over_a_steady_week_alerts_once() -> None:
    calm = _steady(7, 4)
    burst_start = START + timedelta(days=7, hours=1)
    burst = [burst_start + timedelta(minutes=i) for i in range(40)]
    alerts = detect_spikes(calm + burst)
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.baseline_windows == 168
    assert alert.baseline_mean == pytest.approx(4.0, abs=0.1)
    assert alert.threshold == 10.0  # a flat baseline: min_count sets the threshold
    assert alert.reasons == (SpikeReason.ABOVE_MIN_COUNT,)
    assert alert.count == 10  # the calm week ended an hour before the burst
    assert alert.window_end == burst[9]
    assert alert.window_end - alert.window_start == timedelta(minutes=60)


def test_a_noisy_baseline_raises_the_threshold() -> None:
    rng = random.Random(7)
    noisy: list[datetime] = []
    for hour in range(7 * 24):
        for _ in range(rng.choice((0, 2, 5, 12))):
            noisy.append(START + timedelta(hours=hour, minutes=rng.randrange(60)))
    burst_start = START + timedelta(days=7, hours=3)
    burst = [burst_start + timedelta(seconds=40 * i) for i in range(60)]
    alerts = detect_spikes(noisy + burst, SpikeConfig(min_count=5))
    spike = [a for a in alerts if a.window_end >= burst_start]
    assert len(spike) == 1
    assert spike[0].threshold > 10
    assert spike[0].reasons == (SpikeReason.ABOVE_BASELINE,)
    assert spike[0].count >= spike[0].threshold


def test_cooldown_keeps_one_burst_to_one_alert_and_then_alerts_again() -> None:
    config = SpikeConfig(min_count=5, cooldown=timedelta(hours=2))
    first = [START + timedelta(minutes=i) for i in range(30)]
    later = [START + timedelta(hours=3, minutes=i) for i in range(30)]
    alerts = detect_spikes(first + later, config)
    assert len(alerts) == 2
    assert alerts[1].window_end - alerts[0].window_end >= timedelta(hours=2)
    assert alerts[0].count == 5
    assert alerts[0].reasons == (SpikeReason.ABOVE_MIN_COUNT, SpikeReason.NO_BASELINE)
    # The first burst is now part of the baseline (windows of 0 and 10): 5 + 3 * 5 = 20.
    assert (alerts[1].count, alerts[1].threshold) == (20, 20.0)
    assert alerts[1].reasons == (SpikeReason.ABOVE_BASELINE, SpikeReason.PARTIAL_BASELINE)


def test_monitoring_since_gives_credit_for_quiet_time_before_the_first_observation() -> None:
    since = START - timedelta(days=7, hours=1)  # the 168th window starts 7 days + 1 h back
    alerts = detect_spikes([START + timedelta(minutes=i) for i in range(10)],
                           monitoring_since=since)
    assert alerts[0].baseline_windows == 168
    assert alerts[0].baseline_mean == 0.0
    assert alerts[0].reasons == (SpikeReason.ABOVE_MIN_COUNT,)


def test_below_min_count_never_alerts() -> None:
    assert detect_spikes([START + timedelta(seconds=i) for i in range(9)]) == ()
    assert detect_spikes([]) == ()


def test_incremental_refuses_out_of_order_and_naive_times() -> None:
    detector = SpikeDetector()
    detector.observe(START)
    with pytest.raises(InvalidInputError) as raised:
        detector.observe(START - timedelta(seconds=1))
    assert raised.value.code == "error.observation_order"
    with pytest.raises(InvalidInputError) as naive:
        detector.observe(datetime(2026, 12, 2, 9, 0))
    assert naive.value.code == "error.naive_time"


@pytest.mark.parametrize(
    "kwargs",
    [{"window": timedelta(0)}, {"baseline": timedelta(minutes=5)}, {"sensitivity": -1.0},
     {"min_count": 0}, {"cooldown": timedelta(seconds=-1)}, {"sensitivity": float("nan")}],
)
def test_bad_config_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError) as raised:
        SpikeConfig(**kwargs)  # type: ignore[arg-type]
    assert raised.value.code == "error.spike_config"


def test_alert_times_keep_the_observations_zone() -> None:
    times = [START.astimezone(WITA) + timedelta(minutes=i) for i in range(10)]
    alert = detect_spikes(times)[0]
    assert alert.window_end.tzinfo is WITA and alert.window_start.tzinfo is WITA


# Small windows so that random streams produce alerts often.
SMALL = SpikeConfig(window=timedelta(minutes=10), baseline=timedelta(hours=2), sensitivity=2.0,
                    min_count=3, cooldown=timedelta(minutes=15))

offsets = st.lists(st.integers(min_value=0, max_value=6 * 60 * 60), max_size=250)
zones: st.SearchStrategy[tzinfo] = st.sampled_from([WIB, WITA, UTC])


def _times(seconds: list[int], zone_choices: list[tzinfo]) -> list[datetime]:
    return [(START + timedelta(seconds=s)).astimezone(zone_choices[i % len(zone_choices)])
            for i, s in enumerate(seconds)]


@settings(max_examples=150, deadline=None)
@given(offsets, st.lists(zones, min_size=1, max_size=3), st.integers(min_value=1, max_value=40),
       st.booleans())
def test_incremental_equals_batch(seconds: list[int], zone_choices: list[tzinfo], chunk: int,
                                  since: bool) -> None:
    times = _times(seconds, zone_choices)
    monitoring_since = START - timedelta(hours=1) if since else None
    batch = detect_spikes(times, SMALL, monitoring_since)
    ordered = sorted(times)
    detector = SpikeDetector(SMALL, monitoring_since)
    incremental = []
    for index in range(0, len(ordered), chunk):
        incremental.extend(detector.observe_many(ordered[index : index + chunk]))
    assert tuple(incremental) == batch


@settings(max_examples=150, deadline=None)
@given(offsets)
def test_alerts_respect_threshold_and_cooldown(seconds: list[int]) -> None:
    alerts = detect_spikes(_times(seconds, [WIB]), SMALL)
    for alert in alerts:
        assert alert.count >= alert.threshold >= SMALL.min_count
        assert alert.window_end - alert.window_start == SMALL.window
    for earlier, later in pairwise(alerts):
        assert later.window_end - earlier.window_end >= SMALL.cooldown


@settings(max_examples=100, deadline=None)
@given(offsets, st.randoms(use_true_random=False))
def test_batch_ignores_input_order(seconds: list[int], rng: random.Random) -> None:
    times = _times(seconds, [WIB])
    shuffled = times[:]
    rng.shuffle(shuffled)
    assert detect_spikes(shuffled, SMALL) == detect_spikes(times, SMALL)
