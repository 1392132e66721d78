"""What the console's calendar shows for a month, from the calendar read model: the posts
(one query), the campaigns running in the month (one query), the holidays and commercial
dates, and the cadence gaps and clashes against the strategy in force (the same functions
as `socmed calendar show` and `socmed calendar check`)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from attrs import frozen
from sqlalchemy import select

from socmed_adapters.calendar.month import CalendarEntry, CalendarFinding
from socmed_adapters.calendar.observances import Observance
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
    entries: tuple[CalendarEntry, ...]
    campaigns: tuple[CampaignBand, ...]
    observances: tuple[Observance, ...]
    findings: tuple[CalendarFinding, ...]


def calendar_page(services: Any, principal: ActorRef, month: Month, zone: tzinfo
                  ) -> CalendarPage:
    """The month as `principal` may see it (an agency: its campaigns only)."""
    from socmed_adapters.calendar.month import cadence_gaps, clashes
    from socmed_adapters.calendar.observances import observances

    models = services.read_models
    entries = models.calendar_for(principal, month, zone)
    visible = services.app.content.visible_campaigns(principal)
    table = models.projector.table("calendar_campaigns")
    start, end = month.bounds(zone)
    query = (select(table).where(table.c.start < end, table.c.end >= start)
             .order_by(table.c.start, table.c.campaign_id))
    with models.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    bands = tuple(CampaignBand(r["campaign_id"], r["name"], r["status"], bool(r["special"]),
                               r["start"], r["end"]) for r in rows
                  if visible is None or r["campaign_id"] in visible)
    plan = services.app.planning.strategy_in_force()
    start = services.app.planning.cadence_start()
    since = start.astimezone(zone).date() if start is not None else None
    findings = (tuple(cadence_gaps(entries, plan, month, zone, since)) if plan is not None
                else ())
    findings += tuple(clashes(entries))
    marks = tuple(observances(month.first, month.last, services.storage.data_dir))
    return CalendarPage(tuple(entries), bands, marks, findings)
