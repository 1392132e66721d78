"""Listings as they stood at a moment T, from the listing histories (projections/history.py).

T becomes a log position P: the last event recorded at or before T, found in the audit
index by its time (two index seeks). The rows of a listing at P are its history rows with
`valid_from <= P AND (valid_to IS NULL OR valid_to > P)`, queried with the live listing's
filters and order, keyset-paged the same way; nothing is rebuilt per query.

A T later than the clock's now is refused (what stands then is not known yet, and an answer
given now would change later); a T before the first event gives empty listings, as a store
stopped before its first event would (docs/decisions.md, "Listings as of a moment").

`ListingReads` (what `Services.read_models` gives) is `ReadModels` with these queries, so
the CLI and the API reach them where they reach the live ones; a principal of None is the
CLI on its own store (no read check, as its live listings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_

from socmed_adapters.projections.history import PRESENT, VALID_FROM, VALID_TO
from socmed_adapters.queries import (
    ReadModels,
    content_filters,
    content_summary,
    conversation_page_row,
)
from socmed_domain.errors import InvalidInputError

#: The projections an as-of listing reads (the audit index maps T to a position).
AS_OF_PROJECTIONS = ("audit_index", "content_board_history", "calendar_history",
                     "publication_log_history", "inbox_history", "incidents_history",
                     "campaigns_history")
HISTORY_COLUMNS = (VALID_FROM, VALID_TO, PRESENT)


def valid_at(table: Any, position: int) -> ColumnElement[bool]:
    """The rows of a history table that stood at `position`."""
    return and_(table.c[VALID_FROM] <= position,
                or_(table.c[VALID_TO].is_(None), table.c[VALID_TO] > position),
                table.c[PRESENT].is_(True))


def live_row(row: Any) -> dict[str, Any]:
    """A history row as the live read model's row (without its validity)."""
    return {k: v for k, v in dict(row).items() if k not in HISTORY_COLUMNS}


class AsOfQueries:
    """The as-of listings; mixed into `ReadModels` (which gives `app`, `projector`,
    `engine` and `reader`) as `ListingReads`."""

    app: Any
    projector: Any
    engine: Any
    reader: Callable[[Any, Any], Any]

    # ------------------------------------------------------------------ T -> P

    def position_at(self, moment: datetime) -> int:
        """The log position of the last event recorded at or before `moment` (0 before
        the first); a moment after now is refused."""
        now = self.app.clock()
        if moment > now:
            raise InvalidInputError(
                "error.as_of_future", value=moment.isoformat(sep=" ", timespec="seconds"),
                now=now.astimezone(moment.tzinfo).isoformat(sep=" ", timespec="seconds"))
        self.projector.catch_up(list(AS_OF_PROJECTIONS))
        audit = self.projector.table("audit_index")
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(audit.c.at)).where(
                audit.c.at <= moment)).scalar()
            if last is None:
                return 0
            return int(conn.execute(select(func.max(audit.c.position)).where(
                audit.c.at == last)).scalar_one())

    def _history(self, live: str) -> Any:
        return self.projector.table(f"{live}_history")

    # ---------------------------------------------------------------- content

    def content_list_as_of(self, moment: datetime, status: str | None = None,
                           platform: str | None = None, limit: int | None = None,
                           after: tuple[datetime, str] | None = None,
                           campaign_ids: frozenset[str] | None = None) -> list[Any]:
        """`content_list` as it stood at `moment`: creation order, keyset-paged.

        The order's own column bounds the scan: an item created after `moment` did not
        stand then (its creation is the event that made it, and `moment` becomes the
        position of the last event recorded at or before it), so the index range ends at
        `created_at <= moment` instead of running over every later version when nothing
        after the cursor stood at the moment (a cursor from another moment, a filter few
        rows matched then)."""
        position = self.position_at(moment)
        table = self._history("content_board")
        query = content_filters(
            select(table).where(valid_at(table, position), table.c.created_at <= moment),
            table, after=after, status=status, platform=platform, campaign_ids=campaign_ids)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [content_summary(r) for r in rows]

    def content_page_as_of(self, principal: Any, moment: datetime,
                           status: str | None = None, platform: str | None = None,
                           limit: int = 50, after: tuple[datetime, str] | None = None
                           ) -> list[Any]:
        """As `content_page`: what `principal` may see today, as it stood at `moment`."""
        visible = self.app.content.visible_campaigns(principal)
        return self.content_list_as_of(moment, status, platform, limit=limit, after=after,
                                       campaign_ids=visible)

    # --------------------------------------------------------------- calendar

    def calendar_month_as_of(self, moment: datetime, month: Any, zone: tzinfo,
                             platform: str | None = None, campaign_id: str | None = None
                             ) -> list[Any]:
        """The calendar month as it stood at `moment` (a planned post already past then
        shows as missed, as the live calendar does at its now)."""
        from socmed_adapters.calendar.month import month_entries

        position = self.position_at(moment)
        posts = self._history("calendar_posts")
        campaigns = self._history("campaigns")
        posts_then = select(posts).where(valid_at(posts, position)).subquery("posts")
        campaigns_then = select(campaigns).where(
            valid_at(campaigns, position)).subquery("campaigns")
        return month_entries(self.engine, posts_then, campaigns_then, month, zone,  # type: ignore[arg-type]
                             platform, campaign_id, now=moment)

    def calendar_for_as_of(self, principal: Any, moment: datetime, month: Any, zone: tzinfo,
                           platform: str | None = None, campaign_id: str | None = None
                           ) -> list[Any]:
        from socmed_domain.access.rules import Readable

        self.reader(principal, Readable.CALENDAR)
        visible = self.app.content.visible_campaigns(principal)
        entries = self.calendar_month_as_of(moment, month, zone, platform, campaign_id)
        return entries if visible is None else [e for e in entries
                                                if e.campaign_id in visible]

    # -------------------------------------------------------- publication log

    def publication_log_as_of(self, moment: datetime, since: datetime | None = None,
                              until: datetime | None = None, platform: str | None = None,
                              limit: int | None = None,
                              after: tuple[datetime, str] | None = None
                              ) -> list[dict[str, Any]]:
        position = self.position_at(moment)
        table = self._history("publication_log")
        query = (select(table).where(valid_at(table, position))
                 .order_by(table.c.published_at, table.c.platform))
        if after is not None:
            query = query.where(tuple_(table.c.published_at, table.c.platform) > after)
        if since is not None:
            query = query.where(table.c.published_at >= since)
        if until is not None:
            query = query.where(table.c.published_at < until)
        if platform:
            query = query.where(table.c.platform == platform)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [live_row(r) for r in conn.execute(query).mappings().all()]

    def publication_page_as_of(self, principal: Any, moment: datetime, *,
                               since: datetime | None = None, until: datetime | None = None,
                               platform: str | None = None, limit: int = 50,
                               after: tuple[datetime, str] | None = None
                               ) -> list[dict[str, Any]]:
        from socmed_domain.access.rules import Readable

        self.reader(principal, Readable.PUBLICATION_LOG)
        return self.publication_log_as_of(moment, since, until, platform, limit, after)

    # ------------------------------------------------------------------ inbox

    def conversations_as_of(self, moment: datetime, *, status: Sequence[str] = (),
                            platform: str | None = None, assignee: str | None = None,
                            tag: str | None = None, priority: str | None = None,
                            sentiment: str | None = None, breaching: bool | None = None,
                            limit: int = 200) -> list[dict[str, Any]]:
        """`list_conversations` as it stood at `moment`: latest activity first, sealed
        values left sealed."""
        position = self.position_at(moment)
        table = self._history("inbox_conversations")
        from socmed_adapters.monitoring.inbox_queries import conversation_filters

        query = conversation_filters(
            select(table).where(valid_at(table, position)), table, status=status,
            platform=platform, assignee=assignee, priority=priority, sentiment=sentiment,
            tag=tag, breaching=breaching)
        query = query.order_by(table.c.last_received_at.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [live_row(r) for r in conn.execute(query).mappings().all()]

    def inbox_page_as_of(self, principal: Any, moment: datetime, *,
                         status: tuple[str, ...] = (), platform: str | None = None,
                         assignee: str | None = None, tag: str | None = None,
                         priority: str | None = None, sentiment: str | None = None,
                         limit: int = 200) -> list[dict[str, Any]]:
        """As `inbox_page`, as it stood at `moment` (what is shown in clear is decided by
        the reader's role today)."""
        from socmed_adapters.projections.inbox import unpack
        from socmed_domain.access.rules import Readable, sees_personal_data
        from socmed_domain.monitoring.vault import reveal

        reader = self.reader(principal, Readable.INBOX)
        clear = sees_personal_data(reader)
        vault = self.app.inbox.personal_data_vault() if clear else None

        def shown(packed: str) -> str | None:
            return reveal(vault, unpack(packed)) if vault is not None else None

        rows = self.conversations_as_of(moment, status=status, platform=platform,
                                        assignee=assignee, tag=tag, priority=priority,
                                        sentiment=sentiment, limit=limit)
        return [conversation_page_row(r, shown, clear) for r in rows]

    # -------------------------------------------------------------- incidents

    def incidents_as_of(self, principal: Any, moment: datetime,
                        open_only: bool = False) -> tuple[Any, ...]:
        """The incidents as they stood at `moment`, in the order they were opened, each
        one's report as of `moment`."""
        from socmed_adapters.projections.incidents import report_from
        from socmed_domain.access.rules import Readable
        from socmed_domain.crisis.report import report_as_of

        if principal is not None:
            self.reader(principal, Readable.INCIDENTS)
        position = self.position_at(moment)
        table, order = self._history("incidents"), self._history("incident_order")
        query = (select(table.c.report)
                 .select_from(table.join(order, order.c.incident_id == table.c.incident_id))
                 .where(valid_at(table, position), valid_at(order, position))
                 .order_by(order.c.position))
        if open_only:
            query = query.where(table.c.is_open.is_(True))
        with self.engine.connect() as conn:
            texts = conn.execute(query).scalars().all()
        return tuple(report_as_of(report_from(t), moment) for t in texts)

    # -------------------------------------------------------------- campaigns

    def campaigns_as_of(self, principal: Any, moment: datetime,
                        status: Any = None) -> tuple[Any, ...]:
        """The campaign list as it stood at `moment`, oldest first (an agency: the
        campaigns it is assigned to today)."""
        from socmed_domain.access.rules import Readable, check_may_read
        from socmed_domain.views import CampaignSummary

        visible = None
        if principal is not None:
            check_may_read(self.app.actor(principal, reading=True), Readable.CAMPAIGNS)
            visible = self.app.content.visible_campaigns(principal)
        position = self.position_at(moment)
        table = self._history("campaigns")
        # the list's order is the order campaigns were planned: each one's first version
        first = (select(table.c.campaign_id, func.min(table.c[VALID_FROM]))
                 .group_by(table.c.campaign_id).subquery("first"))
        planned_at = list(first.c)[1]
        query = (select(table).join(first, first.c.campaign_id == table.c.campaign_id)
                 .where(valid_at(table, position)).order_by(planned_at))
        if status is not None:
            query = query.where(table.c.status == getattr(status, "value", status))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return tuple(CampaignSummary(
            campaign_id=r["campaign_id"], name=r["name"], status=r["status"],
            start=r["start"], end=r["end"],
            platforms=tuple(p for p in r["platforms"].split(",") if p),
            budget_idr=Decimal(r["budget_idr"]),
            agencies=tuple(a for a in r["agencies"].split(",") if a),
            planned_by=r["planned_by"], approved_by=r["approved_by"],
            updated_at=r["updated_at"])
            for r in rows if visible is None or r["campaign_id"] in visible)


class ListingReads(AsOfQueries, ReadModels):
    """The read models' queries, now and as of a moment."""
