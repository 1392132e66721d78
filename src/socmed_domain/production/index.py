"""The `ContentIndex` port: content ids without loading every aggregate (the content board
read model answers it; without one, the services scan the event log)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from socmed_domain.platforms import Platform


class ContentIndex(Protocol):
    """Finds content ids without loading every aggregate (a read model answers it)."""

    def ids_with_prefix(self, prefix: str) -> list[UUID]: ...

    def due_ids(self, now: datetime) -> list[UUID]:
        """Items whose slot has come and that are not yet settled."""
        ...

    def published_count(self, platform: Platform, since: datetime) -> int:
        """Posts that went out on `platform` at or after `since` (for daily quotas)."""
        ...
