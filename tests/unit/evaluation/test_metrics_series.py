"""MetricsSeries: snapshots over time, recorded idempotently (property tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, PermissionDeniedError
from socmed_domain.evaluation.metrics import (
    ACCOUNT,
    METRIC_NAMES,
    MetricSnapshot,
    MetricsSeries,
    MetricValues,
    series_id,
)
from socmed_domain.platforms import Platform
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

ADMIN = Actor("adi", "Adi", Role.SOCIAL_MEDIA_ADMIN)
NOW = datetime(2026, 12, 31, 23, tzinfo=WIB)
START = datetime(2026, 12, 1, tzinfo=WIB)

counts = st.one_of(st.none(), st.integers(0, 10**7))
values = st.builds(MetricValues, **dict.fromkeys(METRIC_NAMES, counts)).filter(
    lambda v: any(x is not None for _, x in v.items()))
moments = st.integers(0, 30 * 24).map(lambda h: START + timedelta(hours=h))
snapshots = st.builds(MetricSnapshot, st.just(Platform.INSTAGRAM), st.just("178"), moments,
                      values)


def new_series() -> MetricsSeries:
    return MetricsSeries.start(ADMIN, Platform.INSTAGRAM, "178", START)


def replay(series: MetricsSeries) -> MetricsSeries:
    events = series.collect_events()
    copy = None
    for event in events:
        copy = event.mutate(copy)
    assert isinstance(copy, MetricsSeries)
    return copy


@settings(max_examples=80, deadline=None)
@given(batch=st.lists(snapshots, max_size=12, unique_by=lambda s: s.measured_at),
       order=st.randoms(use_true_random=False))
def test_recording_the_same_snapshots_again_records_nothing(batch: list[MetricSnapshot],
                                                            order: Any) -> None:
    """In any order, and however often: the second pass over a batch records nothing, and
    every snapshot of the batch is what the series holds for its moment."""
    series = new_series()
    assert all(series.record(ADMIN, s, "csv", NOW) for s in batch)
    recorded = len(series.pending_events)
    again = list(batch)
    order.shuffle(again)
    assert not any(series.record(ADMIN, s, "csv", NOW) for s in again)
    assert len(series.pending_events) == recorded
    assert all(series.snapshots[s.measured_at] == s.values for s in batch)


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(snapshots, min_size=1, max_size=12), probe=moments)
def test_as_of_is_the_latest_snapshot_at_or_before_and_replay_agrees(
        batch: list[MetricSnapshot], probe: datetime) -> None:
    series = new_series()
    for snapshot in batch:
        series.record(ADMIN, snapshot, "api", NOW)
    earlier = [s for s in batch if s.measured_at <= probe]
    latest = max((s.measured_at for s in earlier), default=None)
    if latest is None:
        assert series.as_of(probe) is None
    else:  # the last recorded for that moment wins (a correction)
        assert series.as_of(probe) == [s for s in batch if s.measured_at == latest][-1].values
    assert replay(series).snapshots == series.snapshots


def test_a_repeat_records_nothing_a_new_moment_or_a_correction_records_one() -> None:
    series = new_series()
    first = MetricSnapshot(Platform.INSTAGRAM, "178", START + timedelta(hours=5),
                           MetricValues(reach=10))
    assert series.record(ADMIN, first, "api", NOW)
    assert not series.record(ADMIN, first, "api", NOW)
    # unchanged numbers at a new moment: a fact a back-filled earlier snapshot must not undo
    still = MetricSnapshot(Platform.INSTAGRAM, "178", START + timedelta(hours=9),
                           MetricValues(reach=10))
    assert series.record(ADMIN, still, "api", NOW)
    backfill = MetricSnapshot(Platform.INSTAGRAM, "178", START + timedelta(hours=7),
                              MetricValues(reach=12))
    assert series.record(ADMIN, backfill, "csv", NOW)
    assert series.as_of(START + timedelta(hours=9)) == MetricValues(reach=10)
    corrected = MetricSnapshot(Platform.INSTAGRAM, "178", START + timedelta(hours=5),
                               MetricValues(reach=11))
    assert series.record(ADMIN, corrected, "api", NOW)
    assert series.as_of(START + timedelta(hours=6)) == MetricValues(reach=11)
    assert [type(e).__name__ for e in series.pending_events] == [
        "SeriesStarted", *["MetricsFetched"] * 4]


@pytest.mark.parametrize(("snapshot", "code"), [
    (MetricSnapshot(Platform.INSTAGRAM, "178", NOW + timedelta(hours=1),
                    MetricValues(reach=1)), "error.metric_future"),
    (MetricSnapshot(Platform.INSTAGRAM, "178", START, MetricValues()), "error.metric_empty"),
    (MetricSnapshot(Platform.INSTAGRAM, "178", START, MetricValues(reach=-1)),
     "error.metric_value"),
    (MetricSnapshot(Platform.INSTAGRAM, "1 78", START, MetricValues(reach=1)),
     "error.metric_post_id"),
    (MetricSnapshot(Platform.INSTAGRAM, "178", datetime(2026, 12, 1), MetricValues(reach=1)),
     "error.naive_time"),
    (MetricSnapshot(Platform.X, "178", START, MetricValues(reach=1)), "error.metric_series"),
])
def test_bad_snapshots_are_refused(snapshot: MetricSnapshot, code: str) -> None:
    series = new_series()
    with pytest.raises(InvalidInputError) as raised:
        series.record(ADMIN, snapshot, "csv", NOW)
    assert raised.value.code == code
    assert len(series.pending_events) == 1


def test_only_digital_marketing_and_the_admin_record_metrics() -> None:
    with pytest.raises(PermissionDeniedError):
        MetricsSeries.start(Actor("sari", "Sari", Role.LEGAL), Platform.X, ACCOUNT, START)
    assert series_id(Platform.X, ACCOUNT) != series_id(Platform.X, "1")
    assert series_id(Platform.X, "1") == series_id(Platform.X, "1")
