"""Command throughput (one command = one save) against a bare eventsourcing application on
the same backend (SQLite file), and bulk append against raw sqlite3.executemany.

Run: .venv/bin/python -m benchmarks.bench_commands [--items 300]
On a loaded machine: add `--rounds 10` (socmed and bare in alternating chunks, with the CPU
per command of this process and of the PostgreSQL backends).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.common import HEADER, line, timed
from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_demo.synthetic import generate
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB


class Note(Aggregate):
    """The bare baseline: an aggregate with one event per command."""

    @event("Created")
    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = 0

    @event("Stepped")
    def step(self, actor: str, comment: str) -> None:
        self.steps += 1


def socmed_commands(folder: Path, items: int, database_url: str | None = None
                    ) -> tuple[int, float]:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    services = bootstrap(folder, clock=clock, database_url=database_url)
    app = services.app
    app.initialise("PT Bench", "rina.mm", "Rina")
    app.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
    app.add_member("rina.mm", "dewi.dm", "Dewi", Role.DIGITAL_MARKETING)
    draft = Draft(text="Promo akhir tahun untuk nasabah setia.", platforms=(Platform.LINKEDIN,))
    commands = 0

    def run() -> None:
        nonlocal commands
        for _ in range(items):
            clock.advance(minutes=1)
            item = app.create_content("budi.dm", "Bench", draft)
            app.submit_for_review("budi.dm", item)
            app.review_content("dewi.dm", item, CHECKLIST_KEYS)
            app.submit_for_approval("dewi.dm", item)
            app.approve_content("rina.mm", item)
            commands += 5

    seconds = timed(run)
    services.close()
    return commands, seconds


class SocmedFlows:
    """A socmed store ready for flows of five commands, run a chunk at a time (so chunks of
    socmed and of the bare application can alternate in one run: the machine's load then
    weighs on both alike)."""

    def __init__(self, folder: Path, database_url: str | None = None) -> None:
        self.clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
        self.services = bootstrap(folder, clock=self.clock, database_url=database_url)
        app = self.app = self.services.app
        app.team.initialise("PT Bench", "rina.mm", "Rina")
        app.team.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
        app.team.add_member("rina.mm", "dewi.dm", "Dewi", Role.DIGITAL_MARKETING)
        self.draft = Draft(text="Promo akhir tahun untuk nasabah setia.",
                           platforms=(Platform.LINKEDIN,))

    def chunk(self, items: int) -> int:
        app = self.app
        for _ in range(items):
            self.clock.advance(minutes=1)
            item = app.content.create("budi.dm", "Bench", self.draft)
            app.content.submit_for_review("budi.dm", item)
            app.content.review("dewi.dm", item, CHECKLIST_KEYS)
            app.content.submit_for_approval("dewi.dm", item)
            app.content.approve("rina.mm", item)
        return items * 5

    def close(self) -> None:
        self.services.close()


class BareFlows:
    """The bare eventsourcing application, run a chunk at a time like SocmedFlows."""

    def __init__(self, folder: Path, database_url: str | None = None) -> None:
        self.app = Application(env={**bare_env(folder, database_url), "CREATE_TABLE": "y"})

    def chunk(self, items: int) -> int:
        app = self.app
        for _ in range(items):
            note = Note("Promo akhir tahun untuk nasabah setia.")
            app.save(note)
            for step in range(4):
                loaded = app.repository.get(note.id)
                loaded.step("someone", f"step {step}")
                app.save(loaded)
        return items * 5

    def close(self) -> None:
        self.app.close()


class ServerCpu:
    """CPU seconds spent by the PostgreSQL backends serving one database (from /proc, so
    only for a server on this machine; 0 when they cannot be read)."""

    def __init__(self, url: str | None) -> None:
        self.conn: Any = None
        if url:
            import psycopg

            self.conn = psycopg.connect(url.split("?")[0], autocommit=True)

    def seconds(self) -> float:
        if self.conn is None:
            return 0.0
        pids = [row[0] for row in self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def interleaved(folder: Path, items: int, rounds: int, database_url: str | None = None
                ) -> dict[str, float]:
    """socmed and bare in alternating chunks (`rounds` each, the order swapped every round):
    throughput over all chunks, the median of the per-round ratios, and CPU per command of
    this process and of the database's backends."""
    ours = SocmedFlows(folder / "socmed-interleaved", database_url)
    bare = BareFlows(folder, database_url)
    server = ServerCpu(database_url)
    totals = {name: [0, 0.0, 0.0, 0.0] for name in ("ours", "bare")}
    ratios = []
    per_round = max(1, items // rounds)
    for index in range(rounds):
        rates = {}
        order = [("ours", ours), ("bare", bare)]
        for name, flows in order if index % 2 == 0 else order[::-1]:
            cpu, db = time.process_time(), server.seconds()
            start = time.perf_counter()
            n = flows.chunk(per_round)
            wall = time.perf_counter() - start
            total = totals[name]
            total[0] += n
            total[1] += wall
            total[2] += time.process_time() - cpu
            total[3] += server.seconds() - db
            rates[name] = n / wall
        ratios.append(rates["ours"] / rates["bare"])
    ours.close()
    bare.close()
    server.close()
    result = {"ratio_median": statistics.median(ratios)}
    for name, (n, wall, cpu, db) in totals.items():
        result[f"{name}_rate"] = n / wall
        result[f"{name}_cpu_ms"] = cpu / n * 1000
        result[f"{name}_db_cpu_ms"] = db / n * 1000
    return result


def bare_env(folder: Path, database_url: str | None = None) -> dict[str, str]:
    if database_url:
        from socmed_adapters.storage import config_for

        env = dict(config_for(folder, database_url).event_env)
        env["PERSISTENCE_MODULE"] = "eventsourcing.postgres"
        return env
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(folder / "bare.sqlite")}


def bare_commands(folder: Path, items: int, database_url: str | None = None
                  ) -> tuple[int, float]:
    return bare_run({**bare_env(folder, database_url), "CREATE_TABLE": "y"}, items)


def bare_run(env: dict[str, str], items: int) -> tuple[int, float]:
    """`items` times: create a Note, then four load-change-save commands on it."""
    app = Application(env=env)

    def run() -> None:
        for _ in range(items):
            note = Note("Promo akhir tahun untuk nasabah setia.")
            app.save(note)
            for step in range(4):
                loaded = app.repository.get(note.id)
                loaded.step("someone", f"step {step}")
                app.save(loaded)

    seconds = timed(run)
    app.close()
    return items * 5, seconds


def bulk_append(folder: Path, events: int) -> tuple[int, float]:
    services = bootstrap(folder / "bulk")
    count = 0

    def run() -> None:
        nonlocal count
        count = generate(services.app, events, items_per_save=100)

    seconds = timed(run)
    services.close()
    return count, seconds


def raw_executemany(folder: Path, events: int, state_size: int = 420) -> tuple[int, float]:
    connection = sqlite3.connect(folder / "raw.sqlite")
    connection.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version "
                       "INTEGER, topic TEXT, state BLOB, PRIMARY KEY (originator_id, "
                       "originator_version))")
    state = b"x" * state_size
    rows_per_item = 11

    def run() -> None:
        for _start in range(0, events, rows_per_item * 100):
            rows = []
            for _ in range(100):
                oid = uuid4().hex
                rows.extend((oid, v, "socmed:Event", state) for v in range(1, rows_per_item + 1))
            with connection:
                connection.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)

    seconds = timed(run)
    count = connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
    connection.close()
    return count, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--events", type=int, default=55_000)
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="also measure on PostgreSQL (a fresh schema is made and dropped)")
    parser.add_argument("--rounds", type=int, default=0,
                        help="alternate socmed and bare in this many chunks each (for a "
                        "loaded machine) instead of one run of each; skips bulk append")
    args = parser.parse_args()
    print(HEADER)
    if args.rounds:
        print_interleaved(args.items, args.rounds, args.postgres)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours_n, ours_s = socmed_commands(folder / "socmed", args.items)
        bare_n, bare_s = bare_commands(folder, args.items)
        report("SQLite", ours_n / ours_s, bare_n / bare_s)
        if args.postgres:
            ours_url, bare_url = _fresh_schemas(args.postgres, 2)
            ours_n, ours_s = socmed_commands(folder / "pg", args.items, ours_url)
            bare_n, bare_s = bare_commands(folder, args.items, bare_url)
            report("PostgreSQL", ours_n / ours_s, bare_n / bare_s)
        bulk_n, bulk_s = bulk_append(folder, args.events)
        raw_n, raw_s = raw_executemany(folder, args.events)
    bulk, raw = bulk_n / bulk_s, raw_n / raw_s
    print(line("bulk append, SQLite (events/s, 100 items per save)", f"{bulk:,.0f}",
               f"{raw:,.0f} raw sqlite3.executemany", "(report)", f"{bulk / raw:.2f}x"))


def print_interleaved(items: int, rounds: int, postgres: str | None) -> None:
    load = Path("/proc/loadavg").read_text().split()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        backends: list[tuple[str, str | None, Path]] = [("SQLite", None, folder / "sqlite")]
        if postgres:
            backends.append(("PostgreSQL", _fresh_schemas(postgres, 1)[0], folder / "pg"))
        for backend, url, where in backends:
            where.mkdir()
            r = interleaved(where, items, rounds, url)
            report(backend, r["ours_rate"], r["bare_rate"])
            print(line(f"  {backend}: median of {rounds} alternating rounds' ratios", "",
                       "", ">= 0.8x", f"{r['ratio_median']:.2f}x"))
            print(line(f"  {backend}: CPU per command, this process + database backends",
                       f"{r['ours_cpu_ms']:.2f} + {r['ours_db_cpu_ms']:.2f} ms",
                       f"{r['bare_cpu_ms']:.2f} + {r['bare_db_cpu_ms']:.2f} ms bare", "-",
                       "-"))
    print(f"\nload average at start {load}, at end "
          f"{Path('/proc/loadavg').read_text().split()[0]}")


def report(backend: str, ours: float, bare: float) -> None:
    ratio = ours / bare
    print(line(f"command throughput, {backend} (commands/s)", f"{ours:,.0f}",
               f"{bare:,.0f} bare eventsourcing app", ">= 0.8x",
               f"{ratio:.2f}x {'yes' if ratio >= 0.8 else 'no'}"))


def _fresh_schemas(url: str, count: int) -> list[str]:
    import uuid

    import psycopg

    urls = []
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(count):
            name = f"bench_{uuid.uuid4().hex[:10]}"
            conn.execute(f'CREATE SCHEMA "{name}"')
            urls.append(f"{url}{'&' if '?' in url else '?'}schema={name}")
    return urls


if __name__ == "__main__":
    main()
