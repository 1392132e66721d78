"""Where each projection has got to in the event log, kept in the read-model database.

`SqlTrackingRecorder` is an eventsourcing TrackingRecorder on SQLAlchemy (it passes the
library's own TrackingRecorderTestCase): one row per (projection, upstream application) holding
the last applied notification id. Positions only move forward; a repeat or an older position
raises IntegrityError, which is what makes 'exactly once' hold.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite


def tracking_table(metadata: MetaData) -> Table:
    return Table(
        "socmed_projection_tracking", metadata,
        Column("projection", String(100), primary_key=True),
        Column("application_name", String(100), primary_key=True),
        Column("notification_id", Integer, nullable=False),
    )


class SqlTrackingRecorder(TrackingRecorder):
    """Tracking positions for one projection, in a SQLAlchemy database."""

    def __init__(self, engine: Engine, projection: str, metadata: MetaData | None = None,
                 create: bool = True) -> None:
        self.engine = engine
        self.projection = projection
        self.metadata = metadata or MetaData()
        existing = [t for t in self.metadata.tables.values()
                    if t.name == "socmed_projection_tracking"]
        self.table = existing[0] if existing else tracking_table(self.metadata)
        if create:
            self.table.create(engine, checkfirst=True)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.engine.begin() as conn:
            self.record(conn, tracking)

    def record(self, conn: Connection, tracking: Tracking) -> None:
        """Move the position forward inside the caller's transaction."""
        current = self.position(conn, tracking.application_name)
        if current is not None and tracking.notification_id <= current:
            raise IntegrityError(
                f"{self.projection} is at {current}: cannot record {tracking.notification_id}")
        statement: Any
        if current is None:
            insert = (postgresql.insert if conn.dialect.name == "postgresql"
                      else sqlite.insert)(self.table)
            statement = insert.values(
                projection=self.projection, application_name=tracking.application_name,
                notification_id=tracking.notification_id).on_conflict_do_nothing()
        else:
            statement = update(self.table).where(
                self.table.c.projection == self.projection,
                self.table.c.application_name == tracking.application_name,
                self.table.c.notification_id == current,
            ).values(notification_id=tracking.notification_id)
        written = conn.execute(statement.returning(self.table.c.notification_id)).all()
        if len(written) != 1:
            raise IntegrityError(f"{self.projection}: position moved concurrently")

    def position(self, conn: Connection, application_name: str) -> int | None:
        return conn.execute(select(self.table.c.notification_id).where(
            self.table.c.projection == self.projection,
            self.table.c.application_name == application_name)).scalar()

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.engine.connect() as conn:
            return self.position(conn, application_name)

    def forget(self, conn: Connection) -> None:
        """Drop this projection's position, and those of its partitions (before a rebuild)."""
        conn.execute(self.table.delete().where(self.table.c.projection == self.projection))
        conn.execute(self.table.delete().where(
            self.table.c.projection.like(f"{self.projection}{PARTITION_MARK}%")))


#: Separates a projection's name from its partition in the tracking table: a parallel
#: rebuild's process k of n tracks "name#k/n" (projector.py, parallel.py).
PARTITION_MARK = "#"


def partition_name(name: str, partition: tuple[int, int]) -> str:
    return f"{name}{PARTITION_MARK}{partition[0]}/{partition[1]}"


def split_partition(tracked: str) -> tuple[str, tuple[int, int] | None]:
    base, mark, part = tracked.partition(PARTITION_MARK)
    if not mark:
        return tracked, None
    share, _, parts = part.partition("/")
    return base, (int(share), int(parts))
