"""Read queries over the SQL read models: content board, publication log, audit index.

These answer the listing commands without loading aggregates or scanning the event log; the
caller (Services.read_models) catches the projections up first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select, tuple_

from socmed_adapters.projections import Projector
from socmed_adapters.projections.incidents import report_from
from socmed_domain.access.rules import Readable, check_may_read, sees_personal_data
from socmed_domain.actor import Actor
from socmed_domain.application import SocmedApplication
from socmed_domain.errors import InvalidInputError, NotFoundError
from socmed_domain.identity.principal import ActorRef
from socmed_domain.identity.provenance import (
    CHECKED_KINDS,
    EXPLAINING_TYPES,
    Unexplained,
    unexplained,
)
from socmed_domain.production.content_item import TERMINAL
from socmed_domain.roles import Action, check_may
from socmed_domain.views import AuditEntry, ContentSummary


def content_filters(query: Any, table: Any, *, after: tuple[datetime, str] | None = None,
                    status: str | None = None, platform: str | None = None,
                    campaign_ids: frozenset[str] | None = None) -> Any:
    """The content listing's order, keyset cursor and filters on `table`: the live board or
    its history (same columns), so `content list` and `content list --as-of` page alike."""
    query = query.order_by(table.c.created_at, table.c.item_id)
    if after is not None:
        query = query.where(tuple_(table.c.created_at, table.c.item_id) > after)
    if status:
        query = query.where(table.c.status == status)
    if platform:
        query = query.where(table.c.platforms.like(f"%{platform}%"))
    if campaign_ids is not None:
        query = query.where(table.c.campaign_id.in_(sorted(campaign_ids)))
    return query


def conversation_page_row(row: Any, shown: Callable[[str], str | None],
                          clear: bool) -> dict[str, Any]:
    """One conversation of the inbox page (live or as of a moment): the author and the last
    message revealed by `shown` only for a reader allowed to see them (`clear`)."""
    return {"conversation_id": row["conversation_id"], "platform": row["platform"],
            "kind": row["kind"], "status": row["status"], "priority": row["priority"],
            "assignee": row["assignee"] or "", "author": shown(row["author_handle"]),
            "last_message": shown(row["last_text"]),
            "personal_data_withheld": not clear,
            "sentiment": row["last_sentiment"], "tags": row["tags"],
            "breaches": row["breaches"], "received_at": row["last_received_at"]}


class ReadModels:
    def __init__(self, app: SocmedApplication, projector: Projector) -> None:
        self.app = app
        self.projector = projector
        self.engine = projector.engine
        #: The console's rendered monthly reports (see `monthly_report_html_for`).
        self._report_pages: dict[tuple[str, str, str], tuple[tuple[int, int], str]] = {}

    def content_list(self, status: str | None = None, platform: str | None = None,
                     limit: int | None = None, offset: int = 0,
                     after: tuple[datetime, str] | None = None,
                     campaign_ids: frozenset[str] | None = None) -> list[ContentSummary]:
        """Content in creation order; page with `limit` and either `offset` or, for deep
        pages, `after` = (created_at, item_id) of the last row seen (keyset paging)."""
        table = self.projector.table("content_board")
        query = content_filters(select(table), table, after=after, status=status,
                                platform=platform, campaign_ids=campaign_ids)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [content_summary(r) for r in rows]

    def calendar_month(self, month: Any, zone: tzinfo, platform: str | None = None,
                       campaign_id: str | None = None) -> list[Any]:
        """The content calendar's posts of `month` (a calendar.month.Month) in time order."""
        from socmed_adapters.calendar.month import month_entries

        return month_entries(self.engine, self.projector.table("calendar_posts"),
                             self.projector.table("calendar_campaigns"), month, zone,
                             platform, campaign_id, now=self.app.clock())

    def publication_log(self, since: datetime | None = None, until: datetime | None = None,
                        platform: str | None = None, limit: int | None = None,
                        offset: int = 0, after: tuple[datetime, str] | None = None
                        ) -> list[dict[str, Any]]:
        """Published posts in time order; `after` = (published_at, platform) of the last row
        seen pages without counting past rows (keyset paging)."""
        table = self.projector.table("publication_log")
        conditions = []
        if after is not None:
            conditions.append(tuple_(table.c.published_at, table.c.platform) > after)
        if since is not None:
            conditions.append(table.c.published_at >= since)
        if until is not None:
            conditions.append(table.c.published_at < until)
        if platform:
            conditions.append(table.c.platform == platform)
        query = select(table).order_by(table.c.published_at, table.c.platform)
        if conditions:
            query = query.where(and_(*conditions))
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]

    def strategy_for(self, principal: ActorRef) -> Any:
        self.reader(principal, Readable.STRATEGY)
        return self.app.planning.get_strategy()

    def team_for(self, principal: ActorRef) -> Any:
        self.reader(principal, Readable.TEAM)
        return self.app.team.list_members()

    def incidents_for(self, principal: ActorRef, open_only: bool = False) -> Any:
        """The incidents in the order they were opened (`app.incidents.list_incidents`),
        from the incidents read model: each one's report as of now."""
        from socmed_domain.crisis.report import report_as_of

        self.reader(principal, Readable.INCIDENTS)
        table, order = self.projector.table("incidents"), self.projector.table("incident_order")
        query = (select(table.c.report)
                 .select_from(table.join(order, order.c.incident_id == table.c.incident_id))
                 .order_by(order.c.position))
        if open_only:
            query = query.where(table.c.is_open.is_(True))
        with self.engine.connect() as conn:
            texts = conn.execute(query).scalars().all()
        now = self.app.now()
        return tuple(report_as_of(report_from(t), now) for t in texts)

    def incident_for(self, principal: ActorRef, ref: str) -> Any:
        """One incident's report as of now (`app.incidents.incident_report`), by its id or
        a unique prefix of 4+ characters, from the incidents read model."""
        from socmed_domain.crisis.report import report_as_of

        self.reader(principal, Readable.INCIDENTS)
        table = self.projector.table("incidents")
        text = str(ref).strip().lower()
        found: list[str] = []
        if len(text) >= 4:
            with self.engine.connect() as conn:
                found = list(conn.execute(select(table.c.report).where(
                    table.c.incident_id.startswith(text, autoescape=True)).limit(2)
                ).scalars().all())
        if len(found) > 1:
            count = self._incident_count(text)
            raise InvalidInputError("error.ambiguous", ref=str(ref), count=count,
                                    kind="incident")
        if not found:
            raise NotFoundError(kind="incident", ref=str(ref), listing="incident list")
        return report_as_of(report_from(found[0]), self.app.now())

    def _incident_count(self, prefix: str) -> int:
        table = self.projector.table("incidents")
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(
                table.c.incident_id.startswith(prefix, autoescape=True))).scalar_one())

    def freezes(self) -> tuple[tuple[str, str], ...]:
        """(ref, title) of each incident whose freeze on publishing holds (the banner of
        every console page; `app.incidents.freezes`), from the incidents read model."""
        table, order = self.projector.table("incidents"), self.projector.table("incident_order")
        query = (select(table.c.ref, table.c.title)
                 .select_from(table.join(order, order.c.incident_id == table.c.incident_id))
                 .where(table.c.freezing.is_(True)).order_by(order.c.position))
        with self.engine.connect() as conn:
            return tuple((r[0], r[1]) for r in conn.execute(query).all())

    def incident_history_for(self, principal: ActorRef, ref: str) -> Any:
        self.reader(principal, Readable.INCIDENTS)
        return self.app.incidents.incident_history(ref)

    def campaigns_for(self, principal: ActorRef, status: Any = None) -> Any:
        """`app.planning.list_campaigns_for`, reused while the log stands still (listing
        campaigns reads every campaign's events, found by scanning the log's topics)."""
        who = self.app.actor(principal, reading=True)
        return self.projector.memoised(
            ("campaigns", who.member_id, who.role.value, self.app.access_generation,
             None if status is None else str(status)),
            lambda: self.app.planning.list_campaigns_for(principal, status))

    def projections_for(self, principal: ActorRef) -> Any:
        self.reader(principal, Readable.PROJECTIONS)
        return self.projector.status()

    def metrics_latest_for(self, principal: ActorRef, before: datetime,
                           platform: str | None = None) -> list[dict[str, Any]]:
        """The latest recorded values of each (platform, metric) before `before`."""
        from socmed_adapters.reports.monthly_source import SqlReportSource

        self.reader(principal, Readable.METRICS)
        values = SqlReportSource(self.projector).latest_values(before)
        return [{"platform": p.value, "metric": name, "values": v}
                for (p, name), v in sorted(values.items(), key=lambda kv: (kv[0][0].value,
                                                                            kv[0][1]))
                if platform is None or p.value == platform]

    def inbox_page(self, principal: ActorRef, services: Any, *, status: tuple[str, ...] = (),
                   platform: str | None = None, assignee: str | None = None,
                   tag: str | None = None, priority: str | None = None,
                   sentiment: str | None = None, breaching: bool | None = None,
                   limit: int = 200) -> list[dict[str, Any]]:
        """The inbox, latest activity first; audience handles and texts in clear only for the
        roles whose work needs them (`sees_personal_data`), withheld for the others."""
        from socmed_adapters.monitoring.inbox_queries import list_conversations
        from socmed_adapters.projections.inbox import unpack
        from socmed_domain.monitoring.vault import reveal

        reader = self.reader(principal, Readable.INBOX)
        clear = sees_personal_data(reader)
        vault = self.app.inbox.personal_data_vault() if clear else None

        def shown(packed: str) -> str | None:
            return reveal(vault, unpack(packed)) if vault is not None else None

        rows = list_conversations(services, status=status, platform=platform,
                                  assignee=assignee, tag=tag, priority=priority,
                                  sentiment=sentiment, breaching=breaching, limit=limit)
        return [conversation_page_row(r, shown, clear) for r in rows]

    def conversation_for(self, principal: ActorRef, ref: str) -> dict[str, Any]:
        """One conversation (messages, replies, the held reply, SLA clocks), its audience's
        handle and texts in clear only for the roles whose work needs them."""
        from socmed_domain.monitoring.vault import reveal

        reader = self.reader(principal, Readable.INBOX)
        view = self.app.inbox.get_conversation(ref)
        vault = self.app.inbox.personal_data_vault() if sees_personal_data(reader) else None

        def shown(sealed: Any) -> str | None:
            return reveal(vault, sealed) if vault is not None and sealed is not None else None

        return {"view": view, "author": shown(view.author_handle),
                "messages": [(m, shown(getattr(m, "text", None))) for m in view.messages]}

    def monthly_report_for(self, principal: ActorRef, services: Any, month: Any,
                           zone: tzinfo) -> str:
        """The monthly report as JSON text (what `report monthly --format json` prints)."""
        from socmed_adapters.reports.monthly import monthly_report, render

        self.reader(principal, Readable.REPORTS)
        # the same report while the log has not moved, within the same minute of the clock
        # (its SLA clocks move on)
        minute = self.app.now().replace(second=0, microsecond=0)
        return str(self.projector.memoised(
            ("monthly", str(month), str(zone), minute),
            lambda: render(monthly_report(services, month, zone), "json", "en", zone)))

    def monthly_report_html_for(self, principal: ActorRef, services: Any, month: Any,
                                zone: tzinfo, lang: str) -> str:
        """The monthly report as an HTML fragment, charts included (the console's reports
        page): the same content as `report monthly --format html`.

        Drawing the charts takes longer than a page may, so the fragment is kept per month,
        language and zone until the next event is recorded (the report is a function of the
        events) or a minute has passed (its "so far" figures follow the clock).
        """
        from socmed_adapters.reports.monthly import monthly_report
        from socmed_adapters.reports.monthly_html import body

        self.reader(principal, Readable.REPORTS)
        key = (str(month), lang, str(zone))
        stamp = (self.projector.head(), int(services.clock().timestamp()) // 60)
        kept = self._report_pages.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        fragment = body(monthly_report(services, month, zone), lang, zone, level=2)
        if len(self._report_pages) >= 32:
            self._report_pages.clear()
        self._report_pages[key] = (stamp, fragment)
        return fragment

    def item_history(self, item_id: str) -> list[AuditEntry]:
        """One item's events with their global positions (any member may read this)."""
        return self._audit_entries(item_id=item_id)

    def item_history_for(self, principal: ActorRef, ref: str) -> list[AuditEntry]:
        """`item_history` for a member who may see the item (an agency: its campaigns'):
        global positions, as the CLI shows them, and each event's `via`."""
        detail = self.app.content.get_for(principal, ref)
        return self._audit_entries(item_id=detail.summary.item_id)

    def audit_log(self, actor_id: ActorRef, *, item_id: str | None = None,
                  member: str | None = None, event_type: str | None = None,
                  since: datetime | None = None, until: datetime | None = None,
                  limit: int | None = None, offset: int = 0, after: int | None = None,
                  as_of: datetime | None = None, via: str | None = None) -> list[AuditEntry]:
        """Legal's audit query through the index; the same rules as the application's scan
        (`via`: a kind, see `AuditEntry.via_kind`)."""
        reader = self.app.actor(actor_id, reading=True)
        check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
        return self._audit_entries(item_id=item_id, member=member, event_type=event_type,
                                   since=since, until=until, limit=limit, offset=offset,
                                   after=after, as_of=as_of, via=via)

    # ------------------------------------------------ reads for a principal (the API)

    def reader(self, principal: ActorRef, what: Readable) -> Actor:
        """The member reading, refused when the read matrix does not let them read `what`."""
        actor = self.app.actor(principal, reading=True)
        check_may_read(actor, what)
        return actor

    def content_page(self, principal: ActorRef, status: str | None = None,
                     platform: str | None = None, limit: int = 50,
                     after: tuple[datetime, str] | None = None) -> list[ContentSummary]:
        """`content_list` as `principal` may see it (an agency: its campaigns' items)."""
        visible = self.app.content.visible_campaigns(principal)
        return self.content_list(status, platform, limit=limit, after=after,
                                 campaign_ids=visible)

    def content_page_rows(self, principal: ActorRef, status: str | None = None,
                          platform: str | None = None, limit: int = 50,
                          after: tuple[datetime, str] | None = None) -> list[dict[str, Any]]:
        """`content_page` as JSON-ready rows (what rendering its summaries gives), for the
        API: the statement compiled once, no value objects (socmed_adapters.page_rows)."""
        from socmed_adapters.page_rows import page_rows

        visible = self.app.content.visible_campaigns(principal)
        return page_rows(self.projector).content(status, platform, limit=limit, after=after,
                                                 campaign_ids=visible)

    def audit_log_rows(self, actor_id: ActorRef, *, item_id: str | None = None,
                       member: str | None = None, event_type: str | None = None,
                       since: datetime | None = None, until: datetime | None = None,
                       limit: int | None = None, after: int | None = None,
                       as_of: datetime | None = None, via: str | None = None
                       ) -> list[dict[str, Any]]:
        """`audit_log` as JSON-ready rows (what rendering its entries gives), for the API."""
        from socmed_adapters.page_rows import page_rows

        reader = self.app.actor(actor_id, reading=True)
        check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
        return page_rows(self.projector).audit(
            item_id=item_id, member=member, event_type=event_type, since=since, until=until,
            limit=limit, after=after, as_of=as_of, via=via)

    def item_history_rows_for(self, principal: ActorRef, ref: str) -> list[dict[str, Any]]:
        """`item_history_for` as JSON-ready rows, for the API."""
        from socmed_adapters.page_rows import page_rows

        detail = self.app.content.get_for(principal, ref)
        return page_rows(self.projector).audit(item_id=detail.summary.item_id)

    def publication_page(self, principal: ActorRef, *, since: datetime | None = None,
                         until: datetime | None = None, platform: str | None = None,
                         limit: int = 50, after: tuple[datetime, str] | None = None
                         ) -> list[dict[str, Any]]:
        self.reader(principal, Readable.PUBLICATION_LOG)
        return self.publication_log(since=since, until=until, platform=platform, limit=limit,
                                    after=after)

    def calendar_for(self, principal: ActorRef, month: Any, zone: tzinfo,
                     platform: str | None = None, campaign_id: str | None = None
                     ) -> list[Any]:
        """The calendar month; an agency sees only its campaigns' posts."""
        self.reader(principal, Readable.CALENDAR)
        visible = self.app.content.visible_campaigns(principal)
        entries = self.calendar_month(month, zone, platform, campaign_id)
        if visible is None:
            return entries
        return [e for e in entries if e.campaign_id in visible]

    def _audit_entries(self, *, item_id: str | None = None, member: str | None = None,
                       event_type: str | None = None, since: datetime | None = None,
                       until: datetime | None = None, limit: int | None = None,
                       offset: int = 0, after: int | None = None,
                       as_of: datetime | None = None, via: str | None = None
                       ) -> list[AuditEntry]:
        """`after`: the position of the last entry seen (keyset paging); `as_of`: the log as
        it stood at that moment (events up to it, inclusive)."""
        table = self.projector.table("audit_index")
        conditions = []
        if after is not None:
            conditions.append(table.c.position > after)
        if as_of is not None:
            conditions.append(table.c.at <= as_of)
        if via is not None:
            conditions.append(table.c.via_kind == via)
        if item_id is not None:
            conditions.append(table.c.aggregate_id == item_id)
        if member is not None:
            conditions.append(table.c.actor_id == member)
        if event_type is not None:
            conditions.append(table.c.event_type == event_type)
        if since is not None:
            conditions.append(table.c.at >= since)
        if until is not None:
            conditions.append(table.c.at < until)
        query = select(table).order_by(table.c.position)
        if conditions:
            query = query.where(and_(*conditions))
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_entry(r) for r in rows]


    def unexplained_vias(self, actor_id: ActorRef) -> list[Unexplained]:
        """`AuditService.unexplained_vias` through the index: only the events that act
        through a checked credential kind and the access records' events are read."""
        reader = self.app.actor(actor_id, reading=True)
        check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
        table = self.projector.table("audit_index")
        query = select(table).where(or_(
            table.c.via_kind.in_(CHECKED_KINDS),
            and_(table.c.aggregate == "MemberAccess",
                 table.c.event_type.in_(EXPLAINING_TYPES)))).order_by(table.c.position)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return unexplained(_entry(r) for r in rows)


def _entry(r: Any) -> AuditEntry:
    return AuditEntry(position=r["position"], at=r["at"], aggregate=r["aggregate"],
                      aggregate_id=r["aggregate_id"], version=r["version"],
                      event_type=r["event_type"], actor_id=r["actor_id"],
                      actor_role=r["actor_role"], code=r["code"],
                      params=json.loads(r["params"]), reason=r["reason"], via=r["via"])


class SqlContentIndex:
    """The domain's ContentIndex port over the content board (caught up before each query)."""

    def __init__(self, projector: Callable[[], Any]) -> None:
        self._projector = projector  # the read models' Projector, made on first use

    def _board(self) -> Any:
        projector = self._projector()
        projector.catch_up(["content_board"])
        return projector, projector.table("content_board")

    def ids_with_prefix(self, prefix: str) -> list[UUID]:
        projector, table = self._board()
        with projector.engine.connect() as conn:
            rows = conn.execute(select(table.c.item_id).where(
                table.c.item_id.startswith(prefix, autoescape=True)).limit(50)).scalars().all()
        return [UUID(r) for r in rows]

    def due_ids(self, now: datetime) -> list[UUID]:
        projector, table = self._board()
        with projector.engine.connect() as conn:
            rows = conn.execute(select(table.c.item_id).where(
                table.c.scheduled_at <= now,
                table.c.status.not_in(SETTLED)).order_by(table.c.scheduled_at)).scalars().all()
        return [UUID(r) for r in rows]


    def published_count(self, platform: Any, since: datetime) -> int:
        projector = self._projector()
        projector.catch_up(["publication_log"])
        table = projector.table("publication_log")
        with projector.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(
                table.c.platform == platform.value,
                table.c.published_at >= since)).scalar_one())


SETTLED = tuple(sorted(status.value for status in TERMINAL))


def content_summary(r: Any) -> ContentSummary:
    """One content_summary row as the view the lists and work queues show."""
    return ContentSummary(
        item_id=r["item_id"], title=r["title"], status=r["status"],
        revision=r["revision"], revision_sha256=r["revision_sha256"],
        author_id=r["author_id"], approved_by=r["approved_by"],
        scheduled_at=r["scheduled_at"],
        platforms=tuple(p for p in r["platforms"].split(",") if p),
        published=tuple(p for p in r["published"].split(",") if p),
        campaign_id=r["campaign_id"], updated_at=r["updated_at"],
        created_at=r["created_at"])
