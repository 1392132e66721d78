"""Projection rebuild throughput and peak memory, and read-query latency, at N events.

The store is made by the deterministic generator (socmed_demo.synthetic) and kept in
--cache so that later runs skip generation. The rebuild runs in a child process so its peak
RSS is its own. Baselines, measured in the same run: reading and decoding the same events with
eventsourcing's notification log and mapper alone (what any projection must at least do), and
for queries, the same filter as a full scan of the event log.

Run: .venv/bin/python -m benchmarks.bench_projections --events 100000 [--events 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from benchmarks.common import HEADER, line, peak_rss_mb, percentiles


def make_store(folder: Path, events: int) -> None:
    from socmed_adapters.bootstrap import bootstrap
    from socmed_demo.synthetic import generate

    if (folder / "generated.json").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    services = bootstrap(folder)
    started = time.perf_counter()
    count = generate(services.app, events, items_per_save=200)
    seconds = time.perf_counter() - started
    services.close()
    (folder / "generated.json").write_text(json.dumps({"events": count, "seconds": seconds}))


def child_rebuild(folder: str) -> None:
    """In a fresh process: rebuild every projection; print events/s and peak RSS."""
    from socmed_adapters.bootstrap import bootstrap

    services = bootstrap(Path(folder), create=False)
    projector = services.projector
    started = time.perf_counter()
    count = projector.rebuild(projector.names())
    seconds = time.perf_counter() - started
    print(json.dumps({"events": count, "seconds": seconds, "rss_mb": peak_rss_mb()}))


def child_decode_only(folder: str) -> None:
    """The baseline: page through the notification log and decode every event."""
    from socmed_adapters.bootstrap import bootstrap

    services = bootstrap(Path(folder), create=False)
    app = services.app
    started = time.perf_counter()
    count, position = 0, 0
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=1000)
        for notification in page:
            app.mapper.to_domain_event(notification)
        count += len(page)
        if len(page) < 1000:
            break
        position = page[-1].id
    seconds = time.perf_counter() - started
    print(json.dumps({"events": count, "seconds": seconds, "rss_mb": peak_rss_mb()}))


def run_child(function: str, folder: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", f"from benchmarks.bench_projections import {function}; "
                               f"{function}({str(folder)!r})"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def queries(folder: Path, samples: int = 300) -> dict[str, tuple[float, float]]:
    from socmed_adapters.bootstrap import bootstrap

    services = bootstrap(folder, create=False)
    models = services.read_models  # caught up
    contents = models.content_list()
    ids = [s.item_id for s in contents[:: max(len(contents) // 2000, 1)]]
    board = services.projector.table("content_board")
    with services.engine.connect() as conn:
        content_cursors = [tuple(r) for r in conn.execute(
            select(board.c.created_at, board.c.item_id)).all()][:: max(len(contents) // 500, 1)]
    log = models.publication_log()
    log_cursors = [(r["published_at"], r["platform"]) for r in log[:: max(len(log) // 500, 1)]]
    rng = random.Random(3)
    results = {}

    def measure(name: str, query) -> None:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
        results[name] = percentiles(times)

    measure("one item's audit trail", lambda: models.audit_log(
        "rina.mm", item_id=rng.choice(ids)))
    measure("content list page (50, after a random cursor)", lambda: models.content_list(
        limit=50, after=rng.choice(content_cursors)))
    measure("publication log page (50, after a random cursor)", lambda: models.publication_log(
        limit=50, after=rng.choice(log_cursors)))
    middle = log[len(log) // 2]["published_at"]
    measure("publication log, first page (50) of a month", lambda: models.publication_log(
        since=middle, until=middle + timedelta(days=30), limit=50))
    # Baseline: the same audit trail by scanning the event log (no index).
    app = services.app
    scan_times = []
    for _ in range(3):
        wanted = rng.choice(ids)
        started = time.perf_counter()
        app.audit_log("rina.mm", item=wanted)
        scan_times.append(time.perf_counter() - started)
    results["baseline: audit trail by scanning the log"] = percentiles(scan_times)
    services.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, action="append")
    parser.add_argument("--cache", default="/tmp/socmed-bench")
    args = parser.parse_args()
    print(HEADER)
    for events in args.events or [100_000]:
        folder = Path(args.cache) / str(events)
        make_store(folder, events)
        generated = json.loads((folder / "generated.json").read_text())
        base = run_child("child_decode_only", folder)
        rebuild = run_child("child_rebuild", folder)
        rate = rebuild["events"] / rebuild["seconds"]
        base_rate = base["events"] / base["seconds"]
        n = f"{rebuild['events']:,} events"
        print(line(f"generate + append ({n})",
                   f"{generated['events'] / generated['seconds']:,.0f} events/s", "-",
                   "(report)", "-"))
        print(line(f"rebuild all 3 projections ({n})", f"{rate:,.0f} events/s",
                   f"{base_rate:,.0f} events/s read+decode only", ">= 50,000 events/s",
                   "yes" if rate >= 50_000 else "no"))
        print(line(f"peak RSS during rebuild ({n})", f"{rebuild['rss_mb']:.0f} MB",
                   f"{base['rss_mb']:.0f} MB read+decode only", "<= 250 MB",
                   "yes" if rebuild["rss_mb"] <= 250 else "no"))
        for name, (p50, p95) in queries(folder).items():
            verdict = "-" if name.startswith("baseline") else (
                "yes" if p95 <= 10 else "no")
            print(line(f"{name} ({n})", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms",
                       "-" if not name.startswith("baseline") else "(baseline)",
                       "p95 <= 10 ms" if not name.startswith("baseline") else "-", verdict))


if __name__ == "__main__":
    main()
