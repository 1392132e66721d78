"""Every listing in table, json and csv: json is a list of dicts, csv has a header, and the
three formats agree on the rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.helpers import Socmed

# (listing id, argv; {item} is a published demo item)
LISTINGS = [
    ("team list", ["team", "list"]),
    ("content list", ["content", "list"]),
    ("content list --status", ["content", "list", "--status", "published"]),
    ("content history", ["content", "history", "{item}"]),
    ("content checklist", ["content", "checklist"]),
    ("audit log", ["--as", "sari.legal", "audit", "log"]),
    ("audit log --type", ["--as", "rina.mm", "audit", "log", "--type", "Approved"]),
    ("publish log", ["publish", "log"]),
]

# The headers the csv must carry (a stable contract for spreadsheets).
CSV_HEADERS = {
    "team list": ["member", "name", "role", "role_title", "active", "granted_by"],
    "content checklist": ["key", "item"],
    "content history": ["position", "at", "actor", "role", "event", "summary", "reason",
                        "aggregate", "aggregate_id", "version", "via"],
}


@pytest.fixture
def published_item(demo_store: Socmed) -> str:
    rows = demo_store.json("content", "list", "--status", "published")
    assert rows
    return str(rows[0]["id"])


def _argv(args: list[str], item: str) -> list[str]:
    return [a.format(item=item) for a in args]


@pytest.mark.parametrize("args", [pytest.param(a, id=i) for i, a in LISTINGS])
def test_listing_formats_agree(demo_store: Socmed, published_item: str,
                               args: list[str], request: pytest.FixtureRequest) -> None:
    argv = _argv(args, published_item)

    as_json = json.loads(demo_store.ok(*argv, "--format", "json").stdout)
    assert isinstance(as_json, list) and as_json, "the demo store has rows for every listing"
    assert all(isinstance(row, dict) for row in as_json)
    assert len({tuple(sorted(row)) for row in as_json}) == 1, "every row has the same keys"

    text = demo_store.ok(*argv, "--format", "csv").stdout
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    body = list(reader)
    assert header and all(header)
    assert len(body) == len(as_json)
    assert all(len(row) == len(header) for row in body)
    assert set(header) <= set(as_json[0]), "csv columns are json keys"
    key = header[0]
    assert [row[0] for row in body] == [str(r[key]) for r in as_json]
    listing = request.node.callspec.id
    if listing in CSV_HEADERS:
        assert header == CSV_HEADERS[listing]

    table = demo_store.ok(*argv, "--format", "table").stdout
    assert table.strip()
    assert len(table.splitlines()) >= len(as_json)  # one line or more per row, plus the header


def test_default_format_is_the_table(demo_store: Socmed) -> None:
    assert demo_store.ok("team", "list").stdout == demo_store.ok(
        "team", "list", "--format", "table").stdout


def test_publish_due_formats_with_nothing_due(demo_copy: Socmed) -> None:
    """On the demo store every slot has passed: nothing is due in any format."""
    assert demo_copy.ok("--as", "adi.admin", "publish", "due").stdout.strip() == (
        "Nothing is due.")
    assert demo_copy.json("--as", "adi.admin", "publish", "due") == []
    text = demo_copy.ok("--as", "adi.admin", "publish", "due", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["id", "title", "platform", "outcome", "url", "detail"]]


def test_json_times_follow_tz(demo_store: Socmed) -> None:
    wib = demo_store.json("content", "list", "--status", "published")
    wita = demo_store.json("--tz", "WITA", "content", "list", "--status", "published")
    assert wib[0]["scheduled_at"].endswith("+07:00")
    assert wita[0]["scheduled_at"].endswith("+08:00")
    assert [r["id"] for r in wib] == [r["id"] for r in wita]


def test_format_choice_is_validated(demo_store: Socmed) -> None:
    result = demo_store("team", "list", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("platform", ["instagram", "facebook", "linkedin", "tiktok", "x"])
def test_content_list_platform_filter(demo_store: Socmed, platform: str) -> None:
    everything = demo_store.json("content", "list")
    chosen = demo_store.json("content", "list", "--platform", platform)
    assert chosen == [r for r in everything if platform in r["platforms"]]
    assert chosen
