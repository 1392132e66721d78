"""Signed checkpoints of the audit chain: Ed25519 keys, the signed statement, the policy.

A checkpoint says "at position P the chain's link was L", signed with an Ed25519 private key
that lives outside the database (a PEM file in the configuration directory or at a path given
by $SOCMED_AUDIT_SIGNING_KEY; it is never written to the event store). Anyone holding the
public key can check it; nobody without the private key can make one. The recorder signs one
every N events and at least every M minutes of activity (see `CheckpointPolicy`), stores it in
the store's checkpoint table and appends it to the witness (witness.py), after the commit.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from attrs import frozen
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from socmed_domain.errors import SocmedError

SIGNING_KEY_ENV = "SOCMED_AUDIT_SIGNING_KEY"
VERIFY_KEY_ENV = "SOCMED_AUDIT_VERIFY_KEY"
EVENTS_ENV = "SOCMED_AUDIT_CHECKPOINT_EVENTS"
MINUTES_ENV = "SOCMED_AUDIT_CHECKPOINT_MINUTES"
SIGNING_KEY_FILE = "audit-signing-key.pem"
VERIFY_KEY_FILE = "audit-verify-key.pem"
SIGNED_TABLE = "socmed_audit_signed_checkpoints"
FORMAT = "socmed-audit-checkpoint/1"
#: Defaults: a signed checkpoint every 100 events and at least every 10 minutes of activity.
DEFAULT_EVERY_EVENTS = 100
DEFAULT_EVERY_MINUTES = 10


class AuditKeyError(SocmedError):
    code = "error.audit_signing_key"


def default_config_dir() -> Path:
    """$SOCMED_CONFIG_DIR, else $XDG_CONFIG_HOME/socmed, else ~/.config/socmed."""
    named = os.environ.get("SOCMED_CONFIG_DIR")
    if named:
        return Path(named).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".config") / "socmed"


def signing_key_path() -> Path | None:
    """The private key's file: $SOCMED_AUDIT_SIGNING_KEY, else the configuration directory's
    audit-signing-key.pem when it exists; None: checkpoints are not signed."""
    named = os.environ.get(SIGNING_KEY_ENV)
    if named:
        return Path(named).expanduser()
    default = default_config_dir() / SIGNING_KEY_FILE
    return default if default.is_file() else None


def verify_key_path(given: str | None = None) -> Path | None:
    named = given or os.environ.get(VERIFY_KEY_ENV)
    if named:
        return Path(named).expanduser()
    default = default_config_dir() / VERIFY_KEY_FILE
    return default if default.is_file() else None


def generate_key_pair(folder: Path) -> tuple[Path, Path]:
    """Write a new private key (mode 0600, refused if one exists) and its public key."""
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / SIGNING_KEY_FILE, folder / VERIFY_KEY_FILE
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AuditKeyError("error.audit_key_exists", path=str(private_path)) from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_path.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path, public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key: Ed25519PrivateKey = _load_pem(
        path, lambda data: serialization.load_pem_private_key(data, password=None),
        Ed25519PrivateKey, "private")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key: Ed25519PublicKey = _load_pem(path, serialization.load_pem_public_key,
                                      Ed25519PublicKey, "public")
    return key


def _load_pem(path: Path, load: Any, kind: type, which: str) -> Any:
    """A PEM key file (read at most 64 KiB) that must hold an Ed25519 key of `kind`."""
    try:
        key = load(path.read_bytes()[:64 * 1024])
    except (OSError, ValueError, TypeError) as error:
        raise AuditKeyError(path=str(path), detail=_short(error)) from None
    if not isinstance(key, kind):
        raise AuditKeyError(path=str(path), detail=f"not an Ed25519 {which} key")
    return key


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _short(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:120]


@frozen
class Checkpoint:
    """A signed statement: at `position` the chain's link was `link`."""

    position: int
    link: str
    created_at: str  # ISO 8601, UTC
    algorithm: str  # the chain's link algorithm: sha256 | hmac-sha256
    key_id: str
    signature: str  # hex

    def statement(self) -> bytes:
        return statement(self.position, self.link, self.created_at, self.algorithm)

    def signed_by(self, public: Ed25519PublicKey) -> bool:
        try:
            public.verify(bytes.fromhex(self.signature), self.statement())
        except (InvalidSignature, ValueError):
            return False
        return True

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "position": self.position, "link": self.link,
                "created_at": self.created_at, "algorithm": self.algorithm,
                "key_id": self.key_id, "signature": self.signature}


def statement(position: int, link: str, created_at: str, algorithm: str) -> bytes:
    return f"{FORMAT}\n{position}\n{link}\n{created_at}\n{algorithm}\n".encode()


def sign(key: Ed25519PrivateKey, position: int, link: str, algorithm: str,
         now: datetime | None = None) -> Checkpoint:
    created_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
    signature = key.sign(statement(position, link, created_at, algorithm)).hex()
    return Checkpoint(position, link, created_at, algorithm, key_id(key.public_key()),
                      signature)


@frozen
class CheckpointPolicy:
    """When the recorder signs: after `every_events` new events, or when the newest
    checkpoint is `every_minutes` old and there are new events; and at the first write."""

    every_events: int = DEFAULT_EVERY_EVENTS
    every_minutes: float = DEFAULT_EVERY_MINUTES

    @classmethod
    def from_env(cls) -> CheckpointPolicy:
        return cls(_positive(EVENTS_ENV, DEFAULT_EVERY_EVENTS, int),
                   _positive(MINUTES_ENV, DEFAULT_EVERY_MINUTES, float))

    def due(self, head: int, last_position: int | None, last_created_at: str | None,
            now: datetime) -> bool:
        if last_position is None or last_created_at is None:
            return True
        if head - last_position >= self.every_events:
            return True
        try:
            then = datetime.fromisoformat(last_created_at)
        except ValueError:
            return True
        return head > last_position and now - then >= timedelta(minutes=self.every_minutes)


def _positive(name: str, default: Any, kind: Any) -> Any:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise AuditKeyError("error.audit_checkpoint_setting", name=name, value=raw[:40]) \
            from None
    if not value > 0 or value != value or value == float("inf"):
        raise AuditKeyError("error.audit_checkpoint_setting", name=name, value=raw[:40])
    return value


class Signer:
    """The private key and policy a recorder signs with (None when no key is configured)."""

    def __init__(self, key: Ed25519PrivateKey, policy: CheckpointPolicy,
                 witness: Any | None) -> None:
        self.key = key
        self.policy = policy
        self.witness = witness
