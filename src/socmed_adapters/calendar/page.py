"""What the console's calendar shows for a month, a week or a day, from the calendar read
model: the first posts of each day with the day's count and the clashes of the posts shown
(one query), the campaigns running then (one query), the holidays and commercial dates, and
the month's cadence gaps (from the counted posts per platform and day, one query) against the
strategy in force: the same rules as `socmed calendar show` and `socmed calendar check`, asked
of the database for what the page shows (`month_view`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from typing import Any

from attrs import frozen
from sqlalchemy import select

from socmed_adapters.calendar.month import CalendarFinding
from socmed_adapters.calendar.month_view import DayPosts
from socmed_adapters.calendar.observances import Observance
from socmed_domain.access.rules import Readable
from socmed_domain.identity.principal import ActorRef
from socmed_domain.months import Month


@frozen
class CampaignBand:
    campaign_id: str
    name: str
    status: str
    special: bool
    start: Any
    end: Any


@frozen
class CalendarPage:
    days: dict[date, DayPosts]
    campaigns: tuple[CampaignBand, ...]
    observances: tuple[Observance, ...]
    #: The month's cadence gaps, then the clashes of the posts shown.
    findings: tuple[CalendarFinding, ...]


def calendar_page(services: Any, principal: ActorRef, month: Month, zone: tzinfo,
                  days: Sequence[date], per_day: int, skip: int = 0) -> CalendarPage:
    """`days` as `principal` may see them (an agency: its campaigns only), each with posts
    `skip+1`..`skip+per_day`; the cadence gaps are those of `month`."""
    from socmed_adapters.calendar.month import gaps_from_counts
    from socmed_adapters.calendar.month_view import (
        counted_per_day,
        day_bounds,
        shown_posts,
    )
    from socmed_adapters.calendar.observances import observances

    models = services.read_models
    models.reader(principal, Readable.CALENDAR)
    visible = services.app.content.visible_campaigns(principal)
    now = services.app.clock()
    engine = models.engine
    posts = models.projector.table("calendar_posts")
    shown = shown_posts(engine, posts, models.projector.table("calendar_campaigns"), days,
                         zone, per_day, skip, visible, now)
    first, last = min(days), max(days)
    table = models.projector.table("calendar_campaigns")
    start, end = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
    query = (select(table).where(table.c.start < end, table.c.end >= start)
             .order_by(table.c.start, table.c.campaign_id))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    bands = tuple(CampaignBand(r["campaign_id"], r["name"], r["status"], bool(r["special"]),
                               r["start"], r["end"]) for r in rows
                  if visible is None or r["campaign_id"] in visible)
    plan = services.app.planning.strategy_in_force()
    began = services.app.planning.cadence_start()
    since = began.astimezone(zone).date() if began is not None else None
    gaps = (gaps_from_counts(counted_per_day(engine, posts, month.dates(), zone, visible, now),
                             plan, month, since) if plan is not None else [])
    marks = tuple(observances(first, last, services.storage.data_dir))
    return CalendarPage(shown.days, bands, marks, tuple(gaps) + shown.clashes)
