"""The domain's ReportSource port answered from the SQL read models (post_metrics,
content_calendar and the inbox), caught up to the newest event first so a report sees every recorded
snapshot. Dropping and rebuilding those projections gives the same answers: they hold nothing
the events do not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from socmed_adapters.projections.post_metrics import latest_values
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.report_model import PlannedPost, PublishedPost
from socmed_domain.evaluation.responses import ConversationRow
from socmed_domain.monitoring.sla import Priority
from socmed_domain.platforms import Platform

PROJECTIONS = ("post_metrics", "content_calendar", "inbox")


class SqlReportSource:
    def __init__(self, projector: Any, catch_up: bool = True) -> None:
        self.projector = projector
        self.engine = projector.engine
        if catch_up:
            projector.catch_up(list(PROJECTIONS))

    def published_posts(self, start: datetime, end: datetime) -> Sequence[PublishedPost]:
        table = self.projector.table("metric_posts")
        query = select(table).where(table.c.published_at >= start, table.c.published_at < end
                                    ).order_by(table.c.published_at, table.c.platform,
                                               table.c.item_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [PublishedPost(item_id=r["item_id"], platform=Platform(r["platform"]),
                              post_id=r["post_id"], title=r["title"],
                              campaign_id=r["campaign_id"], content_type=r["content_type"],
                              published_at=r["published_at"], url=r["url"]) for r in rows]

    def planned_posts(self, start: datetime, end: datetime) -> Sequence[PlannedPost]:
        table = self.projector.table("calendar_posts")
        query = select(table).where(table.c.at >= start, table.c.at < end).order_by(
            table.c.at, table.c.platform, table.c.item_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [PlannedPost(item_id=r["item_id"], platform=Platform(r["platform"]), at=r["at"],
                            state=r["state"], campaign_id=r["campaign_id"]) for r in rows]

    def latest_values(self, before: datetime) -> Mapping[tuple[Platform, str], MetricValues]:
        return latest_values(self.engine, self.projector.table("metric_snapshots"), before)

    def conversations(self, start: datetime, end: datetime) -> Sequence[ConversationRow]:
        table = self.projector.table("inbox_conversations")
        query = select(table.c.platform, table.c.priority, table.c.first_received_at,
                       table.c.first_replied_at, table.c.closed_at).where(
            table.c.first_received_at >= start, table.c.first_received_at < end).order_by(
            table.c.first_received_at, table.c.conversation_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [ConversationRow(Platform(r["platform"]), Priority(r["priority"]),
                                r["first_received_at"], r["first_replied_at"], r["closed_at"])
                for r in rows]
