"""Legal's audit log filters on the demo month, who may read it, and `content show --as-of`."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

AUDIT_KEYS = {"position", "at", "actor", "role", "event", "summary", "reason", "aggregate",
              "aggregate_id", "version", "via"}


@pytest.fixture
def full_log(demo_store: Socmed) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = demo_store.json("--as", "sari.legal", "audit", "log")
    return log


def _at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["at"])


def test_the_full_log_is_every_event_in_order(demo_store: Socmed,
                                              full_log: list[dict[str, Any]]) -> None:
    assert len(full_log) == event_count(Path(demo_store.data_dir))
    assert [e["position"] for e in full_log] == list(range(1, len(full_log) + 1))
    assert all(set(e) == AUDIT_KEYS for e in full_log)
    assert all(e["actor"] and e["role"] and e["event"] and e["summary"] for e in full_log)
    assert all(_at(e).utcoffset() == timedelta(hours=7) for e in full_log)


@pytest.mark.parametrize("reader", ["sari.legal", "rina.mm"])
def test_legal_and_the_marketing_manager_read_the_same_log(
        demo_store: Socmed, full_log: list[dict[str, Any]], reader: str) -> None:
    assert demo_store.json("--as", reader, "audit", "log") == full_log
    # The acting member may also come from $SOCMED_USER.
    assert demo_store.json("audit", "log", env={"SOCMED_USER": reader}) == full_log


@pytest.mark.parametrize("reader", ["budi.dm", "dewi.dm", "adi.admin", "maya.agency"])
def test_other_roles_may_not_read_the_log(demo_store: Socmed, reader: str) -> None:
    before = event_count(Path(demo_store.data_dir))
    result = demo_store("--as", reader, "audit", "log", "--format", "json")
    line = assert_one_line_error(result, "error: ", 1)
    assert f"{reader} (" in line and "may not read the audit log" in line
    assert "allowed roles are legal, marketing_manager" in line
    assert event_count(Path(demo_store.data_dir)) == before


def test_audit_log_needs_an_actor(demo_store: Socmed) -> None:
    assert "who is acting?" in assert_one_line_error(demo_store("audit", "log"), "error: ", 2)


def test_filter_by_type(demo_store: Socmed, full_log: list[dict[str, Any]]) -> None:
    approved = demo_store.json("--as", "sari.legal", "audit", "log", "--type", "Approved")
    assert approved == [e for e in full_log if e["event"] == "Approved"]
    assert approved and all(e["actor"] == "rina.mm" for e in approved)
    assert all(e["role"] == "marketing_manager" for e in approved)


def test_filter_by_actor(demo_store: Socmed, full_log: list[dict[str, Any]]) -> None:
    by_rina = demo_store.json("--as", "sari.legal", "audit", "log", "--actor", "rina.mm")
    assert by_rina == [e for e in full_log if e["actor"] == "rina.mm"]
    assert {"Founded", "MemberAdded", "Approved"} <= {e["event"] for e in by_rina}
    assert demo_store.json("--as", "sari.legal", "audit", "log", "--actor", "nobody") == []


def test_filter_by_item(demo_store: Socmed, full_log: list[dict[str, Any]]) -> None:
    item = next(e["aggregate_id"] for e in full_log if e["event"] == "Published")
    for ref in (item, item[:8]):
        rows = demo_store.json("--as", "sari.legal", "audit", "log", "--item", ref)
        assert rows == [e for e in full_log if e["aggregate_id"] == item]
    # `content history` lists the same events, with the same global positions, for any
    # member (the audit log is for Legal and the Marketing Manager).
    history = demo_store.json("content", "history", item)
    assert history == rows


@pytest.mark.parametrize(("since", "until"), [
    ("2026-12-10 00:00 WIB", "2026-12-20 00:00 WIB"),
    ("2026-12-10 01:00 WITA", "2026-12-20 02:00 WIT"),
    ("2026-12-09T17:00:00+00:00", "2026-12-19 17:00 UTC"),
    ("2026-12-10T00:00+07:00", "2026-12-20 00:00 Asia/Jakarta"),
])
def test_filter_by_time_in_any_zone(demo_store: Socmed, full_log: list[dict[str, Any]],
                                    since: str, until: str) -> None:
    start = datetime.fromisoformat("2026-12-10T00:00:00+07:00")
    end = datetime.fromisoformat("2026-12-20T00:00:00+07:00")
    window = demo_store.json("--as", "sari.legal", "audit", "log", "--since", since,
                             "--until", until)
    expected = [e for e in full_log if start <= _at(e) < end]
    assert window == expected
    assert 0 < len(window) < len(full_log)


def test_since_is_inclusive_and_until_exclusive(demo_store: Socmed,
                                               full_log: list[dict[str, Any]]) -> None:
    middle = full_log[len(full_log) // 2]
    moment = middle["at"]
    after = demo_store.json("--as", "sari.legal", "audit", "log", "--since", moment)
    before = demo_store.json("--as", "sari.legal", "audit", "log", "--until", moment)
    assert middle in after and middle not in before
    assert before + after == full_log


def test_filters_combine_as_an_intersection(demo_store: Socmed,
                                            full_log: list[dict[str, Any]]) -> None:
    rows = demo_store.json("--as", "rina.mm", "audit", "log", "--type", "Published",
                           "--actor", "adi.admin", "--since", "2026-12-15 00:00 WIB")
    start = datetime.fromisoformat("2026-12-15T00:00:00+07:00")
    assert rows == [e for e in full_log if e["event"] == "Published"
                    and e["actor"] == "adi.admin" and _at(e) >= start]
    assert rows


def test_unknown_event_type_is_refused_naming_the_known_ones(demo_store: Socmed) -> None:
    result = demo_store("--as", "sari.legal", "audit", "log", "--type", "Bogus")
    assert result.exit_code == 1
    assert "unknown event type 'Bogus': 'socmed audit types' lists them all" in result.stderr
    close = demo_store("--as", "sari.legal", "audit", "log", "--type", "Aproved")
    assert "(did you mean Approved / " in close.stderr
    listed = demo_store.json("audit", "types")
    names = {row["event"] for row in listed}
    assert {"Approved", "StrategyApproved", "CampaignPlanned", "Founded"} <= names
    assert {row["aggregate"] for row in listed} >= {"Team", "Strategy", "Campaign",
                                                     "ContentItem"}


# --- content show --as-of ---------------------------------------------------------------


def _status_as_of(socmed: Socmed, item: str, moment: str) -> tuple[str, int]:
    shown = socmed.json("content", "show", item, "--as-of", moment)
    return shown["summary"]["status"], shown["version"]


def test_show_as_of_walks_back_through_the_item_s_life(demo_store: Socmed) -> None:
    item = demo_store.json("content", "list", "--status", "published")[0]["id"]
    history = demo_store.json("content", "history", item)
    at = {e["event"]: e["at"] for e in reversed(history)}  # first occurrence of each
    now = demo_store.json("content", "show", item)
    assert now["summary"]["status"] == "published"

    expected = [("Revised", "draft"), ("SubmittedForReview", "in_review"),
                ("Reviewed", "reviewed"), ("SubmittedForApproval", "awaiting_approval"),
                ("Approved", "approved"), ("Scheduled", "scheduled")]
    versions = []
    for event, status in expected:
        got, version = _status_as_of(demo_store, item, at[event])
        assert got == status, (event, at[event])
        versions.append(version)
    assert versions == sorted(versions) and versions[-1] < now["version"]

    scheduled = demo_store.json("content", "show", item, "--as-of", at["Scheduled"])
    assert scheduled["approval"] is not None and scheduled["publications"] == []
    assert scheduled["summary"]["published"] == []


def test_show_as_of_reads_the_zone(demo_store: Socmed) -> None:
    item = demo_store.json("content", "list", "--status", "published")[0]["id"]
    history = demo_store.json("content", "history", item)
    approved_at = datetime.fromisoformat(next(e["at"] for e in history if e["event"] == "Approved"))
    just_before = approved_at - timedelta(minutes=1)
    wib = f"{just_before:%Y-%m-%d %H:%M} WIB"
    wita = f"{just_before + timedelta(hours=1):%Y-%m-%d %H:%M} WITA"
    utc = just_before.astimezone(datetime.fromisoformat("2026-01-01T00:00+00:00").tzinfo)
    for moment in (wib, wita, utc.isoformat()):
        assert _status_as_of(demo_store, item, moment)[0] == "awaiting_approval", moment
    assert _status_as_of(demo_store, item, f"{approved_at:%Y-%m-%d %H:%M} WIB")[0] == "approved"


def test_show_as_of_needs_a_zone(demo_store: Socmed) -> None:
    item = demo_store.json("content", "list")[0]["id"]
    line = assert_one_line_error(
        demo_store("content", "show", item, "--as-of", "2026-12-05 09:00"), "error: ", 1)
    assert "has no timezone" in line
