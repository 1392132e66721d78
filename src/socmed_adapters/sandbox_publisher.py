"""The default Publisher: 'posts' by writing each post to a local outbox folder.

It behaves like a careful platform client: the idempotency key names the file, so a repeated
request returns the first receipt instead of posting twice, and `find` looks a post up by key.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from socmed_adapters.clock import system_clock
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt

SANDBOX_HOST = "https://sandbox.socmed.invalid"


class SandboxPublisher:
    """Writes `<outbox>/<platform>/<post id>.json`; the URL points at the sandbox host."""

    def __init__(self, outbox: Path, clock=system_clock) -> None:  # type: ignore[no-untyped-def]
        self.outbox = Path(outbox)
        self.clock = clock

    def _path(self, post: OutboundPost) -> tuple[str, Path]:
        post_id = hashlib.sha256(post.idempotency_key.encode()).hexdigest()[:16]
        return post_id, self.outbox / post.platform.value / f"{post_id}.json"

    def publish(self, post: OutboundPost) -> PostReceipt:
        existing = self.find(post)
        if existing is not None:
            return existing
        post_id, path = self._path(post)
        path.parent.mkdir(parents=True, exist_ok=True)
        published_at: datetime = self.clock()
        url = f"{SANDBOX_HOST}/{post.platform.value}/{post_id}"
        record = {
            "post_id": post_id,
            "url": url,
            "published_at": published_at.isoformat(),
            "platform": post.platform.value,
            "item_id": post.item_id,
            "title": post.title,
            "body": post.body,
            "media": list(post.media_uris),
            "revision_sha256": post.revision_sha256,
            "idempotency_key": post.idempotency_key,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
        return PostReceipt(post_id=post_id, url=url, published_at=published_at)

    def find(self, post: OutboundPost) -> PostReceipt | None:
        _, path = self._path(post)
        if not path.exists():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        return PostReceipt(post_id=record["post_id"], url=record["url"],
                           published_at=datetime.fromisoformat(record["published_at"]))

    def posts(self) -> list[dict[str, object]]:
        """Everything in the outbox, oldest first (for the demo and tests)."""
        records = [json.loads(p.read_text(encoding="utf-8"))
                   for p in self.outbox.glob("*/*.json")]
        return sorted(records, key=lambda r: (str(r["published_at"]), str(r["platform"])))
