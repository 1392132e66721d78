"""Personal data at rest (UU PDP): no plaintext name, handle or message text in any database
file or table, on SQLite and PostgreSQL; after erasure the subject's data cannot be read back,
and on SQLite the destroyed key's bytes are gone from the keys file."""

from __future__ import annotations

import base64
import codecs
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.files import FileSource
from socmed_adapters.monitoring.keystore import KEYS_FILE
from socmed_adapters.monitoring.vault import VaultError
from socmed_domain.monitoring.interaction import conversation_id
from socmed_domain.monitoring.vault import ERASED, SealedText, reveal
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB
from tests.conftest import POSTGRES_URL, Backend, seed_team

DATA = Path(__file__).parents[1] / "data" / "interactions" / "sample.jsonl"
PERSONAL = ("Bagus Prasetyo", "bagus_pras88", "transfer saya gagal", "Siti Rahmawati",
            "siti_rahma", "raise my transfer limit", "Data saya bocor", "Kak Bagus")


def _variants(text: str) -> list[bytes]:
    """The text as UTF-8, as JSON with \\u escapes, lower-cased (handles are folded), and as
    base64 at each of the three byte alignments (a value 'protected' by base64 alone)."""
    import json

    forms = [text.encode(), json.dumps(text).strip('"').encode(), text.lower().encode()]
    return forms + [_base64_inside(form, pad) for form in forms[::2] for pad in (0, 1, 2)]


def _base64_inside(raw: bytes, pad: int) -> bytes:
    """What base64 of `raw` looks like inside the base64 of a longer value where `raw` starts
    `pad` bytes past a 3-byte boundary (the partial groups at either end cut off)."""
    encoded = base64.b64encode(b"\0" * pad + raw)
    return encoded[4 if pad else 0:-4]


def _sqlite_bytes(data_dir: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(data_dir.rglob("*"))
                    if path.is_file())


def _postgres_bytes(schema: str) -> bytes:
    import psycopg

    found = []
    with psycopg.connect(POSTGRES_URL) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,))]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{schema}"."{table}"'):
                for value in row:
                    found.append(bytes(value) if isinstance(value, bytes | memoryview)
                                 else str(value).encode())
    return b"\n".join(found)


def _raw(backend: Backend) -> bytes:
    if backend.kind == "sqlite":
        return _sqlite_bytes(backend.data_dir)
    assert backend.database_url is not None
    return _postgres_bytes(backend.database_url.rpartition("schema=")[2])


def _store(backend: Backend) -> Any:
    clock = ManualClock(datetime(2026, 12, 10, 16, 0, tzinfo=WIB))
    services = backend.services(clock=clock)
    seed_team(services.app)
    services.app.ingest_interactions("adi.admin", FileSource(DATA).interactions())
    budi = conversation_id(Platform.INSTAGRAM, "ig-c-1001")
    services.app.reply_to_conversation("adi.admin", budi, template="praise")
    services.projector.catch_up()
    return services, budi


def test_no_plaintext_personal_data_at_rest(backend: Backend) -> None:
    services, budi = _store(backend)
    raw = _raw(backend)
    for text in PERSONAL:
        for variant in _variants(text):
            assert variant not in raw, f"{text!r} found at rest"
    # ... while the application can still read them.
    view = services.app.get_conversation(budi)
    assert reveal(services.app.vault, view.author_name) == "Bagus Prasetyo"


def test_erased_data_cannot_be_read_back(backend: Backend) -> None:
    services, budi = _store(backend)
    app = services.app
    key_id = app.vault.key_for("instagram:bagus_pras88")
    wrapped = app.vault.store.by_id(key_id)
    assert wrapped is not None
    app.erase_personal_data("sari.legal", "instagram:bagus_pras88", "permintaan #PDP-9")
    services.projector.rebuild("inbox")
    # A fresh process (new vault, no caches) reads the same store.
    fresh = backend.services(clock=ManualClock(datetime(2026, 12, 11, tzinfo=WIB)))
    view = fresh.app.get_conversation(budi)
    assert reveal(fresh.app.vault, view.author_name) == ERASED
    assert all(fresh.app.vault.open(m.text) is None for m in view.messages)
    assert all(fresh.app.vault.open(r.text) is None for r in view.replies)
    siti = fresh.app.get_conversation(conversation_id(Platform.X, "x-1870001"))
    assert reveal(fresh.app.vault, siti.author_name) == "Siti Rahmawati"
    if backend.kind == "sqlite":
        keys_file = (backend.data_dir / KEYS_FILE).read_bytes()
        assert wrapped[1:] not in keys_file, "the destroyed key's bytes are still on disk"


@pytest.mark.parametrize("master", [True])
def test_a_master_key_wraps_the_subject_keys(backend: Backend, master: bool,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import os

    monkeypatch.setenv("SOCMED_VAULT_KEY", base64.b64encode(os.urandom(32)).decode())
    services, budi = _store(backend)
    key_id = services.app.vault.key_for("instagram:bagus_pras88")
    stored = services.app.vault.store.by_id(key_id)
    assert stored[:1] == b"\x01"  # wrapped, not the key itself
    monkeypatch.delenv("SOCMED_VAULT_KEY")
    fresh = backend.services(clock=ManualClock(datetime(2026, 12, 11, tzinfo=WIB)))
    view = fresh.app.get_conversation(budi)
    with pytest.raises(Exception, match="SOCMED_VAULT_KEY"):
        fresh.app.vault.open(view.author_name)


def _stored_sealed(app: Any) -> list[SealedText]:
    """Every SealedText held by a stored event, as the event store gives it back."""
    import attrs

    found: list[SealedText] = []

    def walk(value: Any) -> None:
        if isinstance(value, SealedText):
            found.append(value)
        elif attrs.has(type(value)):
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple | list | set | frozenset):
            for inner in value:
                walk(inner)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)

    for notification in app.recorder.select_notifications(start=1, limit=1_000_000):
        walk(list(vars(app.mapper.to_domain_event(notification)).values()))
    return found


def _encodings(text: str) -> list[bytes]:
    """The plaintext in every encoding a lazy 'protection' might use."""
    forms = {text, text.lower(), text.upper(), text[::-1]}
    found: list[bytes] = []
    for form in forms:
        for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            raw = form.encode(codec)
            found += [raw, raw.hex().encode(), base64.b64encode(raw),
                      base64.urlsafe_b64encode(raw), base64.b32encode(raw),
                      codecs.encode(form, "rot13").encode()]
            found += [_base64_inside(raw, pad) for pad in (0, 1, 2)]
    return [value for value in found if len(value) >= 4]


def test_stored_personal_data_is_aes_gcm_under_the_subjects_own_key(backend: Backend) -> None:
    """The ciphertext of each stored value is decoded and checked: it holds the plaintext in
    no encoding (not UTF-8, UTF-16, hex or base64 of it), it is `nonce || AES-GCM(...) || tag`
    that opens under the subject's key with the key id as associated data -- and under no
    other key or key id."""
    services, _budi = _store(backend)
    app = services.app
    app.vault.flush()
    sealed = _stored_sealed(app)
    plaintexts = {"bagus_pras88", "Bagus Prasetyo",
                  "Kenapa transfer saya gagal terus dari pagi?? kecewa banget"}
    key_id = app.vault.key_for("instagram:bagus_pras88")
    stored_key = app.vault.store.by_id(key_id)
    assert stored_key is not None and stored_key[:1] == b"\x00"  # no master key: kept as is
    key = bytes(stored_key[1:])
    assert len(key) == 32
    opened: dict[str, str] = {}
    for value in sealed:
        raw = base64.b64decode(value.ciphertext, validate=True)
        for text in plaintexts | set(PERSONAL):
            for form in _encodings(text):
                assert form not in raw and form not in value.ciphertext.encode(), (
                    f"{text!r} readable in a sealed value")
        if value.key_id != key_id:
            continue
        nonce, body = raw[:12], raw[12:]
        plain = AESGCM(key).decrypt(nonce, body, key_id.encode("ascii")).decode()
        assert len(body) == len(plain.encode()) + 16  # ciphertext + 128-bit GCM tag
        opened[value.ciphertext] = plain
        with pytest.raises(InvalidTag):
            AESGCM(os.urandom(32)).decrypt(nonce, body, key_id.encode("ascii"))
        with pytest.raises(InvalidTag):
            AESGCM(key).decrypt(nonce, body, str(uuid.uuid4()).encode("ascii"))
    assert plaintexts <= set(opened.values())
    nonces = [base64.b64decode(v.ciphertext)[:12] for v in sealed]
    assert len(set(nonces)) == len(nonces), "a nonce was used twice"


def test_a_changed_ciphertext_or_key_id_is_refused(backend: Backend) -> None:
    """A sealed value altered in any part (nonce, body, tag), or moved under another
    subject's key id, does not open: the vault refuses it instead of returning text."""
    services, budi = _store(backend)
    services.app.vault.flush()
    fresh = backend.services(clock=ManualClock(datetime(2026, 12, 11, tzinfo=WIB)))
    vault = fresh.app.vault
    name = fresh.app.get_conversation(budi).author_name
    siti = fresh.app.get_conversation(conversation_id(Platform.X, "x-1870001")).author_name
    assert vault.open(name) == "Bagus Prasetyo" and siti.key_id != name.key_id
    raw = base64.b64decode(name.ciphertext)
    for index in (0, 11, 12, len(raw) - 17, len(raw) - 1):  # nonce, body, tag
        changed = bytearray(raw)
        changed[index] ^= 0x01
        forged = SealedText(name.key_id, base64.b64encode(bytes(changed)).decode())
        with pytest.raises(VaultError, match="does not verify"):
            vault.open(forged)
    with pytest.raises(VaultError, match="does not verify"):
        vault.open(SealedText(siti.key_id, name.ciphertext))
    assert vault.open(name) == "Bagus Prasetyo"
