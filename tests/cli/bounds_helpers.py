"""Helpers of the bounds tests (issue 13): a store fingerprint, and a writer "from before the
bounds" that makes the stores the issue found broken, without a copy of the old code."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

import socmed_adapters
import socmed_cli
import socmed_domain
from socmed_domain import bounds

CHECKS = ("check_time", "check_date", "check_year", "check_amount")


def _import_everything() -> None:
    for package in (socmed_domain, socmed_adapters, socmed_cli):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".demo" in module.name or module.name.endswith("__main__"):
                continue
            importlib.import_module(module.name)


@contextmanager
def before_the_bounds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write-side bounds check accepts anything, as the code did before issue 13.
    Every module is imported first, so none keeps a patched check after the context."""
    _import_everything()
    originals = {name: getattr(bounds, name) for name in CHECKS}
    with monkeypatch.context() as patch:
        for module in list(sys.modules.values()):
            if not getattr(module, "__name__", "").startswith(
                    ("socmed_domain", "socmed_adapters", "socmed_cli")):
                continue
            for name, original in originals.items():
                if getattr(module, name, None) is original:
                    patch.setattr(module, name, lambda value, *_args, **_kw: value)
        yield


def fingerprint(data_dir: Path, database_url: str | None) -> tuple[Any, ...]:
    """What a failed command must leave as it was: the event log and the vault's keys."""
    if database_url:
        import psycopg

        base, _, query = database_url.partition("?schema=")
        with psycopg.connect(base) as conn:
            events = conn.execute(f'SELECT count(*), max(notification_id) FROM '
                                  f'"{query}".socmed_events').fetchone()
            keys = conn.execute(f'SELECT count(*) FROM "{query}".socmed_personal_data_keys'
                                ).fetchone() if _has(conn, query) else (0,)
        return tuple(events or ()), tuple(keys or ())
    counts = []
    for name, table in (("events.sqlite", "stored_events"),
                        ("personal_data.sqlite", "socmed_personal_data_keys")):
        path = data_dir / name
        if not path.exists():
            counts.append(0)
            continue
        with closing(sqlite3.connect(path)) as conn:
            try:
                counts.append(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            except sqlite3.OperationalError:
                counts.append(0)
    return tuple(counts)


def _has(conn: Any, schema: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                             "AND table_name = 'socmed_personal_data_keys'", (schema,)).fetchone())
