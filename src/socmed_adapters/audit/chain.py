"""The hash chain over the event log.

Each stored event gets a link: SHA-256 (or HMAC-SHA-256 with a key Legal holds, from
$SOCMED_AUDIT_KEY) of the previous link and the event's stored bytes, prefixed by its position,
aggregate id, version and topic. The link is written by the event recorder in the same
transaction as the event, so an event that appears without a link was written around the
application, and an edited event no longer matches its link. Every CHECKPOINT_EVERY positions
the link is also kept as a checkpoint, for exports and quick comparisons.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from uuid import UUID

GENESIS = "0" * 64
CHECKPOINT_EVERY = 1000
KEY_ENV = "SOCMED_AUDIT_KEY"
CHAIN_TABLE = "socmed_audit_chain"
CHECKPOINT_TABLE = "socmed_audit_checkpoints"


def algorithm() -> str:
    return "hmac-sha256" if os.environ.get(KEY_ENV) else "sha256"


def canonical(position: int, originator_id: UUID | str, version: int, topic: str,
              state: bytes) -> bytes:
    """The bytes a link covers: position, id, version and topic, then the stored state."""
    oid = str(originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id)))
    return f"{position}\n{oid}\n{version}\n{topic}\n".encode() + bytes(state)


def link(previous: str, data: bytes, key: bytes | None = None) -> str:
    if key is None:
        env_key = os.environ.get(KEY_ENV)
        key = env_key.encode() if env_key else None
    payload = bytes.fromhex(previous) + data
    if key:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def links_for(previous: str, rows: list[tuple[int, UUID | str, int, str, bytes]]
              ) -> list[tuple[int, str]]:
    """Links for consecutive new events given the link before them."""
    out = []
    for position, originator_id, version, topic, state in rows:
        previous = link(previous, canonical(position, originator_id, version, topic, state))
        out.append((position, previous))
    return out
