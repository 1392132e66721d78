"""A database writer's edits, on SQLite and PostgreSQL, each against the mode that
docs/security.md says detects it, with the kind and position `audit verify` must name.

The store: a small team, a campaign, item A approved and scheduled (published in the
scenario), item B awaiting approval and scheduled. The writer works with plain SQL on the
event, chain and read-model tables, as someone with database access and no keys would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from socmed_adapters.audit.chain import ChainModeError, canonical, link, plain_link
from socmed_adapters.audit.signing import generate_key_pair, load_public_key
from socmed_adapters.audit.verify import EventTables, verify
from socmed_adapters.audit.witness import read_witness
from socmed_adapters.clock import ManualClock
from socmed_adapters.projections.verify import verify_read_models
from socmed_cli.main import cli
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB
from tests.conftest import seed_campaign, seed_team

KEY = "legal-holds-this-key"
START = datetime(2026, 12, 1, 8, 0, tzinfo=WIB)
SLOT = datetime(2026, 12, 3, 10, 0, tzinfo=WIB)


class Store:
    def __init__(self, backend: Any, services: Any, clock: ManualClock, items: dict[str, UUID],
                 keys: Path, witness: Path) -> None:
        self.backend, self.services, self.clock, self.items = backend, services, clock, items
        self.keys, self.witness = keys, witness

    @property
    def tables(self) -> EventTables:
        return self.services.event_tables  # type: ignore[no-any-return]

    def public_key(self) -> Any:
        return load_public_key(self.keys / "audit-verify-key.pem")

    def witnessed(self) -> list[Any]:
        checkpoints, problems = read_witness(self.witness)
        assert not problems
        return checkpoints


def build(backend: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyed: bool) -> Store:
    keys = tmp_path / "keys"
    generate_key_pair(keys)
    witness = tmp_path / "worm" / "witness.jsonl"
    witness.parent.mkdir()
    monkeypatch.setenv("SOCMED_CONFIG_DIR", str(tmp_path / "no-config"))
    monkeypatch.setenv("SOCMED_AUDIT_SIGNING_KEY", str(keys / "audit-signing-key.pem"))
    monkeypatch.setenv("SOCMED_AUDIT_WITNESS", str(witness))
    monkeypatch.setenv("SOCMED_AUDIT_CHECKPOINT_EVENTS", "5")
    if keyed:
        monkeypatch.setenv("SOCMED_AUDIT_KEY", KEY)
    else:
        monkeypatch.delenv("SOCMED_AUDIT_KEY", raising=False)
    clock = ManualClock(START)
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    campaign = seed_campaign(app)
    items = {}
    for name in ("A", "B"):
        item = app.create_content("budi.dm", f"Item {name}", Draft(
            text=f"Teks {name}", platforms=(Platform.LINKEDIN,)), campaign_id=campaign)
        app.submit_for_review("budi.dm", item)
        app.review_content("dewi.dm", item, CHECKLIST_KEYS)
        app.submit_for_approval("budi.dm", item)
        if name == "A":
            app.approve_content("rina.mm", item)
        app.schedule_content("adi.admin", item, SLOT)
        items[name] = item
    made = Store(backend, services, clock, items, keys, witness)
    # On demand, so the witness holds the head itself (the policy signed every 5th).
    result = cli_run(made, "audit", "checkpoint")
    assert result.exit_code == 0 and "signed checkpoint at position" in result.output, \
        result.output
    return made


@pytest.fixture(params=["keyed", "plain"])
def store(request: pytest.FixtureRequest, backend: Any, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    yield build(backend, tmp_path, monkeypatch, keyed=request.param == "keyed")


@pytest.fixture
def keyed_store(backend: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    return build(backend, tmp_path, monkeypatch, keyed=True)


@pytest.fixture
def plain_store(backend: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    return build(backend, tmp_path, monkeypatch, keyed=False)


# ------------------------------------------------------------------ the writer's tools

def run_sql(tables: EventTables, statement: str, **params: Any) -> Any:
    with tables.engine.begin() as conn:
        return conn.execute(text(statement), params).all() if "RETURNING" in statement \
            else conn.execute(text(statement), params)


def head(tables: EventTables) -> int:
    found = tables.head_link()
    assert found is not None
    return found[0]


def forge_approval(store: Store) -> int:
    """Append an `Approved` for item B with a correct plain SHA-256 link, as a database
    writer without the key would (the event made by the domain on a loaded copy, so it is
    byte-for-byte what socmed would have written); returns its position."""
    app, tables = store.services.app, store.tables
    item = app.repository.get(store.items["B"])
    item.approve(app.actor("rina.mm"), None, "", store.clock())
    (stored,) = [app.mapper.to_stored_event(e) for e in item.collect_events()]
    sqlite = tables.engine.dialect.name == "sqlite"
    oid: Any = stored.originator_id.hex if sqlite else stored.originator_id
    column = tables.position_column
    with tables.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {tables.events} (originator_id, originator_version, "
                          "topic, state) VALUES (:o, :v, :t, :s)"),
                     {"o": oid, "v": stored.originator_version, "t": stored.topic,
                      "s": stored.state})
        position = conn.execute(text(f"SELECT MAX({column}) FROM {tables.events}")).scalar()
    previous = tables.link_before(position)
    forged = plain_link(previous, canonical(position, stored.originator_id,
                                            stored.originator_version, stored.topic,
                                            stored.state))
    run_sql(tables, f"INSERT INTO {tables.chain} (position, link) VALUES (:p, :l)",
            p=position, l=forged)
    return int(position)


def truncate(tables: EventTables, count: int) -> int:
    """Delete the newest `count` events with their links and any checkpoint rows over them
    (a thorough writer); returns the first position removed."""
    first = head(tables) - count + 1
    run_sql(tables, f"DELETE FROM {tables.events} WHERE {tables.position_column} >= :p", p=first)
    for table in (tables.chain, tables.signed, tables.chain.replace("chain", "checkpoints")):
        run_sql(tables, f"DELETE FROM {table} WHERE position >= :p", p=first)
    return first


def rewrite_plain(tables: EventTables, keep_marker: bool) -> None:
    """Recompute every link with plain SHA-256 (what a writer without the key can do after
    editing events), and drop the store's signed checkpoints."""
    run_sql(tables, f"DELETE FROM {tables.chain} WHERE position > 0")
    if not keep_marker:
        run_sql(tables, f"DELETE FROM {tables.chain} WHERE position = 0")
    run_sql(tables, f"DELETE FROM {tables.signed}")
    previous, rows = "0" * 64, []
    for position, oid, version, topic, state in tables.events_from(1):
        previous = link(previous, canonical(position, oid, version, topic, state), b"")
        rows.append({"p": position, "l": previous})
    with tables.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {tables.chain} (position, link) VALUES (:p, :l)"), rows)


def cli_run(store: Store, *args: str, env: dict[str, str] | None = None) -> Any:
    base = ["--data-dir", str(store.backend.data_dir)]
    if store.backend.database_url:
        base += ["--database-url", store.backend.database_url]
    return CliRunner().invoke(cli, [*base, *args], env={"SOCMED_LANG": "en", **(env or {})})


def kinds(report: Any) -> list[tuple[int, str]]:
    return [(p.position, p.kind) for p in report.problems]


# ------------------------------------------------------------------ the cases

def test_an_untouched_store_verifies_in_both_modes(store: Store) -> None:
    report = verify(store.tables, public_key=store.public_key(), witness=store.witnessed())
    assert report.ok, report.problems
    assert report.signed_checked >= 3 and report.witnessed_head == head(store.tables)
    assert verify_read_models(store.services.projector).ok


def test_keyed_mode_refuses_to_publish_a_forged_approval(keyed_store: Store) -> None:
    store = keyed_store
    position = forge_approval(store)
    store.clock.set(SLOT + timedelta(minutes=1))
    lines = {line.item_id: line for line in store.services.app.publish_due("adi.admin")}
    assert lines[str(store.items["A"])].outcome == "published"
    refused = lines[str(store.items["B"])]
    assert refused.outcome == "failed" and f"position {position}" in refused.detail
    outbox = store.backend.data_dir / "outbox" / "linkedin"
    assert len(list(outbox.glob("*.json"))) == 1  # only A's post left
    report = verify(store.tables)
    assert kinds(report) == [(position, "forged")]


def test_plain_mode_cannot_tell_a_forged_approval(plain_store: Store) -> None:
    """What docs/security.md says: without the key a forged event with a correct link is
    indistinguishable from a real one, before and after it is published, witness or not."""
    store = plain_store
    forge_approval(store)
    store.clock.set(SLOT + timedelta(minutes=1))
    lines = {line.item_id: line for line in store.services.app.publish_due("adi.admin")}
    assert lines[str(store.items["B"])].outcome == "published"
    report = verify(store.tables, public_key=store.public_key(), witness=store.witnessed())
    assert report.ok


def test_truncating_the_newest_events_is_caught_by_the_witness(store: Store) -> None:
    tables = store.tables
    witnessed_head = max(c.position for c in store.witnessed())
    assert witnessed_head == head(tables)
    first = truncate(tables, 3)
    assert verify(tables).ok  # the chain alone cannot tell: what is gone left no trace
    report = verify(tables, public_key=store.public_key(), witness=store.witnessed())
    assert kinds(report) == [(first, "deleted")]
    assert f"positions {first}-{witnessed_head} are gone" in report.problems[0].detail
    result = cli_run(store, "audit", "verify", "--witness", str(store.witness),
                     "--public-key", str(store.keys / "audit-verify-key.pem"))
    assert result.exit_code == 1
    assert f"first at position {first} (deleted" in result.output


def test_a_keyed_store_rewritten_with_plain_links_is_refused_without_the_key(
        keyed_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store, tables = keyed_store, keyed_store.tables
    rewrite_plain(tables, keep_marker=True)
    monkeypatch.delenv("SOCMED_AUDIT_KEY")
    with pytest.raises(ChainModeError):
        verify(tables)
    result = cli_run(store, "audit", "verify")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: this store's audit chain is keyed (HMAC) and SOCMED_AUDIT_KEY is not set: "
        "set the key Legal holds; nothing was written or checked"]
    result = cli_run(store, "--lang", "id", "audit", "verify")
    assert result.exit_code == 1 and result.output.startswith("galat: rantai audit")
    # With the key every plain link is named as forged, the first at position 1.
    report = verify(tables, key=KEY.encode())
    assert report.first_problem is not None
    assert (report.first_problem.position, report.first_problem.kind) == (1, "forged")
    assert {p.kind for p in report.problems} == {"forged"}
    # A wrong key is refused too, in one line.
    result = cli_run(store, "audit", "verify", env={"SOCMED_AUDIT_KEY": "not-it"})
    assert result.exit_code == 1 and "is not the key this store" in result.output


def test_a_rewrite_that_also_drops_the_key_marker_is_caught_by_key_or_witness(
        keyed_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = keyed_store.tables
    rewrite_plain(tables, keep_marker=False)
    monkeypatch.delenv("SOCMED_AUDIT_KEY")
    assert verify(tables).ok  # looks like a store never keyed: docs say only these catch it
    report = verify(tables, public_key=keyed_store.public_key(),
                    witness=keyed_store.witnessed())
    assert report.problems and {p.kind for p in report.problems} == {"rewritten"}
    assert report.first_problem is not None and report.first_problem.position == min(
        c.position for c in keyed_store.witnessed())
    assert verify(tables, key=KEY.encode()).first_problem == verify(
        tables, key=KEY.encode()).problems[0]
    assert kinds(verify(tables, key=KEY.encode()))[0] == (1, "forged")


def test_a_keyed_store_refuses_writers_without_its_key(keyed_store: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCMED_AUDIT_KEY")
    before = head(keyed_store.tables)
    events = keyed_store.services.app.event_count()
    fresh = keyed_store.backend.services(clock=keyed_store.clock)
    with pytest.raises(ChainModeError):
        fresh.app.request_changes("rina.mm", keyed_store.items["B"], "belum")
    assert head(keyed_store.tables) == before
    assert fresh.app.event_count() == events  # nothing stored either, not only unlinked


def test_deleting_an_event_and_its_link_is_deleted_at_its_own_position(store: Store) -> None:
    tables = store.tables
    position = head(tables) - 4
    run_sql(tables, f"DELETE FROM {tables.events} WHERE {tables.position_column} = :p",
            p=position)
    run_sql(tables, f"DELETE FROM {tables.chain} WHERE position = :p", p=position)
    assert kinds(verify(tables)) == [(position, "deleted")]
    # Two neighbours at once: one finding, at the first of them.
    run_sql(tables, f"DELETE FROM {tables.events} WHERE {tables.position_column} = :p",
            p=position + 1)
    run_sql(tables, f"DELETE FROM {tables.chain} WHERE position = :p", p=position + 1)
    report = verify(tables)
    assert kinds(report) == [(position, "deleted")]
    assert f"positions {position}-{position + 1}" in report.problems[0].detail


def test_editing_an_event_is_edited_at_its_position(store: Store) -> None:
    tables = store.tables
    position = head(tables) - 2
    if tables.engine.dialect.name == "sqlite":
        forged = "CAST(replace(CAST(state AS TEXT), '.dm', '.mm') AS BLOB)"
    else:
        forged = "convert_to(replace(convert_from(state, 'UTF8'), '.dm', '.mm'), 'UTF8')"
    changed = run_sql(tables, f"UPDATE {tables.events} SET state = {forged} "
                              f"WHERE {tables.position_column} = :p", p=position)
    assert changed.rowcount == 1
    assert kinds(verify(tables)) == [(position, "edited")]


def test_read_model_edits_are_named_by_a_rebuild(store: Store) -> None:
    services = store.services
    store.clock.set(SLOT + timedelta(minutes=1))
    services.app.publish_due("adi.admin")
    projector = services.projector
    projector.catch_up()
    assert verify_read_models(projector).ok
    audit_index = projector.table("audit_index")
    board = projector.table("content_board")
    log = projector.table("publication_log")
    with projector.engine.begin() as conn:
        approved = conn.execute(text(
            f"SELECT position FROM {_name(audit_index)} WHERE actor_id = 'rina.mm' AND "
            "event_type = 'Approved'")).scalar()
    edits = [
        (f"UPDATE {_name(audit_index)} SET actor_id = 'sari.legal' WHERE position = {approved}",
         "audit_index", f"position={approved!r}", "actor_id"),
        (f"UPDATE {_name(board)} SET status = 'approved' WHERE item_id = "
         f"'{store.items['A']}'", "content_board", f"item_id='{store.items['A']}'", "status"),
        (f"DELETE FROM {_name(log)}", "publication_log", f"item_id='{store.items['A']}'",
         "(row)"),
    ]
    for statement, table, key, column in edits:
        with projector.engine.begin() as conn:
            assert conn.execute(text(statement)).rowcount >= 1
        report = verify_read_models(projector)
        assert [(d.table, d.column) for d in report.differences] == [(table, column)]
        assert report.differences[0].key.startswith(key)
        result = cli_run(store, "projections", "verify")
        assert result.exit_code == 1, result.output
        assert f"{table} row {key}" in result.output
        projector.rebuild(report.differences[0].projection)
    assert verify_read_models(projector).ok
    assert cli_run(store, "audit", "verify", "--read-models").exit_code == 0


def _name(table: Any) -> str:
    return f'"{table.schema}".{table.name}' if table.schema else table.name


def test_a_keyed_store_from_before_the_marker_verifies_and_is_marked_by_its_next_write(
        keyed_store: Store) -> None:
    """Stores keyed before keyed stores recorded it have no row 0: they verify with the key
    (with a note), and the next write records the key."""
    tables = keyed_store.tables
    run_sql(tables, f"DELETE FROM {tables.chain} WHERE position = 0")
    fresh = keyed_store.backend.services(clock=keyed_store.clock)
    report = verify(tables)
    assert report.ok and report.unmarked and report.mode == "hmac-sha256"
    fresh.app.request_changes("rina.mm", keyed_store.items["B"], "belum")
    assert tables.mode_marker() is not None
    report = verify(tables)
    assert report.ok and not report.unmarked


def test_truncation_followed_by_new_events_is_still_a_deletion(store: Store) -> None:
    """After the newest events are removed, socmed goes on writing: on SQLite the new events
    take the freed positions, on PostgreSQL the sequence moves past them. Either way the
    witness names a deletion inside the removed range."""
    from socmed_domain.roles import Role

    tables = store.tables
    witnessed_head = max(c.position for c in store.witnessed())
    first = truncate(tables, 3)
    fresh = store.backend.services(clock=store.clock)
    fresh.app.add_member("rina.mm", "eko.dm", "Eko Saputra", Role.DIGITAL_MARKETING)
    assert verify(tables).ok  # the chain goes on from what is left
    report = verify(tables, public_key=store.public_key(), witness=store.witnessed())
    assert report.first_problem is not None
    assert report.first_problem.kind == "deleted"
    assert first <= report.first_problem.position <= witnessed_head
