""""My work": what waits for a member, per role, oldest first (the console's landing page).

Each list is one SQL query over the read models (the content board, the audit index, the
inbox); nothing loads an aggregate per row. Which statuses wait for which role follows the
SOP's flow (docs/console.md); who may read what is still the domain's read matrix, asked once
per page (`ReadModels.reader`, `ContentService.visible_campaigns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from attrs import frozen
from sqlalchemy import and_, func, select

from socmed_adapters.queries import ReadModels, content_summary
from socmed_domain.access.rules import Readable
from socmed_domain.identity.principal import ActorRef
from socmed_domain.roles import Role

#: How far ahead a slot counts as "due" (Admin) or "about to expire unapproved" (authors).
DUE_WITHIN = timedelta(hours=24)
EXPIRY_WITHIN = timedelta(hours=48)
#: Content statuses without an approval that still hold a slot: they expire at the slot.
UNAPPROVED = ("idea", "draft", "in_review", "reviewed", "awaiting_approval",
              "changes_requested")
#: The most rows one list shows (the counts in the navigation are exact).
SHOWN = 50
#: The window count's column (a name, not a report word: the catalogue test reads
#: `label("...")` literals as report words).
TOTAL = "total"
LAST = "at"


@frozen
class WorkList:
    """One list of the landing page: its catalogue code, the rows, and how many there are."""

    code: str
    kind: str  # "content" | "inbox" | "incident" | "campaign" | "strategy"
    rows: tuple[Any, ...]
    count: int


class WorkQueries:
    def __init__(self, read_models: ReadModels) -> None:
        self.models = read_models
        self.projector = read_models.projector
        self.engine = read_models.engine

    # ------------------------------------------------------------ the page

    def my_work(self, principal: ActorRef, now: datetime) -> tuple[WorkList, ...]:
        """The lists of the member's role, each oldest first."""
        actor = self.models.app.actor(principal, reading=True)
        # one catch-up of the read models this page reads (a reader sees its own writes)
        self.projector.catch_up(["content_board", "audit_index", "inbox"])
        visible = self.models.app.content.visible_campaigns(principal)
        me = actor.member_id
        role = actor.role
        lists: list[WorkList] = []
        if role is Role.MARKETING_MANAGER:
            lists.append(self._content("console.work.awaiting_approval", visible,
                                       statuses=("awaiting_approval",)))
            lists.append(self._strategy(principal))
            lists.append(self._campaigns(principal))
            lists.append(self._incidents(principal, "console.work.incidents_open"))
            lists.append(self._inbox(principal, "console.work.held_replies", held=True))
        elif role is Role.LEGAL:
            reports = self.models.incidents_for(principal, open_only=True)
            lists.append(self._statements(reports, visible))
            lists.append(self._inbox(principal, "console.work.held_replies", held=True))
            lists.append(self._incidents(principal, "console.work.escalations",
                                         escalated_to="legal", reports=reports))
        elif role is Role.SOCIAL_MEDIA_ADMIN:
            lists.append(self._content("console.work.due", visible, statuses=("scheduled",),
                                       slot_before=now + DUE_WITHIN, by_slot=True))
            lists.append(self._content("console.work.unknown", visible,
                                       statuses=("publishing",)))
            lists.append(self._inbox(principal, "console.work.inbox_unassigned",
                                     unassigned=True))
            lists.append(self._inbox(principal, "console.work.inbox_breaching",
                                     breaching=True))
        else:  # Digital Marketing and agencies: their own content's next step
            lists.append(self._content("console.work.drafts", visible,
                                       statuses=("idea", "draft"), author=me))
            lists.append(self._content("console.work.changes_requested", visible,
                                       statuses=("changes_requested",), author=me))
            lists.append(self._voided(visible, me))
            lists.append(self._content("console.work.expiring", visible, statuses=UNAPPROVED,
                                       slot_before=now + EXPIRY_WITHIN, by_slot=True))
            if role is Role.DIGITAL_MARKETING:
                lists.append(self._content("console.work.in_review", visible,
                                           statuses=("in_review",), not_author=me))
        return tuple(lists)

    # ------------------------------------------------------------ the lists

    def _board(self) -> Any:
        return self.projector.table("content_board")

    def _content(self, code: str, visible: frozenset[str] | None, *,
                 statuses: Sequence[str], item_ids: Sequence[str] | None = None,
                 author: str | None = None,
                 not_author: str | None = None, slot_before: datetime | None = None,
                 by_slot: bool = False) -> WorkList:
        table = self._board()
        conditions: list[Any] = [table.c.status.in_(list(statuses))]
        if item_ids is not None:
            conditions.append(table.c.item_id.in_(sorted(item_ids)))
        if author is not None:
            conditions.append(table.c.author_id == author)
        if not_author is not None:
            conditions.append(table.c.author_id != not_author)
        if slot_before is not None:
            conditions.append(table.c.scheduled_at.is_not(None))
            conditions.append(table.c.scheduled_at <= slot_before)
        if visible is not None:
            conditions.append(table.c.campaign_id.in_(sorted(visible)))
        order = ((table.c.scheduled_at, table.c.item_id) if by_slot
                 else (table.c.updated_at, table.c.item_id))
        return self._content_rows(code, table, and_(*conditions), order)

    def _voided(self, visible: frozenset[str] | None, me: str) -> WorkList:
        """Items of `me` back in draft after an approval: a revision written after the last
        Approved event voided it (the audit index says which came last)."""
        table = self._board()
        audit = self.projector.table("audit_index")
        open_statuses = ("draft", "in_review", "reviewed", "awaiting_approval",
                         "changes_requested")
        # only the member's open items' events are grouped (by the index on the item id),
        # not every item's in the log
        mine = select(table.c.item_id).where(table.c.status.in_(open_statuses),
                                             table.c.author_id == me)
        approved = (select(audit.c.aggregate_id, func.max(audit.c.position).label(LAST))
                    .where(audit.c.aggregate_id.in_(mine), audit.c.aggregate == "ContentItem",
                           _not_indexed(audit.c.event_type) == "Approved")
                    .group_by(audit.c.aggregate_id).subquery())
        revised = (select(audit.c.aggregate_id, func.max(audit.c.position).label(LAST))
                   .where(audit.c.aggregate_id.in_(mine), audit.c.aggregate == "ContentItem",
                          _not_indexed(audit.c.event_type) == "Revised")
                   .group_by(audit.c.aggregate_id).subquery())
        conditions: list[Any] = [table.c.status.in_(open_statuses),
                      table.c.author_id == me,
                      table.c.item_id == approved.c.aggregate_id,
                      table.c.item_id == revised.c.aggregate_id,
                      revised.c.at > approved.c.at]
        if visible is not None:
            conditions.append(table.c.campaign_id.in_(sorted(visible)))
        return self._content_rows("console.work.voided", table, and_(*conditions),
                                  (table.c.updated_at, table.c.item_id),
                                  extra=(approved, revised))

    def _content_rows(self, code: str, table: Any, where: Any, order: Sequence[Any],
                      extra: Sequence[Any] = ()) -> WorkList:
        """One query: the first rows and the total (a window count)."""
        total = func.count().over().label(TOTAL)
        query = (select(table, total).select_from(table, *extra).where(where)
                 .order_by(*order).limit(SHOWN))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return WorkList(code, "content", tuple(content_summary(r) for r in rows),
                        rows[0]["total"] if rows else 0)

    def _inbox(self, principal: ActorRef, code: str, *, unassigned: bool = False,
               breaching: bool = False, held: bool = False) -> WorkList:
        """Open conversations (received or assigned), oldest waiting first; handles and
        texts are not shown here, so nothing personal is unsealed."""
        self.models.reader(principal, Readable.INBOX)
        table = self.projector.projections["inbox"].tables["inbox_conversations"]
        conditions: list[Any] = [table.c.status.in_(("received", "assigned"))]
        if unassigned:
            conditions.append(func.coalesce(table.c.assignee, "") == "")
        if breaching:
            conditions.append(table.c.breaches != "")
        if held:  # a reply written and held for approval (during an incident)
            conditions = [table.c.pending_reply.is_(True)]
        total = func.count().over().label(TOTAL)
        query = (select(table.c.conversation_id, table.c.platform, table.c.status,
                        table.c.priority, table.c.assignee, table.c.first_received_at,
                        total)
                 .where(and_(*conditions))
                 .order_by(table.c.first_received_at, table.c.conversation_id).limit(SHOWN))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return WorkList(code, "inbox", tuple(dict(r) for r in rows),
                        rows[0]["total"] if rows else 0)

    def _incidents(self, principal: ActorRef, code: str,
                   escalated_to: str | None = None, reports: Any = None) -> WorkList:
        if reports is None:
            reports = self.models.incidents_for(principal, open_only=True)
        if escalated_to is not None:
            reports = tuple(r for r in reports
                            if any(e.target.value == escalated_to and e.acknowledged_at is None
                                   for e in r.escalations))
        rows = tuple(sorted(reports, key=lambda r: r.opened_at))
        return WorkList(code, "incident", rows[:SHOWN], len(rows))

    def _campaigns(self, principal: ActorRef) -> WorkList:
        from socmed_domain.planning.campaign import CampaignStatus

        found = self.models.campaigns_for(principal, CampaignStatus.PLANNED)
        rows = tuple(sorted(found, key=lambda c: c.updated_at))
        return WorkList("console.work.campaigns_to_approve", "campaign", rows[:SHOWN],
                        len(rows))


    def _statements(self, reports: Sequence[Any],
                    visible: frozenset[str] | None) -> WorkList:
        """The official statements linked to open incidents whose revision waits in review:
        Legal's review of it is the sign-off the statement needs before it goes out
        (`socmed_domain.crisis.statements`)."""
        linked = {s.content_item_id for r in reports for s in r.statements
                  if s.linked and s.content_item_id}
        return self._content("console.work.statements", visible, statuses=("in_review",),
                             item_ids=sorted(linked))

    def _strategy(self, principal: ActorRef) -> WorkList:
        """The strategy version submitted for approval (there is at most one)."""
        from socmed_domain.errors import InvalidStateError

        try:
            detail = self.models.strategy_for(principal)
        except InvalidStateError:  # no strategy drafted yet
            return WorkList("console.work.strategy_to_approve", "strategy", (), 0)
        rows = (detail.working,) if detail.status == "submitted" else ()
        return WorkList("console.work.strategy_to_approve", "strategy", rows, len(rows))


def _not_indexed(column: Any) -> Any:
    """`column || ''`: the same value, which SQLite's planner cannot look up by the column's
    own index, so it takes the item id's index (a member's few items) rather than every
    event of a type in the log."""
    return column.concat("")
