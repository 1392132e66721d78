"""What both chain-sealing recorders do inside the transaction that stores events: check the
store's key mode, mark a keyed store, link each event, keep the periodic checkpoints, and sign
a checkpoint when the policy says so. The recorders give it a small `Sql` adapter over their
own cursor (SQLite's `?` placeholders, psycopg's `%s`), so the logic exists once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from attrs import frozen

from socmed_adapters.audit.chain import (
    CHAIN_TABLE,
    CHECKPOINT_EVERY,
    CHECKPOINT_TABLE,
    GENESIS,
    MODE_POSITION,
    ChainModeError,
    algorithm,
    check_mode,
    current_key,
    keyed_marker,
    links_for,
)
from socmed_adapters.audit.signing import (
    SIGNED_TABLE,
    Checkpoint,
    CheckpointPolicy,
    Signer,
    load_private_key,
    sign,
    signing_key_path,
)
from socmed_adapters.audit.witness import configured_witness


def configured_signer() -> Signer | None:
    """The signer the configuration names: the private key ($SOCMED_AUDIT_SIGNING_KEY or the
    configuration directory), the checkpoint policy and the witness; None without a key."""
    path = signing_key_path()
    if path is None:
        return None
    return Signer(load_private_key(path), CheckpointPolicy.from_env(), configured_witness())


class Sql(Protocol):
    """One statement on the recorder's cursor, in the recorder's transaction."""

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...

    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None: ...


def create_statements(integer: str, prefix: str = "") -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {prefix}{CHAIN_TABLE} ("
        f"position {integer} PRIMARY KEY, link TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {prefix}{CHECKPOINT_TABLE} ("
        f"position {integer} PRIMARY KEY, link TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {prefix}{SIGNED_TABLE} ("
        f"position {integer} PRIMARY KEY, link TEXT NOT NULL, created_at TEXT NOT NULL, "
        "algorithm TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL)",
    ]


@frozen
class ChainHead:
    """The chain as the inserting statement saw it: the mode row's link (None when the
    store is unmarked) and the newest event's link (None before the first event)."""

    marker: str | None
    previous: str | None


class Sealer:
    """Per recorder: remembers that the mode row was seen (one read less per write) and
    holds, per thread, the checkpoints signed in the open transaction until it commits."""

    def __init__(self, prefix: str, placeholder: str,
                 signer_factory: Callable[[], Signer | None] = configured_signer) -> None:
        self.prefix = prefix
        self.p = placeholder
        self.signer = signer_factory()
        self._mode_seen: str | None = None
        self._local = threading.local()

    def seal(self, sql: Sql, ids: Sequence[int], rows: list[tuple[int, Any, int, str, bytes]],
             head: ChainHead | None = None) -> None:
        """Link `rows` after the chain's newest link. `head`, when the recorder read it in
        the statement that inserted the events (PostgreSQL: one round trip less), is the
        mode row and the newest link as that statement saw them, under the writers' lock;
        without it they are read here, in the same transaction."""
        self._local.pending = []
        if not ids:
            return
        chain, p = f"{self.prefix}{CHAIN_TABLE}", self.p
        key = current_key()
        marker = self._mode_seen
        if marker is None and head is not None:
            marker = head.marker
        elif marker is None:
            found = sql.one(f"SELECT link FROM {chain} WHERE position = {p}", (MODE_POSITION,))
            marker = found[0] if found else None
        problem = check_mode(marker, key)
        if problem:
            raise ChainModeError(problem)
        if marker is not None:
            self._mode_seen = marker
        elif key is not None:  # a keyed store records that it is keyed, with its first link
            sql.many(f"INSERT INTO {chain} (position, link) VALUES ({p}, {p})",
                     [(MODE_POSITION, keyed_marker(key))])
        if head is not None:
            previous = head.previous or GENESIS
        else:
            found = sql.one(f"SELECT link FROM {chain} WHERE position > {p} "
                            "ORDER BY position DESC LIMIT 1", (MODE_POSITION,))
            previous = found[0] if found else GENESIS
        links = links_for(previous, rows)
        sql.many(f"INSERT INTO {chain} (position, link) VALUES ({p}, {p})", links)
        periodic = [pair for pair in links if pair[0] % CHECKPOINT_EVERY == 0]
        if periodic:
            sql.many(f"INSERT INTO {self.prefix}{CHECKPOINT_TABLE} (position, link) "
                     f"VALUES ({p}, {p})", periodic)
        if self.signer is not None:
            self._sign(sql, links[-1])

    def _sign(self, sql: Sql, head: tuple[int, str]) -> None:
        assert self.signer is not None
        table = f"{self.prefix}{SIGNED_TABLE}"
        last = sql.one(f"SELECT position, created_at FROM {table} "
                       "ORDER BY position DESC LIMIT 1")
        now = datetime.now(UTC)
        if not self.signer.policy.due(head[0], last[0] if last else None,
                                      last[1] if last else None, now):
            return
        checkpoint = sign(self.signer.key, head[0], head[1], algorithm(), now)
        p = self.p
        sql.many(f"INSERT INTO {table} (position, link, created_at, algorithm, key_id, "
                 f"signature) VALUES ({p}, {p}, {p}, {p}, {p}, {p})",
                 [(checkpoint.position, checkpoint.link, checkpoint.created_at,
                   checkpoint.algorithm, checkpoint.key_id, checkpoint.signature)])
        self._local.pending.append(checkpoint)

    def committed(self) -> None:
        """After the commit: hand the transaction's checkpoints to the witness."""
        pending: list[Checkpoint] = getattr(self._local, "pending", [])
        self._local.pending = []
        if pending and self.signer is not None and self.signer.witness is not None:
            self.signer.witness.append_quietly(pending)
