"""A rebuild shared by several processes: one process per group of projections.

A rebuild is a reset followed by a catch-up from position 0, and every projection keeps its
own position; so groups of projections can catch up side by side, each in its own process,
each batch committing its rows and its group's positions together exactly as a catch-up in
one process does. A killed rebuild therefore resumes as before (the next catch-up carries
on from each projection's position).

Groups: the projections that need the aggregate replayed share one replay, so they stay
together; the ones that do not (the audit index) are another group. Each process reads and
decodes the log itself: decoding is the price of not shipping decoded events between
processes (pickling them costs more than decoding them again).

The children are fresh interpreters (never a fork: the parent may hold database connections
and a follower thread) and die with the parent (PR_SET_PDEATHSIG), so a rebuild killed with
-9 leaves no process behind that would go on writing.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic

from socmed_domain.transcoding import SocmedTranscoding

#: The persistence modules another process can open (not the in-memory one).
SHAREABLE = ("sqlite", "postgres")


class LogReader(SocmedTranscoding, Application[UUID]):
    """What a rebuilding process needs of the application: its log, its mapper (the same
    transcoder and value types as `SocmedApplication`) and its repository (for aggregates
    the replay cache no longer holds)."""


def share_of(originator_id: UUID | str, parts: int) -> int:
    """The partition (of `parts`) an aggregate's events belong to: the id's low 16 bits
    modulo `parts` (the id modulo `parts` when `parts` divides 65,536, as 2 does). The
    recorders select the same share in SQL (`select_share`)."""
    value = originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))
    return (value.int & 0xFFFF) % parts


#: The id's low 16 bits in SQL: SQLite keeps ids as hex text, PostgreSQL as uuid.
_SQLITE_LOW16 = " + ".join(
    f"(instr('0123456789abcdef', lower(substr(originator_id, {-k}, 1))) - 1) * {16 ** (k - 1)}"
    for k in (4, 3, 2, 1))
_POSTGRES_LOW16 = "('x' || right(originator_id::text, 4))::bit(16)::int"


def select_share(recorder: Any, start: int, limit: int, stop: int, topics: Sequence[str],
                 partition: tuple[int, int]) -> Sequence[Notification] | None:
    """The next `limit` notifications from `start` to `stop` of the aggregates in
    `partition` (share k of n, `share_of`), selected by the database, so a process of a
    parallel rebuild does not read and build the other processes' events; None for a
    recorder this does not know (the caller filters a whole page instead). The rows are
    built as the recorder's own `select_notifications` builds them."""
    share, parts = partition
    if isinstance(recorder, SQLiteApplicationRecorder):
        params: list[Any] = [start, stop, parts, share]
        where = f"rowid>=? AND rowid<=? AND ({_SQLITE_LOW16}) % ? = ? "
        if topics:
            where += f"AND topic IN ({','.join('?' * len(topics))}) "
            params += list(topics)
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT rowid, * FROM {recorder.events_table_name} WHERE {where}"
                      "ORDER BY rowid LIMIT ?", [*params, limit])
            return [Notification(id=row["rowid"],
                                 originator_id=recorder.convert_originator_id(
                                     row["originator_id"]),
                                 originator_version=row["originator_version"],
                                 topic=row["topic"], state=row["state"])
                    for row in c.fetchall()]
    if "eventsourcing.postgres" not in sys.modules:  # no PostgreSQL recorder was made:
        return None  # importing psycopg only to ask would cost a SQLite process 15 MB
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg.sql import SQL, Identifier

    if isinstance(recorder, PostgresApplicationRecorder):
        statement = SQL("SELECT * FROM {schema}.{table} WHERE notification_id >= %s AND "
                        "notification_id <= %s AND " + _POSTGRES_LOW16 + " %% %s = %s").format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name))
        params = [start, stop, parts, share]
        if topics:
            statement += SQL(" AND topic = ANY(%s)")
            params.append(list(topics))
        statement += SQL(" ORDER BY notification_id LIMIT %s")
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [*params, limit], prepare=True)
            return [Notification(id=row["notification_id"],
                                 originator_id=row["originator_id"],
                                 originator_version=row["originator_version"],
                                 topic=row["topic"], state=bytes(row["state"]))
                    for row in curs.fetchall()]
    return None


def recipe(projector: Any) -> dict[str, Any] | None:
    """How another process opens the same log and read models, or None when it cannot
    (an in-memory store, an application of another kind)."""
    app = projector.app
    module = str(app.env.get("PERSISTENCE_MODULE", ""))
    if not any(kind in module for kind in SHAREABLE):
        return None
    if str(projector.engine.url).startswith("sqlite://") and projector.engine.url.database in (
            None, "", ":memory:"):
        return None
    env = {**dict(app.env), "CREATE_TABLE": "n"}
    return {
        "name": app.name,
        "env": env,
        "url": projector.engine.url.render_as_string(hide_password=False),
        "schema": projector.metadata.schema,
        "classes": [get_topic(type(p)) for p in projector.projections.values()],
    }


def run_partitions(how: dict[str, Any], names: list[str], processes: int, batch: int,
                   stop: int) -> list[int]:
    """Process k of `processes` applies the events up to `stop` of the aggregates in share
    k (`share_of`), to every projection of `names`; returns the events each
    applied.

    Each child is a fresh interpreter running `rebuild_child.child_main` (not
    multiprocessing: its
    'spawn' re-imports the caller's main module, which a script or `python -c` need not
    guard), given its recipe on stdin and printing its count on stdout."""
    children = []
    groups = [names] * processes
    for share in range(processes):
        child = subprocess.Popen(
            [sys.executable, "-c",
             "from socmed_adapters.projections.rebuild_child import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdin is not None
        child.stdin.write(json.dumps({**how, "names": names, "batch": batch, "stop": stop,
                                      "partition": [share, processes],
                                      "parent": os.getpid()}))
        child.stdin.close()
        children.append(child)
    counts: list[int] = []
    failed: list[str] = []
    try:
        for child, group in zip(children, groups, strict=True):
            assert child.stdout is not None
            output = child.stdout.read()
            if child.wait() != 0:
                failed.append(f"{', '.join(group)} (share {len(failed) + len(counts)})")
            else:
                counts.append(json.loads(output.strip().splitlines()[-1])["events"])
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    if failed:
        raise RuntimeError(f"rebuild of {'; '.join(failed)} failed in its process "
                           "(its error is above); catch-up resumes from the positions")
    return counts


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this child when the parent dies (a rebuild killed with -9 leaves no
    writer behind); elsewhere nothing more than the check below."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


