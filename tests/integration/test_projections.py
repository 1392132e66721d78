"""Projections on real SQLite and PostgreSQL: exactly once, resumable, rebuild equals live."""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from socmed_adapters.clock import ManualClock
from socmed_adapters.projections.base import SqlProjection
from socmed_demo.common import at, month_days
from socmed_demo.month import build_demo, demo_media_reader

TABLES = ("content_board", "publication_log", "audit_index", "calendar_posts",
          "calendar_campaigns", "metric_snapshots", "metric_posts", "incidents",
          "incident_order")


def run_demo(backend, catch_up_every: int = 0):  # type: ignore[no-untyped-def]
    clock = ManualClock(at(month_days("2026-12")[0], 0))
    services = backend.services(clock=clock,
                               media_reader=demo_media_reader(backend.data_dir))
    demo = build_demo(services, clock, "2026-12", seed=3)
    for number, step in enumerate(demo.timeline(), start=1):
        demo.run_step(step)
        if catch_up_every and number % catch_up_every == 0:
            services.projector.catch_up()
    services.projector.catch_up()
    return services


def snapshot(projector) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    return {table: projector.rows(table) for table in TABLES}


@pytest.mark.slow  # replays of a whole demo month
def test_live_projection_equals_rebuild(backend) -> None:  # type: ignore[no-untyped-def]
    services = run_demo(backend, catch_up_every=7)
    projector = services.projector
    live = snapshot(projector)
    assert len(live["audit_index"]) == services.app.event_count()
    assert len(live["publication_log"]) == 31
    assert len(live["incidents"]) == len(live["incident_order"]) == 1  # the demo's incident
    for name in projector.names():
        projector.rebuild(name)
    assert snapshot(projector) == live
    assert all(s.lag == 0 for s in projector.status())


@pytest.mark.slow  # replays of a whole demo month
def test_small_batches_give_the_same_rows(backend) -> None:  # type: ignore[no-untyped-def]
    services = run_demo(backend)
    projector = services.projector
    live = snapshot(projector)
    for name in projector.names():
        projector.rebuild(name, batch=3)
    assert snapshot(projector) == live


@pytest.mark.slow  # replays of a whole demo month
def test_a_failed_batch_writes_nothing_and_catch_up_resumes(backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = run_demo(backend)
    projector = services.projector
    expected = snapshot(projector)
    board = projector.projections["content_board"]
    original = type(board).apply
    calls = {"n": 0}

    def flaky(self, writer, event, position, aggregate):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 75:
            raise RuntimeError("power cut")
        return original(self, writer, event, position, aggregate)

    monkeypatch.setattr(type(board), "apply", flaky)
    with pytest.raises(RuntimeError):
        projector.rebuild("content_board", batch=20)
    position = next(s.position for s in projector.status() if s.name == "content_board")
    assert position == 60  # three whole batches committed, the fourth rolled back
    assert len(projector.rows("content_board")) <= len(expected["content_board"])
    projector.catch_up(["content_board"], batch=20)
    assert projector.rows("content_board") == expected["content_board"]


@pytest.mark.slow  # replays of a whole demo month
def test_positions_only_move_forward(backend) -> None:  # type: ignore[no-untyped-def]
    services = run_demo(backend)
    tracker = services.projector.trackers["audit_index"]
    head = services.app.event_count()
    with pytest.raises(IntegrityError):
        tracker.insert_tracking(Tracking(services.app.name, head))
    with pytest.raises(IntegrityError):
        tracker.insert_tracking(Tracking(services.app.name, head - 5))


@pytest.mark.slow  # replays of a whole demo month
def test_a_changed_projection_version_is_rebuilt_on_catch_up(backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = run_demo(backend)
    projector = services.projector
    live = snapshot(projector)
    index_class = type(projector.projections["audit_index"])
    monkeypatch.setattr(index_class, "version", index_class.version + 1)
    assert any(s.needs_rebuild for s in projector.status())
    projector.catch_up()
    assert not any(s.needs_rebuild for s in projector.status())
    assert snapshot(projector) == live


def test_projection_subclass_contract() -> None:
    with pytest.raises(NotImplementedError):
        SqlProjection.define_tables(None, None)  # type: ignore[arg-type]


def test_the_demo_refuses_a_store_that_would_fetch_its_media_from_the_internet(
        tmp_path: Path, clock: ManualClock) -> None:
    """The composition root builds the application complete: the demo no longer swaps the
    media reader after bootstrap, so services built without the demo's reader are refused
    before anything is recorded."""
    from socmed_adapters.bootstrap import bootstrap

    services = bootstrap(tmp_path, clock=clock)
    try:
        with pytest.raises(ValueError, match="demo_media_reader"):
            build_demo(services, clock, "2026-12", seed=3)
        assert services.app.event_count() == 0
    finally:
        services.close()


def test_a_row_written_first_by_another_process_is_the_race_the_projector_retries(
        backend) -> None:  # type: ignore[no-untyped-def]
    """The bulk path writes through the driver's cursor, which SQLAlchemy does not wrap: a
    duplicate row (two processes applying the same batch on PostgreSQL) must still surface
    as the event store's IntegrityError, the one `_catch_up_group` retries on (CI once saw
    psycopg's UniqueViolation escape instead)."""
    from sqlalchemy import Column, Integer, MetaData, Table

    from socmed_adapters.projections.base import BatchWriter

    services = backend.services()
    engine = services.projector.engine
    table = Table("race_probe", MetaData(schema=services.projector.metadata.schema),
                  Column("id", Integer, primary_key=True),
                  Column("note", Integer, nullable=True))
    table.create(engine)
    writer = BatchWriter()
    writer.insert(table, {"id": 1})
    with engine.begin() as conn:
        writer.flush(conn, {"race_probe": table})
    writer.insert(table, {"id": 3})
    writer.insert(table, {"id": 1, "note": 2})  # two rows: by COPY on PostgreSQL
    with pytest.raises(IntegrityError), engine.begin() as conn:
        writer.flush(conn, {"race_probe": table})
    with engine.connect() as conn:
        assert conn.execute(table.select()).all() == [(1, None)]


HISTORY_TABLES = ("content_board_history", "publication_log_history", "calendar_posts_history",
                  "inbox_conversations_history", "incidents_history", "incident_order_history",
                  "campaigns_history")


@pytest.mark.slow  # replays of a whole demo month
def test_histories_written_with_their_live_projection_equal_histories_alone(backend) -> None:  # type: ignore[no-untyped-def]
    """The histories as the follower writes them (each applied with its live projection in
    one pass, small batches) are the versions a history rebuilt alone writes (the live
    `apply` run again for it), in any batch size, and a rebuild of everything in one pass."""
    services = run_demo(backend, catch_up_every=7)
    projector = services.projector
    live = {table: projector.rows(table) for table in HISTORY_TABLES}
    assert live["calendar_posts_history"] and live["content_board_history"]
    histories = [name for name in projector.names() if name.endswith("_history")]
    for name in histories:
        projector.rebuild(name, batch=3)  # alone: its live projection is not in the pass
    assert {table: projector.rows(table) for table in HISTORY_TABLES} == live
    projector.rebuild(projector.names(), batch=5, processes=1)
    assert {table: projector.rows(table) for table in HISTORY_TABLES} == live
    services.close()
