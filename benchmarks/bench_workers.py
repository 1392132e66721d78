"""Posts published per second by 1, 2 and 4 `socmed worker --queue` processes sharing one
PostgreSQL job queue (procrastinate), against the five local platform servers with a fixed
latency on every request (a platform API is far away; the work is mostly waiting).

For each worker count: a fresh PostgreSQL schema, the team and the queue's tables, the
workers started, ITEMS items on the five platforms all scheduled for one slot a few seconds
ahead (their jobs deferred at the slot by the deferral hook), then the time from the slot
until every post is published. A figure, not a test: the checks of tests/scaleout (no
doubles, none lost, none early) run on each round all the same.

Run: SOCMED_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/DB \\
     .venv/bin/python -m benchmarks.bench_workers [--items 40] [--latency 0.05] \\
     [--workers 1,2,4] [--concurrency 1]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import PostgresSchema
from tests.scaleout import harness

from socmed_testing.platforms import SLOW, LocalPlatforms


def one_round(workers: int, items: int, latency: float, concurrency: int) -> dict[str, float]:
    schema = PostgresSchema()
    try:
        with tempfile.TemporaryDirectory() as tmp, LocalPlatforms() as local:
            rules = harness.rules_file(Path(tmp))
            os.environ["SOCMED_PLATFORM_RULES"] = str(rules)
            for server in local.servers.values():
                server.refuse_duplicates = False
                server.inject(SLOW, route="*", times=10**9, before=latency)
            harness.prepare(schema.url)
            pool = harness.Workers(schema.url, harness.environ(local, rules), Path(tmp),
                                   concurrency=concurrency)
            pool.start(workers)
            seeded = harness.seed(schema.url, local, items, timedelta(0))
            slot = seeded[0][1]
            time.sleep(max(0.0, (slot - datetime.now(UTC)).total_seconds()))
            started = time.monotonic()
            harness.wait_done(schema.url, seeded, timeout=600, left_after=600)
            seconds = time.monotonic() - started
            pool.stop()
            local.clear_faults()
            figures = harness.check(schema.url, local, seeded)
    finally:
        schema.drop()
    return {"workers": workers, "posts": figures["posts"], "seconds": seconds,
            "per_second": figures["posts"] / seconds, "late_max": figures["late_max_s"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.05,
                        help="seconds every platform request waits before it is handled")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=1,
                        help="jobs at once in each worker process")
    args = parser.parse_args()
    rows = [one_round(int(n), args.items, args.latency, args.concurrency)
            for n in args.workers.split(",")]
    print(f"\n{args.items} items x 5 platforms, {args.latency * 1000:.0f} ms per platform "
          f"request, concurrency {args.concurrency} per worker, {os.cpu_count()} cores")
    print("| workers | posts | seconds (slot to last post) | posts/s | speed-up | "
          "latest post after its slot (s) |")
    print("|---|---|---|---|---|---|")
    base = rows[0]["per_second"]
    for row in rows:
        print(f"| {row['workers']:.0f} | {row['posts']:.0f} | {row['seconds']:.1f} | "
              f"{row['per_second']:.1f} | {row['per_second'] / base:.2f}x | "
              f"{row['late_max']:.1f} |")


if __name__ == "__main__":
    main()
