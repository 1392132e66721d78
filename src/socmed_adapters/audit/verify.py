"""Recompute the audit chain from the stored events and name every place it breaks.

Each position is checked against the stored link of the position before it, so one edit
shows as one problem, not as everything after it. Kinds, each at the position it concerns:
- edited:    the event's bytes (or its link) no longer give its stored link;
- forged:    (keyed store) the link is a plain SHA-256 link, not an HMAC with the key: the
             event was sealed by someone without the key;
- deleted:   an event is gone: a link remains for a position whose event is gone, or an
             event and its link are both gone (a gap after which the chain no longer
             follows), or positions a signed checkpoint or the witness saw are gone
             (the newest events truncated);
- inserted:  an event exists that no link seals (written around the application);
- rewritten: the chain differs from a signed checkpoint or the witness at a position: links
             at or before it were recomputed;
- checkpoint: a signed checkpoint (in the store or the witness) whose signature does not
             verify with the public key;
- manifest:  the chain differs from an exported manifest: it was recomputed.
A keyed store (chain.py) is refused without its key: without the key nothing can tell a
genuine chain from one rewritten with plain SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from attrs import define, field, frozen
from sqlalchemy import Engine, inspect, text

from socmed_adapters.audit.chain import (
    CHAIN_TABLE,
    GENESIS,
    KEYED_PREFIX,
    MODE_POSITION,
    ChainModeError,
    canonical,
    check_mode,
    current_key,
    link,
    plain_link,
)
from socmed_adapters.audit.signing import SIGNED_TABLE, Checkpoint

PAGE = 5000


@frozen
class Problem:
    position: int
    kind: str  # edited | forged | deleted | inserted | rewritten | checkpoint | manifest
    detail: str


@define
class VerifyReport:
    checked: int = 0
    head_position: int = 0
    head_link: str = GENESIS
    mode: str = "sha256"
    problems: list[Problem] = field(factory=list)
    signed_checked: int = 0
    #: Signed checkpoints in the store left unchecked (no public key was given).
    signed_unchecked: int = 0
    witnessed_head: int = 0
    #: A keyed chain whose store does not record its key yet (written before it did).
    unmarked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.position) if self.problems else None


class EventTables:
    """Raw access to the event and chain tables of one store (SQLite file or PG schema)."""

    def __init__(self, engine: Engine, schema: str | None, events_table: str) -> None:
        self.engine = engine
        self.schema = schema
        prefix = f'"{schema}".' if schema else ""
        self.events = f"{prefix}{events_table}"
        self.chain = f"{prefix}{CHAIN_TABLE}"
        self.signed = f"{prefix}{SIGNED_TABLE}"
        self.position_column = "rowid" if engine.dialect.name == "sqlite" else "notification_id"

    def events_from(self, start: int) -> Iterator[tuple[int, Any, int, str, bytes]]:
        position = start - 1
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(text(
                    f"SELECT {self.position_column} AS position, originator_id, "
                    f"originator_version, topic, state FROM {self.events} "
                    f"WHERE {self.position_column} > :after "
                    f"ORDER BY {self.position_column} LIMIT {PAGE}"), {"after": position}).all()
            yield from ((r[0], r[1], r[2], r[3], _as_bytes(r[4])) for r in rows)
            if len(rows) < PAGE:
                return
            position = rows[-1][0]

    def events_of(self, originator_id: UUID) -> list[tuple[int, Any, int, str, bytes]]:
        """Every event of one aggregate with its position."""
        oid: Any = originator_id.hex if self.engine.dialect.name == "sqlite" else originator_id
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                f"SELECT {self.position_column} AS position, originator_id, "
                f"originator_version, topic, state FROM {self.events} "
                f"WHERE originator_id = :o ORDER BY originator_version"), {"o": oid}).all()
        return [(r[0], r[1], r[2], r[3], _as_bytes(r[4])) for r in rows]

    def links_from(self, start: int) -> Iterator[tuple[int, str]]:
        position = max(start, MODE_POSITION + 1) - 1
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(text(
                    f"SELECT position, link FROM {self.chain} WHERE position > :after "
                    f"ORDER BY position LIMIT {PAGE}"), {"after": position}).all()
            yield from ((r[0], r[1]) for r in rows)
            if len(rows) < PAGE:
                return
            position = rows[-1][0]

    def link_at(self, position: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT link FROM {self.chain} WHERE position = :p"),
                                {"p": position}).scalar()

    def link_before(self, position: int) -> str:
        with self.engine.connect() as conn:
            value = conn.execute(text(
                f"SELECT link FROM {self.chain} WHERE position > {MODE_POSITION} "
                "AND position < :p ORDER BY position DESC LIMIT 1"), {"p": position}).scalar()
        return value or GENESIS

    def mode_marker(self) -> str | None:
        return self.link_at(MODE_POSITION)

    def head_link(self) -> tuple[int, str] | None:
        with self.engine.connect() as conn:
            row = conn.execute(text(
                f"SELECT position, link FROM {self.chain} WHERE position > {MODE_POSITION} "
                "ORDER BY position DESC LIMIT 1")).first()
        return (row[0], row[1]) if row else None

    def signed_checkpoints(self) -> list[Checkpoint]:
        """The signed checkpoints kept in the store (none in a store made before them)."""
        if not inspect(self.engine).has_table(SIGNED_TABLE, schema=self.schema):
            return []  # a store made before signed checkpoints, not opened for writing since
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                f"SELECT position, link, created_at, algorithm, key_id, signature "
                f"FROM {self.signed} ORDER BY position")).all()
        return [Checkpoint(*row) for row in rows]

    def insert_signed(self, checkpoint: Checkpoint) -> bool:
        """Store an on-demand checkpoint (False when that position has one already)."""
        with self.engine.begin() as conn:
            exists = conn.execute(text(f"SELECT 1 FROM {self.signed} WHERE position = :p"),
                                  {"p": checkpoint.position}).first()
            if exists:
                return False
            conn.execute(text(
                f"INSERT INTO {self.signed} (position, link, created_at, algorithm, key_id, "
                "signature) VALUES (:p, :l, :c, :a, :k, :s)"),
                {"p": checkpoint.position, "l": checkpoint.link, "c": checkpoint.created_at,
                 "a": checkpoint.algorithm, "k": checkpoint.key_id, "s": checkpoint.signature})
        return True


def _as_bytes(value: Any) -> bytes:
    """Stored state as bytes (a hand edit in SQLite may have turned the BLOB into TEXT)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def chain_key(tables: EventTables, key: bytes | None) -> tuple[str, bytes | None]:
    """The store's mode and the key to check it with; a keyed store without its key (or with
    another key) is refused: nothing could be vouched for."""
    marker = tables.mode_marker()
    problem = check_mode(marker, key)
    if problem:
        raise ChainModeError(problem)
    if marker is not None and marker.startswith(KEYED_PREFIX):
        return "hmac-sha256", key
    return ("hmac-sha256", key) if key else ("sha256", None)


def verify(tables: EventTables, pinned: dict[int, str] | None = None,
           max_problems: int = 100, *, key: bytes | None = None,
           public_key: Any | None = None, witness: list[Checkpoint] | None = None
           ) -> VerifyReport:
    """Walk events and links together in position order, then compare the chain with the
    signed checkpoints (checked with `public_key`), the witness and the manifest pins.
    Links are checked with `key` (None: plain SHA-256, or the configured key when the store
    records none; see chain_key)."""
    mode, key = chain_key(tables, key if key is not None else current_key())
    link_key: bytes = key or b""
    report = VerifyReport(mode=mode)
    report.unmarked = mode == "hmac-sha256" and tables.mode_marker() is None
    events = tables.events_from(1)
    links = tables.links_from(1)
    event = next(events, None)
    chained = next(links, None)
    previous_link = GENESIS
    previous_position = MODE_POSITION
    while (event is not None or chained is not None) and len(report.problems) < max_problems:
        if chained is None or (event is not None and event[0] < chained[0]):
            assert event is not None
            report.problems.append(Problem(event[0], "inserted",
                                           "an event no chain link seals"))
            event = next(events, None)
            continue
        if event is None or chained[0] < event[0]:
            report.problems.append(Problem(chained[0], "deleted",
                                           "the chain seals an event that is gone"))
            previous_link, previous_position = chained[1], chained[0]
            chained = next(links, None)
            continue
        position, originator_id, version, topic, state = event
        data = canonical(position, originator_id, version, topic, state)
        expected = link(previous_link, data, link_key)
        if expected != chained[1]:
            report.problems.append(_mismatch(position, previous_position, previous_link,
                                             data, chained[1], mode))
        report.checked += 1
        report.head_position, report.head_link = chained
        previous_link, previous_position = chained[1], chained[0]
        event = next(events, None)
        chained = next(links, None)
    head = report.head_position
    checkpoints = tables.signed_checkpoints()
    if checkpoints:
        if public_key is None:
            report.signed_unchecked = len(checkpoints)
        else:
            report.signed_checked = len(checkpoints)
            report.problems.extend(_against_checkpoints(tables, checkpoints, public_key, head,
                                                        "a signed checkpoint in the store"))
    if witness is not None:
        report.witnessed_head = max((c.position for c in witness), default=0)
        report.problems.extend(_against_checkpoints(tables, witness, public_key, head,
                                                    "the witness"))
    for position, pinned_link in sorted((pinned or {}).items()):
        actual = tables.link_at(position)
        if actual != pinned_link:
            report.problems.append(Problem(
                position, "manifest",
                "the chain differs from the exported manifest: it was rewritten"))
    return report


def _mismatch(position: int, previous_position: int, previous_link: str, data: bytes,
              stored: str, mode: str) -> Problem:
    if position > previous_position + 1:
        # Positions are not reused; on PostgreSQL a rolled-back insert leaves a harmless gap
        # (the next link still follows), so a gap only means a deletion when the chain does
        # not follow across it.
        missing = previous_position + 1
        span = f"position {missing}" if missing == position - 1 else \
            f"positions {missing}-{position - 1}"
        return Problem(missing, "deleted",
                       f"the event and its link at {span} are gone (the chain does not "
                       f"follow to position {position})")
    if mode == "hmac-sha256" and stored == plain_link(previous_link, data):
        return Problem(position, "forged",
                       "sealed with plain SHA-256, not the key: written by someone without "
                       "the key")
    return Problem(position, "edited", "the stored event no longer matches its link")


def _against_checkpoints(tables: EventTables, checkpoints: list[Checkpoint],
                         public_key: Any | None, head: int, source: str) -> list[Problem]:
    """Each checkpoint signed by the key, its position still in the store, its link the
    store's link there. Truncation shows as 'deleted' from the first missing position."""
    problems: list[Problem] = []
    matched = 0
    signed = []
    for checkpoint in sorted(checkpoints, key=lambda c: c.position):
        if public_key is not None and not checkpoint.signed_by(public_key):
            problems.append(Problem(checkpoint.position, "checkpoint",
                                    f"{source} holds a checkpoint at position "
                                    f"{checkpoint.position} that the public key did not sign"))
        else:
            signed.append(checkpoint)
    beyond = [c.position for c in signed if c.position > head]
    if beyond:
        problems.append(Problem(head + 1, "deleted",
                                f"{source} saw events up to position {max(beyond)}; "
                                f"positions {head + 1}-{max(beyond)} are gone "
                                "(the newest events were removed)"))
    for checkpoint in signed:
        if checkpoint.position > head:
            break
        stored = tables.link_at(checkpoint.position)
        if stored is None:  # removed, and later events written past it (PostgreSQL's ids)
            problems.append(Problem(checkpoint.position, "deleted",
                                    f"{source} saw position {checkpoint.position}; its event "
                                    "and link are gone from the store"))
            continue
        if stored != checkpoint.link:
            problems.append(Problem(checkpoint.position, "rewritten",
                                    f"the chain differs from {source} at position "
                                    f"{checkpoint.position}: links after position {matched} "
                                    "and up to it were recomputed"))
            continue
        matched = checkpoint.position
    return problems


def item_seal_problems(tables: EventTables, item_id: UUID, key: bytes) -> list[int]:
    """Positions of an aggregate's events whose link does not verify under `key` against
    the stored link before it: what a writer without the key appended for it."""
    bad = []
    for position, originator_id, version, topic, state in tables.events_of(item_id):
        stored = tables.link_at(position)
        expected = link(tables.link_before(position),
                        canonical(position, originator_id, version, topic, state), key)
        if stored != expected:
            bad.append(position)
    return bad


def verify_as(services: Any, principal: Any) -> VerifyReport:
    """`verify` of the whole chain for a member who may read the audit log (the domain's
    role check first), with the store's configured checkpoint key if there is one: what
    `GET /api/v1/audit/verify` answers."""
    from socmed_adapters.audit.signing import load_public_key, verify_key_path
    from socmed_domain.roles import Action, check_may

    reader = services.app.actor(principal, reading=True)
    check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
    key_path = verify_key_path(None)
    public = load_public_key(key_path) if key_path else None
    return verify(services.event_tables, None, public_key=public)
