"""`campaign show` and `campaign history` on the demo store."""

from __future__ import annotations

from tests.cli.helpers import Socmed


def test_show_and_history_of_a_demo_campaign(demo_store: Socmed) -> None:
    campaigns = demo_store.json("campaign", "list")
    harbolnas = next(c for c in campaigns if c["name"] == "Harbolnas 12.12")
    shown = demo_store.ok("campaign", "show", harbolnas["id"][:8]).stdout
    assert "Harbolnas 12.12" in shown and "maya.agency" in shown and "KPI: reach >=" in shown
    detail = demo_store.json("campaign", "show", harbolnas["id"])
    assert detail["summary"]["status"] == "completed"
    history = demo_store.json("campaign", "history", harbolnas["id"][:8])
    assert [e["event"] for e in history][:3] == ["CampaignPlanned", "CampaignApproved",
                                                 "AgencyAssigned"]
    assert all(e["aggregate_id"] == harbolnas["id"] for e in history)
    assert [e["version"] for e in history] == list(range(1, len(history) + 1))


def test_an_unknown_campaign_is_one_line(demo_store: Socmed) -> None:
    result = demo_store("campaign", "show", "ffff0000")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: no campaign 'ffff0000': check the id with 'socmed campaign list'")
