"""Stage 4 wiring, called once by bootstrap(): the vault, the reply channel, the inbox index
and the business calendar with Indonesia's holidays."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from socmed_adapters.datadir import OUTBOX_DIR
from socmed_adapters.monitoring.sandbox_replies import SandboxReplySender
from socmed_adapters.monitoring.vault import (
    AesGcmVault,
    KeyStore,
    MemoryKeyStore,
    master_key_from_env,
)
from socmed_domain.monitoring.replies import OutboundReply, ReplyReceipt, ReplySender
from socmed_domain.monitoring.sla import DEFAULT_CALENDAR, BusinessCalendar


class LazyKeyStore:
    """Opens the keys table on first use, so commands that never touch personal data do not
    open a connection or create tables for it."""

    def __init__(self, services: Any) -> None:
        self.services = services
        self._store: KeyStore | None = None

    def _inner(self) -> KeyStore:
        if self._store is None:
            from socmed_adapters.monitoring.keystore import SqlKeyStore, sqlite_key_engine

            config = self.services.storage
            if config.kind == "sqlite":
                self._store = SqlKeyStore(sqlite_key_engine(config.data_dir))
            else:
                self._store = SqlKeyStore(self.services.engine, schema=config.schema,
                                          vacuum=True)
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


def wire_monitoring(services: Any) -> None:
    app, config = services.app, services.storage
    if app.vault is None:
        store: KeyStore = MemoryKeyStore() if config.kind == "memory" else LazyKeyStore(services)
        app.vault = AesGcmVault(store, master_key_from_env())
    if app.reply_sender is None:
        router = sys.modules.get("socmed_adapters.platforms.router")
        if router is not None and isinstance(services.publisher, router.PlatformRouter):
            app.reply_sender = PlatformReplies(services.clock)
        else:
            outbox = config.data_dir / OUTBOX_DIR if config.data_dir else None
            app.reply_sender = SandboxReplySender(outbox, services.clock)
    year = services.clock().year
    app.calendar_source = partial(indonesian_calendar, range(year - 1, year + 2))
    if config.kind != "memory":
        from socmed_adapters.monitoring.inbox_queries import SqlInboxIndex

        app.inbox_index = SqlInboxIndex(services)
