"""eventsourcing's own ApplicationRecorderTestCase against our chain-sealing recorders, on a
SQLite file and on PostgreSQL, plus a check that every event they stored is sealed."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse
from uuid import uuid4

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase

from socmed_adapters.audit.postgres_store import ChainedPostgresApplicationRecorder
from socmed_adapters.audit.sqlite_store import ChainedSQLiteApplicationRecorder
from tests.conftest import POSTGRES_URL, PostgresSchema, require_postgres


class SelectEventsOf:
    """`select_events_of`: every event of many aggregates in one read, grouped by aggregate
    in version order, absent ids left out (what a batch of ingestion reads)."""

    def create_recorder(self) -> ApplicationRecorder: ...

    def test_select_events_of_many_aggregates(self) -> None:
        recorder = self.create_recorder()
        ids = [uuid4() for _ in range(5)]
        rows = [StoredEvent(originator_id=aggregate, originator_version=version,
                            topic="topic", state=f"{index}:{version}".encode())
                for index, aggregate in enumerate(ids[:4]) for version in (1, 2, 3)]
        recorder.insert_events(rows[::-1][:6])  # out of order, two calls
        recorder.insert_events(rows[::-1][6:])
        absent = uuid4()
        found = recorder.select_events_of([ids[2], absent, ids[0], ids[4]])  # type: ignore[attr-defined]
        assert {e.originator_id for e in found} == {ids[0], ids[2]}
        for aggregate in (ids[0], ids[2]):
            versions = [e.originator_version for e in found if e.originator_id == aggregate]
            assert versions == [1, 2, 3]
        grouped = [e.originator_id for e in found]
        assert grouped == sorted(grouped, key=grouped.index)  # each aggregate contiguous
        assert recorder.select_events_of([]) == []  # type: ignore[attr-defined]

    def test_select_events_of_more_ids_than_one_statement_takes(self) -> None:
        recorder = self.create_recorder()
        ids = [uuid4() for _ in range(2100)]
        recorder.insert_events([StoredEvent(originator_id=i, originator_version=1,
                                            topic="topic", state=b"{}") for i in ids])
        found = recorder.select_events_of(ids)  # type: ignore[attr-defined]
        assert {e.originator_id for e in found} == set(ids)


class TestChainedSQLiteApplicationRecorder(SelectEventsOf, ApplicationRecorderTestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.db = Path(self.tmp.name) / "events.sqlite"
        self.recorders: list[ChainedSQLiteApplicationRecorder] = []
        self.threads_before = set(threading.enumerate())

    def tearDown(self) -> None:
        # The library's concurrency cases signal their reader threads to stop but do not
        # join them; closing the database under a reader that is still mid-query crashes
        # sqlite3. Wait for them first.
        for thread in set(threading.enumerate()) - self.threads_before - _daemons():
            thread.join(timeout=10)
        for recorder in self.recorders:
            recorder.datastore.close()
        self.tmp.cleanup()

    def create_recorder(self) -> ApplicationRecorder:
        # pool_size as in eventsourcing's own SQLite recorder tests: the concurrency cases
        # read and write from many threads at once.
        recorder = ChainedSQLiteApplicationRecorder(
            SQLiteDatastore(db_name=str(self.db), pool_size=100))
        recorder.create_table()
        self.recorders.append(recorder)
        return recorder

    def test_every_stored_event_is_sealed(self) -> None:
        self.test_insert_select()
        recorder = self.recorders[-1]
        with recorder.datastore.transaction(commit=False) as c:
            c.execute("SELECT COUNT(*) FROM stored_events")
            events = c.fetchone()[0]
            c.execute("SELECT COUNT(*) FROM socmed_audit_chain")
            links = c.fetchone()[0]
        assert events and events == links


class TestChainedPostgresApplicationRecorder(SelectEventsOf, ApplicationRecorderTestCase):
    def setUp(self) -> None:
        require_postgres()
        self.schema = PostgresSchema()
        url = urlparse(POSTGRES_URL)
        self.datastore = PostgresDatastore(
            dbname=url.path.lstrip("/"), host=url.hostname or "127.0.0.1",
            port=url.port or 5432, user=url.username or "postgres",
            password=url.password or "", schema=self.schema.name, pool_size=4,
            max_overflow=4)
        self.threads_before = set(threading.enumerate())

    def tearDown(self) -> None:
        for thread in set(threading.enumerate()) - self.threads_before - _daemons():
            thread.join(timeout=10)
        self.datastore.close()
        self.schema.drop()

    def create_recorder(self) -> ApplicationRecorder:
        recorder = ChainedPostgresApplicationRecorder(self.datastore,
                                                      events_table_name="stored_events")
        recorder.create_table()
        return recorder


def _daemons() -> set[threading.Thread]:
    """Connection-pool workers are daemons that live as long as the pool; the test's reader
    threads are not."""
    return {thread for thread in threading.enumerate() if thread.daemon}
