"""Rendering of listings as table, JSON or CSV, and of times in the reader's zone.

JSON is for scripts (stable keys, ISO 8601 times with offsets); CSV for spreadsheets; the
table for people. Progress bars appear only on a terminal.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

import click

FORMATS = ("table", "json", "csv")

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format: a table for people, json for scripts, csv for spreadsheets.")

#: A listing as it stood at a moment (docs/decisions.md, "Listings as of a moment").
as_of_option = click.option(
    "--as-of", "as_of", default=None, metavar="TIME",
    help="As it stood then, e.g. '2026-12-05 09:00 WIB' (not in the future).")


def to_plain(value: Any, tz: tzinfo | None = None) -> Any:
    """Primitives only: datetimes as ISO 8601 in `tz`, enums as values, attrs as dicts."""
    if isinstance(value, datetime):
        return (value.astimezone(tz) if tz else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)  # money and targets stay exact in JSON
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()  # durations (response times) in seconds
    if isinstance(value, dict):
        return {str(k.value if isinstance(k, enum.Enum) else k): to_plain(v, tz)
                for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(v, tz) for v in value]
    if hasattr(value, "__attrs_attrs__"):
        return {a.name: to_plain(getattr(value, a.name), tz) for a in value.__attrs_attrs__}
    return value


def human_time(value: datetime | None, tz: tzinfo) -> str:
    if value is None:
        return ""
    from socmed_domain.bounds import within_range
    from socmed_domain.timezones import zone_label

    if not within_range(value):  # only in stores written before the range was enforced
        return f"{value.isoformat(sep=' ', timespec='minutes')} (!)"
    local = value.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {zone_label(local)}"


def is_terminal() -> bool:
    return sys.stdout.isatty()


def console() -> Any:
    from rich.console import Console

    return Console(width=None if is_terminal() else 160, soft_wrap=False,
                   highlight=False)


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str,
         tz: tzinfo, title: str | None = None, *, lang: str) -> None:
    """Print `rows` (dicts) with `columns` as (key, header); a table's headings, code cells
    and yes/no in `lang` (the invocation's CliState.lang), json and csv as stable codes."""
    if fmt == "json":
        click.echo(json.dumps([to_plain(r, tz) for r in rows], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        for row in rows:
            writer.writerow([_cell(row.get(key), tz, iso=True, lang="en")
                             for key, _ in columns])
        click.echo(buffer.getvalue(), nl=False)
        return
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    from socmed_cli.i18n import header as localised

    for _, heading in columns:
        table.add_column(localised(heading, lang), overflow="fold")
    from socmed_cli.i18n import code_value

    for row in rows:
        table.add_row(*[code_value(key, _cell(row.get(key), tz, iso=False, lang=lang), lang)
                        for key, _ in columns])
    console().print(table)


def _cell(value: Any, tz: tzinfo, iso: bool, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if iso:
            from socmed_domain.bounds import clamp

            return clamp(value).astimezone(tz).isoformat() if value.tzinfo else value.isoformat()
        return human_time(value, tz)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v, tz, iso, lang) for v in value)
    if isinstance(value, bool):
        return yes_no(value, "en" if iso else lang)
    return str(value)


def yes_no(value: bool | None, lang: str) -> str:
    """A yes/no in the reader's language ('-' when unknown)."""
    if value is None:
        return "-"
    from socmed_cli.i18n import t

    return t("yes" if value else "no", lang)


def progress(iterable: Iterable[Any], total: int, description: str, quiet: bool = False):  # type: ignore[no-untyped-def]
    """A rich progress bar on a terminal; the bare iterable when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield from iterable
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(description, total=total)
        for item in iterable:
            yield item
            bar.advance(task)
