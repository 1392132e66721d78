"""Regressions found in review: late answers and late approvals must never publish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.demo import FlakyOncePublisher
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_domain.errors import InvalidStateError
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft


@pytest.fixture
def flaky(tmp_path, clock):  # type: ignore[no-untyped-def]
    publisher = FlakyOncePublisher(SandboxPublisher(tmp_path / "outbox", clock), "Flaky")
    services = bootstrap(tmp_path, clock=clock, publisher=publisher)
    seed_team(services.app)
    yield services, publisher
    services.close()


def awaiting(app, title: str):  # type: ignore[no-untyped-def]
    item = app.create_content("budi.dm", title, Draft(text="halo",
                                                      platforms=(Platform.LINKEDIN,)))
    app.submit_for_review("budi.dm", item)
    app.review_content("dewi.dm", item, CHECKLIST_KEYS)
    app.submit_for_approval("budi.dm", item)
    return item


def test_a_late_answer_never_revives_withdrawn_content(flaky, clock) -> None:  # type: ignore[no-untyped-def]
    services, _publisher = flaky
    app = services.app
    item = awaiting(app, "Flaky")
    app.approve_content("rina.mm", item)
    app.schedule_content("adi.admin", item, clock() + timedelta(hours=1))
    clock.advance(hours=2)
    assert [line.outcome for line in app.publish_due("adi.admin")] == ["unknown"]
    app.withdraw_content("sari.legal", item, "ditarik oleh Legal")
    app.reconcile_publication("adi.admin", item, Platform.LINKEDIN, None, "tidak ada")
    assert app.get_content(item).summary.status == "withdrawn"
    clock.advance(hours=1)
    assert app.publish_due("adi.admin") == ()
    assert app.get_content(item).summary.status == "withdrawn"


def test_approval_after_the_slot_is_refused_and_nothing_goes_out_late(flaky, clock) -> None:  # type: ignore[no-untyped-def]
    services, _ = flaky
    app = services.app
    item = awaiting(app, "Late")
    app.schedule_content("adi.admin", item, clock() + timedelta(hours=1))
    clock.advance(minutes=90)
    with pytest.raises(InvalidStateError, match="reschedule"):
        app.approve_content("rina.mm", item)
    lines = app.publish_due("adi.admin")
    assert [line.outcome for line in lines] == ["expired"]
    assert app.get_content(item).summary.status == "expired"


def test_rescheduling_before_approval_keeps_it_publishable(flaky, clock) -> None:  # type: ignore[no-untyped-def]
    services, _ = flaky
    app = services.app
    item = awaiting(app, "Rescheduled")
    app.schedule_content("adi.admin", item, clock() + timedelta(hours=1))
    clock.advance(minutes=30)
    app.schedule_content("adi.admin", item, clock() + timedelta(hours=2))
    app.approve_content("rina.mm", item)
    clock.advance(hours=3)
    assert [line.outcome for line in app.publish_due("adi.admin")] == ["published"]


def test_the_revision_note_is_the_reason_in_the_history(flaky) -> None:  # type: ignore[no-untyped-def]
    services, _ = flaky
    app = services.app
    item = awaiting(app, "Noted")
    app.revise_content("budi.dm", item, Draft(text="halo lagi", platforms=(Platform.X,)),
                       "per komentar Legal")
    revised = [e for e in app.content_history(item) if e.event_type == "Revised"]
    assert revised[-1].reason == "per komentar Legal"
