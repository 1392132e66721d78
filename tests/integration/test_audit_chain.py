"""Tamper with the database directly; `audit verify` must name the first position touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from socmed_adapters.audit.chain import GENESIS, canonical, link
from socmed_adapters.audit.export import export_bundle, pinned_links, verify_bundle
from socmed_adapters.audit.verify import verify
from socmed_adapters.clock import ManualClock
from socmed_cli.main import cli
from socmed_demo.common import at, month_days
from socmed_demo.month import build_demo, demo_media_reader

pytestmark = pytest.mark.slow  # each test builds a whole demo month


@pytest.fixture
def store(backend):  # type: ignore[no-untyped-def]
    clock = ManualClock(at(month_days("2026-12")[0], 0))
    services = backend.services(clock=clock,
                               media_reader=demo_media_reader(backend.data_dir))
    demo = build_demo(services, clock, "2026-12", seed=5)
    for step in demo.timeline():
        demo.run_step(step)
    return services


def position_of(tables, event_type: str) -> int:  # type: ignore[no-untyped-def]
    with tables.engine.connect() as conn:
        return conn.execute(text(
            f"SELECT MIN({tables.position_column}) FROM {tables.events} "
            f"WHERE topic LIKE :t"), {"t": f"%.{event_type}"}).scalar()


def run_sql(tables, statement: str, **params) -> None:  # type: ignore[no-untyped-def]
    with tables.engine.begin() as conn:
        conn.execute(text(statement), params)


def cli_verify(backend, *extra: str):  # type: ignore[no-untyped-def]
    args = ["--data-dir", str(backend.data_dir)]
    if backend.database_url:
        args += ["--database-url", backend.database_url]
    return CliRunner().invoke(cli, [*args, "audit", "verify", *extra], env={"SOCMED_LANG": "en"})


def test_an_untouched_store_verifies(store, backend) -> None:  # type: ignore[no-untyped-def]
    report = verify(store.event_tables)
    assert report.ok and report.checked == store.app.event_count()
    result = cli_verify(backend)
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.output


def test_an_edited_event_is_named(store, backend) -> None:  # type: ignore[no-untyped-def]
    tables = store.event_tables
    position = position_of(tables, "Approved")
    if tables.engine.dialect.name == "sqlite":
        forged = "CAST(replace(CAST(state AS TEXT), 'rina.mm', 'budi.dm') AS BLOB)"
    else:
        forged = "convert_to(replace(convert_from(state, 'UTF8'), 'rina.mm', 'budi.dm'), 'UTF8')"
    run_sql(tables, f"UPDATE {tables.events} SET state = {forged} "
                    f"WHERE {tables.position_column} = :p", p=position)
    report = verify(tables)
    assert not report.ok
    assert report.first_problem.position == position
    assert report.first_problem.kind == "edited"
    result = cli_verify(backend)
    assert result.exit_code != 0
    assert f"position {position}" in result.output
    assert "Traceback" not in result.output


def test_a_deleted_event_is_named(store, backend) -> None:  # type: ignore[no-untyped-def]
    tables = store.event_tables
    position = position_of(tables, "ChangesRequested") or position_of(tables, "Reviewed")
    run_sql(tables, f"DELETE FROM {tables.events} WHERE {tables.position_column} = :p",
            p=position)
    report = verify(tables)
    assert [(p.position, p.kind) for p in report.problems] == [(position, "deleted")]
    assert cli_verify(backend).exit_code != 0


def test_an_inserted_event_is_named(store, backend) -> None:  # type: ignore[no-untyped-def]
    tables = store.event_tables
    head = store.app.event_count()
    with tables.engine.connect() as conn:
        row = conn.execute(text(
            f"SELECT originator_id, topic, state FROM {tables.events} "
            f"WHERE {tables.position_column} = 10")).one()
    columns = "originator_id, originator_version, topic, state"
    if tables.engine.dialect.name == "sqlite":
        run_sql(tables, f"INSERT INTO {tables.events} (rowid, {columns}) "
                        "VALUES (:p, :o, 99, :t, :s)", p=head + 1, o=row[0], t=row[1], s=row[2])
    else:
        run_sql(tables, f"INSERT INTO {tables.events} (notification_id, {columns}) "
                        "VALUES (:p, :o, 99, :t, :s)", p=head + 1, o=row[0], t=row[1], s=row[2])
    report = verify(tables)
    assert [(p.position, p.kind) for p in report.problems] == [(head + 1, "inserted")]
    assert cli_verify(backend).exit_code != 0


def test_a_rewritten_chain_is_caught_by_an_earlier_manifest(store, backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tables = store.event_tables
    manifest = export_bundle(tables, store.app.mapper, tmp_path / "bundle", None, None,
                             store.clock())
    assert verify_bundle(tmp_path / "bundle") == []
    assert manifest["count"] == store.app.event_count()
    # An attacker edits an event and recomputes every link after it (no HMAC key).
    position = position_of(tables, "Approved")
    run_sql(tables, f"DELETE FROM {tables.events} WHERE {tables.position_column} = :p",
            p=position)
    run_sql(tables, f"DELETE FROM {tables.chain} WHERE position >= :p", p=position)
    previous = tables.link_before(position)
    new_links = []
    for pos, oid, version, topic, state in tables.events_from(position):
        previous = link(previous, canonical(pos, oid, version, topic, state))
        new_links.append({"p": pos, "l": previous})
    with tables.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {tables.chain} (position, link) VALUES (:p, :l)"),
                     new_links)
    assert verify(tables).ok  # the chain alone cannot tell
    report = verify(tables, pinned_links(tmp_path / "bundle" / "manifest.json"))
    assert not report.ok and report.problems[0].kind == "manifest"
    result = cli_verify(backend, "--manifest", str(tmp_path / "bundle" / "manifest.json"))
    assert result.exit_code != 0


def test_a_bundle_edited_after_export_fails_its_own_check(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "bundle"
    export_bundle(store.event_tables, store.app.mapper, folder, None, None, store.clock())
    lines = (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if '"Approved"' in line)
    record = json.loads(lines[index])
    assert "rina.mm" in record["state"]
    record["state"] = record["state"].replace("rina.mm", "someone.else")
    lines[index] = json.dumps(record, sort_keys=True, ensure_ascii=False)
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = verify_bundle(folder)
    assert problems and "events_sha256" in problems[0]


def test_genesis_is_the_first_previous_link(store) -> None:  # type: ignore[no-untyped-def]
    tables = store.event_tables
    first = next(tables.events_from(1))
    assert tables.link_at(first[0]) == link(GENESIS, canonical(*first))
    assert Path  # keep the import for type checkers
