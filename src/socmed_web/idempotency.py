"""`Idempotency-Key` on command requests: a retried POST does its work once.

The first request with a key claims it by inserting a row (the primary key is the member and
the key, so two concurrent requests cannot both claim it; the database decides), carries out
the command and stores the response. A retry with the same key and the same request gets the
stored response back; one arriving while the first is still running waits for it (bounded)
and then replays it. The same key with a different request is refused. A refusal (4xx) is a
stored outcome like any other; an unexpected failure releases the key, since nothing was
recorded and the client should be free to try again.

The table lives in the store's own database (beside the read models: the PostgreSQL schema,
or the SQLite read-model file), so every worker process sees the same keys.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from socmed_domain.errors import SocmedError

#: How long a key is remembered (a retry after that runs again).
KEEP_FOR = timedelta(hours=24)
#: How long a duplicate waits for the first request to finish before it is told to retry.
WAIT_SECONDS = 30.0
MAX_KEY_LENGTH = 200


class IdempotencyError(SocmedError):
    pass


def idempotency_table(metadata: MetaData, schema: str | None) -> Table:
    return Table(
        "http_idempotency", metadata,
        Column("member_id", String(64), primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("state", String(16), nullable=False),  # running | done
        Column("status", Integer, nullable=True),
        Column("body", Text, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        schema=schema,
    )


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.engine = engine
        self.table = idempotency_table(MetaData(), schema)
        self.table.create(engine, checkfirst=True)

    def run(self, member_id: str, key: str | None, print_: str,
            command: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
        """(status, body) of `command`, carried out at most once per (member, key)."""
        if key is None:
            return command()
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            from socmed_domain.errors import InvalidInputError

            raise InvalidInputError("error.bad_request", detail="Idempotency-Key")
        t = self.table
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(t.c.member_id == member_id, t.c.key == key,
                                         t.c.created_at < now - KEEP_FOR))
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(t).values(member_id=member_id, key=key,
                                              fingerprint=print_, state="running",
                                              created_at=now))
        except IntegrityError:
            return self._replay(member_id, key, print_)
        try:
            status, body = command()
        except SocmedError as error:
            self._finish(member_id, key, -1, {"error": type(error).__name__,
                                              "code": error.code, "params": _params(error)})
            raise
        except BaseException:
            with self.engine.begin() as conn:
                conn.execute(delete(t).where(t.c.member_id == member_id, t.c.key == key))
            raise
        self._finish(member_id, key, status, body)
        return status, body

    def _finish(self, member_id: str, key: str, status: int, body: Any) -> None:
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.member_id == member_id, t.c.key == key).values(
                state="done", status=status, body=json.dumps(body, default=str)))

    def _replay(self, member_id: str, key: str, print_: str) -> tuple[int, Any]:
        t = self.table
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            with self.engine.connect() as conn:
                row = conn.execute(select(t).where(t.c.member_id == member_id,
                                                   t.c.key == key)).mappings().first()
            if row is None:  # the first attempt failed unexpectedly and released the key
                raise IdempotencyError("error.idempotency_pending", key=key)
            if row["fingerprint"] != print_:
                raise IdempotencyError("error.idempotency_reused", key=key)
            if row["state"] == "done":
                body = json.loads(row["body"])
                if row["status"] == -1:
                    raise _refusal(body)
                return int(row["status"]), body
            if time.monotonic() > deadline:
                raise IdempotencyError("error.idempotency_pending", key=key)
            time.sleep(0.05)


def _params(error: SocmedError) -> dict[str, Any]:
    return {k: (v if isinstance(v, int | float | str) else str(v))
            for k, v in error.params.items()}


def _refusal(stored: dict[str, Any]) -> SocmedError:
    """The stored refusal, raised again with the same class, code and parameters."""
    import socmed_domain.access.rules as rules
    import socmed_domain.errors as errors

    cls = getattr(errors, stored["error"], None) or getattr(rules, stored["error"], None)
    if not (isinstance(cls, type) and issubclass(cls, SocmedError)):
        cls = SocmedError
    error = cls.__new__(cls)
    SocmedError.__init__(error, stored["code"], **stored["params"])
    return error
