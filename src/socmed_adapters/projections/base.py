"""The projection base: tables, a replay cache, and a batch writer.

A projection never re-implements domain rules: where a read model needs an aggregate's state
(the content board's status, the approver of a published post) it replays the event onto the
aggregate with the domain's own `mutate`, through `ReplayCache`. Rows are collected per batch
and written at the end of it, so a batch of 500 events costs a few statements, not 500.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from eventsourcing.application import Application
from sqlalchemy import Connection, MetaData, Table, tuple_


class ReplayCache:
    """Aggregates as of the last applied event, bounded; a miss reloads from the event store."""

    def __init__(self, app: Application[Any], maxsize: int = 5_000) -> None:
        self.app = app
        self.maxsize = maxsize
        self.items: OrderedDict[Any, Any] = OrderedDict()

    def advance(self, event: Any) -> Any:
        key = event.originator_id
        aggregate = self.items.pop(key, None)
        if aggregate is not None and aggregate.version != event.originator_version - 1:
            aggregate = None
        if aggregate is None and event.originator_version > 1:
            aggregate = self.app.repository.get(key, version=event.originator_version - 1)
        aggregate = event.mutate(aggregate)
        self.items[key] = aggregate
        if len(self.items) > self.maxsize:
            self.items.popitem(last=False)
        return aggregate

    def clear(self) -> None:
        self.items.clear()


class BatchWriter:
    """Collects a batch's row changes; `flush` writes each table's rows in bulk.

    An upsert may pass a callable instead of a row: it is called once, at flush, so a row
    touched by many events in a batch is built once, from its final state."""

    def __init__(self) -> None:
        self.upserts: dict[str, dict[tuple[Any, ...], Any]] = {}
        self.inserts: dict[str, list[dict[str, Any]]] = {}
        self.groups: dict[tuple[str, str], dict[Any, Any]] = {}

    def upsert(self, table: Table, key: tuple[Any, ...],
               row: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
        self.upserts.setdefault(table.name, {})[key] = row

    def replace_group(self, table: Table, column: str, value: Any,
                      rows: Callable[[], list[dict[str, Any]]]) -> None:
        """Make the rows whose `column` equals `value` exactly `rows()` (called at flush),
        for read models with a varying number of rows per aggregate."""
        self.groups.setdefault((table.name, column), {})[value] = rows

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.inserts.setdefault(table.name, []).append(row)

    def flush(self, conn: Connection, tables: dict[str, Table]) -> None:
        for (name, column), groups in self.groups.items():
            table = tables[name]
            values = list(groups)
            for start in range(0, len(values), 400):
                conn.execute(table.delete().where(
                    table.c[column].in_(values[start:start + 400])))
            replaced = [row for make in groups.values() for row in make()]
            if replaced:
                conn.execute(table.insert(), replaced)
        self.groups.clear()
        for name, rows in self.upserts.items():
            table = tables[name]
            key_columns = [c for c in table.primary_key.columns]
            keys = list(rows)
            for start in range(0, len(keys), 400):
                chunk = keys[start:start + 400]
                if len(key_columns) == 1:
                    condition = key_columns[0].in_([k[0] for k in chunk])
                else:
                    condition = tuple_(*key_columns).in_(chunk)
                conn.execute(table.delete().where(condition))
            conn.execute(table.insert(), [row() if callable(row) else row
                                          for row in rows.values()])
        for name, inserted in self.inserts.items():
            conn.execute(tables[name].insert(), inserted)
        self.upserts.clear()
        self.inserts.clear()


class SqlProjection:
    """A named read model. Subclasses define tables and `apply`; bump `version` when the
    tables or their meaning change, and the projector rebuilds it from position 0."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    topics: ClassVar[tuple[str, ...]] = ()

    #: Whether `apply` needs the aggregate as of the event (replayed once per event, shared).
    needs_aggregate: ClassVar[bool] = False

    def __init__(self, app: Application[Any], metadata: MetaData) -> None:
        self.app = app
        self.tables: dict[str, Table] = {t.name: t for t in self.define_tables(metadata)}

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        raise NotImplementedError

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        """Record what `event` (stored at `position`) changes; `aggregate` is its state after
        the event when `needs_aggregate`, else None."""
        raise NotImplementedError
