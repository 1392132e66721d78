"""Projection rebuild throughput and peak memory, and read-query latency, at N events.

The store is made by the deterministic generator (socmed_demo.synthetic) and kept in
--cache so that later runs skip generation. The rebuild runs in a child process so its peak
RSS is its own. Baselines, measured in the same run: reading and decoding the same events with
eventsourcing's notification log and mapper alone (what any projection must at least do), and
for queries, the same filter as a full scan of the event log.

With --postgres URL the same events are also copied (ids kept) into a PostgreSQL schema
`bench_projections_<N>` of that database, once (kept between runs), and every row is printed
for both backends. The rebuild runs as `projections rebuild` does (all projections, the
default number of processes); its CPU seconds are its own process's and its children's, its
peak RSS the sum of each process's peak. The load average is printed with each run: on a
shared machine the wall-clock rates move with it, the CPU seconds much less.

Above 1M events (`CLONE_ABOVE`) the store is a generated base block and its clones
(socmed_demo.synthetic_clones): 10M events in about ten minutes instead of hours.
`--copy-read-models` fills the PostgreSQL schema's read models from the SQLite store's by
COPY instead of rebuilding there; `--live-only` rebuilds without the listings' histories;
`--no-rebuild` measures the page queries only.

Run: .venv/bin/python -m benchmarks.bench_projections --events 100000 [--events 1000000]
     [--cache DIR] [--postgres postgresql://postgres@127.0.0.1:5432/DB]
     10M: --events 10000000 --no-decode-baseline --live-only, then
          --no-rebuild --postgres URL --copy-read-models
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from benchmarks.common import HEADER, line, peak_rss_mb, percentiles
from socmed_adapters.audit.chain import CHAIN_TABLE, CHECKPOINT_TABLE

#: Above this many events the store is a generated base block and its clones
#: (socmed_demo.synthetic_clones); up to it, every item goes through the domain.
CLONE_ABOVE = 1_000_000
#: The projections the page queries read.
PAGE_PROJECTIONS = ["audit_index", "content_board", "publication_log"]
#: The scanning baseline of the audit trail runs up to this many events.
SCAN_UP_TO = 1_000_000


def make_store(folder: Path, events: int) -> None:
    from socmed_adapters.bootstrap import bootstrap
    from socmed_demo.synthetic import generate
    from socmed_demo.synthetic_clones import BASE_EVENTS, generate_by_cloning

    if (folder / "generated.json").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    services = bootstrap(folder)
    started, cpu = time.perf_counter(), _cpu_seconds()
    if events > CLONE_ABOVE:
        count = generate_by_cloning(services.app, events)
        method = f"a base block of {BASE_EVENTS:,} events generated, then cloned"
    else:
        count = generate(services.app, events, items_per_save=200)
        method = "generated"
    seconds = time.perf_counter() - started
    services.close()
    (folder / "generated.json").write_text(json.dumps({
        "events": count, "seconds": seconds, "cpu": _cpu_seconds() - cpu, "method": method}))


def _services(folder: str, url: str | None):  # type: ignore[no-untyped-def]
    from socmed_adapters.bootstrap import bootstrap

    if url:
        return bootstrap(Path(folder) / "postgres", database_url=url)
    return bootstrap(Path(folder), create=False)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_rebuild(folder: str, url: str | None = None, live_only: bool = False) -> None:
    """In a fresh process: rebuild every projection (or only the live ones: not the
    listings' histories); print events/s, CPU and peak RSS."""
    import threading

    from socmed_adapters.projections.projector import REBUILD_PROCESSES

    services = _services(folder, url)
    projector = services.projector
    names = [n for n in projector.names() if not (live_only and n.endswith("_history"))]
    peak_pss = [0.0]
    done = threading.Event()

    def sample() -> None:  # the PSS of this process and its children, every 0.2 s
        while not done.wait(0.2):
            peak_pss[0] = max(peak_pss[0], _tree_pss_mb(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu, started = _cpu_seconds(), time.perf_counter()
    count = projector.rebuild(names)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    processes = min(os.cpu_count() or 1, REBUILD_PROCESSES)
    print(json.dumps({"events": count, "seconds": seconds, "cpu": _cpu_seconds() - cpu,
                      "projections": len(names), "processes": processes,
                      # each child's peak is at most the largest child's
                      "rss_mb": peak_rss_mb() + (children * processes if children else 0),
                      "pss_mb": peak_pss[0],
                      "load": Path("/proc/loadavg").read_text().split()[:3]}))


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size (shared pages split between the processes sharing them) of a
    process and its children, from /proc (Linux)."""
    total = 0.0
    pids = [pid]
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids += [int(c) for c in children]
    for each in pids:
        with contextlib.suppress(OSError):
            for row in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if row.startswith("Pss:"):
                    total += int(row.split()[1]) / 1024
    return total


def child_decode_only(folder: str, url: str | None = None) -> None:
    """The baseline: page through the notification log and decode every event."""
    services = _services(folder, url)
    app = services.app
    cpu, started = _cpu_seconds(), time.perf_counter()
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
    print(json.dumps({"events": count, "seconds": seconds, "cpu": _cpu_seconds() - cpu,
                      "rss_mb": peak_rss_mb()}))


def run_child(function: str, folder: Path, url: str | None = None,
              *args: object) -> dict[str, float]:
    arguments = ", ".join(repr(a) for a in (str(folder), url, *args))
    output = subprocess.run(
        [sys.executable, "-c", f"from benchmarks.bench_projections import {function}; "
                               f"{function}({arguments})"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def postgres_copy(folder: Path, url: str, events: int) -> str:
    """The SQLite store's events in the PostgreSQL schema `bench_projections_<events>`
    (notification ids kept), copied once; returns the store's URL."""
    import sqlite3

    import psycopg

    from socmed_adapters.bootstrap import bootstrap

    schema = f"bench_projections_{events}"
    store_url = f"{url}{'&' if '?' in url else '?'}schema={schema}"
    source = sqlite3.connect(folder / "events.sqlite")
    head = source.execute("SELECT max(rowid) FROM stored_events").fetchone()[0]
    with psycopg.connect(url, autocommit=True) as pg:
        found = pg.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                           "AND table_name = 'socmed_events'", (schema,)).fetchone()
        stored = pg.execute(f'SELECT max(notification_id) FROM "{schema}".socmed_events'
                            ).fetchone() if found else None
        if stored is not None and stored[0] == head:
            return store_url
        pg.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        pg.execute(f'CREATE SCHEMA "{schema}"')
    bootstrap(folder / "postgres", database_url=store_url).close()  # the tables
    # SQLite writes each row as a line of COPY's text format (the id as 32 hex digits, which
    # PostgreSQL's uuid accepts; the state as bytea hex); Python only passes the lines on.
    events_lines = ("SELECT rowid || char(9) || originator_id || char(9) || originator_version "
                    "|| char(9) || topic || char(9) || '\\\\x' || hex(state) || char(10) "
                    "FROM stored_events ORDER BY rowid")
    with psycopg.connect(url) as pg:
        copies = [(f'COPY "{schema}".socmed_events (notification_id, originator_id, '
                   "originator_version, topic, state) FROM STDIN", events_lines)]
        # The audit chain as sealed (a link covers position, id, version, topic and bytes,
        # all kept), so `socmed audit verify` passes on the copy as on the original.
        copies += [(f'COPY "{schema}".{table} (position, link) FROM STDIN',
                    f"SELECT position || char(9) || link || char(10) FROM {table} "
                    "ORDER BY position") for table in (CHAIN_TABLE, CHECKPOINT_TABLE)]
        for statement, lines in copies:
            rows = source.execute(lines)
            with pg.cursor() as cursor, cursor.copy(statement) as copy:
                while chunk := rows.fetchmany(10_000):
                    copy.write("".join(row[0] for row in chunk).encode())
        pg.execute(f"SELECT setval('\"{schema}\".socmed_events_notification_id_seq', %s)",
                   (head,))
        pg.commit()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute(f'ANALYZE "{schema}".socmed_events')
    return store_url


def copy_read_models(folder: Path, store_url: str) -> None:
    """The SQLite store's read models (every projection's table, positions and versions)
    into the PostgreSQL store, by COPY: for page queries on PostgreSQL at sizes where a
    rebuild there does not fit the time. The rows are those a rebuild gives on either
    backend (tests/integration/test_projections.py and test_parallel_rebuild.py prove
    rebuild = live on both); the events are the same, ids kept. SQLite writes each row as
    a line of COPY's text format itself (`_copy_line`): Python only passes the lines on."""
    import sqlite3

    import psycopg

    services = _services(str(folder), store_url)
    projector = services.projector
    schema = '"' + (projector.metadata.schema or "public") + '"'
    source = sqlite3.connect(f"file:{folder / 'read_models.sqlite'}?mode=ro", uri=True)
    with psycopg.connect(store_url.split("?")[0]) as pg:
        # The rows are final: the history tables' trigger that closes a previous version
        # (already closed in the rows copied) must not fire for each of them.
        pg.execute("SET session_replication_role = replica")
        for table in projector.metadata.sorted_tables:
            pg.execute(f'TRUNCATE {schema}."{table.name}"')
            columns = ", ".join(f'"{c.name}"' for c in table.columns)
            rows = source.execute(f'SELECT {_copy_line(table)} FROM "{table.name}"')
            with pg.cursor() as cursor, cursor.copy(
                    f'COPY {schema}."{table.name}" ({columns}) FROM STDIN') as copy:
                while chunk := rows.fetchmany(20_000):
                    copy.write("".join(row[0] for row in chunk).encode())
        pg.commit()
        pg.autocommit = True
        for table in projector.metadata.sorted_tables:
            pg.execute(f'ANALYZE {schema}."{table.name}"')
    services.close()


def _copy_line(table) -> str:  # type: ignore[no-untyped-def]
    """A SQLite expression giving a row as one line of COPY's text format: NULL as \\N,
    booleans as t/f, SQLite's UTC DATETIME text with its zone, text escaped."""
    from sqlalchemy import Boolean, DateTime, Integer

    fields = []
    for column in table.columns:
        value = f'"{column.name}"'
        kind = column.type.impl if hasattr(column.type, "impl") else column.type
        if isinstance(kind, DateTime):
            text = f"{value} || '+00'"
        elif isinstance(kind, Boolean):
            text = f"CASE WHEN {value} THEN 't' ELSE 'f' END"
        elif isinstance(kind, Integer):
            text = f"CAST({value} AS TEXT)"
        else:
            text = (f"replace(replace(replace(replace(CAST({value} AS TEXT), '\\', '\\\\'), "
                    "char(9), '\\t'), char(10), '\\n'), char(13), '\\r')")
        fields.append(f"coalesce({text}, '\\N')")
    return " || char(9) || ".join(fields) + " || char(10)"


def queries(folder: Path, url: str | None = None,
            samples: int = 300, scan: bool = True) -> dict[str, tuple[float, float, float]]:
    from socmed_adapters.as_of import ListingReads

    services = _services(str(folder), url)
    # Caught up: the projections these pages read (not every one, as `read_models` does:
    # at 10M events the listings' histories may be left unbuilt, see --live-only).
    services.projector.catch_up(PAGE_PROJECTIONS)
    models = ListingReads(services.app, services.projector)
    board = services.projector.table("content_board")
    posts = services.projector.table("publication_log")
    with services.engine.connect() as conn:  # the keys only, not whole listings
        keys = conn.execute(select(board.c.created_at, board.c.item_id)).all()
        log = conn.execute(select(posts.c.published_at, posts.c.platform).order_by(
            posts.c.published_at, posts.c.platform)).all()
    ids = [str(r[1]) for r in keys[:: max(len(keys) // 2000, 1)]]
    content_cursors = [tuple(r) for r in keys[:: max(len(keys) // 500, 1)]]
    log_cursors = [tuple(r) for r in log[:: max(len(log) // 500, 1)]]
    middle = log[len(log) // 2][0]
    events = services.app.event_count()
    del keys, log
    rng = random.Random(3)
    results = {}

    def measure(name: str, query) -> None:  # type: ignore[no-untyped-def]
        times = []
        cpu = time.process_time()
        for _ in range(samples):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
        results[name] = (*percentiles(times), (time.process_time() - cpu) / samples * 1000)

    measure("one item's audit trail", lambda: models.audit_log(
        "rina.mm", item_id=rng.choice(ids)))
    measure("content list page (50, after a random cursor)", lambda: models.content_list(
        limit=50, after=rng.choice(content_cursors)))
    measure("publication log page (50, after a random cursor)", lambda: models.publication_log(
        limit=50, after=rng.choice(log_cursors)))
    measure("publication log, first page (50) of a month", lambda: models.publication_log(
        since=middle, until=middle + timedelta(days=30), limit=50))
    # Baseline: the same audit trail by scanning the event log (no index); linear in the
    # log (50 s at 1M events under load), so not repeated above a million.
    app = services.app
    scan_times = []
    for _ in range(3 if scan and events <= SCAN_UP_TO else 0):
        wanted = rng.choice(ids)
        started = time.perf_counter()
        app.audit_log("rina.mm", item=wanted)
        scan_times.append(time.perf_counter() - started)
    if scan_times:
        results["baseline: audit trail by scanning the log"] = (*percentiles(scan_times), 0.0)
    services.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, action="append")
    parser.add_argument("--cache", default="/tmp/socmed-bench")
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="also run every row on PostgreSQL (a schema of this database)")
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--no-decode-baseline", action="store_true",
                        help="the rebuild without its read+decode baseline (at 10M events "
                             "it costs minutes of CPU; per event it is the 1M figure)")
    parser.add_argument("--live-only", action="store_true",
                        help="rebuild the live read models only, not the listings' histories "
                             "(at 10M events those add a single-process pass of their own)")
    parser.add_argument("--no-scan-baseline", action="store_true",
                        help="skip the audit trail by scanning the log (seconds a sample)")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="queries only, on the projections as they stand (caught up)")
    parser.add_argument("--copy-read-models", action="store_true",
                        help="PostgreSQL: copy the SQLite store's read models instead of "
                             "rebuilding them there")
    args = parser.parse_args()
    print(HEADER)
    for events in args.events or [100_000]:
        folder = Path(args.cache) / str(events)
        make_store(folder, events)
        generated = json.loads((folder / "generated.json").read_text())
        print(line(f"generate + append ({generated['events']:,} events, "
                   f"{generated.get('method', 'generated')})",
                   f"{generated['events'] / generated['seconds']:,.0f} events/s", "-",
                   "(report)", "-"))
        backends: list[tuple[str, str | None]] = [("SQLite", None)]
        if args.postgres:
            backends.append(("PostgreSQL", postgres_copy(folder, args.postgres, events)))
        for backend, url in backends:
            copied = url is not None and args.copy_read_models
            if copied:
                assert url is not None
                started = time.perf_counter()
                copy_read_models(folder, url)
                print(line(f"read models copied from SQLite by COPY ({events:,} events)",
                           f"{time.perf_counter() - started:,.0f} s", "-", "(report)", "-"))
            report(folder, backend, url, queries_too=not args.no_queries,
                   rebuild_too=not (args.no_rebuild or copied),
                   baseline=not args.no_decode_baseline, live_only=args.live_only,
                   scan=not args.no_scan_baseline)


def report(folder: Path, backend: str, url: str | None, queries_too: bool,
           rebuild_too: bool = True, baseline: bool = True, live_only: bool = False,
           scan: bool = True) -> None:
    if rebuild_too:
        report_rebuild(folder, backend, url, baseline, live_only)
    if queries_too:
        report_queries(folder, backend, url, scan)


def report_rebuild(folder: Path, backend: str, url: str | None, baseline: bool = True,
                   live_only: bool = False) -> None:
    base = run_child("child_decode_only", folder, url) if baseline else None
    rebuild = run_child("child_rebuild", folder, url, live_only)
    rate = rebuild["events"] / rebuild["seconds"]
    n = f"{rebuild['events']:,} events, {backend}"
    load = " ".join(rebuild["load"])  # type: ignore[arg-type]
    print(line(f"rebuild {'the live' if live_only else 'all'} {rebuild['projections']} "
               "projections, "
               f"{rebuild['processes']} processes ({n}; load {load})",
               f"{rate:,.0f} events/s ({rebuild['cpu']:.1f} CPU s, "
               f"{rebuild['events'] / rebuild['cpu']:,.0f} events per CPU s, "
               f"{rebuild['seconds']:,.0f} s)",
               f"{base['events'] / base['seconds']:,.0f} events/s read+decode only, 1 process "
               f"({base['cpu']:.1f} CPU s)" if base else "(not run)", ">= 50,000 events/s",
               "yes" if rate >= 50_000 else "no"))
    print(line(f"peak RSS during rebuild, all processes ({n})",
               f"{rebuild['rss_mb']:.0f} MB (sum of each process's peak; peak PSS sampled "
               f"{rebuild['pss_mb']:.0f} MB)",
               f"{base['rss_mb']:.0f} MB read+decode only" if base else "(not run)",
               "<= 250 MB",
               "yes" if rebuild["rss_mb"] <= 250 else "no"))


def report_queries(folder: Path, backend: str, url: str | None, scan: bool = True) -> None:
    results = queries(folder, url, scan=scan)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])  # at the end of the run
    n = f"{_head(folder, url):,} events, {backend}; load {load}"
    for name, (p50, p95, cpu) in results.items():
        verdict = "-" if name.startswith("baseline") else (
            "yes" if p95 <= 2 else "no")
        spent = f", CPU {cpu:.2f} ms a query" if cpu else ""
        print(line(f"{name} ({n})", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms{spent}",
                   "-" if not name.startswith("baseline") else "(baseline)",
                   "p95 <= 2 ms" if not name.startswith("baseline") else "-", verdict))


def _head(folder: Path, url: str | None) -> int:
    services = _services(str(folder), url)
    try:
        return services.app.event_count()
    finally:
        services.close()


if __name__ == "__main__":
    main()
