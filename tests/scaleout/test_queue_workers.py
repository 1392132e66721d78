"""Publishing shared by `socmed worker --queue` processes on PostgreSQL (procrastinate),
against the five local platform servers with latency and faults, workers killed -9 at
random moments: no post twice, none lost, none before its slot (see `harness`)."""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socmed_testing.platforms import LocalPlatforms
from tests.conftest import PostgresSchema
from tests.scaleout import harness

SEED = int(os.environ.get("SOCMED_SCALE_SEED", "20261207"))


def run_scenario(schema: PostgresSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *,
                 workers: int, kills: int, items: int, window: float) -> dict[str, object]:
    rng = random.Random(SEED)
    rules = harness.rules_file(tmp_path)
    monkeypatch.setenv("SOCMED_PLATFORM_RULES", str(rules))
    with LocalPlatforms() as local:
        for server in local.servers.values():
            server.refuse_duplicates = False
        harness.prepare(schema.url)
        pool = harness.Workers(schema.url, harness.environ(local, rules), tmp_path)
        pool.start(workers)
        seeded = harness.seed(schema.url, local, items, timedelta(seconds=window / items))
        first = seeded[0][1]
        kill_at = sorted(rng.uniform(0, window) for _ in range(kills))
        victims = rng.sample(range(workers), kills)
        with harness.FaultInjector(local, rng) as faults:
            wait = max(0.0, (first - datetime.now(UTC)).total_seconds())
            time.sleep(wait)
            started = time.monotonic()
            for at, victim in zip(kill_at, victims, strict=True):
                time.sleep(max(0.0, at - (time.monotonic() - started)))
                pool.kill(victim)
            harness.wait_done(schema.url, seeded, timeout=window + 120)
        pool.stop()
        settled = harness.settle(schema.url, local, seeded)
        figures = harness.check(schema.url, local, seeded)
    figures.update(settled, faults=faults.injected, killed=len(pool.killed))
    print(f"\nscale-out figures: {figures}")
    return figures


def test_two_workers_one_killed_forty_posts(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast one: 2 workers, 8 items on 5 platforms (40 posts), one worker killed."""
    from tests.conftest import require_postgres

    require_postgres()
    schema = PostgresSchema()
    try:
        figures = run_scenario(schema, tmp_path, monkeypatch, workers=2, kills=1, items=8,
                               window=6.0)
    finally:
        schema.drop()
    assert figures["posts"] == 40


@pytest.mark.slow  # 4 real worker processes, 2 killed -9, 500 posts
def test_four_workers_two_killed_five_hundred_posts(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """4 workers, 100 items on 5 platforms (500 posts), 2 workers killed at random."""
    from tests.conftest import require_postgres

    require_postgres()
    schema = PostgresSchema()
    try:
        figures = run_scenario(schema, tmp_path, monkeypatch, workers=4, kills=2, items=100,
                               window=40.0)
    finally:
        schema.drop()
    assert figures["posts"] == 500
