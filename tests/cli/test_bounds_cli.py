"""Issue 13, items 1-3 and 6 (times and numbers): every edge-of-range time and absurd number
the issue found is refused with one line naming the field and the range, writing nothing; a
store that already holds such values (written as the code did before) still loads, every
reader works on it, nothing out of range is published, and `socmed doctor` names the events.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.bounds_helpers import before_the_bounds, fingerprint
from tests.cli.helpers import Socmed, assert_one_line_error, created_id, current_hash

RANGE = "2000-01-01 00:00 UTC .. 2100-01-01 00:00 UTC"
EDGE_LATE = "9999-12-31 23:59 -12:00"
EDGE_EARLY = "0001-01-01 00:00 +14:00"


def _runner(backend: Any) -> tuple[Socmed, dict[str, str]]:
    env = {"SOCMED_DATABASE_URL": backend.database_url} if backend.database_url else {}
    return Socmed(backend.data_dir), env


def _store(backend: Any) -> tuple[Socmed, dict[str, str], str]:
    """init, the team, an approved item; returns (runner, env, the item's id)."""
    socmed, env = _runner(backend)
    socmed.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina", env=env)
    for handle, role in (("budi.dm", "digital_marketing"), ("dewi.dm", "digital_marketing"),
                         ("adi.admin", "social_media_admin"), ("sari.legal", "legal")):
        socmed.ok("--as", "rina.mm", "team", "add", handle, "--name", handle, "--role", role,
                  env=env)
    item = created_id(socmed.ok("--as", "budi.dm", "content", "create", "--title", "Tepi",
                                "--text", "Info produk", "--platform", "x", env=env))
    socmed.ok("--as", "budi.dm", "content", "submit-review", item, env=env)
    socmed.ok("--as", "dewi.dm", "content", "review", item, "--all-checks", env=env)
    socmed.ok("--as", "budi.dm", "content", "submit-approval", item, env=env)
    socmed.ok("--as", "rina.mm", "content", "approve", item, "--hash",
              current_hash(socmed, item, env=env), env=env)
    return socmed, env, item


def _files(tmp_path: Path) -> dict[str, Path]:
    line = {"platform": "x", "kind": "comment", "message_id": "m1", "author_handle": "@a",
            "author_name": "A", "text": "halo"}
    files = {}
    for name, when in (("late.jsonl", "9999-12-31T23:59:00-12:00"),
                       ("early.jsonl", "0001-01-01T00:00:00+14:00"),
                       ("early-12.jsonl", "0001-01-01T00:00:00-12:00")):
        files[name] = tmp_path / name
        files[name].write_text(json.dumps({**line, "message_id": name,
                                           "received_at": when}) + "\n")
    files["late.csv"] = tmp_path / "late.csv"
    files["late.csv"].write_text(
        "platform,kind,message_id,author_handle,author_name,text,received_at\n"
        "x,comment,m2,@b,B,halo,9999-12-31T23:59:00-12:00\n")
    files["metrics.csv"] = tmp_path / "metrics.csv"
    files["metrics.csv"].write_text("platform,post_id,measured_at,reach\n"
                                    "instagram,,0001-01-01T00:00:00+14:00,5\n")
    return files


CAMPAIGN = ["--as", "budi.dm", "campaign", "plan", "--name", "Tepi", "--platform", "instagram"]

# (case id, argv ({item} and file placeholders), fragment the one line must contain)
REFUSED = [
    ("schedule late", ["--as", "adi.admin", "content", "schedule", "{item}", "--at", EDGE_LATE],
     f"--at 9999-12-31T23:59:00-12:00 is outside the supported range {RANGE}"),
    ("schedule early", ["--as", "adi.admin", "content", "schedule", "{item}", "--at",
                        EDGE_EARLY], "--at 0001-01-01T00:00:00+14:00 is outside"),
    ("schedule 2100 in WIT", ["--as", "adi.admin", "content", "schedule", "{item}", "--at",
                              "2100-01-01 09:00 WIT"], "--at 2100-01-01T09:00:00+09:00"),
    ("campaign end", [*CAMPAIGN, "--start", "2026-12-01 00:00 WIB", "--end", EDGE_LATE],
     "--end 9999-12-31T23:59:00-12:00 is outside"),
    ("campaign start", [*CAMPAIGN, "--start", EDGE_EARLY, "--end", "2026-12-31 00:00 WIB"],
     "--start 0001-01-01T00:00:00+14:00 is outside"),
    ("kpi 1e309", [*CAMPAIGN, "--start", "2026-12-01 00:00 WIB", "--end",
                   "2026-12-31 00:00 WIB", "--kpi", "reach=1e309@instagram"],
     "KPI target reach is 1E+309: give a finite number from 0 to 1e+15"),
    ("budget 1e400", [*CAMPAIGN, "--start", "2026-12-01 00:00 WIB", "--end",
                      "2026-12-31 00:00 WIB", "--budget", "1e400"], "budget (IDR) is 1E+400"),
    ("inbox jsonl late", ["--as", "adi.admin", "inbox", "ingest", "{late.jsonl}"],
     "late.jsonl line 1: received_at 9999-12-31T23:59:00-12:00 is outside"),
    ("inbox jsonl early", ["--as", "adi.admin", "inbox", "ingest", "{early.jsonl}"],
     "received_at 0001-01-01T00:00:00+14:00 is outside"),
    ("inbox jsonl early -12", ["--as", "adi.admin", "inbox", "ingest", "{early-12.jsonl}"],
     "received_at 0001-01-01T00:00:00-12:00 is outside"),
    ("inbox csv late", ["--as", "adi.admin", "inbox", "ingest", "{late.csv}"],
     "late.csv line 2: received_at 9999-12-31T23:59:00-12:00 is outside"),
    ("metrics measured_at", ["--as", "adi.admin", "metrics", "import", "{metrics.csv}"],
     "measured_at 0001-01-01T00:00:00+14:00 is outside"),
    ("calendar plan 9999-12", ["--as", "budi.dm", "calendar", "plan", "--month", "9999-12"],
     "month 9999-12 is outside the supported range 2000-01-01 .. 2099-12-31"),
    ("calendar show 0001-01", ["calendar", "show", "--month", "0001-01"], "month 0001-01"),
    ("report monthly 9999-12", ["--as", "rina.mm", "report", "monthly", "--month", "9999-12"],
     "month 9999-12 is outside"),
    ("dashboard 9999-12", ["--as", "rina.mm", "dashboard", "--month", "9999-12"],
     "month 9999-12 is outside"),
    ("publish log 9999-12", ["publish", "log", "--month", "9999-12"], "month 9999-12"),
    ("report daily 9999-12-31", ["--as", "rina.mm", "report", "daily", "--date", "9999-12-31"],
     "--date 9999-12-31 is outside"),
    ("audit log until", ["--as", "sari.legal", "audit", "log", "--until", EDGE_LATE],
     "--until 9999-12-31T23:59:00-12:00 is outside"),
    ("inbox list since", ["inbox", "list", "--since", "0001-01-01"], "bad"),
    ("follow poll 1e309", ["projections", "follow", "--poll", "1e309"],
     "--poll is inf: give a finite number from 0.01 to 3600"),
    ("follow poll nan", ["projections", "follow", "--poll", "nan"], "--poll is nan"),
]


@pytest.mark.parametrize(("case", "argv", "fragment"), REFUSED, ids=[c[0] for c in REFUSED])
def test_edge_values_are_refused_in_one_line_and_nothing_is_written(
        backend: Any, tmp_path: Path, case: str, argv: list[str], fragment: str) -> None:
    socmed, env, item = _store(backend)
    files = _files(tmp_path)
    args = [a.replace("{item}", item) for a in argv]
    args = [str(files[a[1:-1]]) if a[1:-1] in files else a for a in args]
    before = fingerprint(backend.data_dir, backend.database_url)
    line = assert_one_line_error(socmed(*args, env=env), exit_code=None)
    if fragment != "bad":
        assert fragment in line, line
    assert fingerprint(backend.data_dir, backend.database_url) == before


def test_messages_name_field_and_range_in_indonesian(socmed: Socmed) -> None:
    line = assert_one_line_error(socmed("--lang", "id", "calendar", "show", "--month",
                                        "9999-12"), "galat: ")
    assert "di luar rentang yang didukung 2000-01-01 .. 2099-12-31" in line


def _legacy_store(backend: Any, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> tuple[Socmed, dict[str, str]]:
    """The demo month, then every edge value of the issue written as before the bounds."""
    socmed, env = _runner(backend)
    socmed.ok("demo", "--quiet", env=env)
    files = _files(tmp_path)
    item = created_id(socmed.ok("--as", "budi.dm", "content", "create", "--title", "Tepi",
                                "--text", "Info produk", "--platform", "x", env=env))
    with before_the_bounds(monkeypatch):
        socmed.ok("--as", "adi.admin", "content", "schedule", item, "--at", EDGE_LATE, env=env)
        socmed.ok(*CAMPAIGN, "--start", "2026-12-01 00:00 WIB", "--end", EDGE_LATE, "--kpi",
                  "reach=1e309@instagram", env=env)
        socmed.ok(*CAMPAIGN, "--start", EDGE_EARLY, "--end", "2026-12-31 00:00 WIB",
                  "--budget", "1e400", env=env)
        for name in ("late.jsonl", "early-12.jsonl", "late.csv"):
            socmed("--as", "adi.admin", "inbox", "ingest", str(files[name]), "--no-alerts",
                   env=env)
        socmed.ok("--as", "adi.admin", "metrics", "import", str(files["metrics.csv"]),
                  env=env)
    return socmed, env


READERS = [
    ["projections", "catch-up"], ["projections", "rebuild"], ["projections", "status"],
    ["content", "list"], ["content", "list", "--format", "json"],
    ["content", "list", "--format", "csv"], ["calendar", "show", "--month", "2026-12"],
    ["calendar", "check", "--month", "2026-12"],
    ["--as", "rina.mm", "report", "monthly", "--month", "2026-12"],
    ["--as", "rina.mm", "report", "monthly", "--month", "2026-12", "--format", "json"],
    ["--as", "rina.mm", "dashboard", "--month", "2026-12"],
    ["inbox", "list"], ["inbox", "list", "--format", "json"],
    ["--as", "rina.mm", "report", "daily", "--date", "2026-12-10"],
    ["campaign", "list"], ["campaign", "list", "--format", "csv"], ["metrics", "latest"],
    ["publish", "log"], ["audit", "verify"],
]


@pytest.mark.slow  # a whole demo month, then every reader
def test_a_store_holding_edge_values_still_works_and_doctor_names_them(
        backend: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    socmed, env = _legacy_store(backend, tmp_path, monkeypatch)
    for argv in READERS:
        socmed.ok(*argv, env=env)
    edge = next(r for r in socmed.json("content", "list", env=env) if r["title"] == "Tepi")
    socmed.ok("--as", "rina.mm", "content", "show", edge["id"], env=env)
    published = socmed.ok("--as", "adi.admin", "publish", "due", env=env)
    assert "Tepi" not in published.stdout
    assert edge["status"] != "published"

    result = socmed("doctor", "--format", "json", env=env)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    found = {(f["event"], f["field"], f["value"]) for f in findings}
    assert ("ContentItem.Scheduled", "slot.at", "9999-12-31T23:59:00-12:00") in found
    assert ("Campaign.CampaignPlanned", "plan.period.end", "9999-12-31T23:59:00-12:00") in found
    assert ("Campaign.CampaignPlanned", "plan.kpi_targets[0].target", "1E+309") in found
    assert ("Campaign.CampaignPlanned", "plan.period.start",
            "0001-01-01T00:00:00+14:00") in found
    assert ("Campaign.CampaignPlanned", "plan.budget_idr", "1E+400") in found
    assert ("MetricsSeries.MetricsFetched", "measured_at", "0001-01-01T00:00:00+14:00") in found
    received = {f["value"] for f in findings if f["field"] == "message.received_at"}
    assert received == {"9999-12-31T23:59:00-12:00", "0001-01-01T00:00:00-12:00"}
    assert all(isinstance(f["position"], int) and f["advice"] for f in findings)
    assert "outside the documented bounds" in result.stderr

    # the recovery the issue found missing: withdraw the item, revise or cancel the campaign
    socmed.ok("--as", "rina.mm", "content", "withdraw", edge["id"], "--reason", "jadwal salah",
              env=env)
    for argv in READERS[:4]:
        socmed.ok(*argv, env=env)


def test_doctor_on_a_clean_store_says_so(socmed: Socmed) -> None:
    socmed.ok("demo", "--quiet")
    result = socmed.ok("doctor")
    assert "no value outside the documented bounds in" in result.stdout
    indonesian = socmed.ok("--lang", "id", "doctor")
    assert "tidak ada nilai di luar batas" in indonesian.stdout
