"""Check the live read models against a rebuild from the events, row by row.

The read models answer `audit log`, `publish log` and the boards, but they are ordinary
tables: a database writer can change an actor in `audit_index`, a status in `content_board`,
or delete `publication_log` rows, and the answers follow. The events are the record, so each
projection is rebuilt from position 0 into a scratch SQLite file, and every table is compared
with the live one by primary key: the first row that differs is named (table, key, column,
both values). Nothing live is written, apart from the usual catch-up of the live tables.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from attrs import frozen
from sqlalchemy import Table, create_engine, select

from socmed_adapters.projections.projector import Projector


@frozen
class Difference:
    projection: str
    table: str
    key: str  # "column=value, ..." of the primary key
    column: str  # the differing column; "(row)" when the whole row is extra or missing
    live: str
    rebuilt: str

    def describe(self) -> str:
        if self.column == "(row)":
            return f"{self.table} row {self.key}: live {self.live}, rebuilt {self.rebuilt}"
        return (f"{self.table} row {self.key} column {self.column}: live {self.live}, "
                f"rebuilt {self.rebuilt}")


@frozen
class ReadModelReport:
    position: int
    tables: int
    rows: int
    differences: tuple[Difference, ...]  # the first difference of each table that differs

    @property
    def ok(self) -> bool:
        return not self.differences


def verify_read_models(live: Projector) -> ReadModelReport:
    with tempfile.TemporaryDirectory(prefix="socmed-verify-") as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'scratch.sqlite'}")
        try:
            scratch = Projector(live.app, engine, classes=[type(p) for p in
                                                           live.projections.values()])
            for _attempt in range(5):  # writers may add events meanwhile: meet at one head
                scratch.catch_up()
                live.catch_up()
                if _positions(scratch) == _positions(live):
                    break
            position = min(_positions(live).values(), default=0)
            differences, tables, rows = [], 0, 0
            for name, projection in live.projections.items():
                for table_name, table in projection.tables.items():
                    tables += 1
                    live_rows = _rows(live, table)
                    rebuilt_rows = _rows(scratch, scratch.table(table_name))
                    rows += len(live_rows)
                    found = _first_difference(name, table, live_rows, rebuilt_rows)
                    if found is not None:
                        differences.append(found)
        finally:
            engine.dispose()
    return ReadModelReport(position, tables, rows, tuple(differences))


def _positions(projector: Projector) -> dict[str, int]:
    return {s.name: s.position for s in projector.status()}


def _rows(projector: Projector, table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    keys = [c.name for c in table.primary_key.columns]
    with projector.engine.connect() as conn:
        result = conn.execute(select(table)).mappings().all()
    return {tuple(row[k] for k in keys): dict(row) for row in result}


def _first_difference(projection: str, table: Table,
                      live: dict[tuple[Any, ...], dict[str, Any]],
                      rebuilt: dict[tuple[Any, ...], dict[str, Any]]) -> Difference | None:
    keys = [c.name for c in table.primary_key.columns]
    for key in sorted(set(live) | set(rebuilt), key=lambda k: tuple(map(repr, k))):
        described = ", ".join(f"{k}={_show(v)}" for k, v in zip(keys, key, strict=True))
        if key not in rebuilt:
            return Difference(projection, table.name, described, "(row)", "present",
                              "absent (the events do not give it)")
        if key not in live:
            return Difference(projection, table.name, described, "(row)", "absent (deleted)",
                              "present")
        for column in table.columns:
            a, b = live[key][column.name], rebuilt[key][column.name]
            if a != b:
                return Difference(projection, table.name, described, column.name, _show(a),
                                  _show(b))
    return None


def _show(value: Any) -> str:
    text = repr(value.isoformat() if hasattr(value, "isoformat") else value)
    return text if len(text) <= 80 else text[:77] + "..."
