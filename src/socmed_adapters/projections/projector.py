"""Runs projections: catch up from the tracked position, report lag, drop and rebuild.

SQLite cannot push notifications, so catching up is a pull: read the notification log after
the tracked position in batches; for each batch apply every event and record the new position
in one transaction. The same loop serves PostgreSQL; `follow()` adds a live mode there using
the recorder's LISTEN/NOTIFY subscription. A killed process resumes from the last committed
batch, and a rebuild is just catch-up from position 0 after dropping the tables.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from attrs import frozen
from eventsourcing.application import Application
from eventsourcing.domain import AggregateEvent
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    cast,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError as SqlIntegrityError
from sqlalchemy.exc import OperationalError, ProgrammingError

from socmed_adapters.projections.audit_index import AuditIndex
from socmed_adapters.projections.base import BatchWriter, ReplayCache, SqlProjection
from socmed_adapters.projections.content_board import ContentBoard
from socmed_adapters.projections.content_calendar import ContentCalendar
from socmed_adapters.projections.history import HISTORY_CLASSES, fuse
from socmed_adapters.projections.inbox import Inbox
from socmed_adapters.projections.incidents import Incidents
from socmed_adapters.projections.parallel import recipe, run_partitions, select_share, share_of
from socmed_adapters.projections.post_metrics import PostMetrics
from socmed_adapters.projections.publication_log import PublicationLog
from socmed_adapters.projections.tracking import (
    SqlTrackingRecorder,
    partition_name,
    split_partition,
    tracking_table,
)

PROJECTION_CLASSES: tuple[type[SqlProjection], ...] = (
    ContentBoard, PublicationLog, AuditIndex, ContentCalendar, PostMetrics, Inbox, Incidents,
    *HISTORY_CLASSES)
BATCH = 1000
#: Processes a full rebuild may use (one per group of projections, `parallel.py`).
REBUILD_PROCESSES = 2
PARALLEL_FROM = 50_000
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
        #: One catch-up at a time in this process: the HTTP API serves requests on a thread
        #: pool, and the replay cache is not shared safely (other processes race through
        #: the tracking positions instead).
        self._catching_up = threading.RLock()
        self.metadata = MetaData(schema=schema)
        tracking_table(self.metadata)
        self.versions = Table(
            "socmed_projection_versions", self.metadata,
            Column("projection", String(100), primary_key=True),
            Column("version", Integer, nullable=False))
        self.projections = {cls.name: cls(app, self.metadata) for cls in classes}
        self.cache = ReplayCache(app)
        self._indexes_checked = False
        #: A running `Follower` (socmed_adapters.projections.follower) catches up in the
        #: background; `catch_up` then only waits for it.
        self.follower: Any = None
        #: Answers computed from the read models, kept while the follower's position is
        #: the same (see ReadModels.monthly_report_for).
        self.memo: dict[Any, Any] = {}
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
            stored: dict[str, int] = {row[0]: row[1] for row in conn.execute(
                select(self.versions.c.projection, self.versions.c.version)).all()}
            positions = self._all_positions(conn)
        return [ProjectionStatus(name, positions.get(name, 0), head, projection.version,
                                 stored.get(name))
                for name, projection in self.projections.items()]

    def _all_positions(self, conn: Any) -> dict[str, int]:
        """Every projection's position in one query (they share one tracking table). A
        projection whose parallel rebuild has not been folded yet is where its least
        advanced partition is; each partition is also listed under its own name."""
        return _positions_of(self._tracking_rows(conn))

    def _pass_state(self, conn: Any) -> tuple[dict[str, int], dict[str, int]]:
        """(stored version, tracked position) of every projection and partition, in one
        statement: what a catch-up needs to know before it starts."""
        table = next(iter(self.trackers.values())).table
        statement = union_all(
            select(self.versions.c.projection, self.versions.c.version,
                   cast(null(), Integer).label("position")),
            select(table.c.projection, cast(null(), Integer), table.c.notification_id)
            .where(table.c.application_name == self.app.name))
        stored: dict[str, int] = {}
        rows: dict[str, int] = {}
        for name, version, position in conn.execute(statement).all():
            if version is not None:
                stored[name] = version
            else:
                rows[name] = position or 0
        return stored, rows

    def _tracking_rows(self, conn: Any) -> dict[str, int]:
        if not self.trackers:
            return {}
        table = next(iter(self.trackers.values())).table
        return {row[0]: row[1] or 0 for row in conn.execute(
            select(table.c.projection, table.c.notification_id)
            .where(table.c.application_name == self.app.name)).all()}

    def _up_to_date(self, chosen: list[str]) -> bool:
        """Whether every chosen projection is at the head, at its code's version, with its
        indexes checked: the common case of a read, answered in three small queries
        (an API read catches up first, so this runs on every request)."""
        if not self._indexes_checked:
            return False
        statuses = {s.name: s for s in self.status()}
        return all(statuses[name].position >= statuses[name].head
                   and not statuses[name].needs_rebuild for name in chosen)

    # ------------------------------------------------------------ catching up

    def catch_up(self, names: Iterable[str] | None = None, batch: int = BATCH,
                 progress: Progress | None = None) -> dict[str, int]:
        """Apply every new event to each projection; returns events applied per projection.

        Projections at the same position share one pass over the log: each event is read
        and decoded once, and all their rows and positions commit in one transaction.

        While a follower runs, this waits until it has passed the log's head as this call
        found it (every event committed before the read, by any process) instead of
        catching up here: a reader then pays one max(id) when the read models are current
        (docs/decisions.md)."""
        follower = self.follower
        if follower is not None and follower.running and progress is None:
            self._select(names)  # unknown names are still refused
            # everything committed before this read, by this process or any other: the
            # log's head is one max(id); this process's own writes need not even that
            follower.wait_for(max(getattr(self.app, "written", 0), self.head()))
            return {}
        if self._up_to_date(self._select(names)):
            return {}  # only reads: no need to wait for the other threads' catch-up
        with self._catching_up:
            return self._catch_up(names, batch, progress)

    def memoised(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """`compute()`, reused while the follower's position stays the same: for answers
        that are a function of the log (the monthly report, the campaign list of a work
        queue) and cost more than a query. Without a running follower, computed each time.
        The position is part of the key, so an answer computed while the log moved on is
        never served for the new position."""
        follower = self.follower
        if follower is None or not follower.running:
            return compute()
        self.catch_up()  # this process's own writes first
        position = follower.position
        memo = self.memo
        if memo.get("position") != position or len(memo) > 1_000:
            memo.clear()
            memo["position"] = position
        found = memo.get((position, *key))
        if found is None:
            found = compute()
            memo[(position, *key)] = found
        return found

    def catch_up_now(self, batch: int = BATCH, head: int | None = None) -> dict[str, int]:
        """Catch every projection up here and now (the follower's own step), to `head` if
        the caller has just read it (default: the log's head, read here)."""
        with self._catching_up:
            return self._catch_up(None, batch, None, head)

    def _catch_up(self, names: Iterable[str] | None, batch: int,
                  progress: Progress | None, head: int | None = None) -> dict[str, int]:
        """The fixed part of a catch-up is one read of the stored versions and positions
        (`_pass_state`), from which it decides what to reset, whether a parallel rebuild
        is to be folded and where each group starts: the follower pays it after every
        batch of commands (docs/decisions.md, "Commands over HTTP")."""
        chosen = self._select(names)
        with self.engine.connect() as conn:
            stored, rows = self._pass_state(conn)
        stale = [name for name in chosen if stored.get(name, self.projections[name].version)
                 != self.projections[name].version]
        if stale:
            self._reset(stale, without_indexes=True)
        # a parallel rebuild that was killed (or has just finished) leaves partition rows
        if stale or self._finish_partitions(chosen, batch, rows):
            positions = self._positions(chosen)
        else:
            known = _positions_of(rows)
            positions = {name: known.get(name, 0) for name in chosen}
        applied: dict[str, int] = {}
        for position in sorted(set(positions.values())):
            group = [name for name in chosen if positions[name] == position]
            count = self._catch_up_group(group, batch, progress, stop=head, start=position)
            applied.update(dict.fromkeys(group, count))
        if stale or not self._indexes_checked:
            # Rebuilds load without secondary indexes; a rebuild killed half-way left none.
            self._ensure_indexes(chosen)
            self._indexes_checked = True
        return applied

    def rebuild(self, name: str | Iterable[str], batch: int = BATCH,
                progress: Progress | None = None, processes: int | None = None) -> int:
        """Drop the projections' tables and positions, recreate them, replay from 0.

        Secondary indexes are built after the rows are loaded (a bulk load into indexed
        tables costs far more); a rebuild killed half-way gets them back on the next
        catch-up. With more than one process (default: one per core, at most
        `REBUILD_PROCESSES`), a log of `PARALLEL_FROM` events or more (below, starting
        the processes costs more than it saves) and a store another process can open,
        the aggregates are
        shared out: process k of N applies the events of the aggregates in share k
        (`parallel.share_of`: the id modulo N for N = 2), to every projection being
        rebuilt, tracking its own position (`parallel.py`); a progress callback keeps the
        rebuild in this process."""
        names = [name] if isinstance(name, str) else self._select(name)
        self._reset(names, without_indexes=True)
        if processes is None:
            processes = min(os.cpu_count() or 1, REBUILD_PROCESSES)
        shared = [n for n in names if self.projections[n].partitionable]
        stop = self.head()
        how = (recipe(self) if progress is None and processes > 1 and shared
               and stop >= PARALLEL_FROM else None)
        count = 0
        if how is not None:
            count = sum(run_partitions(how, shared, processes, batch, stop))
            self._finish_partitions(shared, batch)
            names = [n for n in names if n not in shared]
        if names:
            count = max(count, self._catch_up_group(names, batch, progress))
        self._ensure_indexes([*shared, *names])
        self._analyze([*shared, *names])
        return count

    def _analyze(self, names: list[str]) -> None:
        """PostgreSQL plans from table statistics, and a table loaded in bulk has none
        until autovacuum gets to it: without them a page query on a rebuilt 1M-row
        audit index was planned as a scan (p50 26 ms instead of under 1 ms)."""
        if self.engine.dialect.name != "postgresql":
            return
        preparer = self.engine.dialect.identifier_preparer
        with self.engine.begin() as conn:
            for name in names:
                for table in self.projections[name].tables.values():
                    conn.exec_driver_sql(f"ANALYZE {preparer.format_table(table)}")

    def _finish_partitions(self, names: list[str], batch: int,
                           rows: dict[str, int] | None = None) -> bool:
        """Bring the partitions of a parallel rebuild (killed, or just finished) to one
        position, then fold them into each projection's own position; `rows`: the tracking
        rows as just read. Whether there were any."""
        if rows is None:
            with self.engine.connect() as conn:
                rows = self._tracking_rows(conn)
        found: dict[str, dict[tuple[int, int], int]] = {}
        for row_name, position in rows.items():
            base, part = split_partition(row_name)
            if part is not None and base in names:
                found.setdefault(base, {})[part] = position
        if not found:
            return False
        for parts in found.values():  # a process killed before its first commit: from 0
            for count in {n for _share, n in parts}:
                for share in range(count):
                    parts.setdefault((share, count), 0)
        stop = max(p for parts in found.values() for p in parts.values())
        by_partition: dict[tuple[int, int], list[str]] = {}
        for base, parts in found.items():
            for part in parts:
                by_partition.setdefault(part, []).append(base)
        for part, bases in sorted(by_partition.items()):
            tracked = [partition_name(b, part) for b in bases]
            positions = self._positions(tracked)
            for position in sorted(set(positions.values())):
                group = [b for b, t in zip(bases, tracked, strict=True)
                         if positions[t] == position]
                self._catch_up_group(group, batch, None, partition=part, stop=stop)
        table = next(iter(self.trackers.values())).table
        with self.engine.begin() as conn:
            for base in found:
                conn.execute(table.delete().where(
                    table.c.application_name == self.app.name,
                    table.c.projection.in_([partition_name(base, p) for p in found[base]])))
                self.trackers[base].forget(conn)
                self.trackers[base].record(conn, Tracking(self.app.name, stop))
        return True

    def _ensure_indexes(self, names: Iterable[str]) -> None:
        with self.engine.begin() as conn:
            for name in names:
                for table in self.projections[name].tables.values():
                    for index in table.indexes:
                        index.create(conn, checkfirst=True)

    def _reset(self, names: list[str], without_indexes: bool = False) -> None:
        with self.engine.begin() as conn:
            for name in names:
                projection = self.projections[name]
                for table in reversed(list(projection.tables.values())):
                    table.drop(conn, checkfirst=True)
                self.trackers[name].forget(conn)
                for table in projection.tables.values():
                    table.create(conn)
                    if without_indexes:
                        for index in table.indexes:
                            index.drop(conn)
                conn.execute(self.versions.delete().where(self.versions.c.projection == name))
                conn.execute(self.versions.insert().values(projection=name,
                                                           version=projection.version))
        self.cache.clear()

    def _tracker(self, name: str) -> SqlTrackingRecorder:
        found = self.trackers.get(name)
        if found is None:  # a partition of a parallel rebuild
            found = SqlTrackingRecorder(self.engine, name, self.metadata, create=False)
        return found

    def _positions(self, names: list[str]) -> dict[str, int]:
        with self.engine.connect() as conn:
            positions = self._all_positions(conn)
        return {name: positions.get(name, 0) for name in names}

    def _catch_up_group(self, names: list[str], batch: int, progress: Progress | None,
                        partition: tuple[int, int] | None = None,
                        stop: int | None = None, start: int | None = None) -> int:
        """Apply the log after the group's position (`start`, if the caller has just read
        it) up to `stop` (default: the head).
        With `partition` (k, n), only the events of the aggregates in share k of n (selected
        by the database where the recorder allows, `parallel.select_share`), tracked under
        the partition's own positions (a parallel rebuild's share)."""
        projections = [self.projections[name] for name in names]
        tracked = names if partition is None else [partition_name(n, partition)
                                                   for n in names]
        topics: tuple[str, ...] = ()
        if all(p.topics for p in projections):
            topics = tuple(sorted({t for p in projections for t in p.topics}))
        head = self.head() if stop is None else stop
        position = min(self._positions(tracked).values()) if start is None else start
        if position >= head:
            return 0
        applied = 0
        races = 0
        with _collector_paused():
            while position < head:
                page = None
                if partition is not None:  # only this process's share, chosen in SQL
                    page = select_share(self.app.recorder, position + 1, batch, head,
                                        topics, partition)
                filtered = page is not None
                if page is None:
                    page = self.app.recorder.select_notifications(
                        start=position + 1, limit=batch, stop=head, topics=topics)
                last = page[-1].id if page else head
                if len(page) < batch:
                    last = head  # nothing else up to head matches the topics (and share)
                writers = [projection.writer() for projection in projections]
                #: a history is applied with its live projection when both are here
                calls = fuse(list(zip(projections, writers, strict=True)))
                #: the projections (with their writers) that want each topic: a projection
                #: naming its topics is not called for the others
                interested: dict[str, list[tuple[Any, BatchWriter]]] = {}
                replay = any(p.needs_aggregate for p in projections)
                if partition is not None and not filtered:
                    share, parts = partition
                    page = [n for n in page if share_of(n.originator_id, parts) == share]
                try:
                    with self.engine.begin() as conn:
                        for notification in page:
                            event = self.app.mapper.to_domain_event(notification)
                            aggregate = (self.cache.advance(event)
                                         if replay and isinstance(event, AggregateEvent)
                                         else None)
                            wanted = interested.get(notification.topic)
                            if wanted is None:
                                wanted = interested[notification.topic] = [
                                    (projection, writer) for projection, writer in calls
                                    if not projection.topics
                                    or notification.topic in projection.topics]
                            for projection, writer in wanted:
                                if aggregate is None and projection.needs_aggregate:
                                    continue
                                projection.apply(writer, event, notification.id, aggregate)
                        for projection, writer in zip(projections, writers, strict=True):
                            writer.flush(conn, projection.tables)
                        self._record_positions(conn, tracked, position, last)
                except (IntegrityError, SqlIntegrityError):
                    # Another process applied this batch first: its rows and positions
                    # stand, ours rolled back. Start again from where it got to. The replay
                    # cache stays: it holds aggregates as of events that are in the log
                    # (whoever applied them), and `advance` reloads any whose version is not
                    # the one just before the next event.
                    races += 1
                    if races > 100:
                        raise
                    positions = self._positions(tracked)
                    if partition is not None:
                        raise
                    if len(set(positions.values())) > 1:
                        return applied + sum(self._catch_up(names, batch, progress).values())
                    position = min(positions.values())
                    continue
                except BaseException:
                    self.cache.clear()  # it may hold state of the rolled-back batch
                    raise
                applied += len(page)
                position = last
                gc.collect(0)
                if progress is not None:
                    for name in names:
                        progress(name, position, head)
        return applied

    def _record_positions(self, conn: Any, names: list[str], current: int, last: int) -> None:
        """Move the group's positions from `current` to `last` inside the batch's
        transaction: one UPDATE for the whole group (every projection of a group is at the
        same position), refused like `SqlTrackingRecorder.record` when another process
        moved any of them first. A projection without a position yet records its own."""
        if current <= 0:
            for name in names:
                self._tracker(name).record(conn, Tracking(self.app.name, last))
            return
        table = next(iter(self.trackers.values())).table
        moved = conn.execute(update(table).where(
            table.c.application_name == self.app.name, table.c.projection.in_(names),
            table.c.notification_id == current).values(notification_id=last)).rowcount
        if moved != len(names):
            raise IntegrityError(f"{', '.join(names)}: positions moved concurrently")

    def follow(self, stop: threading.Event | None = None, poll_seconds: float = 0.5,
               batch: int = BATCH) -> None:
        """Keep every projection caught up until `stop` is set (or stop_following()).

        PostgreSQL pushes: the recorder's LISTEN/NOTIFY subscription wakes the loop as soon as
        an event is committed. SQLite cannot push, so it polls every `poll_seconds`."""
        stop = stop or threading.Event()
        self._stop = stop
        try:
            # Listen before catching up, so nothing committed in between is missed.
            subscription = self.app.recorder.subscribe(gt=self.head())
        except NotImplementedError:
            self.catch_up(batch=batch)
            while not stop.wait(poll_seconds):
                self.catch_up(batch=batch)
            return
        self._subscription = subscription
        self.catch_up(batch=batch)
        with subscription:
            for _notification in subscription:
                if stop.is_set():
                    break
                self.catch_up(batch=batch)

    def stop_following(self) -> None:
        stop = getattr(self, "_stop", None)
        if stop is not None:
            stop.set()
        subscription = getattr(self, "_subscription", None)
        if subscription is not None:
            subscription.stop()

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
            stored: dict[str, int] = {row[0]: row[1] for row in conn.execute(
                select(self.versions.c.projection, self.versions.c.version)).all()}
            for name, projection in self.projections.items():
                if name not in stored:
                    conn.execute(self.versions.insert().values(projection=name,
                                                               version=projection.version))


def _positions_of(rows: dict[str, int]) -> dict[str, int]:
    """Tracking rows to positions: a projection whose parallel rebuild has not been folded
    yet is where its least advanced partition is."""
    positions = dict(rows)
    for tracked, position in rows.items():
        base, part = split_partition(tracked)
        if part is not None:
            positions[base] = min(position, positions.get(base, position))
    return positions


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A rebuild allocates millions of short-lived objects and makes few cycles; the cyclic
    collector's full passes over the replay cache would cost more than the work itself.
    Young objects are still collected after every batch."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
