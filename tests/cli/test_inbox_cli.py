"""`socmed inbox`, `socmed privacy erase` and `socmed report daily` end to end on SQLite."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

DATA = Path(__file__).parents[1] / "data" / "interactions"


def _store(team_store: tuple[Socmed, dict[str, str]]) -> Socmed:
    run, _ = team_store
    out = run.ok("--as", "adi.admin", "inbox", "ingest", str(DATA / "sample.jsonl")).stdout
    assert "5 new interactions of 5" in out
    return run


def _id_of(run: Socmed, author: str) -> str:
    rows = run.json("inbox", "list")
    return next(r["id"] for r in rows if r["author"] == author)


def test_ingest_list_assign_reply_show_close(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run = _store(team_store)
    again = run.ok("--as", "adi.admin", "inbox", "ingest", str(DATA / "sample.csv")).stdout
    assert "1 new interaction of 2 (1 already here)" in again
    rows = run.json("inbox", "list", "--sentiment", "negative")
    assert [r["author"] for r in rows] == ["bagus_pras88"]
    ref = rows[0]["id"][:8]
    run.ok("--as", "budi.dm", "inbox", "assign", ref, "--to", "adi.admin")
    run.ok("--as", "budi.dm", "inbox", "tag", ref, "--tag", "complaint",
           "--tag", "feedback_service", "--priority", "high", "--reason", "nasabah lama")
    out = run.ok("--as", "adi.admin", "inbox", "reply", ref, "--template", "complaint_ack",
                 "--param", "channel=DM @banknusa").stdout
    assert "Replied" in out
    shown = run.json("inbox", "show", ref)
    replies = [r for r in shown if r["what"] == "reply"]
    assert replies[0]["text"].startswith("Halo Kak Bagus Prasetyo")
    run.ok("--as", "adi.admin", "inbox", "close", ref, "--note", "selesai")
    assert run.json("inbox", "list", "--status", "closed")[0]["tags"] == \
        "complaint,feedback_service"
    csv_out = run.ok("inbox", "list", "--all", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,platform,kind,status")


def test_daily_report_counts_the_day(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run = _store(team_store)
    run.ok("--as", "adi.admin", "inbox", "sla-check")
    rows = run.json("report", "daily", "--date", "2026-12-10")
    by = {(r["section"], r["item"]): r["value"] for r in rows}
    assert by[("volume", "messages")] == 5
    assert by[("platform", "instagram")] == 2
    assert by[("sentiment", "negative")] >= 1
    table = run.ok("report", "daily", "--date", "2026-12-10").stdout
    assert "Laporan Interaksi Harian 2026-12-10" in table


def test_privacy_erase_is_for_legal_and_is_final(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run = _store(team_store)
    refused = run("--as", "adi.admin", "privacy", "erase", "--subject", "instagram:bagus_pras88",
                  "--reason", "permintaan")
    assert "may not erase" in assert_one_line_error(refused, exit_code=1)
    run.ok("--as", "sari.legal", "privacy", "erase", "--subject", "Instagram:@Bagus_Pras88",
           "--reason", "permintaan #PDP-17")
    authors = {r["author"] for r in run.json("inbox", "list")}
    assert "[erased]" in authors and "bagus_pras88" not in authors
    gone = run("--as", "sari.legal", "privacy", "erase", "--subject", "instagram:bagus_pras88",
               "--reason", "lagi")
    assert "holds no personal data" in assert_one_line_error(gone, exit_code=1)
    log = json.dumps(run.json("--as", "sari.legal", "audit", "log"))
    assert "PersonalDataErased" in log and "bagus" not in log.lower()


def test_errors_are_one_line(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run = _store(team_store)
    ref = _id_of(run, "siti_rahma")[:8]
    line = assert_one_line_error(run("--as", "budi.dm", "inbox", "reply", ref, "--text", "Hai"))
    assert "may not reply to the audience" in line
    line = assert_one_line_error(run("--as", "adi.admin", "inbox", "reply", ref,
                                     "--template", "complaint_ack"))
    assert "needs channel" in line
    line = assert_one_line_error(run("--lang", "id", "--as", "adi.admin", "inbox", "close",
                                     "ffff"), prefix="galat: ")
    assert "percakapan 'ffff' tidak ada" in line
    assert_one_line_error(run("--as", "sari.legal", "privacy", "erase", "--subject", "budi",
                              "--reason", "x"))
    bad = DATA.parent / "sentiment_labelled.jsonl"
    line = assert_one_line_error(run("--as", "adi.admin", "inbox", "ingest", str(bad)))
    assert "sentiment_labelled.jsonl line 1" in line


def test_a_large_import_with_worker_processes(team_store: tuple[Socmed, dict[str, str]],
                                              tmp_path: Path) -> None:
    """`--workers 1` assesses on another process: the same counts and sentiments as inline,
    and a bad line still stops the import with its number."""
    run, _ = team_store
    texts = ["Aplikasinya error terus, kecewa banget", "Mantap, pelayanannya cepat!",
             "Kapan promo KPR mulai?"]
    rows = [{"platform": "instagram", "kind": "comment", "message_id": f"ig-{n}",
             "author_handle": f"warga{n % 40}", "text": texts[n // 2 % 3],
             "received_at": f"2026-12-10T{8 + n // 60 % 10:02d}:{n % 60:02d}:00+07:00",
             "thread_id": f"t-{n // 2}"} for n in range(400)]
    big = tmp_path / "listening.jsonl"
    big.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = run.ok("--as", "adi.admin", "inbox", "ingest", str(big), "--workers", "1",
                 "--no-alerts").stdout
    assert "400 new interactions of 400" in out and "200 new conversations" in out
    listed = run.json("inbox", "list", "--limit", "1000", "--sentiment", "negative")
    assert len(listed) == len({r["thread_id"] for r in rows if r["text"] == texts[0]})
    again = run.ok("--as", "adi.admin", "inbox", "ingest", str(big), "--workers", "1").stdout
    assert "0 new interactions of 400 (400 already here)" in again
    broken = tmp_path / "broken.jsonl"
    broken.write_text(big.read_text() + "{not json\n")
    before = event_count(run.data_dir)
    line = assert_one_line_error(run("--as", "adi.admin", "inbox", "ingest", str(broken),
                                     "--workers", "1"))
    assert "line 401" in line
    fresh = tmp_path / "fresh.jsonl"  # 400 new lines, then the bad one: nothing is stored
    fresh.write_text(broken.read_text().replace('"ig-', '"ig2-'))
    assert "line 401" in assert_one_line_error(
        run("--as", "adi.admin", "inbox", "ingest", str(fresh)))
    assert event_count(run.data_dir) == before
