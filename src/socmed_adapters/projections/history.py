"""Listing histories: every version a listing's row has had, with the log positions it held.

A listing "as it stood at T" must not rebuild a projection per query, so each listing's read
model gets a history table of row versions: the live table's own columns plus
`valid_from` (the log position of the event that wrote the version) and `valid_to` (the
position of the event that replaced it; NULL while current). The rows at position P are then
`valid_from <= P AND (valid_to IS NULL OR valid_to > P)`, an indexed keyset query
(socmed_adapters.as_of).

The versions are not built a second way: a history's rows are the rows its live projection
writes, taken as that projection writes them. When the live projection is applied in the
same pass (a rebuild, the follower), its `apply` runs once per event against a `Tee`
(`fuse`), which hands each kept row both to the live table's writer and, as a version, to the
history's; a history caught up alone runs the live projection's `apply` against a `Capture`.
Either way the live read model and its history cannot disagree about a row. Writing is
insert-only, through a `HistoryWriter` (the projector's `BatchWriter` with versions);
closing the previous version is done by the database, in an AFTER INSERT trigger created
with the table, so one batch of any size costs what inserts cost and a rebuild needs
nothing special.

A group is what the live projection replaces at once: one row (a content item's board row)
or several (a content item's calendar posts, one per platform). Every version of a group is
written whole at its position; an empty group is written as one placeholder row (the
`present` column false), so a row that left the group stops being valid. A placeholder is
written only after a version that had rows: an empty group whose previous version was empty,
or that had none, changes nothing any moment reads (`HistoryWriter`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from sqlalchemy import (
    DDL,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    event,
    select,
    tuple_,
)
from sqlalchemy.engine import Connection

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.content_board import ContentBoard
from socmed_adapters.projections.content_calendar import ContentCalendar
from socmed_adapters.projections.inbox import Inbox
from socmed_adapters.projections.incidents import Incidents
from socmed_adapters.projections.publication_log import PublicationLog
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.planning.campaign import Campaign
from socmed_domain.planning.service import campaign_summary

VALID_FROM, VALID_TO, PRESENT = "valid_from", "valid_to", "present"


class Capture:
    """Stands in for a `BatchWriter`: records the groups a live projection writes for one
    event, built now (the aggregate moves on with the next event)."""

    def __init__(self) -> None:
        self.groups: list[tuple[str, tuple[Any, ...], list[dict[str, Any]]]] = []

    def upsert(self, table: Table, key: tuple[Any, ...],
               row: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
        self.groups.append((table.name, key, [row() if callable(row) else row]))

    def replace_group(self, table: Table, column: str, value: Any,
                      rows: Callable[[], list[dict[str, Any]]]) -> None:
        self.groups.append((table.name, (value,), rows()))

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        """Appended rows (messages, audit entries) are no listing's rows: not kept."""


class Tee:
    """The live projection's writer during a fused pass: a kept table's rows are built now
    (the aggregate moves on with the next event), given to the live writer as they are and
    written as a version of the group into each history; other tables pass through."""

    def __init__(self, live: BatchWriter, histories: list[tuple[HistoryProjection,
                                                               HistoryWriter]]) -> None:
        self.live = live
        self.position = 0
        #: live table name -> [(history table, group columns, history writer)]
        self.kept: dict[str, list[tuple[Table, tuple[str, ...], HistoryWriter]]] = {}
        for history, writer in histories:
            for name, (group, _indexes) in history.kept.items():
                self.kept.setdefault(name, []).append(
                    (history.tables[history_name(name)], group, writer))

    def upsert(self, table: Table, key: tuple[Any, ...],
               row: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
        kept = self.kept.get(table.name)
        if kept is None:
            self.live.upsert(table, key, row)
            return
        built = row() if callable(row) else row
        self.live.upsert(table, key, built)
        for history_table, group, writer in kept:
            writer.version(history_table, group, key, [built], self.position)

    def replace_group(self, table: Table, column: str, value: Any,
                      rows: Callable[[], list[dict[str, Any]]]) -> None:
        kept = self.kept.get(table.name)
        if kept is None:
            self.live.replace_group(table, column, value, rows)
            return
        built = rows()
        self.live.replace_group(table, column, value, built.copy)
        for history_table, group, writer in kept:
            writer.version(history_table, group, (value,), built, self.position)

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.live.insert(table, row)


class Fused:
    """A live projection applied once for itself and for its histories (`fuse`)."""

    def __init__(self, live: SqlProjection, tee: Tee) -> None:
        self.live = live
        self.tee = tee
        self.topics = live.topics
        self.needs_aggregate = live.needs_aggregate
        self.tables = live.tables

    def apply(self, writer: Any, event: Any, position: int, aggregate: Any) -> None:
        self.tee.position = position
        self.live.apply(self.tee, event, position, aggregate)  # type: ignore[arg-type]


def fuse(pairs: list[tuple[SqlProjection, BatchWriter]]) -> list[tuple[Any, BatchWriter]]:
    """What to apply each event to in a pass over `pairs` (projection, its batch writer):
    a history whose live projection is in the same pass is not applied itself; the live
    projection is applied once through a `Tee` that writes the history's versions too."""
    live_of = {type(p): (p, w) for p, w in pairs}
    histories: dict[type[SqlProjection], list[tuple[HistoryProjection, HistoryWriter]]] = {}
    for projection, writer in pairs:
        if isinstance(projection, HistoryProjection) and projection.live in live_of:
            assert isinstance(writer, HistoryWriter)
            histories.setdefault(projection.live, []).append((projection, writer))
    calls: list[tuple[Any, BatchWriter]] = []
    for projection, writer in pairs:
        if isinstance(projection, HistoryProjection) and projection.live in histories:
            continue
        found = histories.get(type(projection))
        if found:
            calls.append((Fused(projection, Tee(writer, found)), writer))
        else:
            calls.append((projection, writer))
    return calls


class HistoryWriter(BatchWriter):
    """A history projection's batch: versions of groups, inserted in log order.

    A placeholder (an empty group) is kept only when the group's previous version had
    rows. Within the batch that is known as the versions come; for a group whose first
    version in the batch is empty, the previous version is the group's current stored one
    (`valid_to` NULL), looked up at flush in one query per table. Dropping the others
    changes no answer: the rows valid at any position are the same (`present` false is
    never read), and the previous version still ends where a version with rows begins."""

    def __init__(self) -> None:
        super().__init__()
        #: (history table, group key) -> whether the batch's latest version had rows
        self.had_rows: dict[tuple[str, tuple[Any, ...]], bool] = {}
        #: history table -> group key -> (group columns, the placeholder row)
        self.unsure: dict[str, dict[tuple[Any, ...], tuple[tuple[str, ...],
                                                           dict[str, Any]]]] = {}

    def version(self, table: Table, group: tuple[str, ...], key: tuple[Any, ...],
                rows: list[dict[str, Any]], position: int) -> None:
        """The group `key` is `rows` from `position` on."""
        seen = self.had_rows.get((table.name, key))
        self.had_rows[(table.name, key)] = bool(rows)
        if rows:
            for row in rows:
                self.insert(table, {**row, VALID_FROM: position, VALID_TO: None,
                                    PRESENT: True})
            return
        if seen is False:
            return  # empty after empty: the earlier placeholder stands
        row = placeholder(table, group, key, position)
        self.insert(table, row)
        if seen is None:
            self.unsure.setdefault(table.name, {})[key] = (group, row)

    def flush(self, conn: Connection, tables: dict[str, Table]) -> None:
        dropped: set[int] = set()
        for name, unsure in self.unsure.items():
            table = tables[name]
            group = next(iter(unsure.values()))[0]
            columns = [table.c[c] for c in group]
            keys = list(unsure)
            with_rows: set[tuple[Any, ...]] = set()
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                match = (columns[0].in_([k[0] for k in chunk]) if len(columns) == 1
                         else tuple_(*columns).in_(chunk))
                with_rows.update(tuple(r) for r in conn.execute(
                    select(*columns).where(match, table.c[VALID_TO].is_(None),
                                           table.c[PRESENT].is_(True))))
            dropped.update(id(row) for key, (_g, row) in unsure.items()
                           if key not in with_rows)
        if dropped:
            for name, rows in self.inserts.items():
                self.inserts[name] = [row for row in rows if id(row) not in dropped]
        self.unsure.clear()
        self.had_rows.clear()
        super().flush(conn, tables)


def history_name(live: str) -> str:
    return f"{live}_history"


def history_table(metadata: MetaData, live: Table, group: tuple[str, ...],
                  indexes: Iterable[tuple[str, ...]]) -> Table:
    """The history of `live`: its columns (the non-key ones nullable, for the placeholder
    of an empty group), the group's columns and `valid_from` first in the primary key (the
    trigger finds the previous version by that prefix), then the rest of the live key."""
    name = history_name(live.name)
    rest = [c.name for c in live.primary_key.columns if c.name not in group]
    columns: list[Any] = [
        Column(column.name, column.type, autoincrement=False,
               nullable=column.name not in group and column.name not in rest)
        for column in live.columns]
    columns += [Column(VALID_FROM, Integer, nullable=False, autoincrement=False),
                Column(VALID_TO, Integer, nullable=True),
                Column(PRESENT, Boolean, nullable=False, default=True)]
    table = Table(name, metadata, *columns,
                  PrimaryKeyConstraint(*group, VALID_FROM, *rest),
                  *(Index(f"ix_{name}_{'_'.join(cols)}"[:60], *cols, VALID_FROM, VALID_TO)
                    for cols in indexes))
    _close_previous_versions(table, group)
    return table


def _close_previous_versions(table: Table, group: tuple[str, ...]) -> None:
    """An AFTER INSERT trigger: the group's versions written at the greatest position below
    the new row's now end there. It names the previous position (not "the current
    versions"), so the rows of one statement may fire in any order."""
    same = " AND ".join(f"h.{c} = NEW.{c}" for c in group)
    inner = " AND ".join(f"p.{c} = NEW.{c}" for c in group)
    update = (f"UPDATE %(fullname)s AS h SET {VALID_TO} = NEW.{VALID_FROM} WHERE {same} AND "
              f"h.{VALID_FROM} = (SELECT max(p.{VALID_FROM}) FROM %(fullname)s AS p "
              f"WHERE {inner} AND p.{VALID_FROM} < NEW.{VALID_FROM})")
    sqlite_update = (
        f"UPDATE %(fullname)s SET {VALID_TO} = NEW.{VALID_FROM} WHERE "
        + " AND ".join(f"{c} = NEW.{c}" for c in group)
        + f" AND {VALID_FROM} = (SELECT max(p.{VALID_FROM}) FROM %(fullname)s AS p "
        f"WHERE {inner} AND p.{VALID_FROM} < NEW.{VALID_FROM})")
    event.listen(table, "after_create", DDL(  # type: ignore[no-untyped-call]
        f"CREATE TRIGGER %(table)s_close AFTER INSERT ON %(fullname)s FOR EACH ROW "
        f"BEGIN {sqlite_update}; END").execute_if(dialect="sqlite"))
    # The function outlives its table (a rebuild drops and creates only the table). A
    # least-privileged role that rebuilds a store an administrator set up may not replace
    # the administrator's function (same body: it depends only on the table's columns), so
    # it is created when missing and replaced only by a role that owns it.
    event.listen(table, "after_create", DDL(  # type: ignore[no-untyped-call]
        "DO $do$ BEGIN IF to_regprocedure('%(fullname)s_close()') IS NULL OR pg_has_role("
        "(SELECT proowner FROM pg_proc WHERE oid = to_regprocedure('%(fullname)s_close()')),"
        " 'MEMBER') THEN "
        f"CREATE OR REPLACE FUNCTION %(fullname)s_close() RETURNS trigger AS $$ "
        f"BEGIN {update}; RETURN NULL; END $$ LANGUAGE plpgsql; END IF; END $do$").execute_if(
            dialect="postgresql"))
    event.listen(table, "after_create", DDL(  # type: ignore[no-untyped-call]
        "CREATE TRIGGER %(table)s_close AFTER INSERT ON %(fullname)s FOR EACH ROW "
        "EXECUTE FUNCTION %(fullname)s_close()").execute_if(dialect="postgresql"))


class HistoryProjection(SqlProjection):
    """The history of some of a live projection's tables (`kept`: table -> its group
    columns and the column tuples to index for the listing's order and filters)."""

    live: ClassVar[type[SqlProjection]]
    kept: ClassVar[dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]] = {}

    def __init__(self, app: Any, metadata: MetaData) -> None:
        self.source = self.live(app, MetaData())
        self.needs_aggregate = self.live.needs_aggregate  # type: ignore[misc]
        super().__init__(app, metadata)

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        return [history_table(metadata, self.source.tables[name], group, indexes)
                for name, (group, indexes) in self.kept.items()]

    def writer(self) -> BatchWriter:
        return HistoryWriter()

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        """Alone in a pass (its live projection elsewhere): the live `apply` again."""
        capture = Capture()
        self.source.apply(capture, event, position, aggregate)  # type: ignore[arg-type]
        for name, key, rows in capture.groups:
            if name not in self.kept:
                continue
            write_version(writer, self.tables[history_name(name)], self.kept[name][0],
                          key, rows, position)


def write_version(writer: BatchWriter, table: Table, group: tuple[str, ...],
                  key: tuple[Any, ...], rows: list[dict[str, Any]], position: int) -> None:
    assert isinstance(writer, HistoryWriter)
    writer.version(table, group, key, rows, position)


def placeholder(table: Table, group: tuple[str, ...], key: tuple[Any, ...],
                position: int) -> dict[str, Any]:
    """The row that says group `key` is empty from `position` on: the group's columns,
    an empty value for the rest of the key, `present` false (other columns NULL)."""
    row: dict[str, Any] = {**dict(zip(group, key, strict=True)), PRESENT: False,
                           VALID_FROM: position}
    for column in table.primary_key.columns:
        if column.name not in row:
            row[column.name] = ""
    return row


class ContentBoardHistory(HistoryProjection):
    """Versions of the content board's rows (`content list`)."""

    name = "content_board_history"
    version = 1
    live = ContentBoard
    kept = {
        "content_board": (("item_id",), (("created_at", "item_id"),
                                         ("status", "created_at", "item_id"))),
    }


class PublicationHistory(HistoryProjection):
    name = "publication_log_history"
    version = 1
    live = PublicationLog
    kept = {"publication_log": (("item_id", "platform"), (("published_at", "platform"),))}


class CalendarHistory(HistoryProjection):
    name = "calendar_history"
    version = 1
    live = ContentCalendar
    kept = {"calendar_posts": (("item_id",), (("at",),))}


class InboxHistory(HistoryProjection):
    name = "inbox_history"
    version = 1
    live = Inbox
    topics = Inbox.topics
    kept = {"inbox_conversations": (("conversation_id",), (
        ("last_received_at",), ("status", "last_received_at")))}


class IncidentHistory(HistoryProjection):
    name = "incidents_history"
    version = 1
    live = Incidents
    topics = Incidents.topics
    kept = {"incidents": (("incident_id",), ()),
            "incident_order": (("incident_id",), ())}


def campaign_row(campaign: Campaign) -> dict[str, Any]:
    """What `campaign list` shows of a campaign (the domain's `campaign_summary`) and what
    the calendar joins (its name and mark, `ContentCalendar.campaign_row`)."""
    summary = campaign_summary(campaign)
    return {**ContentCalendar.campaign_row(campaign),
            "platforms": ",".join(summary.platforms), "budget_idr": str(summary.budget_idr),
            "agencies": ",".join(summary.agencies), "planned_by": summary.planned_by,
            "approved_by": summary.approved_by, "updated_at": summary.updated_at}


class CampaignHistory(SqlProjection):
    """Versions of each campaign as the campaign list shows it. There is no live campaign
    table (the list is read from the aggregates), so this builds its rows with the domain's
    `campaign_summary`, the function the live list uses."""

    name = "campaigns_history"
    version = 1
    needs_aggregate = True

    def writer(self) -> BatchWriter:
        return HistoryWriter()

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        shape = Table(
            "campaigns", MetaData(),
            Column("campaign_id", String(36), primary_key=True),
            Column("name", Text), Column("status", String(16)), Column("special", Boolean),
            Column("start", UtcDateTime), Column("end", UtcDateTime),
            Column("platforms", Text), Column("budget_idr", String(40)),
            Column("agencies", Text), Column("planned_by", String(64)),
            Column("approved_by", String(64)), Column("updated_at", UtcDateTime))
        return [history_table(metadata, shape, ("campaign_id",), ())]

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        if isinstance(event, Campaign.Event) and aggregate is not None \
                and aggregate.plan is not None:
            write_version(writer, self.tables["campaigns_history"], ("campaign_id",),
                          (str(aggregate.id),), [campaign_row(aggregate)], position)


#: Registered with the projector after the live projections.
HISTORY_CLASSES: tuple[type[SqlProjection], ...] = (
    ContentBoardHistory, CalendarHistory, PublicationHistory, InboxHistory, IncidentHistory,
    CampaignHistory)
