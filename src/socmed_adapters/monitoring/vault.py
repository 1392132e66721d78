"""The personal-data vault: one AES-256-GCM key per data subject, crypto-shredded on erasure.

Keys live in their own table, never in the event store or the read models:

- SQLite: a file of its own beside the store (`personal_data.sqlite`), opened with
  `PRAGMA secure_delete=ON` and a rollback journal (no WAL), so a deleted key's bytes are
  overwritten in the file rather than left in a free page;
- PostgreSQL: the table `socmed_personal_data_keys` in the store's database and schema; an
  erasure deletes the row and vacuums the table.

A subject is found by an HMAC of 'platform:handle' (the handle itself is never stored). With
`SOCMED_VAULT_KEY` (32 bytes, base64) in the environment, each subject key is stored wrapped
(AES-GCM) under that master key, and the lookup HMAC is keyed by it too, so a copy of the
database alone opens nothing. Without it the keys are stored as they are: then the keys file
or table must be protected like a password store.

Each sealed value is `nonce || ciphertext+tag` (base64), with the key id as associated data,
so a value cannot be moved to another subject's key unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any, Protocol
from uuid import uuid4

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from socmed_domain.errors import ConflictError, SocmedError
from socmed_domain.monitoring.vault import SealedText

MASTER_KEY_ENV = "SOCMED_VAULT_KEY"
NONCE = 12
CACHE = 50_000


class VaultError(SocmedError):
    code = "error.generic"


class KeyStore(Protocol):
    """Where the subject keys are kept (a table, or memory for tests)."""

    def find(self, lookup: str) -> tuple[str, bytes] | None: ...

    def find_many(self, lookups: list[str]) -> dict[str, tuple[str, bytes]]: ...

    def by_id(self, key_id: str) -> bytes | None: ...

    def add(self, rows: list[tuple[str, str, bytes]]) -> list[str]:
        """Store new keys; returns the lookups that already had a key (not stored)."""
        ...

    def delete(self, lookup: str) -> str | None: ...

    def pepper(self) -> bytes: ...


class MemoryKeyStore:
    """Keys in a dict: the in-memory store's vault (tests, `storage='memory'`)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, bytes]] = {}
        self.ids: dict[str, bytes] = {}
        self._pepper = os.urandom(32)

    def find(self, lookup: str) -> tuple[str, bytes] | None:
        return self.rows.get(lookup)

    def find_many(self, lookups: list[str]) -> dict[str, tuple[str, bytes]]:
        return {lookup: self.rows[lookup] for lookup in lookups if lookup in self.rows}

    def by_id(self, key_id: str) -> bytes | None:
        return self.ids.get(key_id)

    def add(self, rows: list[tuple[str, str, bytes]]) -> list[str]:
        taken = [lookup for _, lookup, _ in rows if lookup in self.rows]
        for key_id, lookup, wrapped in rows:
            if lookup not in taken:
                self.rows[lookup] = (key_id, wrapped)
                self.ids[key_id] = wrapped
        return taken

    def delete(self, lookup: str) -> str | None:
        found = self.rows.pop(lookup, None)
        if found is None:
            return None
        self.ids.pop(found[0], None)
        return found[0]

    def pepper(self) -> bytes:
        return self._pepper


def master_key_from_env(environ: dict[str, str] | None = None) -> bytes | None:
    text = (environ if environ is not None else os.environ).get(MASTER_KEY_ENV, "").strip()
    if not text:
        return None
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise VaultError(detail=f"{MASTER_KEY_ENV} must be 32 bytes in base64 "
                         "(make one with: openssl rand -base64 32)")
    return key


class AesGcmVault:
    """The `PersonalDataVault` port on AES-256-GCM keys per subject."""

    def __init__(self, store: KeyStore, master_key: bytes | None = None) -> None:
        self.store = store
        self.master = AESGCM(master_key) if master_key else None
        self._lookup_key = (hmac.new(master_key, b"socmed-vault-lookup", hashlib.sha256)
                            .digest() if master_key else None)
        self._subjects: OrderedDict[str, tuple[str, AESGCM]] = OrderedDict()
        self._keys: OrderedDict[str, AESGCM | None] = OrderedDict()
        self._pending: list[tuple[str, str, bytes]] = []
        self._flushed: list[tuple[str, str, bytes]] = []  # what the last flush stored
        self._absent: set[str] = set()  # subjects a prefetch just found without a key

    # ------------------------------------------------------------------ port

    def seal(self, subject_id: str, plaintext: str) -> SealedText:
        return self.seal_all(subject_id, plaintext)[0]

    def seal_all(self, subject_id: str, *plaintexts: str) -> tuple[SealedText, ...]:
        key_id, aead = self._subject_key(subject_id, create=True)
        bound = key_id.encode("ascii")
        nonces = os.urandom(NONCE * len(plaintexts))  # a fresh random nonce for each value
        sealed = []
        for index, plaintext in enumerate(plaintexts):
            nonce = nonces[index * NONCE:(index + 1) * NONCE]
            data = aead.encrypt(nonce, plaintext.encode("utf-8"), bound)
            sealed.append(SealedText(key_id, base64.b64encode(nonce + data).decode("ascii")))
        return tuple(sealed)

    def open(self, sealed: SealedText) -> str | None:
        aead = self._key_by_id(sealed.key_id)
        if aead is None:
            return None
        raw = base64.b64decode(sealed.ciphertext)
        try:
            plain = aead.decrypt(raw[:NONCE], raw[NONCE:], sealed.key_id.encode("ascii"))
        except InvalidTag:
            raise VaultError(detail=f"sealed value under key {sealed.key_id[:8]} does not "
                             "verify: it was altered or belongs to another key") from None
        return plain.decode("utf-8")

    def key_for(self, subject_id: str) -> str | None:
        cached = self._subjects.get(subject_id)
        if cached is not None:
            return cached[0]
        found = self.store.find(self._lookup(subject_id))
        return found[0] if found else None

    def erase(self, subject_id: str) -> str | None:
        self.flush()
        key_id = self.store.delete(self._lookup(subject_id))
        cached = self._subjects.pop(subject_id, None)
        for erased in {key_id, cached[0] if cached else None} - {None}:
            assert erased is not None
            self._keys[erased] = None
        return key_id

    def prefetch(self, subject_ids: Iterable[str]) -> None:
        missing = [s for s in subject_ids if s not in self._subjects]
        if not missing:
            return
        lookups = {self._lookup(s): s for s in missing}
        for lookup, (key_id, wrapped) in self.store.find_many(list(lookups)).items():
            entry = (key_id, AESGCM(self._unwrap(key_id, wrapped)))
            self._remember(self._subjects, lookups[lookup], entry)
            self._remember(self._keys, key_id, entry[1])
        self._absent.update(s for lookup, s in lookups.items()
                            if s not in self._subjects)

    def flush(self) -> None:
        """Store the keys made since the last flush. If another process made a key for one
        of the same subjects first, the values sealed here under ours would be unreadable:
        forget ours and raise ConflictError, so the caller seals again (with theirs)."""
        self._flushed = []
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        taken = set(self.store.add(pending))
        self._flushed = [row for row in pending if row[1] not in taken]
        if taken:
            lost = {key_id for key_id, lookup, _ in pending if lookup in taken}
            for subject, (key_id, _) in list(self._subjects.items()):
                if key_id in lost:
                    del self._subjects[subject]
            for key_id in lost:
                self._keys.pop(key_id, None)
            raise ConflictError(kind="personal-data key", ref=", ".join(sorted(lost))[:8])

    def discard_flushed(self) -> None:
        flushed, self._flushed = self._flushed, []
        lost = set()
        for key_id, lookup, _ in flushed:
            if self.store.delete(lookup) == key_id:
                lost.add(key_id)
        for subject, (key_id, _) in list(self._subjects.items()):
            if key_id in lost:
                del self._subjects[subject]
        for key_id in lost:
            self._keys.pop(key_id, None)

    # ---------------------------------------------------------------- keys

    def _lookup(self, subject_id: str) -> str:
        if self._lookup_key is None:
            self._lookup_key = self.store.pepper()
        return hmac.digest(self._lookup_key, subject_id.encode("utf-8"), "sha256").hex()

    def _subject_key(self, subject_id: str, create: bool) -> tuple[str, AESGCM]:
        cached = self._subjects.get(subject_id)
        if cached is not None:
            self._subjects.move_to_end(subject_id)
            return cached
        lookup = self._lookup(subject_id)
        found = None if subject_id in self._absent else self.store.find(lookup)
        self._absent.discard(subject_id)
        if found is not None:
            key_id, key = found[0], self._unwrap(found[0], found[1])
        else:
            key_id, key = str(uuid4()), AESGCM.generate_key(bit_length=256)
            self._pending.append((key_id, lookup, self._wrap(key_id, key)))
        entry = (key_id, AESGCM(key))
        self._remember(self._subjects, subject_id, entry)
        self._remember(self._keys, key_id, entry[1])
        return entry

    def _key_by_id(self, key_id: str) -> AESGCM | None:
        if key_id in self._keys:
            return self._keys[key_id]
        pending = next((w for k, _, w in self._pending if k == key_id), None)
        wrapped = pending if pending is not None else self.store.by_id(key_id)
        aead = AESGCM(self._unwrap(key_id, wrapped)) if wrapped is not None else None
        self._remember(self._keys, key_id, aead)
        return aead

    @staticmethod
    def _remember(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
        cache[key] = value
        if len(cache) > CACHE:
            cache.popitem(last=False)

    def _wrap(self, key_id: str, key: bytes) -> bytes:
        if self.master is None:
            return b"\x00" + key
        nonce = os.urandom(NONCE)
        return b"\x01" + nonce + self.master.encrypt(nonce, key, key_id.encode("ascii"))

    def _unwrap(self, key_id: str, stored: bytes) -> bytes:
        if stored[:1] == b"\x00":
            return bytes(stored[1:])
        if self.master is None:
            raise VaultError(detail=f"the personal-data keys are wrapped: set {MASTER_KEY_ENV}")
        try:
            return self.master.decrypt(stored[1:1 + NONCE], stored[1 + NONCE:],
                                       key_id.encode("ascii"))
        except InvalidTag:
            raise VaultError(detail=f"{MASTER_KEY_ENV} does not open the personal-data keys: "
                             "is it the key they were made with?") from None

