"""Setting up an adapter's own SQL tables: SQLite connection settings and table creation.

Each store keeps its own PRAGMA list (the vault wants a rollback journal, the read models
WAL), so `on_connect_pragmas` only runs the given statements, in the order given.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, MetaData, event
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError


def on_connect_pragmas(engine: Engine, *pragmas: str) -> Engine:
    """Run `PRAGMA <each>` on every connection `engine` opens; returns the engine."""

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def create_tables(metadata: MetaData, engine: Engine) -> None:
    """CREATE the tables if missing; processes starting together race on CREATE, and the
    loser sees 'already exists' and simply tries again (up to five times)."""
    for attempt in range(5):
        try:
            metadata.create_all(engine)
            return
        except (OperationalError, ProgrammingError, IntegrityError):
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
