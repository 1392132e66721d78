"""The content status board: one row per content item (SOP stages 2-3 at a glance)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.service import content_summary


class ContentBoard(SqlProjection):
    name = "content_board"
    partitionable = True  # every row comes from one aggregate's events
    version = 2
    topics = ()

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        table = Table(
            "content_board", metadata,
            Column("item_id", String(36), primary_key=True),
            Column("title", Text, nullable=False),
            Column("status", String(32), nullable=False),
            Column("revision", Integer, nullable=False),
            Column("revision_sha256", String(64), nullable=False),
            Column("author_id", String(64), nullable=False),
            Column("approved_by", String(64), nullable=False),
            Column("scheduled_at", UtcDateTime, nullable=True),
            Column("platforms", Text, nullable=False),
            Column("published", Text, nullable=False),
            Column("campaign_id", String(100), nullable=True),
            Column("created_at", UtcDateTime, nullable=False),
            Column("updated_at", UtcDateTime, nullable=False),
            Column("version", Integer, nullable=False),
            Index("ix_content_board_status", "status"),
            Index("ix_content_board_scheduled_at", "scheduled_at"),
            Index("ix_content_board_created", "created_at", "item_id"),
            # a status's queue in creation order, paged by keyset (the approval queue)
            Index("ix_content_board_status_created", "status", "created_at", "item_id"),
            # a member's own items by status (the work queues of the authors)
            Index("ix_content_board_author_status", "author_id", "status"),
        )
        return [table]

    needs_aggregate = True

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        if isinstance(event, ContentItem.Event):
            writer.upsert(self.tables["content_board"], (str(aggregate.id),),
                          partial(self.row, aggregate))

    @staticmethod
    def row(item: ContentItem) -> dict[str, Any]:
        summary = content_summary(item)
        return {
            "item_id": summary.item_id,
            "title": summary.title,
            "status": summary.status,
            "revision": summary.revision,
            "revision_sha256": summary.revision_sha256,
            "author_id": summary.author_id,
            "approved_by": summary.approved_by,
            "scheduled_at": summary.scheduled_at,
            "platforms": ",".join(summary.platforms),
            "published": ",".join(summary.published),
            "campaign_id": summary.campaign_id,
            "created_at": item.created_on,
            "updated_at": summary.updated_at,
            "version": item.version,
        }
