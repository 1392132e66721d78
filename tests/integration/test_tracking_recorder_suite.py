"""eventsourcing's own TrackingRecorderTestCase, run against our SQLAlchemy tracking recorder
on SQLite and on PostgreSQL."""

from __future__ import annotations

import tempfile
from pathlib import Path

from eventsourcing.persistence import TrackingRecorder
from eventsourcing.tests.persistence import TrackingRecorderTestCase
from sqlalchemy import MetaData, create_engine

from socmed_adapters.projections.tracking import SqlTrackingRecorder
from tests.conftest import PostgresSchema, require_postgres


class TestSqlTrackingRecorderOnSQLite(TrackingRecorderTestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.engine = create_engine(f"sqlite:///{Path(self.tmp.name) / 'tracking.sqlite'}")

    def tearDown(self) -> None:
        self.engine.dispose()
        self.tmp.cleanup()

    def create_recorder(self) -> TrackingRecorder:
        return SqlTrackingRecorder(self.engine, "suite")


class TestSqlTrackingRecorderOnPostgres(TrackingRecorderTestCase):
    def setUp(self) -> None:
        require_postgres()
        self.schema = PostgresSchema()
        url = self.schema.url.split("?")[0].replace("postgresql://", "postgresql+psycopg://")
        self.engine = create_engine(url)

    def tearDown(self) -> None:
        self.engine.dispose()
        self.schema.drop()

    def create_recorder(self) -> TrackingRecorder:
        return SqlTrackingRecorder(self.engine, "suite", MetaData(schema=self.schema.name))
