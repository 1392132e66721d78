"""eventsourcing's PostgreSQL (psycopg 3) application recorder, sealing each event into the
audit chain in the same transaction (sealing.py), with inserts serialised by a
transaction-scoped advisory lock instead of the library's table lock. Passes the library's
ApplicationRecorderTestCase.

Why the advisory lock: the library takes `LOCK TABLE ... IN EXCLUSIVE MODE` so that the
transactions that insert events are numbered and committed one at a time (a reader tailing
the notification log must never pass a position that a slower transaction fills in later).
PostgreSQL grants that lock only to roles holding UPDATE, DELETE, TRUNCATE or MAINTAIN on the
table, so the documented append-only role (INSERT and SELECT only, docs/scaling.md) could not
write. `pg_advisory_xact_lock` on one key per event table serialises the same writers in the
same place (before the INSERT draws its notification ids, released at commit or rollback),
needs no table privilege, and leaves reads unblocked as before. Every writer of the table is
this recorder, so every writer takes the key; a writer that bypasses socmed to insert rows
is a tamperer, and the chain reports what it wrote (see docs/decisions.md).

One round trip for the insert and the chain's head: the statement that inserts the events
also returns the chain's mode row and newest link (`INSERT ... RETURNING` in a CTE beside two
scalar subqueries). It runs after the advisory lock in the same transaction, so the head it
sees is the one no other writer can move before this transaction commits; the links are then
computed here and inserted, pipelined with the COMMIT. A save costs the round trips of the
library's own recorder (the insert's sync and the commit), where reading the head with a
statement of its own cost a third.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier, Literal

from socmed_adapters.audit.chain import CHAIN_TABLE, MODE_POSITION
from socmed_adapters.audit.sealing import ChainHead, Sealer, create_statements


def advisory_key(schema: str, table: str) -> int:
    """A stable signed 64-bit key per event table (schema-qualified), for pg_advisory locks."""
    digest = hashlib.sha256(f"socmed events {schema}.{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class _Cursor:
    def __init__(self, curs: Cursor[DictRow]) -> None:
        self.curs = curs

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        self.curs.execute(statement, tuple(params))
        row = self.curs.fetchone()
        return tuple(row.values()) if row is not None else None

    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.curs.executemany(statement, [tuple(r) for r in rows])


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = self.datastore.schema
        quoted = '"' + schema.replace('"', '""') + '".'
        self.sealer = Sealer(quoted, "%s")
        for statement in create_statements("bigint", quoted):
            self.sql_create_statements.append(SQL(statement).format())
        # The library's SET LOCAL, lock and NOTIFY in one statement (a statement less to
        # send, parse and answer per save): the subquery in FROM sets the timeout before
        # the lock is waited for (a subquery with a volatile function is not flattened).
        # The statements a save runs are rendered to bytes once: psycopg renders a composed
        # statement again on every execution and parses it for its placeholders, but keeps
        # the parse of a bytes statement (measured: ~7% of a command's server CPU).
        self.lock_table_statements = [SQL(
            "SELECT pg_advisory_xact_lock({key}), pg_notify({channel}, '') "
            "FROM (SELECT set_config('lock_timeout', {timeout}, true)) AS timeout").format(
            key=Literal(advisory_key(schema, events_table_name)),
            channel=Literal(self.channel_name),
            timeout=Literal(f"{self.datastore.lock_timeout}s")).as_bytes(None)]
        if self.datastore.enable_db_functions:  # the library's function inserts unsealed
            raise ValueError("the audit chain's recorder does not use ENABLE_DB_FUNCTIONS")
        chain = SQL("{0}.{1}").format(Identifier(schema), Identifier(CHAIN_TABLE))
        events = SQL("{0}.{1}").format(Identifier(schema), Identifier(events_table_name))
        self.insert_with_head_statement = SQL(
            "WITH new AS ({insert}) SELECT new.notification_id, "
            "(SELECT link FROM {chain} WHERE position = {mode}) AS marker, "
            "(SELECT link FROM {chain} WHERE position > {mode} "
            "ORDER BY position DESC LIMIT 1) AS previous, "
            "ARRAY(SELECT (SELECT max(e.originator_version) FROM {events} e "
            "WHERE e.originator_id = x.id) FROM unnest(%s::{id_type}[]) "
            "WITH ORDINALITY AS x(id, n) ORDER BY x.n) AS versions "
            "FROM new ORDER BY new.notification_id").format(
            insert=self.insert_events_statement, chain=chain, mode=Literal(MODE_POSITION),
            events=events, id_type=Identifier(self.datastore.originator_id_type)
        ).as_bytes(None)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], *,
                      unchanged: Mapping[UUID, int | None] | None = None, **kwargs: Any
                      ) -> Sequence[int] | None:
        """The library's pipelined transaction (lock, notify, insert and the chain's head
        in one round trip; the links and the COMMIT in a second), rolled back whatever
        goes wrong inside it: the library's own keeps the transaction going after an
        exception it catches and raises later, which committed the events of a writer the
        sealer refused (a keyed store without its key) with no link.

        `unchanged`: aggregates that must still be at these versions (the newest version
        stored; None: none stored) when the events are recorded, checked in the same
        statement under the writers' lock; otherwise nothing is stored and IntegrityError
        is raised, as for a conflict on the events' own aggregates (see `checks_unchanged`)."""
        if not stored_events:
            return []
        expected = dict(unchanged or {})
        failure: Exception | None = None
        ids: list[int] = []
        with self.datastore.get_connection() as conn:  # (it translates psycopg's errors)
            with conn.pipeline() as pipeline:
                try:
                    with conn.transaction(), conn.cursor() as curs:
                        self._lock_table(curs)
                        self._notify_channel(curs)
                        curs.execute(self.insert_with_head_statement, ([
                            self.construct_pg_stored_event(
                                s.originator_id, s.originator_version, s.topic, s.state)
                            for s in stored_events], list(expected)), prepare=True)
                        pipeline.sync()  # a duplicate version raises IntegrityError here
                        ids = self._seal_inserted(curs, stored_events, expected)
                except Exception as error:  # raised once the pipeline is closed (no warning)
                    failure = error
            if failure is not None:
                raise failure
        self.sealer.committed()
        return ids

    def _notify_channel(self, curs: Cursor[DictRow]) -> None:
        """Nothing: the lock statement notifies (pg_notify, as NOTIFY does at commit)."""

    #: `insert_events` takes `unchanged` (the kernel then keeps its team without a read
    #: before each command: a stale one fails the save and the command is decided again).
    checks_unchanged = True

    def _seal_inserted(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       expected: Mapping[UUID, int | None]) -> list[int]:
        rows = curs.fetchall()
        if len(rows) != len(stored_events):
            raise ProgrammingError(f"Couldn't get all notification IDs (got {len(rows)}, "
                                   f"expected {len(stored_events)})")
        found = rows[0]["versions"] or []
        if expected and list(expected.values()) != found:
            raise IntegrityError("an aggregate read for this decision has changed since")
        ids = [row["notification_id"] for row in rows]
        self.sealer.seal(_Cursor(curs), ids, [
            (position, s.originator_id, s.originator_version, s.topic, s.state)
            for position, s in zip(ids, stored_events, strict=True)],
            ChainHead(rows[0]["marker"], rows[0]["previous"]))
        return ids

    def wait_for_commits(self, woken: Callable[[], None], stopped: Callable[[], bool]
                         ) -> None:
        """Call `woken` whenever a save is committed (by any process: every save notifies
        the table's channel), until `stopped()`: what the projection follower listens for.
        Unlike the library's subscription, which selects the new notifications after every
        wake (a query per commit, which its listener then throws away), this only wakes."""
        with self.datastore.get_connection() as conn:
            conn.execute(SQL("LISTEN {0}").format(Identifier(self.channel_name)))
            while not stopped():
                # at most 0.1 s per wait, so that `stopped` is looked at regularly
                for _ in conn.notifies(timeout=0.1, stop_after=1):
                    woken()

    def select_events_of(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every event of these aggregates in one query, by aggregate then version."""
        if not originator_ids:
            return []
        statement = SQL("SELECT * FROM {0}.{1} WHERE originator_id = ANY(%s) "
                        "ORDER BY originator_id, originator_version").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [list(originator_ids)])
            return [StoredEvent(originator_id=row["originator_id"],
                                originator_version=row["originator_version"],
                                topic=row["topic"], state=bytes(row["state"]))
                    for row in curs.fetchall()]


class ChainedPostgresFactory(PostgresFactory):
    application_recorder_class = ChainedPostgresApplicationRecorder
