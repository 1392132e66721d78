"""The one composition root: storage, projections, clock and publisher wired together.

The CLI, the tests and other services call `bootstrap()`; storage is chosen by configuration
(a data dir for the embedded SQLite default, a PostgreSQL URL, or 'memory' for fast tests),
never by code paths inside the domain. The application is built complete: every port it
asks (the read-model indexes, the vault, the reply sender, the calendar source) is passed to
its constructor, and nothing is set on it afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import define, field
from eventsourcing.persistence import PersistenceError as EventsourcingError

from socmed_adapters.clock import system_clock
from socmed_adapters.datadir import EVENTS_FILE, OUTBOX_DIR, default_data_dir
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_adapters.storage import StorageConfig, StorageError, config_for
from socmed_domain.application import SocmedApplication
from socmed_domain.monitoring.replies import ReplySender
from socmed_domain.monitoring.vault import PersonalDataVault
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.media_reading import MediaReader
from socmed_domain.production.quality import ContentPolicy
from socmed_domain.production.routing import ApprovalRoutes
from socmed_domain.publication.ports import Publisher

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from socmed_adapters.as_of import ListingReads
    from socmed_adapters.audit.verify import EventTables
    from socmed_adapters.projections import Projector


@define
class Services:
    """What bootstrap() hands back: the application and the parts wired into it."""

    app: SocmedApplication
    storage: StorageConfig
    publisher: Publisher
    clock: Callable[[], datetime]
    _projector: Projector | None = field(default=None, alias="_projector")
    _engine: Engine | None = field(default=None, alias="_engine")

    @property
    def data_dir(self) -> Path | None:
        return self.storage.data_dir

    @property
    def projector(self) -> Projector:
        """The read-model projector (created on first use: commands that only write skip it)."""
        if self._projector is None:
            from socmed_adapters.projections import Projector

            self._projector = Projector(self.app, self.engine, schema=self.storage.schema)
        return self._projector

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = read_model_engine(self.storage)
        return self._engine

    @property
    def event_tables(self) -> EventTables:
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
    def read_models(self) -> ListingReads:
        """Queries over the projections, caught up first so a reader sees its own writes."""
        from socmed_adapters.as_of import ListingReads

        self.projector.catch_up()
        return ListingReads(self.app, self.projector)

    def close(self) -> None:
        # The application's publisher wraps ours (SealedApprovals in stores with an audit
        # chain): closing it closes ours too, and the event tables it may have opened.
        close_publisher = getattr(self.app.publication.publisher, "close", None)
        if callable(close_publisher):
            close_publisher()  # the platform clients' HTTP connections
        self.app.close()
        if self.storage.kind == "postgres":
            from socmed_adapters.jobs.queue import close_queue

            close_queue(self)  # the job queue's connections, if deferring opened them
        if self._engine is not None:
            self._engine.dispose()


def read_model_engine(storage: StorageConfig) -> Engine:
    from sqlalchemy import create_engine

    from socmed_adapters.sql_setup import on_connect_pragmas

    if storage.kind == "postgres":
        return create_engine(storage.read_model_url, pool_pre_ping=True, pool_size=2,
                             max_overflow=4)
    engine = create_engine(storage.read_model_url)
    # cache_size: 16 MiB of pages (and of sorter memory)
    return on_connect_pragmas(engine, "journal_mode=WAL", "synchronous=NORMAL",
                              "busy_timeout=10000", "cache_size=-16384")


#: What PostgreSQL says when two processes create the same tables at once.
_CREATE_RACE = ("concurrently updated", "already exists", "duplicate key value",
                "deadlock detected")


def _construct(env: dict[str, str], **kwargs: Any) -> SocmedApplication:
    """Construct the application; processes starting together on PostgreSQL race on
    CREATE ... IF NOT EXISTS ('tuple concurrently updated'), so the loser tries again. Only
    that race is retried: a refused login or a missing schema is reported at once."""
    import time

    from eventsourcing.persistence import (
        IntegrityError,
        InternalError,
        OperationalError,
        ProgrammingError,
    )

    for attempt in range(6):
        try:
            return SocmedApplication(env, **kwargs)
        except (InternalError, OperationalError, ProgrammingError, IntegrityError) as error:
            if attempt == 5 or not any(m in str(error).lower() for m in _CREATE_RACE):
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
    media_reader: MediaReader | None = None,
    vault: PersonalDataVault | None = None,
    reply_sender: ReplySender | None = None,
    approval_routes: Callable[[], ApprovalRoutes] | None = None,
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

    Media of new revisions are read from their bytes by `media_reader`, by default the
    store's content-addressed media folder (`MediaLibrary`, `<data dir>/media`); the
    'memory' store reads media only when given a reader.
    Replies go where posts go (a publisher with `replies_through_platforms` answers through
    the platforms, any other through the sandbox outbox) unless `reply_sender` is given;
    personal data is sealed by an AES-GCM vault keyed in the store unless `vault` is given.
    `approval_routes` gives the approval routes in force at each submission for review
    (none by default: every revision goes straight to the Marketing Manager).
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
    from socmed_adapters.twitter_text import wired_rules

    rules = wired_rules(rules)  # the final check reads captions by twitter-text
    if config.kind == "postgres":
        from socmed_adapters.storage import probe_postgres

        probe_postgres(config)
    env = dict(config.event_env)
    # A least-privilege runtime role (INSERT and SELECT only) sets SOCMED_CREATE_TABLES=n;
    # the tables are then created once by a role that owns them (`socmed init`).
    env["CREATE_TABLE"] = "n" if os.environ.get("SOCMED_CREATE_TABLES") == "n" else "y"
    # The read models follow the application's log, and the application asks them for ids:
    # the indexes and the key store reach the projector and the engine through the Services
    # made below, on first use (never during construction).
    services: Services | None = None

    def built() -> Services:
        assert services is not None, "a read model was asked for before bootstrap() returned"
        return services

    from socmed_adapters.monitoring.wiring import monitoring_parts

    inbox = monitoring_parts(config, publisher, clock, engine=lambda: built().engine,
                             projector=lambda: built().projector, vault=vault,
                             reply_sender=reply_sender)
    index = None
    if config.kind != "memory":
        from socmed_adapters.queries import SqlContentIndex

        index = SqlContentIndex(lambda: built().projector)
    if media_reader is None and config.kind != "memory" and config.data_dir is not None:
        from socmed_adapters.media.library import MediaLibrary

        media_reader = MediaLibrary.for_data_dir(config.data_dir)
    from socmed_adapters.identity.wiring import identity_parts

    # The credential tables are the runtime role's own, like the vault's keys (a role with
    # SOCMED_CREATE_TABLES=n still creates them: docs/scaling.md, the least-privilege role).
    identity = identity_parts(config, engine=lambda: built().engine)
    app_publisher = publisher
    if config.kind != "memory":
        from socmed_adapters.audit.sealed_publisher import SealedApprovals

        # A keyed store publishes only items whose events the audit key sealed.
        app_publisher = SealedApprovals(publisher, lambda: built().event_tables)
    try:
        app = _construct(env, clock=clock, publisher=app_publisher, rules=rules, policy=policy,
                         index=index, vault=inbox.vault, reply_sender=inbox.reply_sender,
                         inbox_index=inbox.inbox_index, calendar_source=inbox.calendar_source,
                         media_reader=media_reader, credentials=identity.credentials,
                         password_hasher=identity.hasher, totp=identity.totp,
                         secrets=identity.secrets, approval_routes=approval_routes)
    except (OSError, EventsourcingError) as error:
        where = config.database_url.split("@")[-1] if config.database_url else str(
            config.data_dir)
        raise StorageError(where=where, detail=_first_line(error)) from error
    services = Services(app=app, storage=config, publisher=publisher, clock=clock)
    if config.kind == "postgres":
        from socmed_adapters.jobs.hooks import install

        install(services)  # an item (re)scheduled gets its publish job at the slot's time
    return services
