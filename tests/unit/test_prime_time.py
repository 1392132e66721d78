"""Prime-time suggestions: recorded engagement ranks the slots it has enough posts for;
documented defaults fill the rest; an audience's active hours bound both."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from socmed_domain.platforms import Platform
from socmed_domain.publication.prime_time import (
    DEFAULT_PRIME_HOURS,
    MIN_POSTS,
    Observation,
    suggest_slots,
)
from socmed_domain.timezones import WIB

MONDAY = datetime(2026, 11, 2, tzinfo=WIB)


def seen(day: int, hour: int, *rates: str) -> list[Observation]:
    at = MONDAY + timedelta(days=day, hours=hour)
    return [Observation(at + timedelta(weeks=n), Decimal(rate)) for n, rate in enumerate(rates)]


def test_defaults_before_any_data() -> None:
    slots = suggest_slots(Platform.LINKEDIN, [], count=3)
    assert [(s.day, s.hour, s.source) for s in slots] == [
        ("Tuesday", 8, "default"), ("Wednesday", 8, "default"), ("Thursday", 8, "default")]


def test_recorded_engagement_ranks_first_and_needs_enough_posts() -> None:
    data = seen(2, 9, "2.0", "4.0") + seen(4, 21, "9.0", "7.0") + seen(0, 7, "50.0")
    slots = suggest_slots(Platform.FACEBOOK, data, count=4)
    assert [(s.day, s.hour, s.source, s.posts, s.average_rate_pct) for s in slots[:2]] == [
        ("Friday", 21, "engagement", 2, Decimal("8.00")),
        ("Wednesday", 9, "engagement", 2, Decimal("3.00"))]
    assert all(s.source == "default" for s in slots[2:])
    assert ("Monday", 7) not in {(s.day, s.hour) for s in slots}  # one post is not enough
    assert MIN_POSTS == 2


def test_audience_hours_bound_data_and_defaults_even_past_midnight() -> None:
    data = seen(4, 21, "9.0", "7.0") + seen(2, 9, "2.0", "4.0")
    evening = suggest_slots(Platform.FACEBOOK, data, count=3, hours=(19, 22))
    assert {s.hour for s in evening} <= {19, 20, 21}
    assert evening[0].hour == 21 and evening[0].source == "engagement"
    night = suggest_slots(Platform.LINKEDIN, [], count=2, hours=(22, 2))
    assert {s.hour for s in night} <= {22, 23, 0, 1}


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 23),
                          st.decimals(0, 100, places=2)), max_size=60),
       st.sampled_from(list(Platform)), st.integers(1, 10))
def test_never_more_than_asked_and_never_twice_the_same_slot(cells, platform, count) -> None:  # type: ignore[no-untyped-def]
    data = [Observation(MONDAY + timedelta(days=d, hours=h), r) for d, h, r in cells]
    slots = suggest_slots(platform, data, count=count)
    assert len(slots) <= count
    assert len({(s.weekday, s.hour) for s in slots}) == len(slots)
    ranked = [s for s in slots if s.source == "engagement"]
    assert slots[:len(ranked)] == tuple(ranked)  # engagement first, then defaults
    rates = [s.average_rate_pct for s in ranked]
    assert rates == sorted(rates, reverse=True)
    assert all(s.hour in DEFAULT_PRIME_HOURS[platform] for s in slots if s.source == "default")
