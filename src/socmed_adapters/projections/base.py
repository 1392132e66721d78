"""The projection base: tables, a replay cache, and a batch writer.

A projection never re-implements domain rules: where a read model needs an aggregate's state
(the content board's status, the approver of a published post) it replays the event onto the
aggregate with the domain's own `mutate`, through `ReplayCache`. Rows are collected per batch
and written at the end of it, so a batch of 500 events costs a few statements, not 500.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any, ClassVar

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError
from sqlalchemy import Connection, MetaData, Table
from sqlalchemy.engine import Dialect


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
        """Write the batch through the database driver (`BulkTable`): one prepared statement
        per table and kind, executed for every row, instead of SQLAlchemy's per-row
        parameter processing. Deletes come before inserts, as an upsert replaces a row.

        The driver's own integrity error (another process wrote the same rows first) is
        raised as the event store's `IntegrityError`, the one the projector's race handling
        catches: SQLAlchemy does not wrap errors raised through the raw cursor."""
        cursor = conn.connection.cursor()
        dialect = conn.dialect
        try:
            for (name, column), groups in self.groups.items():
                bulk = BulkTable.of(tables[name], dialect)
                bulk.delete_where(cursor, column, list(groups))
                bulk.insert(cursor, [row for make in groups.values() for row in make()])
            for name, rows in self.upserts.items():
                bulk = BulkTable.of(tables[name], dialect)
                bulk.delete_keys(cursor, list(rows))
                bulk.insert(cursor, [row() if callable(row) else row for row in rows.values()])
            for name, inserted in self.inserts.items():
                BulkTable.of(tables[name], dialect).insert(cursor, inserted)
        except dialect.loaded_dbapi.IntegrityError as error:
            raise IntegrityError(str(error)) from error
        finally:
            cursor.close()
        self.groups.clear()
        self.upserts.clear()
        self.inserts.clear()


class BulkTable:
    """A table's rows written through the DB-API cursor with pre-converted parameters.

    Each column's value goes through the bind processor SQLAlchemy itself would use for
    this dialect (so `UtcDateTime`, booleans and the rest are stored exactly as an ORM-less
    `table.insert()` stores them), and a column missing from a row takes its scalar
    default, as SQLAlchemy's insert does. Statements are built once per table and dialect
    and kept in `table.info`, so any projection's tables get the bulk path unchanged."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.name = dialect.identifier_preparer.format_table(table)
        self.columns = [c.name for c in table.columns]
        self.defaults: dict[str, Any] = {}
        for column in table.columns:
            default = column.default
            if column.server_default is not None or (
                    default is not None and not getattr(default, "is_scalar", False)):
                raise ValueError(f"{table.name}.{column.name}: only scalar defaults in bulk")
            if default is not None:
                self.defaults[column.name] = getattr(default, "arg", None)
        self.processors = {c.name: p for c in table.columns
                           if (p := _bind_processor(c.type, dialect)) is not None}
        self.key = [c.name for c in table.primary_key.columns]
        self.mark = mark
        self.quote = quote
        self.insert_sql = (f"INSERT INTO {self.name} ({', '.join(quote(c) for c in self.columns)})"
                           f" VALUES ({', '.join([mark] * len(self.columns))})")
        #: PostgreSQL loads rows fastest by COPY (row triggers still fire, constraints hold)
        self.copy_sql = (f"COPY {self.name} ({', '.join(quote(c) for c in self.columns)}) "
                         "FROM STDIN" if dialect.name == "postgresql" else None)
        self.delete_key_sql = (f"DELETE FROM {self.name} WHERE "
                               + " AND ".join(f"{quote(k)} = {mark}" for k in self.key))
        processed = [(i, self.processors[c]) for i, c in enumerate(self.columns)
                     if c in self.processors]
        # a column missing from a row: its default, NULL when nullable, else an error
        getters = [(c, self.defaults.get(c, None if column.nullable else _REQUIRED))
                   for c, column in zip(self.columns, table.columns, strict=True)]

        named = itemgetter(*self.columns)
        every = named if len(self.columns) > 1 else (lambda row: (named(row),))

        def values(row: dict[str, Any]) -> tuple[Any, ...]:
            try:
                out = list(every(row))  # the common case: a row that names every column
            except KeyError:
                out = [row[c] if d is _REQUIRED else row.get(c, d) for c, d in getters]
            for i, process in processed:
                value = out[i]
                if value is not None:
                    out[i] = process(value)
            return tuple(out)

        self.values = values

    @classmethod
    def of(cls, table: Table, dialect: Dialect) -> BulkTable:
        plans = table.info.setdefault("socmed_bulk", {})
        plan = plans.get(dialect.name)
        if plan is None:
            plan = plans[dialect.name] = cls(table, dialect)
        return plan  # type: ignore[no-any-return]

    def insert(self, cursor: Any, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        values = self.values
        if self.copy_sql is not None and len(rows) > 1:
            with cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(values(row))
            return
        cursor.executemany(self.insert_sql, [values(row) for row in rows])

    def delete_keys(self, cursor: Any, keys: list[tuple[Any, ...]]) -> None:
        if keys:
            cursor.executemany(self.delete_key_sql, [
                self._bound(self.key, key) for key in keys])

    def delete_where(self, cursor: Any, column: str, values: list[Any]) -> None:
        if values:
            cursor.executemany(
                f"DELETE FROM {self.name} WHERE {self.quote(column)} = {self.mark}",
                [self._bound([column], (value,)) for value in values])

    def _bound(self, columns: list[str], values: tuple[Any, ...]) -> tuple[Any, ...]:
        processors = self.processors
        return tuple(processors[c](v) if c in processors and v is not None else v
                     for c, v in zip(columns, values, strict=True))


_REQUIRED = object()


def _bind_processor(column_type: Any, dialect: Dialect) -> Any:
    """A type's own bulk processor when it has one (same values, one step), else the
    processor SQLAlchemy builds for the dialect."""
    bulk = getattr(column_type, "bulk_bind", None)
    return bulk(dialect) if bulk is not None else column_type._cached_bind_processor(dialect)


class SqlProjection:
    """A named read model. Subclasses define tables and `apply`; bump `version` when the
    tables or their meaning change, and the projector rebuilds it from position 0."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    topics: ClassVar[tuple[str, ...]] = ()

    #: Whether `apply` needs the aggregate as of the event (replayed once per event, shared).
    needs_aggregate: ClassVar[bool] = False

    #: Whether a rebuild may share the aggregates out between processes: true when each
    #: row is written only from the events of one aggregate (whatever the other
    #: aggregates' events), so applying each aggregate's events in order, aggregates
    #: side by side, gives the rows applying the whole log in order gives.
    partitionable: ClassVar[bool] = False

    def __init__(self, app: Application[Any], metadata: MetaData) -> None:
        self.app = app
        self.tables: dict[str, Table] = {t.name: t for t in self.define_tables(metadata)}

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        raise NotImplementedError

    def writer(self) -> BatchWriter:
        """A batch's writer for this projection's rows."""
        return BatchWriter()

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        """Record what `event` (stored at `position`) changes; `aggregate` is its state after
        the event when `needs_aggregate`, else None."""
        raise NotImplementedError
