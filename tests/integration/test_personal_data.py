"""Personal data at rest (UU PDP): no plaintext name, handle or message text in any database
file or table, on SQLite and PostgreSQL; after erasure the subject's data cannot be read back,
and on SQLite the destroyed key's bytes are gone from the keys file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.files import FileSource
from socmed_adapters.monitoring.keystore import KEYS_FILE
from socmed_domain.monitoring.interaction import conversation_id
from socmed_domain.monitoring.vault import ERASED, reveal
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB
from tests.conftest import POSTGRES_URL, Backend, seed_team

DATA = Path(__file__).parents[1] / "data" / "interactions" / "sample.jsonl"
PERSONAL = ("Bagus Prasetyo", "bagus_pras88", "transfer saya gagal", "Siti Rahmawati",
            "siti_rahma", "raise my transfer limit", "Data saya bocor", "Kak Bagus")


def _variants(text: str) -> list[bytes]:
    """The text as UTF-8, as JSON with \\u escapes, and lower-cased (handles are folded)."""
    import json

    return [text.encode(), json.dumps(text).strip('"').encode(), text.lower().encode()]


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
