"""The month view of the content calendar, and its checks: cadence gaps and clashes.

Rows come from the `content_calendar` projection; days are local days in the reader's zone
(WIB by default). A post counts towards cadence unless it ended without going out (expired,
withdrawn, archived unpublished, failed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Any

from attrs import frozen
from sqlalchemy import Engine, Table, select

from socmed_domain.months import Month
from socmed_domain.planning.cadence import NOT_COUNTED as CADENCE_NOT_COUNTED
from socmed_domain.planning.cadence import owed_days, shown_state
from socmed_domain.planning.cadence import week_target as owed_target
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.platforms import Platform

#: States of a post that did not or will not go out (and planned posts missed): no slot.
NOT_COUNTED = CADENCE_NOT_COUNTED
DEFAULT_CLASH_INTERVAL = timedelta(hours=2)


@frozen
class CalendarEntry:
    """One post on the calendar."""

    at: datetime
    platform: str
    title: str
    state: str
    item_id: str
    campaign_id: str | None
    campaign: str
    special: bool
    url: str

    @property
    def counted(self) -> bool:
        return self.state not in NOT_COUNTED


@frozen
class CalendarFinding:
    """A cadence gap or a clash, with the numbers behind it."""

    kind: str  # gap | clash
    platform: str
    period: str  # ISO week ('2026-W50') or a day
    count: int
    target: int
    code: str  # the detail's message code in the one catalogue (calendar.*)
    params: dict[str, Any]

    @property
    def detail(self) -> str:
        """The detail in English (json and csv); a table renders `code` in the reader's
        language."""
        from socmed_domain.i18n import render

        return render(self.code, "en", **self.params)


def month_entries(engine: Engine, posts: Table, campaigns: Table, month: Month,
                  zone: tzinfo, platform: str | None = None, campaign_id: str | None = None,
                  now: datetime | None = None) -> list[CalendarEntry]:
    """The month's posts in time order, with their campaign's name and mark; as of `now`,
    a planned post whose time has passed is 'missed'."""
    start, end = month.bounds(zone)
    query = (select(posts, campaigns.c.name, campaigns.c.special)
             .select_from(posts.outerjoin(
                 campaigns, posts.c.campaign_id == campaigns.c.campaign_id))
             .where(posts.c.at >= start, posts.c.at < end)
             .order_by(posts.c.at, posts.c.platform, posts.c.item_id))
    if platform:
        query = query.where(posts.c.platform == platform)
    if campaign_id:
        query = query.where(posts.c.campaign_id == campaign_id)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [CalendarEntry(at=r["at"], platform=r["platform"], title=r["title"],
                          state=shown_state(r["state"], r["at"], now),
                          item_id=r["item_id"],
                          campaign_id=r["campaign_id"], campaign=r["name"] or "",
                          special=bool(r["special"]), url=r["url"]) for r in rows]


def iso_weeks(month: Month) -> list[tuple[str, list[date]]]:
    """The ISO weeks touching the month, each with its days inside the month."""
    weeks: dict[str, list[date]] = defaultdict(list)
    for day in month.dates():
        year, week, _ = day.isocalendar()
        weeks[f"{year}-W{week:02d}"].append(day)
    return list(weeks.items())


def week_target(posts_per_week: int, days_in_month: int) -> int:
    """A partial week at the month's edge owes its share of the weekly cadence, rounded
    down (4.3 posts owed -> 4): a gap is only reported when it is certain."""
    return owed_target(posts_per_week, days_in_month)


def counted_posts_per_day(entries: Iterable[CalendarEntry], zone: tzinfo
                          ) -> dict[tuple[str, date], int]:
    """{(platform, local day): posts that fill a slot}."""
    per_day: dict[tuple[str, date], int] = defaultdict(int)
    for entry in entries:
        if entry.counted:
            per_day[(entry.platform, entry.at.astimezone(zone).date())] += 1
    return per_day


def cadence_gaps(entries: Iterable[CalendarEntry], plan: StrategyPlan, month: Month,
                 zone: tzinfo, since: date | None = None) -> list[CalendarFinding]:
    """Weeks where a platform has fewer posts than the strategy's cadence asks, and, for a
    platform with a daily cadence (7 or more a week), days with none; only the days from
    `since` (the store's or the campaign's start) owe anything."""
    return gaps_from_counts(counted_posts_per_day(entries, zone), plan, month, since)


def gaps_from_counts(counts: Mapping[tuple[str, date], int], plan: StrategyPlan,
                     month: Month, since: date | None = None) -> list[CalendarFinding]:
    """`cadence_gaps` from the counted posts per (platform, local day) alone (the console
    counts them in SQL)."""
    def posts(platform: str, day: date) -> int:
        return counts.get((platform, day), 0)

    findings = []
    for choice in plan.platforms:
        name = choice.platform.value
        for week, all_days in iso_weeks(month):
            days = owed_days(all_days, since)
            if not days:
                continue
            count = sum(posts(name, day) for day in days)
            target = week_target(choice.posts_per_week, len(days))
            if count < target:
                findings.append(CalendarFinding(
                    "gap", name, week, count, target, "calendar.gap_week",
                    {"count": count, "target": target, "cadence": choice.posts_per_week,
                     "days": len(days), "month": str(month)}))
        if choice.posts_per_week >= 7:
            daily = choice.posts_per_week // 7
            for day in owed_days(month.dates(), since):
                count = posts(name, day)
                if count < daily:
                    findings.append(CalendarFinding(
                        "gap", name, day.isoformat(), count, daily, "calendar.gap_day",
                        {"count": count, "target": daily,
                         "cadence": choice.posts_per_week}))
    return findings


def clashes(entries: Sequence[CalendarEntry],
            interval: timedelta = DEFAULT_CLASH_INTERVAL) -> list[CalendarFinding]:
    """Two counted posts on the same platform less than `interval` apart."""
    by_platform: dict[str, list[CalendarEntry]] = defaultdict(list)
    for entry in entries:
        if entry.counted:
            by_platform[entry.platform].append(entry)
    findings = []
    for platform in sorted(by_platform, key=lambda p: list(Platform).index(Platform(p))):
        posts = sorted(by_platform[platform], key=lambda e: (e.at, e.item_id))
        for earlier, later in pairwise(posts):
            if later.at - earlier.at < interval:
                findings.append(clash_finding(platform, earlier.at, earlier.item_id,
                                              earlier.title, later.at, later.item_id,
                                              later.title, interval))
    return findings


def clash_finding(platform: str, first_at: datetime, first_id: str, first_title: str,
                  at: datetime, item_id: str, title: str,
                  interval: timedelta = DEFAULT_CLASH_INTERVAL) -> CalendarFinding:
    """The finding of a post `at` closer than `interval` after the previous one."""
    minutes = int((at - first_at).total_seconds() // 60)
    return CalendarFinding(
        "clash", platform, at.isoformat(), 2, 1, "calendar.clash",
        {"first": first_title, "first_id": first_id[:8], "second": title,
         "second_id": item_id[:8],
         "minutes": minutes, "keep": int(interval.total_seconds() // 60)})
