"""Runs projections: catch up from the tracked position, report lag, drop and rebuild.

SQLite cannot push notifications, so catching up is a pull: read the notification log after
the tracked position in batches; for each batch apply every event and record the new position
in one transaction. The same loop serves PostgreSQL; `follow()` adds a live mode there using
the recorder's LISTEN/NOTIFY subscription. A killed process resumes from the last committed
batch, and a rebuild is just catch-up from position 0 after dropping the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from attrs import frozen
from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking
import time

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError as SqlIntegrityError
from sqlalchemy.exc import OperationalError, ProgrammingError

from socmed_adapters.projections.audit_index import AuditIndex
from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.content_board import ContentBoard
from socmed_adapters.projections.publication_log import PublicationLog
from socmed_adapters.projections.tracking import SqlTrackingRecorder, tracking_table

PROJECTION_CLASSES: tuple[type[SqlProjection], ...] = (ContentBoard, PublicationLog, AuditIndex)
BATCH = 1000
Progress = Callable[[str, int, int], None]  # (projection, position, head)


@frozen
class ProjectionStatus:
    name: str
    position: int
    head: int
    version: int
    stored_version: int | None

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)

    @property
    def needs_rebuild(self) -> bool:
        return self.stored_version is not None and self.stored_version != self.version


class Projector:
    """Keeps the SQL read models of one application up to date."""

    def __init__(self, app: Application[Any], engine: Engine, schema: str | None = None,
                 classes: Sequence[type[SqlProjection]] = PROJECTION_CLASSES) -> None:
        self.app = app
        self.engine = engine
        self.metadata = MetaData(schema=schema)
        tracking_table(self.metadata)
        self.versions = Table(
            "socmed_projection_versions", self.metadata,
            Column("projection", String(100), primary_key=True),
            Column("version", Integer, nullable=False))
        self.projections = {cls.name: cls(app, self.metadata) for cls in classes}
        self.trackers = {name: SqlTrackingRecorder(engine, name, self.metadata, create=False)
                         for name in self.projections}
        self._create_tables()

    def _create_tables(self) -> None:
        """CREATE IF NOT EXISTS races between processes starting together; the loser of
        the race sees 'already exists' and simply checks again."""
        for attempt in range(5):
            try:
                self.metadata.create_all(self.engine)
                self._record_versions()
                return
            except (OperationalError, ProgrammingError, SqlIntegrityError):
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))

    # ------------------------------------------------------------- queries

    def names(self) -> list[str]:
        return list(self.projections)

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def status(self) -> list[ProjectionStatus]:
        head = self.head()
        with self.engine.connect() as conn:
            stored = dict(conn.execute(select(self.versions.c.projection,
                                              self.versions.c.version)).all())
            return [ProjectionStatus(name, self.trackers[name].position(conn, self.app.name) or 0,
                                     head, projection.version, stored.get(name))
                    for name, projection in self.projections.items()]

    # ------------------------------------------------------------ catching up

    def catch_up(self, names: Iterable[str] | None = None, batch: int = BATCH,
                 progress: Progress | None = None) -> dict[str, int]:
        """Apply every new event to each projection; returns events applied per projection."""
        applied = {}
        for name in self._select(names):
            if any(s.name == name and s.needs_rebuild for s in self.status()):
                self.rebuild(name, batch=batch, progress=progress)
                applied[name] = self.head()
                continue
            applied[name] = self._catch_up_one(name, batch, progress)
        return applied

    def _catch_up_one(self, name: str, batch: int, progress: Progress | None) -> int:
        projection = self.projections[name]
        tracker = self.trackers[name]
        head = self.head()
        with self.engine.connect() as conn:
            position = tracker.position(conn, self.app.name) or 0
        applied = 0
        races = 0
        while position < head:
            page = self.app.recorder.select_notifications(
                start=position + 1, limit=batch, stop=head, topics=projection.topics)
            last = page[-1].id if page else head
            if len(page) < batch:
                last = head  # nothing else up to head matches the topics
            writer = BatchWriter()
            try:
                with self.engine.begin() as conn:
                    for notification in page:
                        event = self.app.mapper.to_domain_event(notification)
                        projection.apply(writer, event, notification.id)
                    writer.flush(conn, projection.tables)
                    tracker.record(conn, Tracking(self.app.name, last))
            except (IntegrityError, SqlIntegrityError):
                # Another process applied this batch first: its rows and position stand,
                # ours rolled back. Start again from where it got to.
                projection.reset()
                races += 1
                if races > 100:
                    raise
                with self.engine.connect() as conn:
                    position = tracker.position(conn, self.app.name) or 0
                continue
            except BaseException:
                projection.reset()  # the cache may hold state of the rolled-back batch
                raise
            applied += len(page)
            position = last
            if progress is not None:
                progress(name, position, head)
        return applied

    def rebuild(self, name: str, batch: int = BATCH, progress: Progress | None = None) -> int:
        """Drop the projection's tables and position, recreate them, replay from 0."""
        projection = self.projections[name]
        with self.engine.begin() as conn:
            for table in reversed(list(projection.tables.values())):
                table.drop(conn, checkfirst=True)
            self.trackers[name].forget(conn)
            for table in projection.tables.values():
                table.create(conn)
            conn.execute(self.versions.delete().where(self.versions.c.projection == name))
            conn.execute(self.versions.insert().values(projection=name,
                                                       version=projection.version))
        projection.reset()
        return self._catch_up_one(name, batch, progress)

    def follow(self, stop: Any = None, batch: int = BATCH) -> None:  # pragma: no cover - loop
        """Keep catching up as events arrive (PostgreSQL pushes; SQLite is polled)."""
        while stop is None or not stop.is_set():
            self.catch_up(batch=batch)
            time.sleep(0.5)

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of a read-model table in key order (for comparing rebuilds)."""
        for projection in self.projections.values():
            if table in projection.tables:
                t = projection.tables[table]
                with self.engine.connect() as conn:
                    return [tuple(r) for r in conn.execute(
                        select(t).order_by(*t.primary_key.columns)).all()]
        raise KeyError(table)

    def table(self, name: str) -> Table:
        for projection in self.projections.values():
            if name in projection.tables:
                return projection.tables[name]
        raise KeyError(name)

    def _select(self, names: Iterable[str] | None) -> list[str]:
        if names is None:
            return list(self.projections)
        chosen = list(names)
        unknown = [n for n in chosen if n not in self.projections]
        if unknown:
            raise KeyError(", ".join(unknown))
        return chosen

    def _record_versions(self) -> None:
        with self.engine.begin() as conn:
            stored = dict(conn.execute(select(self.versions.c.projection,
                                              self.versions.c.version)).all())
            for name, projection in self.projections.items():
                if name not in stored:
                    conn.execute(self.versions.insert().values(projection=name,
                                                               version=projection.version))
