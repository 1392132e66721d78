"""Queries over the inbox read model: the domain's `InboxIndex` port and the listings.

Every query catches the inbox projection up first, so a reader sees every interaction stored
before it, by any process (but `projected_negative_times`, for the spike check after an
import, which reads the rest from the log). Rows come back with their personal values still sealed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, select

from socmed_domain.monitoring.sentiment import Polarity


class SqlInboxIndex:
    """The `InboxIndex` port, answered by the inbox tables."""

    def __init__(self, projector: Callable[[], Any]) -> None:
        self._projector = projector  # the read models' Projector, made on first use

    def _tables(self) -> tuple[Any, dict[str, Any]]:
        projector = self._projector()
        projector.catch_up(["inbox"])
        return projector.engine, projector.projections["inbox"].tables

    def conversation_ids_with_prefix(self, prefix: str) -> list[UUID]:
        engine, tables = self._tables()
        table = tables["inbox_conversations"]
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with engine.connect() as conn:
            rows = conn.execute(select(table.c.conversation_id).where(
                table.c.conversation_id.like(f"{escaped}%", escape="\\")).limit(50)).all()
        return [UUID(r[0]) for r in rows]

    def open_conversation_ids(self) -> list[UUID]:
        engine, tables = self._tables()
        table = tables["inbox_conversations"]
        with engine.connect() as conn:
            rows = conn.execute(select(table.c.conversation_id)
                                .where(table.c.status != "closed")
                                .order_by(table.c.first_received_at)).all()
        return [UUID(r[0]) for r in rows]

    def conversation_ids_of_subject(self, key_id: str) -> list[UUID]:
        engine, tables = self._tables()
        table = tables["inbox_conversations"]
        with engine.connect() as conn:
            rows = conn.execute(select(table.c.conversation_id)
                                .where(table.c.subject_key == key_id)).all()
        return [UUID(r[0]) for r in rows]

    def negative_times(self, since: datetime, until: datetime) -> list[datetime]:
        engine, tables = self._tables()
        table = tables["inbox_messages"]
        with engine.connect() as conn:
            rows = conn.execute(select(table.c.received_at).where(and_(
                table.c.sentiment == Polarity.NEGATIVE.value, table.c.received_at >= since,
                table.c.received_at <= until)).order_by(table.c.received_at)).all()
        return [r[0] for r in rows]

    def projected_negative_times(self, since: datetime,
                                 until: datetime) -> tuple[int, list[datetime]]:
        """The negative messages' times in [since, until] that the read model holds up to
        its tracked position, without catching it up (a read model of an older code version
        is rebuilt first). A message row's `position` is its event's: rows another process
        projects meanwhile, past the position read here, are left out, so the caller reads
        the log after it and counts each message once."""
        projector = self._projector()
        status = next(s for s in projector.status() if s.name == "inbox")
        if status.needs_rebuild:
            projector.catch_up(["inbox"])
            status = next(s for s in projector.status() if s.name == "inbox")
        table = projector.projections["inbox"].tables["inbox_messages"]
        with projector.engine.connect() as conn:
            rows = conn.execute(select(table.c.received_at).where(and_(
                table.c.sentiment == Polarity.NEGATIVE.value, table.c.received_at >= since,
                table.c.received_at <= until, table.c.position <= status.position))).all()
        return status.position, [r[0] for r in rows]


def conversation_filters(query: Any, table: Any, *, status: Sequence[str] = (),
                         platform: str | None = None, assignee: str | None = None,
                         priority: str | None = None, sentiment: str | None = None,
                         tag: str | None = None, breaching: bool | None = None) -> Any:
    """The inbox listing's filters on `table`: the live conversations or their history
    (same columns), so `inbox list` and `inbox list --as-of` filter alike."""
    if status:
        query = query.where(table.c.status.in_(list(status)))
    if platform:
        query = query.where(table.c.platform == platform)
    if assignee:
        query = query.where(table.c.assignee == assignee)
    if priority:
        query = query.where(table.c.priority == priority)
    if sentiment:
        query = query.where(table.c.last_sentiment == sentiment)
    if tag:
        query = query.where(("," + table.c.tags + ",").like(f"%,{tag},%"))
    if breaching is not None:
        query = query.where(table.c.breaches != "" if breaching else table.c.breaches == "")
    return query


def list_conversations(services: Any, *, status: Sequence[str] = (), platform: str | None = None,
                       assignee: str | None = None, tag: str | None = None,
                       priority: str | None = None, sentiment: str | None = None,
                       since: datetime | None = None, until: datetime | None = None,
                       breaching: bool | None = None, limit: int = 200
                       ) -> list[dict[str, Any]]:
    """Conversations, newest activity first, filtered; sealed values left sealed."""
    projector = services.projector
    projector.catch_up(["inbox"])
    table = projector.projections["inbox"].tables["inbox_conversations"]
    query = conversation_filters(select(table), table, status=status, platform=platform,
                                 assignee=assignee, priority=priority, sentiment=sentiment,
                                 tag=tag, breaching=breaching)
    if since:
        query = query.where(table.c.last_received_at >= since)
    if until:
        query = query.where(table.c.last_received_at < until)
    query = query.order_by(table.c.last_received_at.desc()).limit(limit)
    with projector.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
