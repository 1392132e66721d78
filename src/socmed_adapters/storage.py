"""Storage configuration: one place turns 'a data dir' or 'a PostgreSQL URL' into settings.

Events go to eventsourcing's own recorders (SQLite module, or the psycopg 3 PostgreSQL module);
read models go to SQLAlchemy tables: a separate SQLite file beside the events (the SQLite
module's table names are fixed, and a second file keeps projection writes from blocking
commands), or the same PostgreSQL database, in the same schema.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from attrs import frozen

from socmed_adapters.datadir import EVENTS_FILE
from socmed_domain.errors import SocmedError

READ_MODELS_FILE = "read_models.sqlite"


class StorageError(SocmedError):
    """The store cannot be opened or used: a bad URL, a server down, a missing schema."""

    code = "error.storage"


@frozen
class StorageConfig:
    kind: str  # "sqlite" | "postgres" | "memory"
    data_dir: Path | None = None
    database_url: str | None = None
    schema: str | None = None

    @property
    def event_env(self) -> dict[str, str]:
        """The eventsourcing environment for the event store."""
        if self.kind == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.kind == "sqlite":
            assert self.data_dir is not None
            return {
                "PERSISTENCE_MODULE": "socmed_adapters.audit.sqlite_store:ChainedSQLiteFactory",
                "SQLITE_DBNAME": str(self.data_dir / EVENTS_FILE),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        assert self.database_url is not None
        url = urlparse(self.database_url)
        env = {
            "PERSISTENCE_MODULE": "socmed_adapters.audit.postgres_store:ChainedPostgresFactory",
            "POSTGRES_DBNAME": (url.path or "/postgres").lstrip("/") or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or os.environ.get("PGUSER", "postgres")),
            "POSTGRES_PASSWORD": unquote(url.password or os.environ.get("PGPASSWORD", "")),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    @property
    def read_model_url(self) -> str:
        """The SQLAlchemy URL of the read models (connection parameters such as sslmode are
        kept; `schema` is ours and is applied to the tables instead)."""
        if self.kind == "postgres":
            assert self.database_url is not None
            base, _, query = self.database_url.partition("?")
            kept = [(k, v) for k, values in parse_qs(query).items() if k != "schema"
                    for v in values]
            url = base.replace("postgresql://", "postgresql+psycopg://", 1).replace(
                "postgres://", "postgresql+psycopg://", 1)
            return f"{url}?{urlencode(kept)}" if kept else url
        if self.kind == "sqlite":
            assert self.data_dir is not None
            return f"sqlite:///{self.data_dir / READ_MODELS_FILE}"
        return "sqlite://"


#: Seconds to wait for the PostgreSQL server to answer before saying it cannot be reached.
PROBE_TIMEOUT = 2
_UNREACHABLE = ("refused", "timeout expired", "could not translate host name",
                "no route to host", "network is unreachable", "name or service not known",
                "temporary failure in name resolution", "timed out")


def probe_postgres(config: StorageConfig) -> None:
    """Connect once, directly, before the application opens its pool: the pool would retry
    for its whole timeout and then say only "couldn't get a connection", so an unreachable
    server or a refused login is reported at once, with what psycopg says about it."""
    import psycopg

    env = config.event_env
    host, port = env["POSTGRES_HOST"], env["POSTGRES_PORT"]
    try:
        psycopg.connect(host=host, port=port, dbname=env["POSTGRES_DBNAME"],
                        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
                        connect_timeout=PROBE_TIMEOUT).close()
    except psycopg.Error as error:
        detail = _last_reason(error)
        if any(marker in detail.lower() for marker in _UNREACHABLE):
            raise StorageError("error.storage_unreachable", host=host, port=port,
                               detail=detail) from None
        raise StorageError(where=f"{host}:{port}/{env['POSTGRES_DBNAME']}", detail=detail
                           ) from None


def _last_reason(error: BaseException) -> str:
    """psycopg's reason without the repeated 'connection to server at ... failed:' prefix."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(error).__name__
    return first.rsplit("failed: ", 1)[-1].strip() or first


def config_for(data_dir: Path | None, database_url: str | None) -> StorageConfig:
    """PostgreSQL when a URL is given (or $SOCMED_DATABASE_URL), else SQLite in `data_dir`."""
    url = database_url or os.environ.get("SOCMED_DATABASE_URL")
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StorageError("error.storage_url", url=url)
        try:
            parsed = urlparse(url)
            port = parsed.port  # raises on a port out of 0-65535 or not a number
        except ValueError as error:
            raise StorageError("error.storage_url_invalid", detail=str(error)) from None
        if port == 0:
            raise StorageError("error.storage_url_invalid", detail="port 0")
        schema = parse_qs(parsed.query).get("schema", [None])[0]
        return StorageConfig(kind="postgres", database_url=url, schema=schema)
    assert data_dir is not None
    return StorageConfig(kind="sqlite", data_dir=data_dir)
