"""`socmed strategy` and `socmed calendar` through the real click command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar
import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, created_id, event_count

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "strategy-2027.toml"


def test_the_strategy_life_from_the_command_line(team_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    run.ok("--as", "budi.dm", "strategy", "draft", "--file", str(EXAMPLE))
    run.ok("--as", "budi.dm", "strategy", "submit", "--note", "siap")
    refused = run("--as", "maya.agency", "strategy", "approve", "--version", "1")
    assert "may not approve the strategy" in assert_one_line_error(refused)
    run.ok("--as", "joko.mm", "strategy", "send-back", "--version", "1", "--comment",
           "tambahkan KPI TikTok")
    run.ok("--as", "budi.dm", "strategy", "edit", "--file", str(EXAMPLE), "--note", "KPI")
    run.ok("--as", "budi.dm", "strategy", "submit")
    out = run.ok("--as", "joko.mm", "strategy", "approve", "--version", "1").stdout
    assert "Strategy version 1 is in force." in out
    revised = tmp_path / "rev.toml"
    revised.write_text(EXAMPLE.read_text().replace("posts_per_week = 2", "posts_per_week = 3"))
    out = run.ok("--as", "budi.dm", "strategy", "revise", "--file", str(revised),
                 "--reason", "evaluasi November", "--evaluation", "report-2026-11").stdout
    assert "version 1 stays in force" in out
    versions = run.json("strategy", "versions")
    assert [(v["version"], v["status"]) for v in versions] == [(1, "in_force"), (2, "draft")]
    assert versions[1]["reason"] == "evaluasi November"
    shown = json.loads(run.ok("strategy", "show", "--version", "1", "--format",
                              "json").stdout)
    assert shown["plan"]["brand_voice"]["required_disclosures"] == [
        "#iklan", "#ad", "Paid partnership"]
    assert shown["status"] == "in_force"
    history = run.json("strategy", "history")
    assert [h["event"] for h in history] == [
        "StrategyDrafted", "StrategySubmitted", "StrategySentBack", "StrategyEdited",
        "StrategySubmitted", "StrategyApproved", "StrategyRevisionStarted"]
    assert "Strategi" in run.ok("--lang", "id", "strategy", "show").stdout


def test_the_brand_voice_in_force_feeds_the_quality_check(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    run.ok("--as", "budi.dm", "strategy", "draft", "--file", str(EXAMPLE))
    run.ok("--as", "budi.dm", "strategy", "submit")
    run.ok("--as", "joko.mm", "strategy", "approve", "--version", "1")
    ref = created_id(run.ok("--as", "budi.dm", "content", "create", "--title", "KPR",
                            "--text", "KPR dengan bunga termurah se-Indonesia!",
                            "--platform", "x"))
    run.ok("--as", "budi.dm", "content", "submit-review", ref)
    result = run.ok("--as", "dewi.dm", "content", "review", ref, "--all-checks")
    assert "bunga termurah" in result.stdout + result.stderr


@pytest.mark.parametrize(("content", "expected"), [
    (None, "s.toml: no such file: check the path"),
    ("title = [", "s.toml line 1, column 10: not valid TOML"),
    ('title = "x"\n[[platforms]]\nplatform = "myspace"\nreason = "a"\nposts_per_week = 2\n',
     "expected Platform"),
    ('title = "x"\n[[goals]]\nkind = "brand_awareness"\n', "platforms"),
])
def test_a_bad_strategy_file_is_one_line_and_writes_nothing(team_store, tmp_path, content,  # type: ignore[no-untyped-def]
                                                           expected) -> None:
    run, _ = team_store
    path = tmp_path / "s.toml"
    if content is not None:
        path.write_text(content)
    before = event_count(run.data_dir)
    line = assert_one_line_error(run("--as", "budi.dm", "strategy", "draft", "--file",
                                     str(path)))
    assert expected in line
    assert event_count(run.data_dir) == before


def test_strategy_commands_before_a_strategy_exists(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    line = assert_one_line_error(run("strategy", "show"))
    assert "socmed strategy draft" in line
    line = assert_one_line_error(run("--lang", "id", "--as", "budi.dm", "calendar", "plan",
                                     "--month", "2026-12"), prefix="galat: ")
    assert "belum ada versi strategi yang berlaku" in line


def test_calendar_show_in_every_format(demo_store: Socmed) -> None:
    rows = demo_store.json("calendar", "show", "--month", "2026-12")
    posts = [r for r in rows if r["kind"] == "post"]
    assert len([p for p in posts if p["state"] == "published"]) == 31
    christmas = [r for r in rows if r["date"] == "2026-12-25" and r["kind"] == "holiday"]
    assert christmas and christmas[0]["title"] == "Christmas Day"
    assert any(r["special"] for r in posts if r["campaign"] == "Harbolnas 12.12")
    text = demo_store.ok("calendar", "show", "--month", "2026-12", "--format", "csv").stdout
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == len(rows) and parsed[0].keys() >= {"date", "platform", "state"}
    ics = demo_store.ok("calendar", "show", "--month", "2026-12", "--format", "ics").stdout
    events = list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))
    assert len(events) == 31
    only_ig = demo_store.json("calendar", "show", "--month", "2026-12", "--platform", "ig")
    assert {r["platform"] for r in only_ig if r["kind"] == "post"} == {"instagram"}
    indonesian = demo_store.ok("--lang", "id", "calendar", "show", "--month", "2026-12").stdout
    assert "Hari Raya Natal" in indonesian and "Tanggal" in indonesian
    january = demo_store.json("calendar", "show", "--month", "2027-01")
    assert any(r["state"] == "planned" for r in january)


def test_calendar_check_reports_gaps_against_the_strategy(demo_store: Socmed) -> None:
    findings = demo_store.json("calendar", "check", "--month", "2026-12")
    assert findings and all(f["kind"] in ("gap", "clash") for f in findings)
    assert all(f["count"] < f["target"] for f in findings if f["kind"] == "gap")
    january = demo_store.json("calendar", "check", "--month", "2027-01")
    assert [f for f in january if f["kind"] == "gap"] == []


@pytest.mark.parametrize(("args", "expected"), [
    (("calendar", "show", "--month", "2026-13"), "'2026-13' is not a month"),
    (("calendar", "check", "--month", "2026-12", "--clash-interval", "soon"),
     "is not an interval"),
    (("calendar", "show", "--month", "2026-12", "--platform", "myspace"), "myspace"),
    (("calendar", "show", "--month", "2026-12", "--campaign", "ffffffff"), "no campaign"),
    (("strategy", "show", "--version", "9"), "there is no version 9"),
])
def test_calendar_bad_input_is_one_line(demo_copy: Socmed, args, expected) -> None:  # type: ignore[no-untyped-def]
    before = event_count(demo_copy.data_dir)
    line = assert_one_line_error(demo_copy(*args))
    assert expected in line
    assert event_count(demo_copy.data_dir) == before


def test_calendar_plan_dry_run_writes_nothing_then_plans(demo_copy: Socmed) -> None:
    before = event_count(demo_copy.data_dir)
    ideas = demo_copy.json("--as", "budi.dm", "calendar", "plan", "--month", "2027-02",
                           "--dry-run")
    assert ideas and event_count(demo_copy.data_dir) == before
    planned = demo_copy.json("--as", "budi.dm", "calendar", "plan", "--month", "2027-02")
    assert [(i["at"], i["platform"]) for i in planned] == [
        (i["at"], i["platform"]) for i in ideas]
    assert event_count(demo_copy.data_dir) == before + 2 * len(ideas)
    assert demo_copy.json("--as", "budi.dm", "calendar", "plan", "--month", "2027-02") == []


def test_schedule_suggest_from_the_demo_month(demo_store: Socmed) -> None:
    rows = demo_store.json("schedule", "suggest", "--platform", "facebook", "--until",
                           "2027-01-01 00:00 WIB", "--count", "4")
    assert len(rows) == 4 and rows[0]["source"] == "engagement" and rows[0]["posts"] >= 2
    assert {r["source"] for r in rows[1:]} <= {"engagement", "default"}
    evening = demo_store.json("schedule", "suggest", "--platform", "instagram", "--audience",
                              "Milenial urban", "--until", "2027-01-01 00:00 WIB")
    assert all("19:00" <= r["hour"] < "22:00" for r in evening)
    line = assert_one_line_error(demo_store("schedule", "suggest", "--platform", "x",
                                            "--audience", "nobody"))
    assert "unknown audience 'nobody'" in line and "Milenial urban" in line
