"""`socmed report monthly`, `socmed metrics`, `socmed strategy evaluate`, `socmed dashboard`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

HEADER = ("platform,post_id,measured_at,reach,impressions,likes,comments,shares,saves,clicks,"
          "video_views,followers,conversions\n")
ROWS = ("instagram,17912345678901234,2026-11-05T20:00:00+07:00,12840,15010,611,48,37,92,,,,3\n"
        "instagram,,2026-11-05 20:00 WIB,,,,,,,,,48210,\n"
        "x,1864211,2026-11-06 08:00 WIB,,9000,80,4,6,,55,,,\n")


def test_the_demo_month_report_in_every_format(demo_store: Socmed, tmp_path: Path,
                                               demo_run: tuple[Path, Result]) -> None:
    written = {fmt: demo_run[0] / "reports" / f"monthly-report-2026-12.{suffix}"
               for fmt, suffix in (("html", "html"), ("markdown", "md"))}
    data = json.loads(demo_store.ok("report", "monthly", "--month", "2026-12", "--format",
                                    "json").stdout)
    assert data["ref"] == "monthly-report:2026-12" and data["total"]["posts_published"] == 31
    assert {row["label"] for row in data["platforms"]} == {"instagram", "facebook", "linkedin",
                                                           "tiktok", "x"}
    assert data["insights"] and all(i["message"] for i in data["insights"])
    markdown = demo_store.ok("report", "monthly", "--month", "2026-12").stdout
    assert markdown.startswith("# Social Media Performance Report: 2026-12")
    # the demo wrote the same report (as of the month's last evening) into the store
    assert written["markdown"].read_text(encoding="utf-8").splitlines()[:6] == \
        markdown.splitlines()[:6]
    out = tmp_path / "laporan.html"
    result = demo_store.ok("--lang", "id", "report", "monthly", "--month", "2026-12",
                           "--format", "html", "--out", str(out))
    assert result.stdout.strip() == f"{out} ditulis."
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Laporan Kinerja Media Sosial" in page
    assert page.count("<svg") == 5  # every chart inline
    # self-contained: no script, no stylesheet or image fetched from anywhere
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"url\((?!#)", page)  # only in-page references (clip paths)
    assert not re.search(r'(src|href)="(https?:|//)', page)
    rows = list(csv.reader(io.StringIO(demo_store.ok(
        "report", "monthly", "--month", "2026-12", "--format", "csv").stdout)))
    assert rows[0] == ["section", "row", "column", "value"]
    assert ["platform", "tiktok", "posts_published", "1"] in rows


@pytest.mark.parametrize(("args", "expected"), [
    (("--month", "2026-13"), "error: '2026-13' is not a month"),
    (("--month", "Desember"), "error: 'Desember' is not a month"),
    (("--month", "2026-12", "--format", "pdf"), "error: Invalid value for '--format'"),
    (("--month", "2026-12", "--out", "{tmp}/missing/dir/r.html"),
     "error: Invalid value for --out: folder {tmp}/missing/dir does not exist"),
])
def test_bad_report_requests_fail_in_one_line_and_write_nothing(
        demo_store: Socmed, tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    """A missing folder is made inside this test's own tmp_path, so no folder elsewhere on
    the machine can decide the outcome."""
    result = demo_store("report", "monthly", *(a.format(tmp=tmp_path) for a in args))
    assert assert_one_line_error(result).startswith(expected.format(tmp=tmp_path))
    assert not list(tmp_path.iterdir())


def test_a_report_of_an_empty_store_is_refused(socmed: Socmed) -> None:
    line = assert_one_line_error(socmed("report", "monthly", "--month", "2026-12"))
    assert "no socmed store" in line


def test_metrics_import_is_idempotent_and_refuses_a_bad_file_whole(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    socmed, _ = team_store
    store = Path(socmed.data_dir)  # type: ignore[arg-type]
    good = tmp_path / "insights.csv"
    good.write_text(HEADER + ROWS, encoding="utf-8")
    before = event_count(store)
    first = socmed.ok("--as", "adi.admin", "metrics", "import", str(good))
    assert first.stdout.strip() == ("Recorded 3 snapshots; skipped 0 that said nothing new; "
                                    "3 new series.")
    assert event_count(store) == before + 6
    again = socmed.ok("--as", "budi.dm", "metrics", "import", str(good))
    assert "Recorded 0 snapshots; skipped 3" in again.stdout
    assert event_count(store) == before + 6
    latest = socmed.json("metrics", "latest", "--as-of", "2026-11-30 00:00 WIB")
    assert [(r["platform"], r["post_id"], r["followers"] or r["likes"]) for r in latest] == [
        ("instagram", "account", 48210), ("instagram", "17912345678901234", 611),
        ("x", "1864211", 80)]

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROWS + "tiktok,7301,2026-11-07 09:00,100,,,,,,,,,\n",
                   encoding="utf-8")
    line = assert_one_line_error(socmed("--as", "adi.admin", "metrics", "import", str(bad)))
    assert line.startswith("error: bad.csv row 5, column measured_at: time 2026-11-07 09:00 "
                           "has no timezone")
    cases = {
        "instagram,1,2026-11-07 09:00 WIB,1.234,,,,,,,,,\n": "row 2, column reach: '1.234' is "
                                                            "not a whole number",
        "myspace,1,2026-11-07 09:00 WIB,1,,,,,,,,,\n": "row 2, column platform: unknown "
                                                      "platform 'myspace'",
        "x,1,2026-11-07 09:00 WIB,,,,,,,,,,\n": "row 2, column -: no metric value",
        "x,1,2026-11-07 09:00 WIB,1\n": "row 2, column -: 4 cells, the header has 13",
    }
    for row, message in cases.items():
        bad.write_text(HEADER + row, encoding="utf-8")
        line = assert_one_line_error(socmed("--as", "adi.admin", "metrics", "import",
                                            str(bad)))
        assert message in line, line
    bad.write_text("platform,post,measured_at,reach\n", encoding="utf-8")
    line = assert_one_line_error(socmed("--as", "adi.admin", "metrics", "import", str(bad)))
    assert "unknown: post; missing: post_id" in line
    refused = socmed("--as", "sari.legal", "metrics", "import", str(good))
    assert "may not record platform metrics" in assert_one_line_error(refused)
    assert event_count(store) == before + 6


def test_strategy_evaluate_and_the_revision_that_names_it(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    socmed, _ = team_store
    strategy = Path(__file__).parents[2] / "docs" / "examples" / "strategy-2027.toml"
    socmed.ok("--as", "budi.dm", "strategy", "draft", "--file", str(strategy))
    socmed.ok("--as", "budi.dm", "strategy", "submit")
    refused = socmed("--as", "rina.mm", "strategy", "evaluate", "--held", "2026-11-01 10:00 WIB",
                     "--attendee", "rina.mm", "--finding", "f", "--decision", "d",
                     "--report", "monthly-report:2026-10")
    assert "no strategy version is in force" in assert_one_line_error(refused)
    socmed.ok("--as", "joko.mm", "strategy", "approve", "--version", "1")
    done = socmed.ok("--as", "joko.mm", "strategy", "evaluate", "--held", "2026-11-01 10:00 WIB",
                     "--attendee", "joko.mm", "--attendee", "budi.dm", "--finding",
                     "TikTok 1 of 9 posts", "--decision", "TikTok twice a week",
                     "--report", "monthly-report:2026-10")
    assert done.stdout.startswith("Recorded evaluation evaluation-2026-10 of strategy "
                                  "version 1.")
    naive = socmed("--as", "joko.mm", "strategy", "evaluate", "--held", "2026-11-01 10:00",
                   "--attendee", "x", "--finding", "f", "--decision", "d", "--report", "r")
    assert "has no timezone" in assert_one_line_error(naive)
    socmed.ok("--as", "budi.dm", "strategy", "revise", "--file", str(strategy), "--reason",
              "evaluasi Oktober", "--evaluation", "evaluation-2026-10")
    listed = socmed.json("strategy", "evaluations")
    assert [(e["ref"], e["version"], e["report"]) for e in listed] == [
        ("evaluation-2026-10", 1, "monthly-report:2026-10")]
    versions = socmed.json("strategy", "versions")
    assert versions[-1]["evaluation"] == "evaluation-2026-10"


def test_dashboard_shows_the_month(demo_store: Socmed) -> None:
    out = demo_store.ok("--lang", "id", "dashboard", "--month", "2026-12").stdout
    assert "Laporan Kinerja Media Sosial: 2026-12" in out
    assert "Pencapaian KPI" in out and "tiktok" in out
    assert "galat: '12/2026' bukan bulan" in assert_one_line_error(
        demo_store("--lang", "id", "dashboard", "--month", "12/2026"), prefix="galat: ")
