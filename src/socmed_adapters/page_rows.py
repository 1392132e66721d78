"""The hottest read-model listings as JSON-ready rows: the content board's pages and the
audit index's entries, as the HTTP API serves them on every request.

`ReadModels.content_list` and `_audit_entries` build a SQLAlchemy statement, let SQLAlchemy
process every column of every row, make value objects (`ContentSummary`, `AuditEntry`), and
the API then turns those back into plain data: for a page of 50 that was most of a request's
CPU. Here each shape of query (which filters are present) is compiled once per process and
run on the driver's own connection, and each row goes straight to the dict the API renders,
with the same keys, in the same order, holding the same values that rendering the value
object gives (times as ISO 8601 in UTC, lists for the platforms): the answers are equal,
only cheaper (docs/decisions.md, "The API's read path").
"""

from __future__ import annotations

import json
import sqlite3
import threading
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, and_, bindparam, select, tuple_

from socmed_adapters.projections.sqltypes import UtcDateTime

#: The content board's columns in the order of `ContentSummary`'s fields.
CONTENT_COLUMNS = ("item_id", "title", "status", "revision", "revision_sha256", "author_id",
                   "approved_by", "scheduled_at", "platforms", "published", "campaign_id",
                   "updated_at", "created_at")
#: The audit index's columns in the order of `AuditEntry`'s fields.
AUDIT_COLUMNS = ("position", "at", "aggregate", "aggregate_id", "version", "event_type",
                 "actor_id", "actor_role", "code", "params", "reason", "via")
#: The audit filters, in the order their conditions are written.
AUDIT_FILTERS = ("after", "as_of", "via", "item_id", "member", "event_type", "since",
                 "until")


class Statement:
    """One compiled statement and how to hand it its parameters."""

    def __init__(self, query: Any, engine: Engine, times: frozenset[str]) -> None:
        compiled = query.compile(dialect=engine.dialect)
        self.sql = compiled.string
        #: positional dialects (SQLite's qmark): the parameters' names in order
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positiontup else None)
        # UtcDateTime's own bind processor: aware to UTC (naive text on SQLite)
        to_db = UtcDateTime().dialect_impl(engine.dialect).bind_processor(engine.dialect)
        self.processors: dict[str, Callable[[Any], Any]] = (
            {name: to_db for name in times} if to_db is not None else {})

    def run(self, engine: Engine, values: dict[str, Any],
            local: Any = None) -> list[tuple[Any, ...]]:
        """The rows; on `local` (a SQLite connection of this thread's) if given, else on a
        connection from the engine's pool."""
        for name, process in self.processors.items():
            if values.get(name) is not None:
                values[name] = process(values[name])
        params: Any = (tuple(values[name] for name in self.order)
                       if self.order is not None else values)
        if local is not None:
            return list(local.execute(self.sql, params).fetchall())
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self.sql, params)
                return list(cursor.fetchall())
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool (which rolls the read back)


class PageRows:
    """The statements of one projector's tables, compiled on first use."""

    def __init__(self, engine: Engine, content: Table, audit: Table) -> None:
        self.engine = engine
        self.board = content
        self.index = audit
        self.time = utc_text(engine)
        self._statements: dict[Any, Statement] = {}
        self._lock = threading.Lock()
        #: SQLite: the read models' file, read on a read-only connection kept per thread
        #: (a statement in its own implicit transaction, no pool check-out and check-in)
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._file = (Path(database).resolve()
                      if database and not database.startswith(":memory:") else None)
        self._local = threading.local()

    def _connection(self) -> Any:
        if self._file is None:
            return None
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"{self._file.as_uri()}?mode=ro", uri=True,
                                         isolation_level=None, check_same_thread=False)
            # the read-model engine's own settings (socmed_adapters.bootstrap)
            connection.execute("PRAGMA busy_timeout = 10000")
            connection.execute("PRAGMA cache_size = -16384")
            self._local.connection = connection
        return connection

    def _statement(self, key: Any, build: Callable[[], Any],
                   times: Sequence[str]) -> Statement:
        found = self._statements.get(key)
        if found is None:
            with self._lock:
                found = self._statements.get(key)
                if found is None:
                    found = Statement(build(), self.engine, frozenset(times))
                    self._statements[key] = found
        return found

    # ------------------------------------------------------------ content board

    def content(self, status: str | None = None, platform: str | None = None,
                limit: int | None = None, after: tuple[datetime, str] | None = None,
                campaign_ids: frozenset[str] | None = None) -> list[dict[str, Any]]:
        """`ReadModels.content_list` (creation order, keyset paging by `after`), each row
        as `plain(ContentSummary)` renders it."""
        campaigns = sorted(campaign_ids) if campaign_ids is not None else None
        if campaigns == []:
            return []  # an agency member assigned to no campaign sees no content
        key = ("content", status is not None and status != "", bool(platform),
               limit is not None, after is not None,
               None if campaigns is None else len(campaigns))
        statement = self._statement(key, lambda: self._content_query(*key[1:]),
                                    ("after_at",))
        values: dict[str, Any] = {}
        if after is not None:
            values["after_at"], values["after_id"] = after
        if status:
            values["status"] = status
        if platform:
            values["platform"] = f"%{platform}%"
        for number, campaign in enumerate(campaigns or ()):
            values[f"campaign_{number}"] = campaign
        if limit is not None:
            values["limit"], values["offset"] = limit, 0
        time = self.time
        return [{"item_id": r[0], "title": r[1], "status": r[2], "revision": r[3],
                 "revision_sha256": r[4], "author_id": r[5], "approved_by": r[6],
                 "scheduled_at": time(r[7]),
                 "platforms": [p for p in r[8].split(",") if p],
                 "published": [p for p in r[9].split(",") if p],
                 "campaign_id": r[10], "updated_at": time(r[11]),
                 "created_at": time(r[12])}
                for r in statement.run(self.engine, values, self._connection())]

    def _content_query(self, status: bool, platform: bool, limit: bool, after: bool,
                       campaigns: int | None) -> Any:
        table = self.board
        query = select(*(table.c[name] for name in CONTENT_COLUMNS)).order_by(
            table.c.created_at, table.c.item_id)
        if after:
            query = query.where(tuple_(table.c.created_at, table.c.item_id) > tuple_(
                bindparam("after_at", type_=UtcDateTime), bindparam("after_id")))
        if status:
            query = query.where(table.c.status == bindparam("status"))
        if platform:
            query = query.where(table.c.platforms.like(bindparam("platform")))
        if campaigns is not None:
            query = query.where(table.c.campaign_id.in_(
                [bindparam(f"campaign_{n}") for n in range(campaigns)]))
        if limit:
            query = query.limit(bindparam("limit")).offset(bindparam("offset"))
        return query

    # ------------------------------------------------------------- audit index

    def audit(self, *, item_id: str | None = None, member: str | None = None,
              event_type: str | None = None, since: datetime | None = None,
              until: datetime | None = None, limit: int | None = None,
              after: int | None = None, as_of: datetime | None = None,
              via: str | None = None) -> list[dict[str, Any]]:
        """`ReadModels._audit_entries` (log order, keyset paging by position), each entry
        as `plain(AuditEntry)` renders it."""
        given = {"after": after, "as_of": as_of, "via": via, "item_id": item_id,
                 "member": member, "event_type": event_type, "since": since,
                 "until": until}
        present = tuple(given[name] is not None for name in AUDIT_FILTERS)
        key = ("audit", present, limit is not None)
        statement = self._statement(key, lambda: self._audit_query(present, limit is not None),
                                    ("as_of", "since", "until"))
        values = {name: value for name, value in given.items() if value is not None}
        if limit is not None:
            values["limit"], values["offset"] = limit, 0
        time, loads = self.time, json.loads
        return [{"position": r[0], "at": time(r[1]), "aggregate": r[2],
                 "aggregate_id": r[3], "version": r[4], "event_type": r[5],
                 "actor_id": r[6], "actor_role": r[7], "code": r[8],
                 "params": loads(r[9]), "reason": r[10], "via": r[11]}
                for r in statement.run(self.engine, values, self._connection())]

    def _audit_query(self, present: tuple[bool, ...], limit: bool) -> Any:
        table = self.index
        c = table.c
        conditions = {
            "after": lambda: c.position > bindparam("after"),
            "as_of": lambda: c.at <= bindparam("as_of", type_=UtcDateTime),
            "via": lambda: c.via_kind == bindparam("via"),
            "item_id": lambda: c.aggregate_id == bindparam("item_id"),
            "member": lambda: c.actor_id == bindparam("member"),
            "event_type": lambda: c.event_type == bindparam("event_type"),
            "since": lambda: c.at >= bindparam("since", type_=UtcDateTime),
            "until": lambda: c.at < bindparam("until", type_=UtcDateTime),
        }
        query = select(*(c[name] for name in AUDIT_COLUMNS)).order_by(c.position)
        chosen = [conditions[name]() for name, on in zip(AUDIT_FILTERS, present, strict=True)
                  if on]
        if chosen:
            query = query.where(and_(*chosen))
        if limit:
            query = query.limit(bindparam("limit")).offset(bindparam("offset"))
        return query


def utc_text(engine: Engine) -> Callable[[Any], str | None]:
    """What a UtcDateTime column's stored value renders as in JSON: the ISO 8601 text of
    the UTC time (`datetime.isoformat()`, as the API renders every time).

    SQLite keeps these times as text (`2026-01-06 18:54:00.000000`, UTC): rewriting the text
    gives the same characters as parsing it and formatting the time (`2026-01-06T18:54:00
    +00:00`, the fraction only when not zero), at a fraction of the cost; a value in any
    other form goes through the column type."""
    dialect = engine.dialect
    column = UtcDateTime()
    # the decorator's processor: the driver's value, then process_result_value (to UTC)
    process = column.dialect_impl(dialect).result_processor(dialect, None)

    def through_type(value: Any) -> str | None:
        if value is None:
            return None
        moment: Any = (process(value) if process is not None
                       else column.process_result_value(value, dialect))
        return str(moment.isoformat())

    if dialect.name != "sqlite":
        return through_type

    def from_text(value: Any) -> str | None:
        if (type(value) is str and len(value) == 26 and value[10] == " "
                and value[19] == "."):
            fraction = value[20:]
            if fraction == "000000":
                return f"{value[:10]}T{value[11:19]}+00:00"
            return f"{value[:10]}T{value[11:19]}.{fraction}+00:00"
        return through_type(value)

    return from_text


_by_projector: weakref.WeakKeyDictionary[Any, PageRows] = weakref.WeakKeyDictionary()
_made = threading.Lock()


def page_rows(projector: Any) -> PageRows:
    """The projector's `PageRows` (one per projector, so statements are compiled once)."""
    found = _by_projector.get(projector)
    if found is None:
        with _made:
            found = _by_projector.get(projector)
            if found is None:
                found = PageRows(projector.engine, projector.table("content_board"),
                                 projector.table("audit_index"))
                _by_projector[projector] = found
    return found
