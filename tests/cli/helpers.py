"""Helpers for the CLI tests: an isolated in-process `socmed` runner and assertions."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from socmed_cli.main import cli

# Variables the CLI (or rich, or the storage layer) reads: unset unless a test sets them.
CLEAN_ENV: dict[str, str | None] = {
    "SOCMED_USER": None,
    "SOCMED_LANG": None,
    "SOCMED_TZ": None,
    "SOCMED_HOME": None,
    "SOCMED_DATABASE_URL": None,
    "SOCMED_DEBUG": None,
    "SOCMED_AUDIT_KEY": None,
    "LANG": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "XDG_DATA_HOME": None,
    "FORCE_COLOR": None,
    "NO_COLOR": "1",
    "TERM": "dumb",
}

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

TEAM = (
    ("joko.mm", "Joko Widodo", "marketing_manager"),
    ("budi.dm", "Budi Santoso", "digital_marketing"),
    ("dewi.dm", "Dewi Lestari", "digital_marketing"),
    ("adi.admin", "Adi Pratama", "social_media_admin"),
    ("sari.legal", "Sari Hakim", "legal"),
    ("maya.agency", "Maya Kusuma", "agency"),
)


class Socmed:
    """Runs `socmed` in-process with a clean environment and (optionally) a data dir."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.runner = CliRunner()
        self.data_dir = data_dir

    def __call__(self, *args: str, env: Mapping[str, str | None] | None = None,
                 input: str | None = None) -> Result:
        argv = (["--data-dir", str(self.data_dir)] if self.data_dir else []) + list(args)
        return self.runner.invoke(cli, argv, env={**CLEAN_ENV, **(env or {})},
                                  catch_exceptions=True, input=input)

    def ok(self, *args: str, **kwargs: Any) -> Result:
        """Invoke and insist on success (the failure message shows stdout and stderr)."""
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (
            f"socmed {' '.join(args)} exited {result.exit_code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}")
        assert result.exception is None
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        return json.loads(self.ok(*args, "--format", "json", **kwargs).stdout)


def event_count(data_dir: Path) -> int:
    """Rows in the event store; 0 when there is no store at all."""
    path = data_dir / "events.sqlite"
    if not path.exists():
        return 0
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0])


def assert_one_line_error(result: Result, prefix: str = "error: ",
                          exit_code: int | None = None) -> str:
    """Exactly one line on stderr starting with `prefix`, a non-zero exit, no traceback."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
    line = lines[0]
    assert line.startswith(prefix), line
    assert len(line) > len(prefix) + 3, line
    assert result.exit_code != 0
    if exit_code is not None:
        assert result.exit_code == exit_code, (result.exit_code, line)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == "", result.stdout
    return line


def future(days: float = 2, zone_label: str = "WIB") -> str:
    """A minute-precision time in the (real) future, written with a zone."""
    from socmed_domain.timezones import zone_named

    moment = datetime.now(UTC) + timedelta(days=days)
    return f"{moment.astimezone(zone_named(zone_label)):%Y-%m-%d %H:%M} {zone_label}"


def created_id(result: Result) -> str:
    match = UUID.search(result.stdout)
    assert match, result.stdout
    return match.group(0)


def current_hash(run: Socmed, item: str, **kwargs: Any) -> str:
    """The SHA-256 of an item's current revision, as an approver reads it (`content show`):
    off a terminal `content approve` needs it (issue 15, "Approve what was read")."""
    return str(run.json("content", "show", item, **kwargs)["revisions"][-1]["sha256"])
