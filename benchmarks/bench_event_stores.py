"""Which event store: eventsourcing's own SQLite and psycopg modules, or eventsourcing-sqlalchemy?

The same bare application (one trivial event per command, one save each) on each store, in one
run. socmed uses the library's own modules: they carry our audit-chain recorders; this figure
says what the SQLAlchemy store would cost or gain.

Run: .venv/bin/python -m benchmarks.bench_event_stores [--postgres URL]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.bench_commands import _fresh_schemas, bare_run


def throughput(env: dict[str, str], commands: int = 1000) -> float:
    count, seconds = bare_run({**env, "CREATE_TABLE": "y"}, commands // 5)
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows.append(("eventsourcing.sqlite (file)", throughput({
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(folder / "a.sqlite")})))
        rows.append(("eventsourcing-sqlalchemy on SQLite (file)", throughput({
            "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
            "SQLALCHEMY_URL": f"sqlite:///{folder / 'b.sqlite'}"})))
        if args.postgres:
            from socmed_adapters.storage import config_for

            first, second = _fresh_schemas(args.postgres, 2)
            env = dict(config_for(folder, first).event_env)
            env["PERSISTENCE_MODULE"] = "eventsourcing.postgres"
            rows.append(("eventsourcing.postgres (psycopg 3)", throughput(env)))
            schema = second.split("schema=")[1]
            rows.append(("eventsourcing-sqlalchemy on PostgreSQL", throughput({
                "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
                "SQLALCHEMY_URL": args.postgres.split("?")[0].replace(
                    "postgresql://", "postgresql+psycopg://")
                + f"?options=-csearch_path%3D{schema}"})))
    print("| event store | bare commands/s |\n|---|---|")
    for name, rate in rows:
        print(f"| {name} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
