"""Spikes of negative interactions: many more in the last hour than usual at any hour.

A crisis on social media starts as a burst of negative comments and mentions (SOP stage 4:
spot potential issues; stage 6: handle them). The detector counts the observations (the times
of negative interactions) in a sliding window (t - window, t] each time one arrives, and
compares that count with the counts of the equally long windows just before it over the
baseline period: (t - (k+1)*window, t - k*window] for k = 1 .. baseline // window.

It alerts when count >= max(min_count, mean + sensitivity * stdev) (population stdev of the
baseline counts), then stays quiet for `cooldown` after the alert so one burst gives one alert.
Only baseline windows that lie wholly after `monitoring_since` (default: the first
observation) count, so a fresh detector does not mistake "no data yet" for "calm"; until it
has a full baseline its alerts say so, and min_count alone guards against noise.

Pure and deterministic: no clock, no I/O; the caller feeds the observations. Incremental use
(`SpikeDetector.observe`, observations in time order) and batch use (`detect_spikes`) give the
same alerts; the property tests check it.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from attrs import frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.timezones import require_aware


class SpikeReason(enum.Enum):
    ABOVE_BASELINE = "above_baseline"  # mean + sensitivity * stdev set the threshold
    ABOVE_MIN_COUNT = "above_min_count"  # min_count set the threshold (quiet baseline)
    PARTIAL_BASELINE = "partial_baseline"  # fewer baseline windows than configured
    NO_BASELINE = "no_baseline"  # nothing observed before this window yet


@frozen
class SpikeConfig:
    """Detector parameters; the defaults suit a bank's negative mentions (docs/monitoring.md)."""

    window: timedelta = timedelta(minutes=60)
    baseline: timedelta = timedelta(days=7)
    sensitivity: float = 3.0
    min_count: int = 10
    cooldown: timedelta = timedelta(hours=2)

    def __attrs_post_init__(self) -> None:
        if self.window <= timedelta(0):
            _bad("window", self.window, "a duration above zero")
        if self.baseline < self.window:
            _bad("baseline", self.baseline, f"at least the window ({self.window})")
        if not math.isfinite(self.sensitivity) or self.sensitivity < 0:
            _bad("sensitivity", self.sensitivity, "a number of 0 or more")
        if self.min_count < 1:
            _bad("min_count", self.min_count, "a whole number of 1 or more")
        if self.cooldown < timedelta(0):
            _bad("cooldown", self.cooldown, "a duration of 0 or more")

    @property
    def baseline_windows(self) -> int:
        return self.baseline // self.window


def _bad(name: str, value: object, expected: str) -> None:
    raise InvalidInputError("error.spike_config", name=name, value=str(value), expected=expected)


@frozen
class SpikeAlert:
    """One spike: the window, its count, the baseline it was judged against, and why."""

    window_start: datetime
    window_end: datetime
    count: int
    baseline_mean: float
    baseline_stdev: float
    baseline_windows: int
    threshold: float
    reasons: tuple[SpikeReason, ...]


class SpikeDetector:
    """Incremental detector: feed observations in time order, collect alerts as they come.

    Keeps only the observations the baseline still needs (window + baseline back).
    """

    def __init__(self, config: SpikeConfig | None = None,
                 monitoring_since: datetime | None = None) -> None:
        self.config = config or SpikeConfig()
        self._since = _utc(monitoring_since) if monitoring_since is not None else None
        self._times: list[datetime] = []
        self._first = 0
        self._last: datetime | None = None
        self._quiet_until: datetime | None = None

    def observe(self, at: datetime) -> SpikeAlert | None:
        """Record one negative interaction at `at`; return the alert it triggers, if any."""
        instant = _utc(at)
        if self._last is not None and instant < self._last:
            raise InvalidInputError("error.observation_order", at=at.isoformat(),
                                    previous=self._last.isoformat())
        self._last = instant
        if self._since is None:
            self._since = instant
        self._times.append(instant)
        self._forget_before(instant - self.config.window * (self.config.baseline_windows + 1))
        times = self._times
        count = len(times) - bisect_right(times, instant - self.config.window, lo=self._first)
        if self._quiet_until is not None and instant < self._quiet_until:
            return None
        alert = _judge(at, count, times, self._first, self._since, self.config)
        if alert is not None:
            self._quiet_until = instant + self.config.cooldown
        return alert

    def observe_many(self, times: Iterable[datetime]) -> tuple[SpikeAlert, ...]:
        """Record several observations in time order; return the alerts they trigger."""
        alerts = (self.observe(at) for at in times)
        return tuple(alert for alert in alerts if alert is not None)

    def _forget_before(self, horizon: datetime) -> None:
        self._first = bisect_right(self._times, horizon, lo=self._first)
        if self._first > 1024 and self._first * 2 > len(self._times):
            del self._times[: self._first]
            self._first = 0


def detect_spikes(times: Iterable[datetime], config: SpikeConfig | None = None,
                  monitoring_since: datetime | None = None) -> tuple[SpikeAlert, ...]:
    """All alerts over a batch of observations, in any order (equal to feeding them sorted)."""
    config = config or SpikeConfig()
    ordered = sorted(times, key=_utc)
    instants = [_utc(at) for at in ordered]
    if not instants:
        return ()
    since = _utc(monitoring_since) if monitoring_since is not None else instants[0]
    alerts: list[SpikeAlert] = []
    quiet_until: datetime | None = None
    for index, (at, instant) in enumerate(zip(ordered, instants, strict=True)):
        # Only what was known when this observation arrived: indexes up to `index`.
        count = index + 1 - bisect_right(instants, instant - config.window, hi=index + 1)
        if quiet_until is not None and instant < quiet_until:
            continue
        # Later observations are never inside a baseline window (those end before `at`).
        alert = _judge(at, count, instants, 0, since, config)
        if alert is not None:
            alerts.append(alert)
            quiet_until = instant + config.cooldown
    return tuple(alerts)


def _judge(at: datetime, count: int, times: list[datetime], first: int, since: datetime,
           config: SpikeConfig) -> SpikeAlert | None:
    """The alert for the window ending at `at`, if its count clears the threshold."""
    if count < config.min_count:
        return None  # the threshold is never below min_count: skip the baseline work
    instant = _utc(at)
    window = config.window
    available = (instant - since) // window - 1
    windows = max(0, min(config.baseline_windows, available))
    counts = []
    for k in range(1, windows + 1):
        low = bisect_right(times, instant - (k + 1) * window, lo=first)
        high = bisect_right(times, instant - k * window, lo=first)
        counts.append(high - low)
    mean, stdev = _mean_stdev(counts)
    from_baseline = mean + config.sensitivity * stdev
    threshold = max(float(config.min_count), from_baseline)
    if count < threshold:
        return None
    reasons = [SpikeReason.ABOVE_BASELINE if from_baseline >= config.min_count
               else SpikeReason.ABOVE_MIN_COUNT]
    if windows == 0:
        reasons.append(SpikeReason.NO_BASELINE)
    elif windows < config.baseline_windows:
        reasons.append(SpikeReason.PARTIAL_BASELINE)
    start = (instant - window).astimezone(at.tzinfo)
    return SpikeAlert(start, at, count, mean, stdev, windows, threshold, tuple(reasons))


def _mean_stdev(counts: list[int]) -> tuple[float, float]:
    """Mean and population stdev from exact integer sums, so every path gets equal floats."""
    if not counts:
        return 0.0, 0.0
    n, total = len(counts), sum(counts)
    squares = sum(c * c for c in counts)
    return total / n, math.sqrt(n * squares - total * total) / n


def _utc(at: datetime) -> datetime:
    return require_aware(at).astimezone(UTC)
