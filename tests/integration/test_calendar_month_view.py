"""The console calendar's SQL (`calendar.month_view`) answers what the calendar's Python rules
answer over the whole month (`month_entries`, `clashes`, `cadence_gaps`), on SQLite and
PostgreSQL: the first posts of each day and the day's count, the clashes of the posts shown
(all of the month's when every post is shown), the counted posts per platform and day, with
an agency's campaigns only, posts exactly two hours apart (no clash), a microsecond closer
(a clash), missed planned posts, and days in a zone with a daylight-saving change."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from socmed_adapters.calendar.month import (
    clashes,
    counted_posts_per_day,
    month_entries,
)
from socmed_adapters.calendar.month_view import counted_per_day, shown_posts
from socmed_domain.months import Month
from socmed_domain.timezones import WIB

STATES = ("planned", "scheduled", "published", "failed", "expired", "withdrawn", "unknown")
PLATFORMS = ("instagram", "facebook", "x", "linkedin", "tiktok")
CAMPAIGNS = ("c-1", "c-2", None)


def _rows(seed: int, month: Month) -> list[dict[str, object]]:
    rng = random.Random(seed)
    start = datetime(month.year, month.month, 1, tzinfo=UTC) - timedelta(days=1)
    rows = []
    for n in range(400):
        at = start + timedelta(minutes=rng.randrange(0, 33 * 24 * 60, 15))
        platform = rng.choice(PLATFORMS)
        if n % 7 == 0 and rows:  # exactly two hours after an earlier post, or just under
            earlier = rows[rng.randrange(len(rows))]
            at = earlier["at"] + timedelta(hours=2) - timedelta(microseconds=rng.choice((0, 1)))
            platform = earlier["platform"]
        rows.append({"item_id": f"{n:08d}-item", "platform": platform, "at": at,
                     "state": rng.choice(STATES), "title": f"Pos {n}",
                     "campaign_id": rng.choice(CAMPAIGNS), "url": "", "version": 1})
    unique = {(r["item_id"], r["platform"]): r for r in rows}
    return list(unique.values())


@pytest.mark.parametrize(("zone", "month"), [(WIB, Month(2026, 12)),
                                             (ZoneInfo("America/New_York"), Month(2026, 3))])
def test_the_sql_view_matches_the_rules_over_the_whole_month(backend, zone, month) -> None:  # type: ignore[no-untyped-def]
    services = backend.services()
    projector = services.projector
    projector.catch_up()
    posts, campaigns = projector.table("calendar_posts"), projector.table("calendar_campaigns")
    engine = projector.engine
    with engine.begin() as conn:
        conn.execute(campaigns.insert(), [
            {"campaign_id": c, "name": f"Kampanye {c}", "status": "running",
             "special": c == "c-2", "start": datetime(2026, 1, 1, tzinfo=UTC),
             "end": datetime(2027, 1, 1, tzinfo=UTC)} for c in CAMPAIGNS if c])
        conn.execute(posts.insert(), _rows(month.month, month))
    now = datetime(month.year, month.month, 12, 9, 0, tzinfo=zone)
    days = month.dates()
    for visible in (None, frozenset({"c-2"})):
        everything = [e for e in month_entries(engine, posts, campaigns, month, zone, now=now)
                      if visible is None or e.campaign_id in visible]
        found = clashes(everything)
        assert found
        if visible is None:
            assert any(f.params["minutes"] == 119 for f in found)
        expected: dict[object, list[object]] = {}
        for entry in everything:
            expected.setdefault(entry.at.astimezone(zone).date(), []).append(entry)
        for per_day, skip in ((3, 0), (2, 3), (1000, 0)):
            answer = shown_posts(engine, posts, campaigns, days, zone, per_day, skip,
                                 visible, now)
            assert {d: v.total for d, v in answer.days.items()} == {
                d: len(v) for d, v in expected.items() if len(v) > skip}
            for day, view in answer.days.items():
                assert list(view.entries) == expected[day][skip:skip + per_day]
            shown = {(e.platform, e.at.isoformat(), e.item_id[:8])
                     for v in answer.days.values() for e in v.entries}
            assert list(answer.clashes) == [
                f for f in found if (f.platform, f.period, f.params["second_id"]) in shown]
            if per_day == 1000:
                assert list(answer.clashes) == found
        assert counted_per_day(engine, posts, days, zone, visible, now) == dict(
            counted_posts_per_day(everything, zone))
