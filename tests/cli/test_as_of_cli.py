"""`--as-of` on every listing: the demo month as it stood at a moment, and the refusals."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error

LISTINGS = (
    ("content", "list"),
    ("calendar", "show", "--month", "2026-12"),
    ("publish", "log"),
    ("inbox", "list", "--all"),
    ("incident", "list"),
    ("campaign", "list"),
)
BEFORE_THE_STORE = "2026-11-01 09:00 WIB"  # the demo's team is founded on 25 November


def _event_times(store: Socmed, item: str) -> dict[str, str]:
    return {e["event"]: e["at"] for e in reversed(store.json("content", "history", item))}


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: " ".join(listing[:2]))
def test_before_the_store_began_every_listing_is_empty(demo_store: Socmed,
                                                       listing: tuple[str, ...]) -> None:
    rows = demo_store.json(*listing, "--as-of", BEFORE_THE_STORE)
    assert [r for r in rows if r.get("kind", "post") == "post"] == []


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: " ".join(listing[:2]))
def test_a_bad_or_future_moment_is_one_clear_line(demo_store: Socmed,
                                                  listing: tuple[str, ...]) -> None:
    line = assert_one_line_error(demo_store(*listing, "--as-of", "kemarin"))
    assert "'kemarin' is not a time" in line
    future = (datetime.now().astimezone() + timedelta(days=400)).strftime("%Y-%m-%d %H:%M")
    line = assert_one_line_error(demo_store(*listing, "--as-of", f"{future} WIB"))
    assert "in the future" in line
    line = assert_one_line_error(demo_store(*listing, "--as-of", "2026-12-02 09:00"))
    assert "no timezone" in line


def test_content_list_walks_back_through_an_item_s_life(demo_store: Socmed) -> None:
    item = demo_store.json("content", "list", "--status", "published")[0]["id"]
    at = _event_times(demo_store, item)
    for event, status in (("Revised", "draft"), ("SubmittedForApproval", "awaiting_approval"),
                          ("Approved", "approved"), ("Scheduled", "scheduled")):
        then = {r["id"]: r for r in demo_store.json("content", "list", "--as-of", at[event])}
        assert then[item]["status"] == status, event
    created = datetime.fromisoformat(at["Created"])
    before = demo_store.json("content", "list", "--as-of",
                             (created - timedelta(seconds=1)).isoformat())
    assert item not in {r["id"] for r in before}


def test_the_publication_log_and_calendar_as_they_stood(demo_store: Socmed) -> None:
    logged = demo_store.json("publish", "log")
    first = logged[0]
    published = datetime.fromisoformat(first["published_at"])
    at = _event_times(demo_store, first["item_id"])
    just_before = (datetime.fromisoformat(at["Published"]) - timedelta(seconds=1)).isoformat()
    earlier = demo_store.json("publish", "log", "--as-of", just_before)
    assert (first["item_id"], first["platform"]) not in {
        (r["item_id"], r["platform"]) for r in earlier}
    then = demo_store.json("publish", "log", "--as-of", at["Published"])
    assert first["item_id"] in {r["item_id"] for r in then}
    month = f"{published:%Y-%m}"
    posts = demo_store.json("calendar", "show", "--month", month, "--as-of", just_before)
    states = {r["state"] for r in posts if r["item_id"] == first["item_id"]
              and r["platform"] == first["platform"]}
    assert states == {"scheduled"}


def test_campaigns_as_they_stood(demo_store: Socmed) -> None:
    campaign = demo_store.json("campaign", "list")[0]
    history = demo_store.json("campaign", "history", campaign["id"])
    planned = next(e["at"] for e in history if e["event"] == "CampaignPlanned")
    approved = next(e["at"] for e in history if e["event"] == "CampaignApproved")
    then = {r["id"]: r for r in demo_store.json("campaign", "list", "--as-of", planned)}
    assert then[campaign["id"]]["status"] == "planned"
    assert then[campaign["id"]]["approved_by"] == ""
    then = {r["id"]: r for r in demo_store.json("campaign", "list", "--as-of", approved)}
    assert then[campaign["id"]]["status"] == "approved"
