"""The durable webhook inbox: every delivery the HTTP receiver takes, kept before it is
acknowledged, then processed by a worker.

One table, `socmed_webhook_deliveries`, in the same database as the events (the SQLite
events file, or the PostgreSQL database and schema of the event store), so a delivery is kept
exactly as long and as safely as the events it becomes; the read-model file, which may be
deleted and rebuilt, holds none. A row has the raw body (the signature covers its bytes),
the headers needed to check it again, the platform, when it arrived, the signature verdict,
its processing state, how many attempts were made and the last error.

States:

| state | meaning |
|---|---|
| `pending` | signed and readable: waiting for (or under) processing, or for its next retry |
| `done` | processed into the inbox (`result` has the counts) |
| `failed` | given up (a permanent error, or `max_attempts`); `socmed worker retry` |
| `refused` | never processed: unsigned, bad or stale signature, no secret, unreadable |

Claiming is what makes processing safe against a worker killed at any point: a claim is a
committed lease (`claimed_by`, `claimed_until`, `attempts + 1`), processing is idempotent
(ingestion skips messages already in the inbox by their platform id), and `finish` commits
`done` only for the claim still held. A worker killed after processing but before `finish`
leaves a row whose lease runs out; the next claim processes it again and adds nothing.
"""

from __future__ import annotations

import json
import uuid
import weakref
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    or_,
    select,
    text,
    update,
)

from socmed_adapters.projections.sqltypes import UtcDateTime

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

TABLE = "socmed_webhook_deliveries"
PENDING, DONE, FAILED, REFUSED = "pending", "done", "failed", "refused"
STATES = (PENDING, DONE, FAILED, REFUSED)
#: Signature verdicts: `valid`, or why the delivery was refused.
VALID, UNSIGNED, BAD_SIGNATURE, STALE, NO_SECRET = (
    "valid", "unsigned", "bad_signature", "stale", "no_secret")
VERDICTS = (VALID, UNSIGNED, BAD_SIGNATURE, STALE, NO_SECRET)
#: The verdict of each signature refusal's error code.
VERDICT_OF = {"error.webhook_unsigned": UNSIGNED, "error.webhook_bad_signature": BAD_SIGNATURE,
              "error.webhook_stale": STALE, "error.webhook_no_secret": NO_SECRET}


def _table(metadata: MetaData) -> Table:
    return Table(
        TABLE, metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
               autoincrement=True),
        Column("platform", String(16), nullable=False),
        Column("received_at", UtcDateTime, nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("headers", Text, nullable=False),  # JSON: the signature header, content type
        Column("verdict", String(16), nullable=False),
        Column("state", String(16), nullable=False),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", UtcDateTime, nullable=True),
        Column("claimed_by", String(64), nullable=True),
        Column("claimed_until", UtcDateTime, nullable=True),
        Column("last_error", Text, nullable=True),
        Column("processed_at", UtcDateTime, nullable=True),
        Column("result", Text, nullable=True),  # JSON counts of a processed delivery
        Index(f"{TABLE}_due", "state", "next_attempt_at"),
    )


@frozen
class NewDelivery:
    """A delivery as received, with its verdict and first state."""

    platform: str
    received_at: datetime
    body: bytes
    headers: Mapping[str, str]
    verdict: str
    state: str
    last_error: str | None = None


@frozen
class Delivery:
    """A recorded delivery."""

    id: int
    platform: str
    received_at: datetime
    body: bytes
    headers: Mapping[str, str]
    verdict: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    processed_at: datetime | None
    result: Mapping[str, Any] | None


@frozen
class Claim:
    """Deliveries one worker holds until `until` (or until it finishes them)."""

    token: str
    until: datetime
    deliveries: tuple[Delivery, ...]


@frozen
class InboxStatus:
    """How the inbox stands: counts per state, the oldest delivery waiting, and the
    deliveries that failed or are being retried (with their last error)."""

    counts: Mapping[str, int]
    oldest_pending: datetime | None
    retrying: tuple[Delivery, ...]
    failed: tuple[Delivery, ...]

    def as_json(self) -> dict[str, Any]:
        def brief(row: Delivery) -> dict[str, Any]:
            return {"id": row.id, "platform": row.platform,
                    "received_at": row.received_at.isoformat(), "attempts": row.attempts,
                    "next_attempt_at": row.next_attempt_at.isoformat()
                    if row.next_attempt_at else None, "last_error": row.last_error}

        return {"counts": dict(self.counts),
                "oldest_pending": self.oldest_pending.isoformat()
                if self.oldest_pending else None,
                "retrying": [brief(r) for r in self.retrying],
                "failed": [brief(r) for r in self.failed]}


#: One inbox (one engine) per store's Services: the receiver, the worker and the status
#: command of one process share it (for the in-memory store, it is the only way they meet).
_INBOXES: weakref.WeakKeyDictionary[Any, WebhookInbox] = weakref.WeakKeyDictionary()


def _now() -> datetime:
    return datetime.now(UTC)


class WebhookInbox:
    """The table and the operations on it. Thread-safe (each call takes its own connection
    from the engine's pool)."""

    def __init__(self, engine: Engine, schema: str | None = None, *,
                 create: bool = True) -> None:
        self.engine = engine
        self.table = _table(MetaData(schema=schema))
        if create:
            self.table.create(engine, checkfirst=True)

    @classmethod
    def of(cls, services: Any, *, create: bool = True) -> WebhookInbox:
        """The inbox of a store: in the SQLite events file, or beside the PostgreSQL event
        tables (same database, same schema)."""
        import os

        known = _INBOXES.get(services.app)
        if known is not None:
            return known
        create = create and os.environ.get("SOCMED_CREATE_TABLES") != "n"
        made = cls._made(services, create)
        _INBOXES[services.app] = made
        return made

    @classmethod
    def _made(cls, services: Any, create: bool) -> WebhookInbox:
        storage = services.storage
        if storage.kind == "postgres":
            return cls(services.engine, storage.schema, create=create)
        if storage.kind == "sqlite":
            assert storage.data_dir is not None
            from socmed_adapters.datadir import EVENTS_FILE

            return cls(sqlite_engine(str(storage.data_dir / EVENTS_FILE)), create=create)
        return cls(sqlite_engine(None), create=create)

    # ---------------------------------------------------------------- receiving

    def record(self, deliveries: Sequence[NewDelivery]) -> list[int]:
        """Keep deliveries in one transaction (one commit, one fsync, for a group of
        concurrent requests); their ids in order. Returns once committed."""
        if not deliveries:
            return []
        rows = [{"platform": d.platform, "received_at": d.received_at, "body": d.body,
                 "headers": json.dumps(dict(d.headers), ensure_ascii=False),
                 "verdict": d.verdict, "state": d.state, "attempts": 0,
                 "next_attempt_at": d.received_at if d.state == PENDING else None,
                 "last_error": d.last_error} for d in deliveries]
        with self.engine.begin() as conn:
            if len(rows) == 1:
                key = conn.execute(self.table.insert(), rows[0]).inserted_primary_key
                assert key is not None
                return [int(key[0])]
            if conn.dialect.name == "postgresql":
                return self._record_postgres(conn, rows)
            found = conn.execute(
                self.table.insert().returning(self.table.c.id, sort_by_parameter_order=True),
                rows)
            return [int(row[0]) for row in found]

    def _record_postgres(self, conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
        """Ids from the sequence, then every row in one INSERT ... SELECT FROM unnest(...):
        two short statements whatever the group's size, prepared once by the server (a
        multi-row VALUES list is a new, long statement for every group size, parsed each
        time, and a pipelined executemany waits on the server once per row)."""
        name = f"{self.table.schema}.{TABLE}" if self.table.schema else TABLE
        ids = [int(i) for i in conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                 "FROM generate_series(1, :n)"), {"t": name, "n": len(rows)}).scalars()]
        quoted = ".".join(f'"{part}"' for part in name.split("."))
        columns = {"id": "bigint", "platform": "varchar", "received_at": "timestamptz",
                   "body": "bytea", "headers": "text", "verdict": "varchar",
                   "state": "varchar", "attempts": "int", "next_attempt_at": "timestamptz",
                   "last_error": "text"}
        arrays = ", ".join(f"CAST(:{c} AS {kind}[])" for c, kind in columns.items())
        values: dict[str, list[Any]] = {"id": ids}
        for column in columns:
            if column != "id":
                values[column] = [row[column] for row in rows]
        conn.execute(text(f"INSERT INTO {quoted} ({', '.join(columns)}) "
                          f"SELECT * FROM unnest({arrays})"), values)
        return ids

    # ---------------------------------------------------------------- processing

    def claim(self, worker: str, *, limit: int = 20, lease: timedelta = timedelta(seconds=60),
              max_attempts: int = 8, now: datetime | None = None) -> Claim:
        """Take up to `limit` due deliveries for `lease`: committed before any is processed.
        A delivery whose worker died `max_attempts` times is given up as failed here."""
        now = now or _now()
        t = self.table
        token = f"{worker[:27]}:{uuid.uuid4().hex}"
        free = or_(t.c.claimed_until.is_(None), t.c.claimed_until < now)
        due = (t.c.state == PENDING) & (t.c.next_attempt_at <= now) & free
        with self.engine.begin() as conn:
            conn.execute(update(t).where(due, t.c.attempts >= max_attempts).values(
                state=FAILED, claimed_by=None, claimed_until=None,
                last_error=func.coalesce(t.c.last_error + "; ", "") + f"given up after "
                f"{max_attempts} attempts (the worker stopped during processing)"))
            ids = list(conn.execute(select(t.c.id).where(due).order_by(t.c.id).limit(limit)
                                    .with_for_update(skip_locked=True)).scalars())
            if not ids:
                return Claim(token, now + lease, ())
            # The conditions again: on SQLite another worker may have claimed since the
            # select (PostgreSQL's row locks already exclude it).
            conn.execute(update(t).where(t.c.id.in_(ids), due).values(
                claimed_by=token, claimed_until=now + lease, attempts=t.c.attempts + 1))
            rows = conn.execute(select(t).where(t.c.claimed_by == token).order_by(t.c.id))
            return Claim(token, now + lease, tuple(_delivery(row) for row in rows))

    def finish(self, claim: Claim, delivery_id: int, result: Mapping[str, Any],
               now: datetime | None = None) -> bool:
        """Mark a claimed delivery done; False when the claim was lost (its lease ran out
        and another worker took it: that one finishes it, adding nothing)."""
        t = self.table
        with self.engine.begin() as conn:
            done = conn.execute(update(t).where(t.c.id == delivery_id,
                                                t.c.claimed_by == claim.token).values(
                state=DONE, processed_at=now or _now(), claimed_by=None, claimed_until=None,
                result=json.dumps(dict(result), ensure_ascii=False), last_error=None))
            return bool(done.rowcount)

    def fail(self, claim: Claim, delivery_id: int, error: str, *,
             retry_at: datetime | None) -> bool:
        """Record a failed attempt: retried at `retry_at`, or given up (`retry_at` None)."""
        t = self.table
        values: dict[str, Any] = {"claimed_by": None, "claimed_until": None,
                                  "last_error": error[:2000]}
        if retry_at is None:
            values["state"] = FAILED
        else:
            values["next_attempt_at"] = retry_at
        with self.engine.begin() as conn:
            changed = conn.execute(update(t).where(t.c.id == delivery_id,
                                                   t.c.claimed_by == claim.token).values(
                **values))
            return bool(changed.rowcount)

    def retry(self, ids: Sequence[int] = (), now: datetime | None = None) -> int:
        """Put failed deliveries (these, or all) back to pending, their attempts reset."""
        t = self.table
        where = t.c.state == FAILED
        if ids:
            where = where & t.c.id.in_(list(ids))
        with self.engine.begin() as conn:
            return int(conn.execute(update(t).where(where).values(
                state=PENDING, attempts=0, next_attempt_at=now or _now())).rowcount)

    # ---------------------------------------------------------------- reading

    def get(self, delivery_id: int) -> Delivery | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.table).where(self.table.c.id == delivery_id)).first()
            return None if row is None else _delivery(row)

    def all(self) -> list[Delivery]:
        with self.engine.connect() as conn:
            return [_delivery(r) for r in conn.execute(select(self.table).order_by(
                self.table.c.id))]

    def status(self, limit: int = 20) -> InboxStatus:
        t = self.table
        with self.engine.connect() as conn:
            counts = {state: 0 for state in STATES}
            for state, count in conn.execute(select(t.c.state, func.count()).group_by(
                    t.c.state)):
                counts[str(state)] = int(count)
            oldest = conn.execute(select(func.min(t.c.received_at)).where(
                t.c.state == PENDING)).scalar()
            retrying = conn.execute(select(t).where(
                t.c.state == PENDING, t.c.last_error.is_not(None)).order_by(t.c.id).limit(limit))
            retrying_rows = tuple(_delivery(r) for r in retrying)
            failed = conn.execute(select(t).where(t.c.state == FAILED).order_by(
                t.c.id.desc()).limit(limit))
            failed_rows = tuple(_delivery(r) for r in failed)
        if isinstance(oldest, str):  # SQLite hands an aggregate back as text
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return InboxStatus(counts, oldest, retrying_rows, failed_rows)


def _delivery(row: Any) -> Delivery:
    m = row._mapping
    return Delivery(id=int(m["id"]), platform=m["platform"], received_at=m["received_at"],
                    body=bytes(m["body"]), headers=json.loads(m["headers"]),
                    verdict=m["verdict"], state=m["state"], attempts=int(m["attempts"]),
                    next_attempt_at=m["next_attempt_at"], last_error=m["last_error"],
                    processed_at=m["processed_at"],
                    result=json.loads(m["result"]) if m["result"] else None)


def sqlite_engine(path: str | None) -> Engine:
    """An engine on the SQLite events file: WAL (as the event store has it), a busy timeout
    so the receiver, the worker and the event store wait for each other instead of failing,
    and synchronous=FULL: a delivery acknowledged is on disk, even after a power cut."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    if path is None:  # the in-memory store: one connection shared by every thread
        engine = create_engine("sqlite://", poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would start transactions late (at the first
        # write): BEGIN IMMEDIATE below takes the write lock at the start, so a claim's
        # select and update see the same rows.
        connection.isolation_level = None
        cursor = connection.cursor()
        if path is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
