"""Issue 17's incident shortcuts at the command line: `incident open --alert` refuses an alert
nobody recorded, `--became-aware-at` and `incident aware` start the UU PDP clock at a stated
time with a reason, and `incident list` shows when notices are due."""

from __future__ import annotations

from tests.cli.helpers import Socmed, assert_one_line_error, event_count


def test_the_pdp_clock_from_a_stated_awareness_and_the_list(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    before = event_count(run.data_dir)  # type: ignore[arg-type]
    unknown = run("--as", "adi.admin", "incident", "open", "--title", "Lonjakan",
                  "--category", "complaint_wave", "--alert", "spike-20261210T010000Z")
    assert "report daily" in assert_one_line_error(unknown)
    no_reason = run("--as", "sari.legal", "incident", "open", "--title", "Data bocor",
                    "--category", "personal_data_breach",
                    "--became-aware-at", "2020-01-01 09:00 WIB")
    assert_one_line_error(no_reason)
    assert event_count(run.data_dir) == before  # type: ignore[arg-type]
    run.ok("--as", "sari.legal", "incident", "open", "--title", "Data bocor",
           "--category", "personal_data_breach", "--became-aware-at", "2020-01-01 09:00 WIB",
           "--aware-reason", "vendor memberi tahu")
    [row] = run.json("incident", "list")
    assert row["breach_known_at"].startswith("2020-01-01T09:00")
    assert row["pdp_due"].startswith("2020-01-04T09:00")
    assert row["pdp_missing"] == "data_subjects, authority"
    assert row["pdp"] == "overdue"
    table = run.ok("incident", "list").stdout
    assert "Notices due" in table and "2020-01-04 09:00" in table
    assert "Batas pemberitahuan" in run.ok("--lang", "id", "incident", "list").stdout
    out = run.ok("--as", "sari.legal", "incident", "aware", row["id"][:8], "--at",
                 "2020-01-01 08:00 WIB", "--reason", "log server lebih awal").stdout
    assert "notices due by 2020-01-04 08:00" in out
    history = run.json("incident", "show", row["id"][:8])
    assert any(e["event"] == "BreachAwarenessStated" and e["reason"] == "log server lebih awal"
               for e in history)
    future = run("--as", "sari.legal", "incident", "aware", row["id"][:8], "--at",
                 "2099-01-01 08:00 WIB", "--reason", "x")
    assert_one_line_error(future)


def test_review_options_given_twice_keep_every_value(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    import json

    run, _ = team_store
    run.ok("--as", "adi.admin", "incident", "open", "--title", "Keluhan kecil",
           "--category", "complaint_wave")
    incident = run.json("incident", "list")[0]["id"][:8]
    run.ok("--as", "joko.mm", "incident", "classify", incident, "--level", "1",
           "--reason", "keluhan terisolasi")
    run.ok("--as", "joko.mm", "incident", "resolve", incident, "--summary", "selesai")
    run.ok("--as", "joko.mm", "incident", "review", incident,
           "--timeline", "09.00 keluhan masuk", "--timeline", "10.00 dijawab",
           "--worked", "jawaban cepat", "--worked", "template tepat",
           "--did-not", "tidak ada", "--follow-up", "Latihan|adi.admin|2099-01-15",
           "--follow-up", "Evaluasi|budi.dm|2099-02-01")
    report = json.loads(run.ok("incident", "report", incident, "--format", "json").stdout)
    review = report["review"]
    assert review["timeline_summary"] == "09.00 keluhan masuk\n10.00 dijawab"
    assert review["what_worked"] == "jawaban cepat\ntemplate tepat"
    assert [f["owner_id"] for f in review["follow_ups"]] == ["adi.admin", "budi.dm"]


def test_linking_a_statement_reviewed_without_legal_warns(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, ids = team_store
    run.ok("--as", "adi.admin", "incident", "open", "--title", "Gangguan",
           "--category", "complaint_wave")
    incident = run.json("incident", "list")[0]["id"][:8]
    out = run.ok("--as", "budi.dm", "incident", "statement", incident,
                 ids["approved"][:8]).stdout
    assert f"warning: statement {ids['approved'][:8]} was reviewed without Legal" in out
    out = run.ok("--lang", "id", "--as", "budi.dm", "incident", "statement", incident,
                 ids["draft"][:8]).stdout
    assert "baru terbit setelah anggota Legal" in out


def test_open_from_a_recorded_alert_takes_its_measurements(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: object) -> None:
    import json
    import re
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    run, _ = team_store
    start = datetime.now(UTC) - timedelta(hours=1)
    burst = Path(str(tmp_path)) / "burst.jsonl"
    burst.write_text("".join(json.dumps({
        "platform": "x", "kind": "mention", "message_id": f"x-burst-{n}",
        "author_handle": f"user{n}", "author_name": "U",
        "text": "Transfer gagal terus, kecewa banget",
        "received_at": (start + timedelta(minutes=2 * n)).isoformat()}) + "\n"
        for n in range(25)), encoding="utf-8")
    out = run.ok("--as", "adi.admin", "inbox", "ingest", str(burst)).stdout
    alert = re.search(r"spike-\d{8}T\d{6}Z", out)
    assert alert, out
    opened = run.ok("--as", "adi.admin", "incident", "open", "--alert", alert.group(0),
                    "--title", "Gangguan transfer", "--category", "complaint_wave",
                    "--reach", "150000").stdout
    assert "negative volume" in opened and "estimated reach 150,000" in opened
    report = json.loads(run.ok("incident", "report", run.json("incident", "list")[0]["id"],
                               "--format", "json").stdout)
    assert report["source"] == f"alert {alert.group(0)}"
    assert report["detected_at"] is not None
