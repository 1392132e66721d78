"""When to post (SOP stage 3, 'jam tayang terbaik'): slots of the week ranked by the engagement
recorded per hour of the week, with documented defaults before there is enough data.

Default hours are local hours in the audience's zone (WIB by default), best first. They follow
published studies of Indonesian audiences (evening for Instagram and TikTok, office hours for
LinkedIn, lunch and evening for Facebook and X). Once a (weekday, hour) cell has at least
`MIN_POSTS` posts with metrics, its average engagement rate ranks it; cells without enough
data fall back to the defaults, so a suggestion always says which it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from attrs import frozen

from socmed_domain.platforms import Platform

DEFAULT_PRIME_HOURS: dict[Platform, tuple[int, ...]] = {
    Platform.INSTAGRAM: (19, 12, 21),
    Platform.FACEBOOK: (12, 19, 9),
    Platform.LINKEDIN: (8, 12, 17),
    Platform.TIKTOK: (20, 18, 12),
    Platform.X: (12, 8, 19),
}
#: Days the defaults prefer, best first (0 = Monday): weekdays for LinkedIn, the rest spread.
DEFAULT_PRIME_DAYS: dict[Platform, tuple[int, ...]] = {
    Platform.INSTAGRAM: (2, 4, 6, 0, 1, 3, 5),
    Platform.FACEBOOK: (2, 3, 4, 0, 1, 5, 6),
    Platform.LINKEDIN: (1, 2, 3, 0, 4),
    Platform.TIKTOK: (1, 3, 5, 6, 0, 2, 4),
    Platform.X: (0, 1, 2, 3, 4, 5, 6),
}
MIN_POSTS = 2
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@frozen
class Observation:
    """One published post: when it went out (local time) and its engagement rate (%)."""

    at: datetime
    engagement_rate_pct: Decimal


@frozen
class SlotSuggestion:
    weekday: int  # 0 = Monday
    hour: int
    source: str  # "engagement" | "default"
    posts: int = 0
    average_rate_pct: Decimal | None = None

    @property
    def day(self) -> str:
        return DAY_NAMES[self.weekday]


def suggest_slots(platform: Platform, observations: Iterable[Observation], count: int = 5,
                  hours: tuple[int, int] | None = None) -> tuple[SlotSuggestion, ...]:
    """The `count` best (weekday, hour) slots; `hours` = (from, to) keeps the audience's
    active hours (to exclusive, may wrap past midnight)."""
    cells: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for observation in observations:
        cells[(observation.at.weekday(), observation.at.hour)].append(
            observation.engagement_rate_pct)
    ranked = sorted(
        (SlotSuggestion(day, hour, "engagement", len(rates), _mean(rates))
         for (day, hour), rates in cells.items()
         if len(rates) >= MIN_POSTS and _within(hour, hours)),
        key=lambda s: (-(s.average_rate_pct or 0), -s.posts, s.weekday, s.hour))
    chosen = ranked[:count]
    taken = {(s.weekday, s.hour) for s in chosen}
    for hour in _default_hours(platform, hours):
        for day in DEFAULT_PRIME_DAYS[platform]:
            if len(chosen) >= count:
                return tuple(chosen)
            if (day, hour) not in taken:
                chosen.append(SlotSuggestion(day, hour, "default"))
                taken.add((day, hour))
    return tuple(chosen)


def _default_hours(platform: Platform, hours: tuple[int, int] | None) -> list[int]:
    defaults = [h for h in DEFAULT_PRIME_HOURS[platform] if _within(h, hours)]
    if defaults or hours is None:
        return defaults
    start, end = hours
    return [(start + n) % 24 for n in range(((end - start) % 24) or 24)][:3]


def _within(hour: int, hours: tuple[int, int] | None) -> bool:
    if hours is None:
        return True
    start, end = hours
    return start <= hour < end if start < end else (hour >= start or hour < end)


def _mean(rates: list[Decimal]) -> Decimal:
    return (sum(rates, Decimal(0)) / len(rates)).quantize(Decimal("0.01"), ROUND_HALF_UP)
