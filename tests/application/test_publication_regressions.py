"""Regressions found in review: late answers and late approvals must never publish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_demo.month import FlakyOncePublisher
from socmed_domain.errors import InvalidStateError
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.publication.outcomes import STALE_ATTEMPT, OutboundPost, PostReceipt


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


# ---------------------------------------------------------------- attempts still in flight


class ProcessDied(BaseException):
    """The publishing process is killed while the platform call runs: nothing after the
    recorded attempt is written (a BaseException, so no handler of ours records an outcome)."""


class InFlightPublisher:
    """Posts to the sandbox; while the call is still running, `during` runs first (what
    another process or person does meanwhile), and `die` kills the process instead of
    answering."""

    def __init__(self, inner: SandboxPublisher) -> None:
        self.inner = inner
        self.during: Any = None
        self.die = False

    def publish(self, post: OutboundPost) -> PostReceipt:
        if self.during is not None:
            self.during(post)
        if self.die:
            raise ProcessDied
        return self.inner.publish(post)

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return self.inner.find(post)


@pytest.fixture
def in_flight(tmp_path, clock):  # type: ignore[no-untyped-def]
    sandbox = SandboxPublisher(tmp_path / "outbox", clock)
    publisher = InFlightPublisher(sandbox)
    services = bootstrap(tmp_path, clock=clock, publisher=publisher)
    seed_team(services.app)
    item = awaiting(services.app, "In flight")
    services.app.approve_content("rina.mm", item)
    services.app.schedule_content("adi.admin", item, clock() + timedelta(hours=1))
    clock.advance(hours=1)
    yield services.app, publisher, sandbox, item
    services.close()


def _refused_as_in_flight(app, item, reason: str) -> None:  # type: ignore[no-untyped-def]
    before = app.event_count()
    with pytest.raises(InvalidStateError) as raised:
        app.reconcile_publication("adi.admin", item, Platform.LINKEDIN, None, reason)
    assert raised.value.code == "error.attempt_in_progress"
    assert app.event_count() == before, "a refused settlement wrote an event"


def test_an_attempt_in_flight_cannot_be_settled_as_absent(in_flight, clock) -> None:  # type: ignore[no-untyped-def]
    """While the platform call is still running (here: for almost STALE_ATTEMPT), nobody may
    settle the attempt as absent; otherwise the next run would post it a second time."""
    app, publisher, sandbox, item = in_flight
    seen: list[str] = []

    def meanwhile(post: OutboundPost) -> None:
        _refused_as_in_flight(app, item, "belum terlihat di LinkedIn")
        clock.advance(seconds=(STALE_ATTEMPT - timedelta(seconds=1)).total_seconds())
        _refused_as_in_flight(app, item, "masih belum terlihat")
        seen.append(post.idempotency_key)

    publisher.during = meanwhile
    assert [line.outcome for line in app.publish_due("adi.admin")] == ["published"]
    assert len(seen) == 1
    publisher.during = None
    clock.advance(hours=1)
    assert app.publish_due("adi.admin") == ()
    assert [post["item_id"] for post in sandbox.posts()] == [str(item)]


def test_a_stale_attempt_may_be_settled_as_absent(in_flight, clock) -> None:  # type: ignore[no-untyped-def]
    """The process died after recording the attempt: refused up to one second before
    STALE_ATTEMPT, accepted from STALE_ATTEMPT on, and the next run then posts once."""
    app, publisher, sandbox, item = in_flight
    publisher.die = True
    with pytest.raises(ProcessDied):
        app.publish_due("adi.admin")
    publisher.die = False
    attempted = clock()
    assert app.get_content(item).summary.status == "publishing"
    _refused_as_in_flight(app, item, "tidak ada")
    clock.set(attempted + STALE_ATTEMPT - timedelta(seconds=1))
    _refused_as_in_flight(app, item, "tidak ada")
    assert sandbox.posts() == []
    clock.set(attempted + STALE_ATTEMPT)
    before = app.event_count()
    app.reconcile_publication("adi.admin", item, Platform.LINKEDIN, None, "tidak ada")
    assert app.event_count() == before + 1
    assert [line.outcome for line in app.publish_due("adi.admin")] == ["published"]
    assert [post["item_id"] for post in sandbox.posts()] == [str(item)]
