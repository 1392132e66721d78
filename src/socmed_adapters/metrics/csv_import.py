"""Metrics snapshots from a CSV file: what a platform's export, or a team's spreadsheet, gives.

The format (docs/reporting.md, 'CSV format'):

    platform,post_id,measured_at,reach,impressions,likes,comments,shares,saves,clicks,video_views,followers,conversions
    instagram,17912345678901234,2026-12-05T20:00:00+07:00,12840,15010,611,48,37,92,,,,3
    instagram,,2026-12-05T20:00:00+07:00,,,,,,,,,48210,

- `platform`: instagram, facebook, linkedin, tiktok, x (or twitter).
- `post_id`: the post's id on the platform (as `socmed publish log` shows it); empty for
  the account's own numbers (followers).
- `measured_at`: when the platform measured the numbers, with a zone ('2026-12-05 20:00 WIB'
  or ISO 8601 with an offset); a time without a zone is refused.
- metric columns: any subset of the ten metric names, in any order; an empty cell means
  "not reported", which is different from 0. Whole numbers only; thousands separators are
  refused rather than guessed (is "1.234" one thousand or one point two?).

Every error names the row (as a spreadsheet counts it: the header is row 1) and the column,
and nothing is recorded unless the whole file is valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from socmed_adapters.files import csv_rows
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.evaluation.metrics import METRIC_NAMES, MetricSnapshot, MetricValues
from socmed_domain.platforms import platform_named
from socmed_domain.timezones import parse_time

REQUIRED = ("platform", "post_id", "measured_at")
HEADER = (*REQUIRED, *METRIC_NAMES)
MAX_ROWS = 200_000


class MetricsCsvError(InvalidInputError):
    """A row or the header of the CSV is wrong; the message names row and column."""


def _fail(path: Path, row: int, column: str, detail: str) -> MetricsCsvError:
    return MetricsCsvError("error.metric_csv", path=path.name, row=row, column=column,
                           detail=detail)


def _count(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"'{text}' is not a whole number of 0 or more (no separators)")
    return int(text)


def read_snapshots(path: Path) -> list[MetricSnapshot]:
    """Every row of `path` as a snapshot; MetricsCsvError on the first bad cell."""
    return list(_rows(path))


def _rows(path: Path) -> Iterator[MetricSnapshot]:
    """The file is read by socmed_adapters.files: size-bounded, UTF-8 (a BOM is dropped),
    no FIFO or device, a field over the csv module's limit refused with its line."""
    rows = csv_rows(path, "metrics")
    first = next(rows, None)
    header = [h.strip().lower() for h in (first[1] if first else [])]
    unknown = [h for h in header if h not in HEADER]
    missing = [h for h in REQUIRED if h not in header]
    metrics = [h for h in header if h in METRIC_NAMES]
    if unknown or missing or not metrics or len(set(header)) != len(header):
        detail = "; ".join(part for part in (
            f"unknown: {', '.join(unknown)}" if unknown else "",
            f"missing: {', '.join(missing)}" if missing else "",
            "no metric column" if not metrics else "",
            "a column is repeated" if len(set(header)) != len(header) else "") if part)
        raise MetricsCsvError("error.metric_csv_header", path=path.name, detail=detail)
    for number, (_, cells) in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise _fail(path, number, "-", f"more than {MAX_ROWS} rows: split the file")
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise _fail(path, number, "-", f"{len(cells)} cells, the header has "
                        f"{len(header)}")
        yield _snapshot(path, number, dict(zip(header, cells, strict=True)))


def _snapshot(path: Path, number: int, row: dict[str, str]) -> MetricSnapshot:
    column = "platform"
    try:
        platform = platform_named(row["platform"])
        column = "measured_at"
        measured_at = parse_time(row["measured_at"].strip(), field="measured_at")
        values: dict[str, int | None] = {}
        for name in METRIC_NAMES:
            column = name
            values[name] = _count(row.get(name, ""))
    except SocmedError as error:
        raise _fail(path, number, column, error.message()) from None
    except ValueError as error:
        raise _fail(path, number, column, str(error)) from None
    post_id = row["post_id"].strip()
    if not any(v is not None for v in values.values()):
        raise _fail(path, number, "-", "no metric value in this row")
    return MetricSnapshot(platform, post_id, measured_at, MetricValues(**values))
