"""What reaches a platform is exactly what was approved, for the platforms it was approved for;
and one item the final check refuses does not stop the rest of a publishing run."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_domain import (
    CHECKLIST_KEYS,
    Draft,
    InvalidStateError,
    MediaRef,
    Platform,
    Role,
    SocmedApplication,
)
from socmed_domain.platform_rules import rules_with_overrides
from socmed_domain.timezones import WIB

IMAGE = MediaRef("dam://promo.jpg", "image", "promo")


def team(app: SocmedApplication) -> None:
    app.initialise("PT Contoh", "rina", "Rina MM")
    app.add_member("rina", "budi", "Budi", Role.DIGITAL_MARKETING)
    app.add_member("rina", "sari", "Sari", Role.DIGITAL_MARKETING)
    app.add_member("rina", "adi", "Adi", Role.SOCIAL_MEDIA_ADMIN)


def to_approval(app: SocmedApplication, item) -> None:  # type: ignore[no-untyped-def]
    app.submit_for_review("budi", item)
    assert app.review_content("sari", item, CHECKLIST_KEYS).passed
    app.submit_for_approval("budi", item)


def outbox(root: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in root.glob("*/*.json")]


def test_a_slot_platform_the_new_revision_drops_must_be_rescheduled_before_approval(
        tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    services = bootstrap(storage="memory", clock=clock,
                         publisher=SandboxPublisher(tmp_path / "outbox", clock))
    app = services.app
    team(app)
    item = app.create_content("budi", "Promo", Draft(
        "Promo Desember", (Platform.INSTAGRAM, Platform.FACEBOOK), media=(IMAGE,)))
    slot = datetime(2026, 12, 2, 19, tzinfo=WIB)
    app.schedule_content("adi", item, slot)  # booked early, for Instagram and Facebook
    # the author then rewrites it for X only
    app.revise_content("budi", item, Draft("Promo Desember, khusus X", (Platform.X,)))
    to_approval(app, item)
    before = app.event_count()
    with pytest.raises(InvalidStateError) as raised:
        app.approve_content("rina", item)
    assert app.event_count() == before
    assert "instagram" in str(raised.value) and "reschedule" in str(raised.value)

    app.schedule_content("adi", item, slot)  # rebooked: the slot now follows the revision
    app.approve_content("rina", item)
    clock.set(slot + timedelta(minutes=1))
    lines = app.publish_due("adi")
    assert [(line.platform, line.outcome) for line in lines] == [("x", "published")]
    posts = outbox(tmp_path / "outbox")
    assert [(p["platform"], p["body"]) for p in posts] == [("x", "Promo Desember, khusus X")]
    services.close()


def test_one_item_refused_by_the_final_check_does_not_block_the_run(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    first = bootstrap(tmp_path / "store", clock=clock)
    app = first.app
    team(app)
    long_item = app.create_content("budi", "Panjang", Draft("a" * 200, (Platform.X,)))
    short_item = app.create_content("budi", "Pendek", Draft("Halo", (Platform.X,)))
    slot = datetime(2026, 12, 1, 19, tzinfo=WIB)
    for item in (long_item, short_item):
        to_approval(app, item)
        app.approve_content("rina", item)
        app.schedule_content("adi", item, slot)
    first.close()

    # X tightens its limit before the slot; the deployment updates its rules
    clock.set(slot + timedelta(minutes=1))
    second = bootstrap(tmp_path / "store", clock=clock,
                       rules=rules_with_overrides({"x": {"caption_max": 100}}))
    app = second.app
    before = app.event_count()
    lines = app.publish_due("adi")
    outcomes = {(line.item_id, line.outcome) for line in lines}
    assert (str(short_item), "published") in outcomes
    assert (str(long_item), "blocked") in outcomes
    blocked = next(line for line in lines if line.outcome == "blocked")
    assert "100" in blocked.detail and blocked.platform == "x"
    assert app.get_content(short_item).summary.status == "published"
    assert app.get_content(long_item).summary.status == "scheduled"  # nothing recorded for it
    assert app.event_count() == before + 2  # attempt + published, for the short one only
    assert [p["title"] for p in outbox(tmp_path / "store" / "outbox")] == ["Pendek"]
    # a later run reports it again, never posting it, until it is revised or the rule relaxes
    assert [(line.item_id, line.outcome) for line in app.publish_due("adi")] == [
        (str(long_item), "blocked")]
    second.close()
