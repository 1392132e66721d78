"""The one composition root: storage, projections, clock and publisher wired together.

The CLI, the tests and other services call `bootstrap()`; storage is chosen by configuration
(a data dir for the embedded SQLite default, a PostgreSQL URL, or 'memory' for fast tests),
never by code paths inside the domain.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from attrs import define, field
from eventsourcing.persistence import PersistenceError as EventsourcingError

from socmed_adapters.clock import system_clock
from socmed_adapters.datadir import EVENTS_FILE, OUTBOX_DIR, default_data_dir
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_adapters.storage import StorageConfig, StorageError, config_for
from socmed_domain.application import SocmedApplication
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import ContentPolicy
from socmed_domain.publication.ports import Publisher


@define
class Services:
    """What bootstrap() hands back: the application and the parts wired into it."""

    app: SocmedApplication
    storage: StorageConfig
    publisher: Publisher
    clock: Callable[[], datetime]
    _projector: Any = field(default=None, alias="_projector")
    _engine: Any = field(default=None, alias="_engine")

    @property
    def data_dir(self) -> Path | None:
        return self.storage.data_dir

    @property
    def projector(self) -> Any:
        """The read-model projector (created on first use: commands that only write skip it)."""
        if self._projector is None:
            from socmed_adapters.projections import Projector

            self._projector = Projector(self.app, self.engine, schema=self.storage.schema)
        return self._projector

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = read_model_engine(self.storage)
        return self._engine

    @property
    def event_tables(self) -> Any:
        """Raw access to the event log and its audit chain, for verification and export."""
        from sqlalchemy import create_engine

        from socmed_adapters.audit.verify import EventTables

        if self.storage.kind == "postgres":
            return EventTables(self.engine, self.storage.schema or "public", "socmed_events")
        if self.storage.kind == "sqlite":
            assert self.storage.data_dir is not None
            engine = create_engine(f"sqlite:///{self.storage.data_dir / EVENTS_FILE}")
            return EventTables(engine, None, "stored_events")
        raise ValueError("the in-memory store has no audit chain")

    @property
    def read_models(self) -> Any:
        """Queries over the projections, caught up first so a reader sees its own writes."""
        from socmed_adapters.queries import ReadModels

        self.projector.catch_up()
        return ReadModels(self.app, self.projector)

    def close(self) -> None:
        close_publisher = getattr(self.publisher, "close", None)
        if callable(close_publisher):
            close_publisher()  # the platform clients' HTTP connections
        self.app.close()
        if self._engine is not None:
            self._engine.dispose()


def read_model_engine(storage: StorageConfig) -> Any:
    from sqlalchemy import create_engine, event

    if storage.kind == "postgres":
        return create_engine(storage.read_model_url, pool_pre_ping=True, pool_size=2,
                             max_overflow=4)
    engine = create_engine(storage.read_model_url)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA cache_size=-16384")  # 16 MiB of pages (and of sorter memory)
        cursor.close()

    return engine


def _construct(env: dict[str, str], **kwargs: Any) -> SocmedApplication:
    """Construct the application; processes starting together on PostgreSQL race on
    CREATE ... IF NOT EXISTS ('tuple concurrently updated'), so the loser tries again."""
    import time

    from eventsourcing.persistence import InternalError, OperationalError, ProgrammingError

    for attempt in range(6):
        try:
            return SocmedApplication(env, **kwargs)
        except (InternalError, OperationalError, ProgrammingError):
            if attempt == 5:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


PUBLISHER_KINDS = ("sandbox", "platforms")
RULES_FILE = "platform_rules.toml"


def configured_rules(data_dir: Path | None) -> dict[Platform, PlatformRules] | None:
    """The platform rules with the overrides of `$SOCMED_PLATFORM_RULES` or
    `<data dir>/platform_rules.toml` (`[instagram]` then `hashtag_max = 30`, ...), because
    platforms change their limits faster than we release; None when there is no file."""
    import tomllib

    from socmed_domain.errors import InvalidInputError
    from socmed_domain.platform_rules import rules_with_overrides

    named = os.environ.get("SOCMED_PLATFORM_RULES")
    path = Path(named) if named else (data_dir / RULES_FILE if data_dir else None)
    if path is None or not path.exists():
        if named:
            raise InvalidInputError("error.rules_file", path=named, detail="no such file")
        return None
    try:
        overrides = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InvalidInputError("error.rules_file", path=str(path), detail=str(error)) from None
    return rules_with_overrides(overrides)


def _publisher(kind: str, config: StorageConfig, clock: Callable[[], datetime]) -> Publisher:
    if kind == "platforms":
        from socmed_adapters.platforms.router import publisher_from_config

        return publisher_from_config(clock=clock)
    if kind != "sandbox":
        from socmed_domain.errors import InvalidInputError

        raise InvalidInputError("error.unknown_choice", kind="publisher", value=kind,
                                choices=", ".join(PUBLISHER_KINDS))
    if config.data_dir is not None:
        outbox = config.data_dir / OUTBOX_DIR
    else:  # an in-memory store: its posts live as long as the process, not in the cwd
        import tempfile

        outbox = Path(tempfile.mkdtemp(prefix="socmed-outbox-"))
    return SandboxPublisher(outbox, clock)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def store_exists(data_dir: Path) -> bool:
    return (data_dir / EVENTS_FILE).exists()


def bootstrap(
    data_dir: Path | str | None = None,
    *,
    database_url: str | None = None,
    storage: str = "auto",
    clock: Callable[[], datetime] = system_clock,
    publisher: Publisher | None = None,
    rules: Mapping[Platform, PlatformRules] | None = None,
    policy: ContentPolicy | None = None,
    create: bool = True,
    publisher_kind: str | None = None,
) -> Services:
    """Build the application and its adapters.

    `storage='auto'` picks PostgreSQL when `database_url` (or $SOCMED_DATABASE_URL) is set,
    else SQLite in `data_dir` (default $SOCMED_HOME or the XDG data dir); 'memory' keeps
    everything in process. With `create=False` a missing SQLite store is an error rather
    than silently created (read commands must not invent an empty store).

    Without an explicit `publisher`, `publisher_kind` (default $SOCMED_PUBLISHER, else
    'sandbox') picks it: 'sandbox' writes posts to the store's outbox folder; 'platforms'
    posts to the real platform APIs with the credentials from the environment or
    $SOCMED_PLATFORMS_CONFIG (docs/platforms.md). Tokens alone never switch it on.
    """
    if storage == "memory":
        config = StorageConfig(kind="memory")
    else:
        resolved = Path(data_dir).expanduser() if data_dir else default_data_dir()
        config = config_for(resolved, database_url)
        if config.kind == "sqlite":
            assert config.data_dir is not None
            if not create and not store_exists(config.data_dir):
                raise FileNotFoundError(str(config.data_dir / EVENTS_FILE))
            config.data_dir.mkdir(parents=True, exist_ok=True)
        else:
            config = StorageConfig(kind="postgres", data_dir=resolved,
                                   database_url=config.database_url, schema=config.schema)
    if publisher is None:
        publisher = _publisher(publisher_kind or os.environ.get("SOCMED_PUBLISHER") or "sandbox",
                               config, clock)
    if rules is None:
        rules = configured_rules(config.data_dir)
    env = dict(config.event_env)
    # A least-privilege runtime role (INSERT and SELECT only) sets SOCMED_CREATE_TABLES=n;
    # the tables are then created once by a role that owns them (`socmed init`).
    env["CREATE_TABLE"] = "n" if os.environ.get("SOCMED_CREATE_TABLES") == "n" else "y"
    try:
        app = _construct(env, clock=clock, publisher=publisher, rules=rules, policy=policy)
    except (OSError, EventsourcingError) as error:
        where = config.database_url.split("@")[-1] if config.database_url else str(
            config.data_dir)
        raise StorageError(where=where, detail=_first_line(error)) from error
    services = Services(app=app, storage=config, publisher=publisher, clock=clock)
    if config.kind != "memory":
        from socmed_adapters.audit.sealed_publisher import SealedApprovals
        from socmed_adapters.queries import SqlContentIndex

        app.index = SqlContentIndex(services)
        # A keyed store publishes only items whose events the audit key sealed.
        app.publisher = SealedApprovals(publisher, lambda: services.event_tables)
    from socmed_adapters.monitoring.wiring import wire_monitoring

    wire_monitoring(services)  # stage 4: personal-data vault, replies, inbox index
    return services
