"""The one composition root: storage, clock and publisher wired into the Application.

The CLI, the tests and other services call `bootstrap()`; storage is chosen by configuration
(`storage='sqlite'|'memory'`, a data dir), never by code paths inside the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from attrs import define

from socmed_adapters.clock import system_clock
from socmed_adapters.datadir import EVENTS_FILE, OUTBOX_DIR, default_data_dir
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_domain.application import SocmedApplication
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import ContentPolicy
from socmed_domain.publication.ports import Publisher


@define
class Services:
    """What bootstrap() hands back: the application and the parts wired into it."""

    app: SocmedApplication
    data_dir: Path | None
    publisher: Publisher
    clock: Callable[[], datetime]

    def close(self) -> None:
        self.app.close()


def storage_env(storage: str, data_dir: Path | None) -> dict[str, str]:
    """The eventsourcing environment for a storage choice."""
    if storage == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if storage == "sqlite":
        assert data_dir is not None
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(data_dir / EVENTS_FILE),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    raise ValueError(f"unknown storage {storage!r}: use 'sqlite' or 'memory'")


def store_exists(data_dir: Path) -> bool:
    return (data_dir / EVENTS_FILE).exists()


def bootstrap(
    data_dir: Path | str | None = None,
    *,
    storage: str = "sqlite",
    clock: Callable[[], datetime] = system_clock,
    publisher: Publisher | None = None,
    rules: Mapping[Platform, PlatformRules] | None = None,
    policy: ContentPolicy | None = None,
    create: bool = True,
) -> Services:
    """Build the application. With `create=False` a missing SQLite store is an error rather
    than silently created (read commands must not invent an empty store)."""
    resolved: Path | None = None
    if storage == "sqlite":
        resolved = Path(data_dir).expanduser() if data_dir else default_data_dir()
        if not create and not store_exists(resolved):
            raise FileNotFoundError(str(resolved / EVENTS_FILE))
        resolved.mkdir(parents=True, exist_ok=True)
    if publisher is None:
        outbox = (resolved / OUTBOX_DIR) if resolved else Path(".socmed-outbox")
        publisher = SandboxPublisher(outbox, clock)
    app = SocmedApplication(storage_env(storage, resolved), clock=clock, publisher=publisher,
                            rules=rules, policy=policy)
    return Services(app=app, data_dir=resolved, publisher=publisher, clock=clock)
