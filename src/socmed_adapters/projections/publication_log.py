"""The Content Publication Log of SOP stage 3 ('Log Publikasi Konten').

Every published post with platform, URL, time, the approver and approved revision hash, and
who published it: the record Legal and the Marketing Manager archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.production.content_item import ContentItem


class PublicationLog(SqlProjection):
    name = "publication_log"
    partitionable = True  # every row comes from one aggregate's events
    version = 2

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        return [Table(
            "publication_log", metadata,
            Column("item_id", String(36), primary_key=True),
            Column("platform", String(16), primary_key=True),
            Column("published_at", UtcDateTime, nullable=False),
            Column("title", Text, nullable=False),
            Column("post_id", String(200), nullable=False),
            Column("url", Text, nullable=False),
            Column("approved_by", String(64), nullable=False),
            Column("approved_at", UtcDateTime, nullable=True),
            Column("revision", Integer, nullable=False),
            Column("revision_sha256", String(64), nullable=False),
            Column("body_sha256", String(64), nullable=False),
            Column("published_by", String(64), nullable=False),
            Column("position", Integer, nullable=False),
            Index("ix_publication_log_published_at", "published_at", "platform"),
        )]

    needs_aggregate = True

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        item = aggregate
        if not isinstance(event, ContentItem.Published | ContentItem.PublicationReconciled):
            return
        receipt = event.receipt
        if receipt is None:  # reconciled as 'not published'
            return
        publication = item.publications[event.platform]
        approval = item.approval
        revision = next((r for r in item.revisions
                         if r.sha256 == publication.revision_sha256), None)
        writer.upsert(self.tables["publication_log"], (str(item.id), event.platform.value), {
            "item_id": str(item.id),
            "platform": event.platform.value,
            "published_at": receipt.published_at,
            "title": item.title,
            "post_id": receipt.post_id,
            "url": receipt.url,
            "approved_by": approval.approver_id if approval else "",
            "approved_at": approval.approved_at if approval else None,
            "revision": revision.number if revision else 0,
            "revision_sha256": publication.revision_sha256,
            "body_sha256": publication.body_sha256,
            "published_by": event.actor.member_id,
            "position": position,
        })
