"""In a keyed store, publish only what the key sealed.

Without the key, anyone who can write to the database can append an `Approved` event with a
correct plain SHA-256 link, and the scheduler would publish the never-approved post. With
$SOCMED_AUDIT_KEY set, every link is an HMAC a writer without the key cannot make, so before a
post leaves, this wrapper around the Publisher port checks the link of every event of the item
(its creation, revisions, approval, schedule) against the stored link before it, under the key.
An item with an event the key did not seal is refused as a permanent failure (recorded as
`PublicationFailed`, never sent), and `audit verify` names the event (`forged`/`edited`).
Without a key there is nothing to check against: see docs/security.md for what that mode
can and cannot stop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from socmed_adapters.audit.chain import current_key
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import Publisher, PublishError


class SealedApprovals:
    """A Publisher that first checks the item's seals (keyed stores), then delegates."""

    def __init__(self, inner: Publisher, tables: Callable[[], Any]) -> None:
        self.inner = inner
        self._tables_factory = tables
        self._tables: Any = None

    def publish(self, post: OutboundPost) -> PostReceipt:
        key = current_key()
        if key is not None:
            from socmed_adapters.audit.verify import item_seal_problems

            if self._tables is None:
                self._tables = self._tables_factory()
            bad = item_seal_problems(self._tables, UUID(post.item_id), key)
            if bad:
                positions = ", ".join(str(p) for p in bad[:5])
                raise PublishError(
                    f"refused: event(s) at position {positions} of this item are not sealed "
                    "by the audit key (written around socmed); run 'socmed audit verify'",
                    retryable=False)
        return self.inner.publish(post)

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return self.inner.find(post)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if callable(close):
            close()
        if self._tables is not None and self._tables.engine.dialect.name == "sqlite":
            self._tables.engine.dispose()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
