"""The Daily Interaction Report (SOP stage 4 'Laporan Interaksi Harian'), from the inbox read
model: volumes, sentiment, response times, SLA breaches and feedback themes of one local day.

Only non-personal columns are read: the report never opens the vault.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, tzinfo
from statistics import median
from typing import Any

from attrs import frozen
from sqlalchemy import and_, or_, select


@frozen
class DailyReport:
    day: date
    zone: str
    messages: int
    by_platform: dict[str, int]
    by_kind: dict[str, int]
    by_sentiment: dict[str, int]
    conversations_opened: int
    replied: int
    response_median_minutes: float | None
    response_max_minutes: float | None
    breaches: dict[str, int]
    breaches_by_platform: dict[str, int]
    themes: dict[str, int]
    topics: dict[str, int]
    alerts: tuple[str, ...]

    def rows(self) -> list[dict[str, Any]]:
        """(section, item, value) rows for the table, JSON and CSV outputs."""
        rows = [{"section": "volume", "item": "messages", "value": self.messages},
                {"section": "volume", "item": "conversations_opened",
                 "value": self.conversations_opened}]
        for section, counts in (("platform", self.by_platform), ("kind", self.by_kind),
                                ("sentiment", self.by_sentiment),
                                ("sla_breach", self.breaches),
                                ("sla_breach_platform", self.breaches_by_platform),
                                ("feedback_theme", self.themes), ("watchlist", self.topics)):
            rows += [{"section": section, "item": k, "value": v}
                     for k, v in sorted(counts.items())]
        rows += [{"section": "response", "item": "replied", "value": self.replied},
                 {"section": "response", "item": "median_minutes",
                  "value": self.response_median_minutes},
                 {"section": "response", "item": "max_minutes",
                  "value": self.response_max_minutes}]
        rows += [{"section": "alert", "item": a, "value": 1} for a in self.alerts]
        return rows


def daily_report(services: Any, day: date, zone: tzinfo) -> DailyReport:
    projector = services.projector
    projector.catch_up(["inbox"])
    tables = projector.projections["inbox"].tables
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = start + timedelta(days=1)
    messages, conversations = tables["inbox_messages"], tables["inbox_conversations"]
    breaches, alerts = tables["inbox_breaches"], tables["inbox_alerts"]
    with projector.engine.connect() as conn:
        message_rows = conn.execute(select(
            messages.c.platform, messages.c.kind, messages.c.sentiment, messages.c.topics)
            .where(and_(messages.c.received_at >= start, messages.c.received_at < end))).all()
        opened = conn.execute(select(
            conversations.c.first_received_at, conversations.c.first_replied_at,
            conversations.c.tags)
            .where(and_(conversations.c.first_received_at >= start,
                        conversations.c.first_received_at < end))).all()
        active_tags = conn.execute(select(conversations.c.tags).where(or_(
            and_(conversations.c.last_received_at >= start,
                 conversations.c.last_received_at < end),
            and_(conversations.c.first_received_at >= start,
                 conversations.c.first_received_at < end)))).all()
        breach_rows = conn.execute(select(breaches.c.clock, breaches.c.platform).where(
            and_(breaches.c.flagged_at >= start, breaches.c.flagged_at < end))).all()
        alert_ids = conn.execute(select(alerts.c.alert_id).where(and_(
            alerts.c.window_end >= start, alerts.c.window_end < end))
            .order_by(alerts.c.window_end)).all()
    waits = [(r[1] - r[0]).total_seconds() / 60 for r in opened if r[1] is not None]
    themes: Counter[str] = Counter(t for (tags,) in active_tags for t in tags.split(",") if t)
    topics: Counter[str] = Counter(t for r in message_rows for t in r[3].split(",") if t)
    return DailyReport(
        day=day, zone=str(zone), messages=len(message_rows),
        by_platform=dict(Counter(r[0] for r in message_rows)),
        by_kind=dict(Counter(r[1] for r in message_rows)),
        by_sentiment=dict(Counter(r[2] for r in message_rows)),
        conversations_opened=len(opened), replied=len(waits),
        response_median_minutes=round(median(waits), 1) if waits else None,
        response_max_minutes=round(max(waits), 1) if waits else None,
        breaches=dict(Counter(r[0] for r in breach_rows)),
        breaches_by_platform=dict(Counter(r[1] for r in breach_rows)),
        themes=dict(themes), topics=dict(topics), alerts=tuple(r[0] for r in alert_ids))
