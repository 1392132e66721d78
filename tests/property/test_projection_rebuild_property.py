"""Under hypothesis-generated histories, projections caught up live (at random moments, in
random batch sizes) hold exactly the rows a rebuild from position 0 gives."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from tests.conftest import seed_campaign, seed_team

from socmed_adapters.clock import ManualClock
from socmed_adapters.projections import Projector
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_adapters.twitter_text import wired_rules
from socmed_domain.application import SocmedApplication
from socmed_domain.errors import SocmedError
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB

TABLES = ("content_board", "publication_log", "audit_index")
AUTHORS = ("budi.dm", "dewi.dm", "maya.agency")
OPERATIONS = st.sampled_from([
    "create", "revise", "submit_review", "review", "submit_approval", "approve",
    "request_changes", "schedule", "advance", "publish", "withdraw", "archive", "catch_up",
])

pytestmark = pytest.mark.slow  # random histories replayed into fresh stores


def memory_engine():  # type: ignore[no-untyped-def]
    return create_engine("sqlite://", poolclass=StaticPool,
                         connect_args={"check_same_thread": False})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(OPERATIONS, st.integers(0, 50), st.integers(1, 7)),
                      min_size=5, max_size=60))
def test_live_equals_rebuild(tmp_path: Path, steps: list[tuple[str, int, int]]) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    app = SocmedApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock,
                            publisher=SandboxPublisher(tmp_path / f"out{id(steps)}", clock),
                            rules=wired_rules())
    seed_team(app)
    campaign = str(seed_campaign(app))
    live = Projector(app, memory_engine())
    items: list = []

    def pick(n: int):  # type: ignore[no-untyped-def]
        return items[n % len(items)] if items else None

    for operation, n, batch in steps:
        item = pick(n)
        author = AUTHORS[n % len(AUTHORS)]
        try:
            if operation == "create":
                items.append(app.create_content(author, f"Item {len(items)}", Draft(
                    text=f"Teks {n}", platforms=(Platform.LINKEDIN, Platform.X)[: 1 + n % 2]),
                    campaign_id=campaign))
            elif item is None:
                continue
            elif operation == "revise":
                app.revise_content(author, item, Draft(text=f"Revisi {n}",
                                                       platforms=(Platform.LINKEDIN,)))
            elif operation == "submit_review":
                app.submit_for_review(author, item)
            elif operation == "review":
                app.review_content(("dewi.dm", "sari.legal")[n % 2], item,
                                   CHECKLIST_KEYS[: 8 - n % 2])
            elif operation == "submit_approval":
                app.submit_for_approval("budi.dm", item)
            elif operation == "approve":
                app.approve_content("rina.mm", item)
            elif operation == "request_changes":
                app.request_changes("sari.legal", item, "perbaiki")
            elif operation == "schedule":
                app.schedule_content("adi.admin", item, clock() + timedelta(hours=1 + n % 3))
            elif operation == "advance":
                clock.advance(hours=1 + n % 5)
            elif operation == "publish":
                app.publish_due("adi.admin")
            elif operation == "withdraw":
                app.withdraw_content("rina.mm", item, "ditarik")
            elif operation == "archive":
                app.archive_content("adi.admin", item)
            elif operation == "catch_up":
                live.catch_up(batch=batch)
        except SocmedError:
            pass
    live.catch_up(batch=3)
    expected = {t: live.rows(t) for t in TABLES}
    assert len(expected["audit_index"]) == app.event_count()
    fresh = Projector(app, memory_engine())
    fresh.catch_up()
    assert {t: fresh.rows(t) for t in TABLES} == expected
    live.rebuild(live.names(), batch=5)
    assert {t: live.rows(t) for t in TABLES} == expected
