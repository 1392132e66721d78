"""Daily publishing quotas (rules data): a post over quota is deferred to a later run, never
dropped and never recorded as an attempt; the window is the last 24 hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.conftest import seed_team

from socmed_adapters.clock import ManualClock
from socmed_domain.platform_rules import rules_with_overrides
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB

T0 = datetime(2026, 12, 2, 8, tzinfo=WIB)


def test_posts_over_the_daily_quota_wait_for_the_window(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(T0)
    services = backend.services(clock=clock,
                                rules=rules_with_overrides({"x": {"daily_quota": 2}}))
    app = services.app
    seed_team(app)
    items = []
    for number in range(3):
        item = app.create_content("budi.dm", f"Info {number}",
                                  Draft(f"Info layanan nomor {number}", (Platform.X,)))
        app.submit_for_review("budi.dm", item)
        app.review_content("dewi.dm", item, CHECKLIST_KEYS)
        app.submit_for_approval("budi.dm", item)
        app.approve_content("rina.mm", item)
        app.schedule_content("adi.admin", item, T0 + timedelta(hours=1, minutes=number))
        items.append(item)
    clock.advance(hours=2)
    first = app.publish_due("adi.admin")
    assert [line.outcome for line in first] == ["published", "published", "deferred"]
    assert "daily quota of 2 posts on x" in first[2].detail
    deferred = app.get_content(items[2])
    assert deferred.summary.status == "scheduled" and deferred.publications == ()
    clock.advance(hours=12)
    assert [line.outcome for line in app.publish_due("adi.admin")] == ["deferred"]
    clock.advance(hours=13)  # 25 hours after the first two went out
    assert [line.outcome for line in app.publish_due("adi.admin")] == ["published"]
    assert app.get_content(items[2]).summary.status == "published"
