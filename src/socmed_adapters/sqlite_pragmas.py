"""SQLite connection settings applied on every new connection of an engine.

Each store keeps its own list (the vault wants a rollback journal, the read models WAL), so
the helper only runs the given PRAGMA statements, in the order given.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def on_connect_pragmas(engine: Engine, *pragmas: str) -> Engine:
    """Run `PRAGMA <each>` on every connection `engine` opens; returns the engine."""

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine
