"""kill -9 a projection rebuild mid-way, many times: catch-up then gives exactly the rows of a
fresh rebuild (each batch and its position commit together)."""

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
from socmed_demo.synthetic import generate

TABLES = ("content_board", "publication_log", "audit_index")


def cli_args(backend) -> list[str]:  # type: ignore[no-untyped-def]
    args = [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(backend.data_dir)]
    if backend.database_url:
        args += ["--database-url", backend.database_url]
    return args


@pytest.mark.slow  # kill -9 of rebuilds at random points
def test_rebuild_killed_at_random_points_resumes_to_the_fresh_result(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = backend.services()
    generate(services.app, 12_000, seed=11)
    projector = services.projector
    head = projector.head()
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        process = subprocess.Popen([*cli_args(backend), "projections", "rebuild"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        target = rng.randint(1, head - 1)
        while time.monotonic() < deadline and process.poll() is None:
            try:
                positions = {s.name: s.position for s in projector.status()}
            except OperationalError:  # the rebuild holds a lock for a moment: poll again
                continue
            if any(0 < p < head for p in positions.values()) and (
                    max(positions.values()) >= target or rng.random() < 0.05):
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.01)
        process.wait(timeout=60)
    assert kills >= 1, "the rebuild always finished before it could be killed"
    projector.catch_up()
    resumed = {t: projector.rows(t) for t in TABLES}
    fresh = Projector(services.app, create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}"))
    fresh.catch_up()
    assert {t: fresh.rows(t) for t in TABLES} == resumed
    assert len(resumed["audit_index"]) == head
    # The rebuild loads without secondary indexes; the resumed catch-up put them back.
    inspector = inspect(projector.engine)
    schema = projector.metadata.schema
    for table in TABLES:
        wanted = {index.name for index in projector.table(table).indexes}
        assert wanted <= {i["name"] for i in inspector.get_indexes(table, schema=schema)}
