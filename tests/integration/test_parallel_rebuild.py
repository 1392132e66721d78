"""A rebuild shared out between processes (projections/parallel.py), on real SQLite and
PostgreSQL: it gives exactly the rows of live catch-up, and killed with -9 at random points
the next catch-up finishes its partitions and gives exactly the rows of a fresh rebuild."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import OperationalError

from socmed_adapters.projections import Projector
from socmed_adapters.projections import projector as projector_module
from socmed_adapters.projections.parallel import select_share, share_of
from socmed_demo.synthetic import generate

TABLES = ("content_board", "publication_log", "audit_index", "calendar_posts", "metric_posts")


def rows(projector: Projector) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    return {table: projector.rows(table) for table in TABLES}


def tracked(projector: Projector) -> set[str]:
    with projector.engine.connect() as conn:
        return set(projector._tracking_rows(conn))


@pytest.mark.slow  # a generated log, replayed three times
def test_a_parallel_rebuild_gives_the_rows_of_live_catch_up(backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = backend.services()
    generate(services.app, 3_000, seed=5)
    projector = services.projector
    projector.catch_up(batch=7)  # live, in small batches
    generate(services.app, 3_000, seed=6)
    projector.catch_up()
    live = rows(projector)
    assert len(live["audit_index"]) == services.app.event_count()
    monkeypatch.setattr(projector_module, "PARALLEL_FROM", 0)
    count = projector.rebuild(projector.names(), processes=2, batch=50)
    assert count == services.app.event_count()
    assert rows(projector) == live
    assert all(s.lag == 0 for s in projector.status())
    assert tracked(projector) == set(projector.names())  # the partitions were folded
    services.close()


def rebuild_args(backend) -> list[str]:  # type: ignore[no-untyped-def]
    code = ("import sys; from socmed_adapters.projections import projector as m; "
            "m.PARALLEL_FROM = 0; from socmed_adapters.bootstrap import bootstrap; "
            "s = bootstrap(sys.argv[1], database_url=sys.argv[2] or None); "
            "s.projector.rebuild(s.projector.names(), processes=2, batch=100)")
    return [sys.executable, "-c", code, str(backend.data_dir), backend.database_url or ""]


@pytest.mark.slow  # kill -9 of parallel rebuilds at random points
def test_a_killed_parallel_rebuild_is_finished_by_the_next_catch_up(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = backend.services()
    generate(services.app, 12_000, seed=11)
    projector = services.projector
    head = projector.head()
    rng = random.Random(5)
    kills = 0
    for attempt in range(6):
        if attempt >= 3 and kills:
            break
        # a random point, but at the first chance once three rebuilds ran unkilled (with COPY
        # on PostgreSQL a rebuild of this log takes a few polls only)
        chance = 0.3 if attempt < 3 else 1.0
        process = subprocess.Popen(rebuild_args(backend), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                positions = {s.name: s.position for s in projector.status()}
            except OperationalError:  # the rebuild holds a lock for a moment: poll again
                continue
            partitions = any("#" in name for name in tracked(projector))
            if partitions and any(0 < p < head for p in positions.values()) and (
                    rng.random() < chance):
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.01)
        process.wait(timeout=60)
    assert kills >= 1, "the rebuild always finished before it could be killed"
    time.sleep(0.5)  # the children die with their parent (PR_SET_PDEATHSIG)
    projector.catch_up()
    resumed = rows(projector)
    assert tracked(projector) == set(projector.names())
    fresh = Projector(services.app, create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}"))
    fresh.catch_up()
    assert rows(fresh) == resumed
    assert len(resumed["audit_index"]) == head
    inspector = inspect(projector.engine)
    schema = projector.metadata.schema
    for table in TABLES:
        wanted = {index.name for index in projector.table(table).indexes}
        assert wanted <= {i["name"] for i in inspector.get_indexes(table, schema=schema)}
    services.close()


def test_each_share_of_the_log_is_selected_by_the_database(backend) -> None:  # type: ignore[no-untyped-def]
    """`select_share` gives, page by page, exactly the notifications of the aggregates
    `share_of` puts in the share, in log order, for any number of shares."""
    services = backend.services()
    generate(services.app, 600, seed=3)
    recorder = services.app.recorder
    head = recorder.max_notification_id()
    every = recorder.select_notifications(start=1, limit=head)
    for parts in (2, 3):
        for share in range(parts):
            found, position = [], 0
            while True:
                page = select_share(recorder, position + 1, 37, head, (), (share, parts))
                assert page is not None
                found += page
                if len(page) < 37:
                    break
                position = page[-1].id
            assert [n.id for n in found] == [
                n.id for n in every if share_of(n.originator_id, parts) == share]
            assert found
    services.close()
