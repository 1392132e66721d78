"""The SOP stage 2-3 workflow end to end through the `socmed` command on a fresh store."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.cli.helpers import (
    TEAM,
    Socmed,
    assert_one_line_error,
    created_id,
    event_count,
    future,
)

ROLES = {"marketing_manager", "digital_marketing", "social_media_admin", "legal", "agency"}
SHA256_HEX = set("0123456789abcdef")
PLUS_7 = timezone(timedelta(hours=7))


def _set_up_team(socmed: Socmed) -> None:
    result = socmed.ok("init", "--org", "PT Contoh Tbk", "--manager", "rina.mm",
                       "--name", "Rina Wijaya")
    assert result.stdout.strip() == (
        f"Initialised PT Contoh Tbk in {socmed.data_dir} with Marketing Manager rina.mm.")
    for handle, name, role in TEAM:
        added = socmed.ok("--as", "rina.mm", "team", "add", handle, "--name", name,
                          "--role", role)
        assert added.stdout.strip() == f"Added {handle} as {role}."


def _create_draft(socmed: Socmed, title: str, *platforms: str) -> str:
    options = [arg for p in platforms for arg in ("--platform", p)]
    created = socmed.ok("--as", "budi.dm", "content", "create", "--title", title,
                        "--text", "5 tips menabung akhir tahun", "--hashtag", "TabunganNusa",
                        *options)
    item = created_id(created)
    assert created.stdout.splitlines() == [
        f"Created content {item} (draft).",
        f"Checks of {item[:8]} revision 1: nothing found."]
    return item


def _through_approval(socmed: Socmed, item: str) -> str:
    """submit-review, review, submit-approval, approve with the hash read; returns the hash."""
    socmed.ok("--as", "budi.dm", "content", "submit-review", item)
    reviewed = socmed.ok("--as", "dewi.dm", "content", "review", item, "--all-checks",
                         "--comment", "siap")
    assert "passed" in reviewed.stdout
    socmed.ok("--as", "budi.dm", "content", "submit-approval", item)
    sha = socmed.json("content", "show", item)["summary"]["revision_sha256"]
    approved = socmed.ok("--as", "rina.mm", "content", "approve", item, "--hash", sha[:10])
    assert approved.stdout.strip() == f"Approved {item} revision sha256 {sha[:12]}."
    return str(sha)


def _wait_until(moment: datetime) -> None:
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.2)


def test_full_workflow_on_a_fresh_store(socmed: Socmed) -> None:
    _set_up_team(socmed)

    members = socmed.json("team", "list")
    assert {m["member"] for m in members} == {"rina.mm", *(h for h, _, _ in TEAM)}
    assert {m["role"] for m in members} == ROLES
    assert all(m["active"] is True for m in members)
    assert {m["granted_by"] for m in members if m["member"] != "rina.mm"} == {"rina.mm"}
    assert {"member", "name", "role", "role_title", "active", "granted_by"} <= set(members[0])

    item = _create_draft(socmed, "Tips menabung", "linkedin", "x")
    shown = socmed.json("content", "show", item)
    summary = shown["summary"]
    assert summary["item_id"] == item
    assert summary["status"] == "draft"
    assert summary["revision"] == 1
    assert summary["author_id"] == "budi.dm"
    assert summary["platforms"] == ["linkedin", "x"]
    assert len(summary["revision_sha256"]) == 64 and set(summary["revision_sha256"]) <= SHA256_HEX
    assert shown["revisions"][0]["draft"]["text"] == "5 tips menabung akhir tahun"
    assert shown["revisions"][0]["draft"]["hashtags"] == ["TabunganNusa"]
    assert shown["approval"] is None and shown["slot"] is None

    submitted = socmed.ok("--as", "budi.dm", "content", "submit-review", item)
    assert submitted.stdout.strip() == f"Submitted {item} for internal review."
    in_review_at = datetime.now(UTC)
    time.sleep(0.01)
    reviewed = socmed.ok("--as", "dewi.dm", "content", "review", item, "--all-checks",
                         "--comment", "siap")
    assert reviewed.stdout.strip() == f"Review of {item} passed: ready to submit for approval."
    socmed.ok("--as", "budi.dm", "content", "submit-approval", item)
    assert socmed.json("content", "show", item)["summary"]["status"] == "awaiting_approval"

    sha = socmed.json("content", "show", item)["summary"]["revision_sha256"]
    approved = socmed.ok("--as", "rina.mm", "content", "approve", item, "--hash", sha[:8])
    assert approved.stdout.strip() == f"Approved {item} revision sha256 {sha[:12]}."

    slot = future(days=2)
    scheduled = socmed.ok("--as", "adi.admin", "content", "schedule", item, "--at", slot)
    assert scheduled.stdout.strip() == f"Scheduled {item} for {slot} on linkedin, x."

    shown = socmed.json("content", "show", item)
    assert shown["summary"]["status"] == "scheduled"
    assert shown["summary"]["approved_by"] == "rina.mm"
    assert shown["approval"]["approver_id"] == "rina.mm"
    assert shown["approval"]["revision_sha256"] == sha
    assert shown["review"]["passed"] is True
    assert sorted(shown["review"]["confirmed"]) == sorted(
        row["key"] for row in socmed.json("content", "checklist"))
    slot_at = datetime.fromisoformat(shown["slot"]["at"])
    assert slot_at.utcoffset() == timedelta(hours=7)  # shown in WIB by default
    assert f"{slot_at:%Y-%m-%d %H:%M} WIB" == slot
    assert shown["slot"]["platforms"] == ["linkedin", "x"]

    # The slot is two days ahead on the real clock: nothing is due yet.
    before = event_count(socmed.data_dir)
    assert socmed.ok("--as", "adi.admin", "publish", "due").stdout.strip() == "Nothing is due."
    assert socmed.json("--as", "adi.admin", "publish", "due") == []
    assert event_count(socmed.data_dir) == before

    listed = socmed.json("content", "list")
    assert [(r["id"], r["title"], r["status"], r["approved_by"]) for r in listed] == [
        (item, "Tips menabung", "scheduled", "rina.mm")]
    assert listed[0]["sha256"] == sha
    assert datetime.fromisoformat(listed[0]["scheduled_at"]) == slot_at

    history = socmed.json("content", "history", item)
    assert [e["event"] for e in history] == [
        "Created", "Revised", "SubmittedForReview", "Reviewed", "SubmittedForApproval",
        "Approved", "Scheduled"]
    assert [e["actor"] for e in history] == [
        "budi.dm", "budi.dm", "budi.dm", "dewi.dm", "budi.dm", "rina.mm", "adi.admin"]
    assert history[3]["reason"] == "siap"
    assert [e["position"] for e in history] == sorted(e["position"] for e in history)
    assert all(e["aggregate_id"] == item for e in history)

    # Every write is one event; the manager's audit log shows them all, in order.
    log = socmed.json("--as", "rina.mm", "audit", "log")
    assert len(log) == event_count(socmed.data_dir) == 1 + len(TEAM) + len(history)
    assert [e["position"] for e in log] == list(range(1, len(log) + 1))
    assert log[0]["event"] == "Founded"
    assert [e["event"] for e in log[1:1 + len(TEAM)]] == ["MemberAdded"] * len(TEAM)

    # As it stood right after submit-review.
    earlier = socmed.json("content", "show", item, "--as-of", in_review_at.isoformat())
    assert earlier["summary"]["status"] == "in_review"
    assert earlier["approval"] is None


@pytest.mark.slow  # waits for slots in real time
def test_publish_due_publishes_each_item_once_when_its_slot_comes(socmed: Socmed) -> None:
    """Slots 2, 3.5 and 5 seconds ahead on the real clock; each 'publish due' run (json,
    csv, table) publishes exactly what has come due since the last run, and never twice."""
    _set_up_team(socmed)
    kilat = _create_draft(socmed, "Kilat", "linkedin")
    satu = _create_draft(socmed, "Satu", "linkedin", "facebook")
    dua = _create_draft(socmed, "Dua", "x")
    sha = _through_approval(socmed, kilat)
    _through_approval(socmed, satu)
    _through_approval(socmed, dua)

    start = datetime.now(UTC)
    slots = [start + timedelta(seconds=n) for n in (2, 3.5, 5)]
    for item, slot in zip((kilat, satu, dua), slots, strict=True):
        socmed.ok("--as", "adi.admin", "content", "schedule", item, "--at",
                  slot.astimezone(PLUS_7).isoformat())
    assert socmed.ok("--as", "adi.admin", "publish", "due").stdout.strip() == "Nothing is due."
    outbox = Path(socmed.data_dir) / "outbox"

    _wait_until(slots[0])
    lines = socmed.json("--as", "adi.admin", "publish", "due")
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {"id", "title", "platform", "outcome", "url", "detail"}
    assert (line["id"], line["title"], line["platform"], line["outcome"]) == (
        kilat, "Kilat", "linkedin", "published")
    assert line["url"].startswith("https://")
    posts = list(outbox.rglob("*.json"))
    assert len(posts) == 1
    posted = json.loads(posts[0].read_text(encoding="utf-8"))
    assert (posted["item_id"], posted["platform"], posted["revision_sha256"], posted["url"]) == (
        kilat, "linkedin", sha, line["url"])
    assert posted["body"].startswith("5 tips menabung akhir tahun")
    shown = socmed.json("content", "show", kilat)
    assert shown["summary"]["status"] == "published"
    assert shown["summary"]["published"] == ["linkedin"]
    assert [(p["platform"], p["state"]) for p in shown["publications"]] == [
        ("linkedin", "published")]

    _wait_until(slots[1])
    text = socmed.ok("--as", "adi.admin", "publish", "due", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["id"], r["platform"], r["outcome"]) for r in rows) == [
        (satu, "facebook", "published"), (satu, "linkedin", "published")]
    assert all(r["url"].startswith("https://") for r in rows)

    _wait_until(slots[2])
    table = socmed.ok("--as", "adi.admin", "publish", "due", "--format", "table").stdout
    assert "Dua" in table and dua[:8] in table and "published" in table
    assert "Satu" not in table and "Kilat" not in table

    # At most once per (item, platform): another run finds nothing and writes nothing.
    count = event_count(socmed.data_dir)
    assert socmed.ok("--as", "adi.admin", "publish", "due").stdout.strip() == "Nothing is due."
    assert event_count(socmed.data_dir) == count
    assert len(list(outbox.rglob("*.json"))) == 4
    assert {r["id"]: r["status"] for r in socmed.json("content", "list")} == {
        kilat: "published", satu: "published", dua: "published"}
    published = socmed.json("publish", "log")
    assert sorted((r["item_id"], r["platform"], r["approved_by"]) for r in published) == sorted(
        [(kilat, "linkedin", "rina.mm"), (satu, "linkedin", "rina.mm"),
         (satu, "facebook", "rina.mm"), (dua, "x", "rina.mm")])
    assert next(r for r in published if r["item_id"] == kilat)["revision_sha256"] == sha


def test_revision_after_approval_voids_it_and_the_old_hash_is_refused(socmed: Socmed) -> None:
    _set_up_team(socmed)
    item = _create_draft(socmed, "Promo", "linkedin")
    old_sha = _through_approval(socmed, item)
    revised = socmed.ok("--as", "budi.dm", "content", "revise", item, "--text", "Teks baru",
                        "--note", "koreksi")
    assert "any approval is void" in revised.stdout
    shown = socmed.json("content", "show", item)
    assert shown["summary"]["revision"] == 2
    new_sha = shown["summary"]["revision_sha256"]
    assert new_sha != old_sha
    assert shown["approval"] is None
    assert shown["summary"]["status"] == "draft"

    socmed.ok("--as", "budi.dm", "content", "submit-review", item)
    socmed.ok("--as", "dewi.dm", "content", "review", item, "--all-checks")
    socmed.ok("--as", "budi.dm", "content", "submit-approval", item)
    before = event_count(socmed.data_dir)
    line = assert_one_line_error(
        socmed("--as", "rina.mm", "content", "approve", item, "--hash", old_sha[:8]))
    assert f"revision hash {old_sha[:8]} is not the current revision 2" in line
    assert event_count(socmed.data_dir) == before
    socmed.ok("--as", "rina.mm", "content", "approve", item, "--hash", new_sha[:8])
    assert socmed.json("content", "show", item)["approval"]["revision_sha256"] == new_sha


def test_review_names_the_characters_x_refuses_in_english_and_indonesian(
        socmed: Socmed) -> None:
    _set_up_team(socmed)
    said = {}
    for lang in ("en", "id"):
        created = socmed.ok("--as", "budi.dm", "content", "create", "--title", "Promo",
                            "--text", "Promo akhir tahun\ufffe di toko.shop", "--platform", "x")
        item = created_id(created)
        socmed.ok("--as", "budi.dm", "content", "submit-review", item)
        said[lang] = socmed("--lang", lang, "--as", "dewi.dm", "content", "review", item,
                            "--all-checks").output
    assert "x: the caption holds characters the platform refuses: U+FFFE" in said["en"]
    assert "x: caption berisi karakter yang ditolak platform: U+FFFE" in said["id"]
