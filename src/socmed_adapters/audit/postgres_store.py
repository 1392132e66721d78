"""eventsourcing's PostgreSQL (psycopg 3) application recorder, sealing each event into the
audit chain in the same transaction, under the recorder's own table lock (so links are
computed in notification order). Passes the library's ApplicationRecorderTestCase."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from socmed_adapters.audit.chain import (
    CHAIN_TABLE,
    CHECKPOINT_EVERY,
    CHECKPOINT_TABLE,
    GENESIS,
    links_for,
)


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema)
        self.chain = SQL("{0}.{1}").format(schema, Identifier(CHAIN_TABLE))
        self.checkpoints = SQL("{0}.{1}").format(schema, Identifier(CHECKPOINT_TABLE))
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {0} (position bigint PRIMARY KEY, link text NOT NULL)"
        ).format(self.chain))
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {0} (position bigint PRIMARY KEY, link text NOT NULL)"
        ).format(self.checkpoints))

    def _fetch_ids_after_insert_events(self, curs: Cursor[DictRow],
                                       stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids
        curs.execute(SQL("SELECT link FROM {0} ORDER BY position DESC LIMIT 1").format(
            self.chain))
        row = curs.fetchone()
        previous = row["link"] if row else GENESIS
        links = links_for(previous, [
            (position, s.originator_id, s.originator_version, s.topic, s.state)
            for position, s in zip(ids, stored_events, strict=True)])
        curs.executemany(SQL("INSERT INTO {0} (position, link) VALUES (%s, %s)").format(
            self.chain), links)
        checkpoints = [pair for pair in links if pair[0] % CHECKPOINT_EVERY == 0]
        if checkpoints:
            curs.executemany(SQL("INSERT INTO {0} (position, link) VALUES (%s, %s)").format(
                self.checkpoints), checkpoints)
        return ids

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
