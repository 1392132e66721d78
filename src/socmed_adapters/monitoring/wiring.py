"""Stage 4 parts, built once by bootstrap() and passed to the application's constructor: the
vault, the reply channel, the inbox index and the business calendar with Indonesia's
holidays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from attrs import frozen

from socmed_adapters.datadir import OUTBOX_DIR
from socmed_adapters.monitoring.sandbox_replies import SandboxReplySender
from socmed_adapters.monitoring.vault import (
    AesGcmVault,
    KeyStore,
    MemoryKeyStore,
    master_key_from_env,
)
from socmed_adapters.storage import StorageConfig
from socmed_domain.monitoring.replies import OutboundReply, ReplyReceipt, ReplySender
from socmed_domain.monitoring.service import InboxIndex
from socmed_domain.monitoring.sla import DEFAULT_CALENDAR, BusinessCalendar
from socmed_domain.monitoring.vault import PersonalDataVault
from socmed_domain.publication.ports import Publisher


class LazyKeyStore:
    """Opens the keys table on first use, so commands that never touch personal data do not
    open a connection or create tables for it."""

    def __init__(self, config: StorageConfig, engine: Callable[[], Any]) -> None:
        self.config = config
        self.engine = engine  # the read models' engine (PostgreSQL keeps the keys there)
        self._store: KeyStore | None = None

    def _inner(self) -> KeyStore:
        if self._store is None:
            from socmed_adapters.monitoring.keystore import SqlKeyStore, sqlite_key_engine

            config = self.config
            if config.kind == "sqlite":
                assert config.data_dir is not None
                self._store = SqlKeyStore(sqlite_key_engine(config.data_dir))
            else:
                self._store = SqlKeyStore(self.engine(), schema=config.schema, vacuum=True)
        return self._store

    def find(self, lookup: str) -> tuple[str, bytes] | None:
        return self._inner().find(lookup)

    def find_many(self, lookups: list[str]) -> dict[str, tuple[str, bytes]]:
        return self._inner().find_many(lookups)

    def by_id(self, key_id: str) -> bytes | None:
        return self._inner().by_id(key_id)

    def add(self, rows: list[tuple[str, str, bytes]]) -> list[str]:
        return self._inner().add(rows)

    def delete(self, lookup: str) -> str | None:
        return self._inner().delete(lookup)

    def pepper(self) -> bytes:
        return self._inner().pepper()


class PlatformReplies:
    """Replies through the platforms' APIs, when posts go there too (`--publisher
    platforms`): the clients are made on the first reply, from the publishers' credentials,
    so commands that never reply never read them."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self._sender: ReplySender | None = None

    def send_reply(self, reply: OutboundReply) -> ReplyReceipt:
        if self._sender is None:
            from socmed_adapters.interactions.source import interactions_from_config

            self._sender = interactions_from_config(clock=self.clock)
        return self._sender.send_reply(reply)


def indonesian_calendar(years: range, base: BusinessCalendar = DEFAULT_CALENDAR
                        ) -> BusinessCalendar:
    """The business calendar with Indonesia's public holidays and cuti bersama."""
    import holidays

    categories = holidays.country_holidays("ID").supported_categories
    days = holidays.country_holidays("ID", years=list(years), categories=categories)
    return base.with_holidays(days.keys())


@frozen
class MonitoringParts:
    """What the inbox service is constructed with (SocmedApplication's keyword arguments)."""

    vault: PersonalDataVault
    reply_sender: ReplySender
    calendar_source: Callable[[], BusinessCalendar]
    inbox_index: InboxIndex | None


def monitoring_parts(config: StorageConfig, publisher: Publisher, clock: Callable[[], datetime],
                     *, engine: Callable[[], Any], projector: Callable[[], Any],
                     vault: PersonalDataVault | None = None,
                     reply_sender: ReplySender | None = None) -> MonitoringParts:
    """The vault (keys in memory, or in the store, opened on first use), the reply channel
    (the platforms' APIs when posts go there, which such a publisher says by its
    `replies_through_platforms` attribute; else the sandbox outbox), the business calendar
    and, for SQL stores, the inbox index over the read models."""
    if vault is None:
        store: KeyStore = (MemoryKeyStore() if config.kind == "memory"
                           else LazyKeyStore(config, engine))
        vault = AesGcmVault(store, master_key_from_env())
    if reply_sender is None:
        if getattr(publisher, "replies_through_platforms", False) is True:
            reply_sender = PlatformReplies(clock)
        else:
            outbox = config.data_dir / OUTBOX_DIR if config.data_dir else None
            reply_sender = SandboxReplySender(outbox, clock)
    year = clock().year
    inbox_index: InboxIndex | None = None
    if config.kind != "memory":
        from socmed_adapters.monitoring.inbox_queries import SqlInboxIndex

        inbox_index = SqlInboxIndex(projector)
    return MonitoringParts(vault=vault, reply_sender=reply_sender,
                           calendar_source=partial(indonesian_calendar,
                                                   range(year - 1, year + 2)),
                           inbox_index=inbox_index)
