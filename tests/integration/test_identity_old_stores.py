"""Stores written before identity (issue 15) keep working: events whose actor has no `via`,
no credential tables, and an audit index without the via columns. They load, verify, show
an empty via, and gain the credential tables only when someone first signs in or is invited
(on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, text

from socmed_adapters.audit.verify import verify
from socmed_domain.actor import Actor
from socmed_domain.transcoding import AttrsTranscoding
from tests.conftest import seed_team

CREDENTIAL_TABLES = {"socmed_credentials", "socmed_api_tokens", "socmed_sessions"}


def _tables(services: Any) -> set[str]:
    if services.storage.kind == "sqlite":
        engine = services.event_tables.engine
        return set(inspect(engine).get_table_names())
    return set(inspect(services.engine).get_table_names(schema=services.storage.schema))


def test_an_old_store_loads_verifies_and_gains_credentials_on_first_use(
        backend: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    encode = AttrsTranscoding.encode

    def without_via(self: AttrsTranscoding, obj: Any) -> Any:
        """What a writer before identity stored: an actor without `via`."""
        data = encode(self, obj)
        if self.type is Actor:
            data = {k: v for k, v in data.items() if k != "via"}
        return data

    with monkeypatch.context() as patch:
        patch.setattr(AttrsTranscoding, "encode", without_via)
        old = backend.services(clock=clock)
        seed_team(old.app)
        old.close()
    services = backend.services(clock=clock)
    entries = services.app.audit.log("rina.mm")
    assert entries and {e.via for e in entries} == {""}
    assert services.app.audit.log("rina.mm", via="library") == ()
    assert {e.via for e in services.read_models.audit_log("rina.mm")} == {""}
    assert verify(services.event_tables).ok
    assert not CREDENTIAL_TABLES & _tables(services)
    services.app.team.add_member("rina.mm", "baru.dm", "Baru", services.app.team.list_members()[
        1].role)
    assert not CREDENTIAL_TABLES & _tables(services)  # commands that never sign in: none
    code = services.app.identity.invite("rina.mm", "baru.dm")
    services.app.identity.set_up_account("baru.dm", code.code, "a long enough password")
    assert _tables(services) >= CREDENTIAL_TABLES
    assert verify(services.event_tables).ok
    newest = services.read_models.audit_log("rina.mm")[-1]
    assert (newest.event_type, newest.via) == ("AccountSetUp", "auth:setup-code")


def test_an_audit_index_without_via_is_rebuilt_with_it(backend: Any, clock: Any) -> None:
    services = backend.services(clock=clock)
    seed_team(services.app)
    services.read_models  # noqa: B018 - catches the projections up
    projector = services.projector
    table = projector.table("audit_index")
    name = f'"{table.schema}".audit_index' if table.schema else "audit_index"
    versions = projector.versions
    index = f'"{table.schema}".ix_audit_index_via_kind' if table.schema else \
        "ix_audit_index_via_kind"
    with services.engine.begin() as conn:  # the index as version 1 made it
        conn.execute(text(f"DROP INDEX IF EXISTS {index}"))
        conn.execute(text(f"ALTER TABLE {name} DROP COLUMN via_kind"))
        conn.execute(text(f"ALTER TABLE {name} DROP COLUMN via"))
        conn.execute(versions.update().where(versions.c.projection == "audit_index")
                     .values(version=1))
    services.close()
    reopened = backend.services(clock=clock)
    entries = reopened.read_models.audit_log("rina.mm", via="library")
    assert len(entries) == len(reopened.app.audit.log("rina.mm")) > 0
