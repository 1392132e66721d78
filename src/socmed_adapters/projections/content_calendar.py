"""The content calendar (SOP stage 1): one row per (content item, platform) with a date, and the
campaigns the rows belong to.

A row's date is the scheduled slot when there is one, else the planned slot an idea was
pencilled into; its state says where that post stands: planned (not yet approved), scheduled,
published, failed, unknown, expired, withdrawn or archived.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.planning.campaign import Campaign
from socmed_domain.production.content_item import ContentItem, Status
from socmed_domain.publication.outcomes import PublicationState

#: Item statuses at which a dated post is booked for publishing.
_BOOKED = {Status.SCHEDULED, Status.PUBLISHING, Status.PUBLISHED, Status.FAILED}
_ENDED = {Status.EXPIRED: "expired", Status.WITHDRAWN: "withdrawn",
          Status.ARCHIVED: "archived"}
_OUTCOMES = {PublicationState.PUBLISHED: "published", PublicationState.FAILED: "failed",
             PublicationState.UNKNOWN: "unknown"}


def post_state(item: ContentItem, platform: Any) -> str:
    """Where the post of `item` on `platform` stands, as the calendar shows it."""
    publication = item.publications.get(platform)
    if publication is not None and publication.state in _OUTCOMES:
        return _OUTCOMES[publication.state]
    if item.status in _ENDED:
        return _ENDED[item.status]
    if item.slot is not None and item.status in _BOOKED:
        return "scheduled"
    return "planned"


class ContentCalendar(SqlProjection):
    name = "content_calendar"
    partitionable = True  # every row comes from one aggregate's events
    version = 1
    needs_aggregate = True

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        posts = Table(
            "calendar_posts", metadata,
            Column("item_id", String(36), primary_key=True),
            Column("platform", String(16), primary_key=True),
            Column("at", UtcDateTime, nullable=False),
            Column("state", String(16), nullable=False),
            Column("title", Text, nullable=False),
            Column("campaign_id", String(100), nullable=True),
            Column("url", Text, nullable=False),
            Column("version", Integer, nullable=False),
            Index("ix_calendar_posts_at", "at"),
        )
        campaigns = Table(
            "calendar_campaigns", metadata,
            Column("campaign_id", String(36), primary_key=True),
            Column("name", Text, nullable=False),
            Column("status", String(16), nullable=False),
            Column("special", Boolean, nullable=False),
            Column("start", UtcDateTime, nullable=False),
            Column("end", UtcDateTime, nullable=False),
        )
        return [posts, campaigns]

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        if isinstance(event, ContentItem.Event):
            writer.replace_group(self.tables["calendar_posts"], "item_id", str(aggregate.id),
                                 partial(self.post_rows, aggregate))
        elif isinstance(event, Campaign.Event):
            writer.upsert(self.tables["calendar_campaigns"], (str(aggregate.id),),
                          partial(self.campaign_row, aggregate))

    @staticmethod
    def post_rows(item: ContentItem) -> list[dict[str, Any]]:
        slot = item.slot or item.planned_slot
        if slot is None:
            return []
        rows = []
        for platform in slot.platforms:
            publication = item.publications.get(platform)
            receipt = publication.receipt if publication is not None else None
            rows.append({
                "item_id": str(item.id), "platform": platform.value,
                "at": receipt.published_at if receipt is not None else slot.at,
                "state": post_state(item, platform), "title": item.title,
                "campaign_id": item.campaign_id, "url": receipt.url if receipt else "",
                "version": item.version})
        return rows

    @staticmethod
    def campaign_row(campaign: Campaign) -> dict[str, Any]:
        assert campaign.plan is not None
        return {"campaign_id": str(campaign.id), "name": campaign.plan.name,
                "status": campaign.status.value, "special": campaign.plan.special,
                "start": campaign.plan.period.start, "end": campaign.plan.period.end}
