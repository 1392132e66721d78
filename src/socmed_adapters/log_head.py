"""The event log's head (the highest notification id), read on every API read.

An API read checks that the read models have applied everything committed before it, which
starts with the log's head. Through the recorder that is a connection from its pool, a
BEGIN, the select and a ROLLBACK; on the embedded SQLite store this reads it with the
recorder's own statement on a read-only connection kept per thread (one statement, its own
implicit transaction), about a fifth of the cost. Other stores ask the recorder.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from socmed_adapters.datadir import EVENTS_FILE


class LogHead:
    """`head()`: the log's head, as `Projector.head` gives it."""

    def __init__(self, services: Any) -> None:
        self._services = services
        storage = services.storage
        self._file: Path | None = (
            storage.data_dir / EVENTS_FILE
            if storage.kind == "sqlite" and storage.data_dir is not None else None)
        self._statement = getattr(services.app.recorder,
                                  "select_max_notification_id_statement", None)
        self._local = threading.local()

    def head(self) -> int:
        if self._file is None or self._statement is None:
            return int(self._services.projector.head())
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"{self._file.resolve().as_uri()}?mode=ro",
                                         uri=True, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA busy_timeout = 10000")
            self._local.connection = connection
        found = connection.execute(self._statement).fetchone()
        return int(found[0] or 0) if found is not None else 0
