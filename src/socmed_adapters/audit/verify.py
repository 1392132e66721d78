"""Recompute the audit chain from the stored events and name every place it breaks.

Each position is checked against the stored link of the position before it, so one edit
shows as one problem, not as everything after it:
- edited:   the event's bytes (or its link) no longer give its stored link;
- deleted:  a link exists for a position whose event is gone;
- inserted: an event exists that no link seals (written around the application).
A manifest from an earlier export pins a position's link, which also catches a chain that was
recomputed wholesale after tampering (without the HMAC key that cannot be done undetected).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from attrs import define, field, frozen
from sqlalchemy import Engine, text

from socmed_adapters.audit.chain import CHAIN_TABLE, GENESIS, canonical, link

PAGE = 5000


@frozen
class Problem:
    position: int
    kind: str  # edited | deleted | inserted | manifest
    detail: str


@define
class VerifyReport:
    checked: int = 0
    head_position: int = 0
    head_link: str = GENESIS
    problems: list[Problem] = field(factory=list)

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
        prefix = f'"{schema}".' if schema else ""
        self.events = f"{prefix}{events_table}"
        self.chain = f"{prefix}{CHAIN_TABLE}"
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

    def links_from(self, start: int) -> Iterator[tuple[int, str]]:
        position = start - 1
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
                f"SELECT link FROM {self.chain} WHERE position < :p "
                "ORDER BY position DESC LIMIT 1"), {"p": position}).scalar()
        return value or GENESIS


def _as_bytes(value: Any) -> bytes:
    """Stored state as bytes (a hand edit in SQLite may have turned the BLOB into TEXT)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def verify(tables: EventTables, pinned: dict[int, str] | None = None,
           max_problems: int = 100) -> VerifyReport:
    """Walk events and links together in position order."""
    report = VerifyReport()
    events = tables.events_from(1)
    links = tables.links_from(1)
    event = next(events, None)
    chained = next(links, None)
    previous_link = GENESIS
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
            previous_link = chained[1]
            chained = next(links, None)
            continue
        position, originator_id, version, topic, state = event
        expected = link(previous_link, canonical(position, originator_id, version, topic, state))
        if expected != chained[1]:
            report.problems.append(Problem(position, "edited",
                                           "the stored event no longer matches its link"))
        report.checked += 1
        report.head_position, report.head_link = chained
        previous_link = chained[1]
        event = next(events, None)
        chained = next(links, None)
    for position, pinned_link in sorted((pinned or {}).items()):
        actual = tables.link_at(position)
        if actual != pinned_link:
            report.problems.append(Problem(
                position, "manifest",
                "the chain differs from the exported manifest: it was rewritten"))
    return report
