"""Bulk ingestion of interactions (issue 6): socmed on a SQLite store against raw sqlite3.

socmed's path per interaction: validate, derive the conversation id, look the conversation up,
seal handle, name and text under the author's key (AES-256-GCM), analyse sentiment and the
watchlist, build the event, and save a batch of 1000 in one transaction through eventsourcing
with the audit chain. The baseline inserts the same rows, plaintext, with
`sqlite3.executemany` in one transaction: the floor for "a row per interaction in SQLite".

Run: .venv/bin/python -m benchmarks.bench_ingestion [--count 20000] [--subjects 4000]
The whole command, from process start: add `--cli 5` (five rounds, medians; `--postgres URL`
for a PostgreSQL store). The storing process's CPU alone, in process: `--storing-cpu`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import HEADER, line, timed
from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.bulk import bulk_ingestion
from socmed_adapters.monitoring.files import FileSource, write_jsonl
from socmed_adapters.monitoring.parallel_assess import default_workers
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind, assess
from socmed_domain.platforms import Platform
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

TEXTS = Path(__file__).parents[1] / "tests" / "data" / "sentiment_labelled.jsonl"
TARGET = 15_000


def interactions(count: int, subjects: int, seed: int = 7) -> list[InboundInteraction]:
    """Realistic Indonesian and English texts, about 3 messages per thread."""
    rng = random.Random(seed)
    texts = [json.loads(row)["text"] for row in TEXTS.read_text().splitlines() if row.strip()]
    start = datetime(2026, 12, 10, 0, 0, tzinfo=WIB)
    platforms = list(Platform)
    found = []
    for n in range(count):
        platform = platforms[(n // 3) % len(platforms)]
        found.append(InboundInteraction(
            platform, rng.choice(list(InteractionKind)), f"{platform.value}-m-{n}",
            f"user_{rng.randrange(subjects)}", rng.choice(texts),
            start + timedelta(seconds=n * 86400 // count), author_name=f"Nama {n % 997}",
            thread_id=f"t-{n // 3}"))
    return found


def baseline(rows: list[InboundInteraction], folder: Path) -> float:
    conn = sqlite3.connect(folder / "raw.sqlite")
    conn.execute("CREATE TABLE interactions (platform TEXT, message_id TEXT PRIMARY KEY, "
                 "handle TEXT, name TEXT, text TEXT, received_at TEXT, thread TEXT)")

    def insert() -> None:
        with conn:
            conn.executemany("INSERT INTO interactions VALUES (?, ?, ?, ?, ?, ?, ?)", [
                (r.platform.value, r.message_id, r.author_handle, r.author_name, r.text,
                 r.received_at.isoformat(), r.thread_id) for r in rows])
    seconds = timed(insert)
    conn.close()
    return seconds


def fresh(folder: Path, clock: ManualClock) -> Any:
    services = bootstrap(folder, clock=clock)
    services.app.initialise("PT Bench", "mm", "Manager")
    services.app.add_member("mm", "admin", "Admin", Role.SOCIAL_MEDIA_ADMIN)
    return services


#: The baseline of the whole-command rows: a Python process that reads the same file and
#: parses every line as JSON, from its start to its exit.
READ_AND_PARSE = ("import json, sys\n"
                  "with open(sys.argv[1], 'rb') as f:\n"
                  "    rows = [json.loads(line) for line in f]\n")


def run_process(argv: list[str], env: dict[str, str], cpu: list[float]) -> float:
    """Wall seconds of one process, from its start to its exit (it must succeed); appends
    to `cpu` the CPU seconds (user + system) it and its waited-for children spent."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def whole_command(rows: list[InboundInteraction], folder: Path, repeat: int,
                  database_url: str | None) -> None:
    """`socmed inbox ingest FILE` as a user runs it: a new process per import, timed from
    its start to its exit, into a fresh store (new interactions), then the same file again
    (all duplicates); beside a Python process that only reads and parses the file, in the
    same rounds. Prints the medians and the load average."""
    export = folder / "export.jsonl"
    write_jsonl(export, rows)
    env = {**os.environ, "SOCMED_LANG": "en"}
    socmed = [str(Path(sys.executable).parent / "socmed")]  # the installed command
    clock = ManualClock(datetime(2026, 12, 11, 9, tzinfo=WIB))
    times: dict[str, list[float]] = {"read": [], "new": [], "again": []}
    cpu: dict[str, list[float]] = {"read": [], "new": [], "again": []}
    loads = [Path("/proc/loadavg").read_text().split()[0]]
    for index in range(repeat):
        store = folder / f"cli-store-{index}"
        url = None
        if database_url:
            from benchmarks.bench_commands import _fresh_schemas

            url = _fresh_schemas(database_url, 1)[0]
        services = bootstrap(store, clock=clock, database_url=url)
        services.app.team.initialise("PT Bench", "mm", "Manager")
        services.app.team.add_member("mm", "admin", "Admin", Role.SOCIAL_MEDIA_ADMIN)
        services.close()
        where = ["--data-dir", str(store)] + (["--database-url", url] if url else [])
        times["read"].append(run_process([sys.executable, "-c", READ_AND_PARSE, str(export)],
                                         env, cpu["read"]))
        command = [*socmed, *where, "--as", "admin", "inbox", "ingest", str(export)]
        times["new"].append(run_process(command, env, cpu["new"]))
        times["again"].append(run_process(command, env, cpu["again"]))
        loads.append(Path("/proc/loadavg").read_text().split()[0])
    n = len(rows)
    read, new, again = (statistics.median(times[k]) for k in ("read", "new", "again"))
    backend = "PostgreSQL" if database_url else "SQLite"
    print(f"{n} interactions, {backend}, whole `socmed inbox ingest` processes, median of "
          f"{repeat} rounds; load average {' -> '.join(loads)}\n")
    print(HEADER)
    baseline_text = f"{n / read:,.0f} (read + parse the file alone, {read:.2f} s)"
    print(line("`socmed inbox ingest FILE`, new (interactions/s)",
               f"{n / new:,.0f} ({new:.2f} s)", baseline_text, f">= {TARGET:,}",
               "yes" if n / new >= TARGET else "no"))
    print(line("`socmed inbox ingest FILE` again, all duplicates (interactions/s)",
               f"{n / again:,.0f} ({again:.2f} s)", baseline_text, f">= {2 * TARGET:,}",
               "yes" if n / again >= 2 * TARGET else "no"))
    read_cpu, new_cpu, again_cpu = (statistics.median(cpu[k]) for k in ("read", "new", "again"))
    print(line("  CPU of the whole process tree, new (µs per interaction)",
               f"{new_cpu / n * 1e6:,.0f}", f"{read_cpu / n * 1e6:,.1f} read + parse", "-", "-"))
    print(line("  CPU of the whole process tree, duplicates (µs per interaction)",
               f"{again_cpu / n * 1e6:,.0f}", f"{read_cpu / n * 1e6:,.1f} read + parse", "-",
               "-"))
    print("\nevery round, wall (s): " + "; ".join(
        f"{k} {', '.join(f'{t:.2f}' for t in v)}" for k, v in times.items()))


def storing_cpu(rows: list[InboundInteraction], folder: Path, workers: int) -> None:
    """CPU seconds (`time.process_time`) of the storing process for the bulk import of
    `rows` into a fresh store, workers already started, then for the same rows again (all
    repeats): the in-process cost to hold the whole command's figures against."""
    clock = ManualClock(datetime(2026, 12, 11, 9, tzinfo=WIB))
    services = fresh(folder / "store-cpu", clock)
    app = services.app
    with bulk_ingestion(app, workers):
        app.inbox.assessor.wait_until_started()
        start = time.process_time()
        app.inbox.ingest_interactions("admin", rows)
        new = time.process_time() - start
        start = time.process_time()
        app.inbox.ingest_interactions("admin", rows)
        again = time.process_time() - start
    services.close()
    start = time.process_time()
    baseline(rows, folder)
    raw = time.process_time() - start
    n = len(rows)
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"{n} interactions, SQLite, in process, bulk ({workers} worker(s) started); "
          f"load average {load}\n")
    print(HEADER)
    floor = f"raw sqlite3 executemany {raw / n * 1e6:,.1f}"
    print(line("storing process CPU, new (µs per interaction)", f"{new / n * 1e6:,.0f}",
               floor, "-", "-"))
    print(line("storing process CPU, repeats (µs per interaction)", f"{again / n * 1e6:,.0f}",
               floor, "-", "-"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--subjects", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=None,
                        help="assessing processes (default: one per core beyond the first)")
    parser.add_argument("--cli", type=int, default=0, metavar="ROUNDS",
                        help="instead: time whole `socmed inbox ingest` processes, ROUNDS "
                        "times each, beside a process that reads and parses the file")
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="with --cli: a PostgreSQL store (a fresh schema per round)")
    parser.add_argument("--storing-cpu", action="store_true",
                        help="instead: the storing process's CPU per interaction, in process")
    args = parser.parse_args()
    if args.storing_cpu:
        with tempfile.TemporaryDirectory() as tmp:
            storing_cpu(interactions(args.count, args.subjects), Path(tmp),
                        args.workers or default_workers())
        return
    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            whole_command(interactions(args.count, args.subjects), Path(tmp), args.cli,
                          args.postgres)
        return
    rows = interactions(args.count, args.subjects)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = baseline(rows, folder)
        clock = ManualClock(datetime(2026, 12, 11, 9, tzinfo=WIB))
        services = bootstrap(folder / "store", clock=clock)
        app = services.app
        app.initialise("PT Bench", "mm", "Manager")
        app.add_member("mm", "admin", "Admin", Role.SOCIAL_MEDIA_ADMIN)
        first = timed(lambda: app.ingest_interactions("admin", rows))
        again = timed(lambda: app.ingest_interactions("admin", rows))
        analyse_only = timed(lambda: [assess(r.text) for r in rows])
        services.close()
        # The same import into a fresh store the way `socmed inbox ingest` runs a large file
        # (bulk_ingestion: the assessment on other cores, the collector off the old heap).
        workers = args.workers or default_workers()
        services = fresh(folder / "store-parallel", clock)
        app = services.app
        with bulk_ingestion(app, workers):
            app.inbox.assessor.wait_until_started()  # the row measures storing, not start-up
            parallel = timed(lambda: app.ingest_interactions("admin", rows))
        services.close()
        # And the whole command's work from a JSON Lines file: read and checked once, then
        # read again and ingested, the worker processes started inside the timing.
        export = folder / "export.jsonl"
        write_jsonl(export, rows)
        services = fresh(folder / "store-file", clock)
        app = services.app

        def import_file() -> None:
            source = FileSource(export)
            with bulk_ingestion(app, workers):
                source.check()
                app.ingest_interactions("admin", source.interactions())
        from_file = timed(import_file)
        services.close()
    n = args.count
    print(f"{n} interactions, {args.subjects} authors, threads of 3, SQLite file store, "
          f"{os.cpu_count()} cores\n")
    print(HEADER)
    print(line("ingest new (interactions/s)", f"{n / first:,.0f}",
               f"raw sqlite3 executemany {n / raw:,.0f}", f">= {TARGET:,}",
               "yes" if n / first >= TARGET else "no"))
    print(line(f"ingest new, bulk: assessed on {workers} other process(es) (interactions/s)",
               f"{n / parallel:,.0f}", f"raw sqlite3 executemany {n / raw:,.0f}",
               f">= {TARGET:,}", "yes" if n / parallel >= TARGET else "no"))
    print(line("import a JSON Lines file as `inbox ingest` does (interactions/s)",
               f"{n / from_file:,.0f}", f"raw sqlite3 executemany {n / raw:,.0f}",
               f">= {TARGET:,}", "yes" if n / from_file >= TARGET else "no"))
    print(line("re-ingest, all duplicates (interactions/s)", f"{n / again:,.0f}",
               f"raw sqlite3 executemany {n / raw:,.0f}", f">= {TARGET:,}",
               "yes" if n / again >= TARGET else "no"))
    print(line("sentiment + watchlist alone (texts/s)", f"{n / analyse_only:,.0f}", "-", "-",
               "-"))


if __name__ == "__main__":
    main()
