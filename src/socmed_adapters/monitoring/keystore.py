"""The subject keys' table (SQLAlchemy), for the vault on SQLite and on PostgreSQL.

On SQLite the table lives in its own file with `secure_delete=ON` and a rollback journal, so
deleting a key overwrites its bytes in the file (WAL would keep the old page in the -wal file
until a checkpoint). On PostgreSQL a delete leaves a dead tuple until vacuum, so an erasure
vacuums the table at once; set SOCMED_VAULT_KEY there, so that neither a stale page nor a WAL
segment nor a backup holds a usable key.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from socmed_adapters.sql_setup import create_tables, on_connect_pragmas

KEYS_FILE = "personal_data.sqlite"
KEYS_TABLE = "socmed_personal_data_keys"


def sqlite_key_engine(data_dir: Path) -> Engine:
    engine = create_engine(f"sqlite:///{data_dir / KEYS_FILE}", poolclass=NullPool)
    return on_connect_pragmas(engine, "secure_delete=ON", "journal_mode=DELETE",
                              "busy_timeout=10000")


class SqlKeyStore:
    """Key rows: key id, lookup HMAC, the (wrapped) key. One more row holds the pepper."""

    def __init__(self, engine: Engine, schema: str | None = None,
                 vacuum: bool = False) -> None:
        self.engine = engine
        self.vacuum = vacuum
        metadata = MetaData(schema=schema)
        self.keys = Table(
            KEYS_TABLE, metadata,
            Column("key_id", String(36), primary_key=True),
            Column("lookup", String(64), nullable=False, unique=True),
            Column("wrapped", LargeBinary, nullable=False))
        self.meta = Table(
            "socmed_vault_meta", metadata,
            Column("name", String(32), primary_key=True),
            Column("value", LargeBinary, nullable=False))
        self._metadata = metadata
        self._pepper: bytes | None = None
        create_tables(metadata, engine)

    def find(self, lookup: str) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.keys.c.key_id, self.keys.c.wrapped)
                               .where(self.keys.c.lookup == lookup)).first()
        return (row[0], bytes(row[1])) if row else None

    def find_many(self, lookups: list[str]) -> dict[str, tuple[str, bytes]]:
        found: dict[str, tuple[str, bytes]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(lookups), 400):
                rows = conn.execute(select(
                    self.keys.c.lookup, self.keys.c.key_id, self.keys.c.wrapped).where(
                    self.keys.c.lookup.in_(lookups[start:start + 400]))).all()
                found.update({r[0]: (r[1], bytes(r[2])) for r in rows})
        return found

    def by_id(self, key_id: str) -> bytes | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(self.keys.c.wrapped)
                                 .where(self.keys.c.key_id == key_id)).scalar()
        return bytes(value) if value is not None else None

    def add(self, rows: list[tuple[str, str, bytes]]) -> list[str]:
        """Insert new keys; returns the lookups another process gave a key meanwhile (their
        rows are not inserted: that process's key wins)."""
        values = [{"key_id": k, "lookup": lookup, "wrapped": w} for k, lookup, w in rows]
        try:
            with self.engine.begin() as conn:
                conn.execute(self.keys.insert(), values)
            return []
        except IntegrityError:
            taken = []
            for row in values:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(self.keys.insert(), row)
                except IntegrityError:
                    taken.append(str(row["lookup"]))
            return taken

    def delete(self, lookup: str) -> str | None:
        with self.engine.begin() as conn:
            key_id = conn.execute(select(self.keys.c.key_id)
                                  .where(self.keys.c.lookup == lookup)).scalar()
            if key_id is None:
                return None
            conn.execute(delete(self.keys).where(self.keys.c.lookup == lookup))
        if self.vacuum:
            name = f'"{self.keys.schema}".{KEYS_TABLE}' if self.keys.schema else KEYS_TABLE
            with self.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"VACUUM {name}"))
        return str(key_id)

    def pepper(self) -> bytes:
        if self._pepper is None:
            with self.engine.begin() as conn:
                value = conn.execute(select(self.meta.c.value)
                                     .where(self.meta.c.name == "pepper")).scalar()
                if value is None:
                    value = os.urandom(32)
                    try:
                        conn.execute(self.meta.insert(), {"name": "pepper", "value": value})
                    except IntegrityError:
                        value = None
            if value is None:  # another process made it first
                with self.engine.connect() as conn:
                    value = conn.execute(select(self.meta.c.value)
                                         .where(self.meta.c.name == "pepper")).scalar()
            assert value is not None
            self._pepper = bytes(value)
        return self._pepper
