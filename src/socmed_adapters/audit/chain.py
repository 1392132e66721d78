"""The hash chain over the event log.

Each stored event gets a link: SHA-256 (or HMAC-SHA-256 with a key Legal holds, from
$SOCMED_AUDIT_KEY) of the previous link and the event's stored bytes, prefixed by its position,
aggregate id, version and topic. The link is written by the event recorder in the same
transaction as the event, so an event that appears without a link was written around the
application, and an edited event no longer matches its link. Every CHECKPOINT_EVERY positions
the link is also kept as a checkpoint, for exports and quick comparisons.

A keyed store records that it is keyed: the chain row at position 0 (no event has position 0)
holds `hmac-sha256:` and a fingerprint of the key (an HMAC of a fixed text, which reveals
nothing of the key). It is written with the first keyed event, so `audit verify` can refuse to
vouch for a keyed store when it is run without the key, and a recorder without the key (or
with another key) refuses to append plain links to it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from uuid import UUID

from socmed_domain.errors import SocmedError

GENESIS = "0" * 64
CHECKPOINT_EVERY = 1000
KEY_ENV = "SOCMED_AUDIT_KEY"
CHAIN_TABLE = "socmed_audit_chain"
CHECKPOINT_TABLE = "socmed_audit_checkpoints"
#: The chain row that records the store's mode (events start at position 1).
MODE_POSITION = 0
KEYED_PREFIX = "hmac-sha256:"


def current_key() -> bytes | None:
    env_key = os.environ.get(KEY_ENV)
    return env_key.encode() if env_key else None


def algorithm() -> str:
    return "hmac-sha256" if os.environ.get(KEY_ENV) else "sha256"


def key_fingerprint(key: bytes) -> str:
    """What the mode row holds for a key: an HMAC of a fixed text, so a verifier can tell
    the right key from a wrong one without the store revealing anything about it."""
    return hmac.new(key, b"socmed audit chain key", hashlib.sha256).hexdigest()


def keyed_marker(key: bytes) -> str:
    return KEYED_PREFIX + key_fingerprint(key)


def canonical(position: int, originator_id: UUID | str, version: int, topic: str,
              state: bytes) -> bytes:
    """The bytes a link covers: position, id, version and topic, then the stored state."""
    oid = str(originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id)))
    return f"{position}\n{oid}\n{version}\n{topic}\n".encode() + bytes(state)


def link(previous: str, data: bytes, key: bytes | None = None) -> str:
    if key is None:
        key = current_key()
    payload = bytes.fromhex(previous) + data
    if key:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def plain_link(previous: str, data: bytes) -> str:
    """The plain SHA-256 link, whatever key is configured (to recognise a forgery)."""
    return hashlib.sha256(bytes.fromhex(previous) + data).hexdigest()


def links_for(previous: str, rows: list[tuple[int, UUID | str, int, str, bytes]]
              ) -> list[tuple[int, str]]:
    """Links for consecutive new events given the link before them."""
    out = []
    for position, originator_id, version, topic, state in rows:
        previous = link(previous, canonical(position, originator_id, version, topic, state))
        out.append((position, previous))
    return out


class ChainModeError(SocmedError):
    """The recorder refuses to seal events: the store's recorded key does not match the
    configured one (or none is configured). Nothing is written."""

    code = "error.audit_key_missing"


def check_mode(marker: str | None, key: bytes | None) -> str | None:
    """Why a recorder with `key` must not append to a chain whose mode row is `marker`
    (a message code), or None when it may. An unkeyed recorder may append to an unmarked
    chain; a keyed one to an unmarked chain (it then marks it) or to its own."""
    if marker is None:
        return None
    if not marker.startswith(KEYED_PREFIX):
        return None
    if key is None:
        return "error.audit_key_missing"
    if marker != keyed_marker(key):
        return "error.audit_key_wrong"
    return None
