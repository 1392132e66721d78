"""The default reply channel: replies are logged to `<data dir>/outbox/replies.jsonl`
instead of reaching a platform, like the sandbox publisher's posts.

The log holds ids and a SHA-256 of the text, never the text: a reply may name the audience
member, and the log is not covered by crypto-shredding.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from socmed_domain.monitoring.replies import OutboundReply, ReplyReceipt


class SandboxReplySender:
    def __init__(self, outbox: Path | None, clock: Callable[[], datetime]) -> None:
        self.outbox = outbox
        self.clock = clock
        self.sent: dict[str, ReplyReceipt] = {}

    def send_reply(self, reply: OutboundReply) -> ReplyReceipt:
        found = self.sent.get(reply.idempotency_key)
        if found is not None:
            return found
        digest = hashlib.sha256(reply.idempotency_key.encode()).hexdigest()[:16]
        receipt = ReplyReceipt(f"sandbox-{reply.platform.value}-{digest}")
        self.sent[reply.idempotency_key] = receipt
        if self.outbox is not None:
            self.outbox.mkdir(parents=True, exist_ok=True)
            line = {"at": self.clock().isoformat(), "platform": reply.platform.value,
                    "thread_id": reply.thread_id, "in_reply_to": reply.in_reply_to,
                    "reply_id": receipt.platform_reply_id,
                    "text_sha256": hashlib.sha256(reply.text.encode()).hexdigest()}
            with (self.outbox / "replies.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line) + "\n")
        return receipt
