"""Post metrics (SOP stage 5): every metrics snapshot recorded, and every published post with
what the report groups it by (platform, campaign, content format).

`metric_snapshots` keeps one row per (platform, post id or the account, measurement time):
the latest snapshot per post and per account on any day, in any zone, is one query away
(`latest_values`), which is what the monthly report and the dashboard need. A platform's
correction of an already recorded time replaces that row, as it replaces the value in the
aggregate. `metric_posts` joins a platform's post id back to its content item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Engine, Index, MetaData, String, Table, Text, select

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.evaluation.metrics import METRIC_NAMES, MetricsSeries, MetricValues
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem


class PostMetrics(SqlProjection):
    name = "post_metrics"
    partitionable = True  # every row comes from one aggregate's events
    version = 1
    needs_aggregate = True

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        snapshots = Table(
            "metric_snapshots", metadata,
            Column("platform", String(16), primary_key=True),
            Column("post_id", String(200), primary_key=True),  # "" for the account
            Column("measured_at", UtcDateTime, primary_key=True),
            *(Column(name, BigInteger, nullable=True) for name in METRIC_NAMES),
            Column("source", String(100), nullable=False),
            Index("ix_metric_snapshots_measured_at", "measured_at"),
        )
        posts = Table(
            "metric_posts", metadata,
            Column("item_id", String(36), primary_key=True),
            Column("platform", String(16), primary_key=True),
            Column("post_id", String(200), nullable=False),
            Column("published_at", UtcDateTime, nullable=False),
            Column("title", Text, nullable=False),
            Column("campaign_id", String(100), nullable=True),
            Column("content_type", String(16), nullable=False),
            Column("url", Text, nullable=False),
            Index("ix_metric_posts_published_at", "published_at"),
        )
        return [snapshots, posts]

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        if isinstance(event, MetricsSeries.MetricsFetched):
            series = aggregate
            row = {"platform": series.platform.value, "post_id": series.post_id,
                   "measured_at": event.measured_at, "source": event.source,
                   **{name: event.values.get(name) for name in METRIC_NAMES}}
            writer.upsert(self.tables["metric_snapshots"],
                          (series.platform.value, series.post_id, event.measured_at), row)
        elif isinstance(event, ContentItem.Published | ContentItem.PublicationReconciled):
            receipt = event.receipt
            if receipt is None:  # reconciled as 'not published'
                return
            item = aggregate
            publication = item.publications[event.platform]
            revision = next((r for r in item.revisions
                             if r.sha256 == publication.revision_sha256), None)
            content_type = revision.draft.content_type.value if revision else "text"
            writer.upsert(self.tables["metric_posts"], (str(item.id), event.platform.value), {
                "item_id": str(item.id), "platform": event.platform.value,
                "post_id": receipt.post_id, "published_at": receipt.published_at,
                "title": item.title, "campaign_id": item.campaign_id,
                "content_type": content_type, "url": receipt.url})


def latest_values(engine: Engine, table: Table, before: datetime,
                  after: datetime | None = None) -> Mapping[tuple[Platform, str], MetricValues]:
    """The latest snapshot of every series measured before `before` (and, when given, at or
    after `after`), in measurement order so the last row per series wins."""
    query = select(table).where(table.c.measured_at < before)
    if after is not None:
        query = query.where(table.c.measured_at >= after)
    query = query.order_by(table.c.measured_at, table.c.platform, table.c.post_id)
    found: dict[tuple[Platform, str], MetricValues] = {}
    with engine.connect() as conn:
        for row in conn.execute(query).mappings():
            found[(Platform(row["platform"]), row["post_id"])] = MetricValues(
                **{name: row[name] for name in METRIC_NAMES})
    return found
