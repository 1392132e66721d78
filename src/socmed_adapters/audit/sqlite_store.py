"""eventsourcing's SQLite application recorder, sealing each event into the audit chain in
the same transaction (sealing.py: key mode, links, checkpoints, signed checkpoints). Passes
the library's ApplicationRecorderTestCase."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteFactory

from socmed_adapters.audit.sealing import Sealer, create_statements


class _Cursor:
    def __init__(self, c: SQLiteCursor) -> None:
        self.c = c

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        self.c.execute(statement, tuple(params))
        row = self.c.fetchone()
        return tuple(row) if row is not None else None

    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.c.executemany(statement, [tuple(r) for r in rows])


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sealer = Sealer("", "?")

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *create_statements("INTEGER")]

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        ids = super().insert_events(stored_events, **kwargs)
        self.sealer.committed()
        return ids

    #: `insert_events` takes `unchanged`, as the PostgreSQL recorder does.
    checks_unchanged = True

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], *,
                       unchanged: Mapping[UUID, int | None] | None = None, **kwargs: Any
                       ) -> Sequence[int] | None:
        """`unchanged`: aggregates that must still be at these versions (the newest stored;
        None: none stored) when the events are recorded, read after the insert has taken
        the write lock; otherwise IntegrityError and the transaction is rolled back."""
        ids = self._insert_many(c, stored_events)
        for originator_id, version in (unchanged or {}).items():
            c.execute(f"SELECT max(originator_version) FROM {self.events_table_name} "
                      "WHERE originator_id = ?", (originator_id.hex,))
            if c.fetchone()[0] != version:
                raise IntegrityError("an aggregate read for this decision has changed since")
        self.sealer.seal(_Cursor(c), ids, [
            (position, s.originator_id, s.originator_version, s.topic, s.state)
            for position, s in zip(ids, stored_events, strict=True)])
        return ids

    def _insert_many(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[int]:
        """One executemany instead of the library's statement per event. The first insert
        takes the write lock (the transaction reads nothing before it, so it never has to
        upgrade a read lock, which SQLite refuses when another writer got in between), and
        SQLite numbers each new row one past the table's largest rowid, so the batch's
        notification ids are the `len(stored_events)` ids ending at the last one inserted.
        Only past rowid 2**63-1 does SQLite pick ids at random; that is refused."""
        if not stored_events:  # the library's recorder is also asked to store nothing
            return []
        c.executemany(self.insert_events_statement, [
            (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
             s.originator_version, s.topic, s.state) for s in stored_events])
        c.execute("SELECT last_insert_rowid()")
        newest = c.fetchone()[0]
        if newest >= ROWID_CEILING:
            raise RuntimeError("the event table's rowids are exhausted")
        return list(range(newest - len(stored_events) + 1, newest + 1))

    def select_events_of(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every event of these aggregates in one query, by aggregate then version (a batch
        of ingestion loads its conversations at once instead of one query each)."""
        found: list[StoredEvent] = []
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(originator_ids), BULK_SELECT):
                chunk = [i.hex for i in originator_ids[start:start + BULK_SELECT]]
                c.execute(f"SELECT * FROM {self.events_table_name} WHERE originator_id IN "
                          f"({','.join('?' * len(chunk))}) "
                          "ORDER BY originator_id, originator_version", chunk)
                found += [StoredEvent(originator_id=self.convert_originator_id(
                    row["originator_id"]), originator_version=row["originator_version"],
                    topic=row["topic"], state=row["state"]) for row in c.fetchall()]
        return found


ROWID_CEILING = 2**63 - 1
#: Ids per IN (...) list: under SQLite's default limit of host parameters.
BULK_SELECT = 900


class ChainedSQLiteFactory(SQLiteFactory):
    application_recorder_class = ChainedSQLiteApplicationRecorder
