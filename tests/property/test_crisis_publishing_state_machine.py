"""Crisis rules at the Application, under any order of commands (hypothesis stateful test):

- while an open incident freezes publishing, no content other than its official statements
  is published;
- no official statement is ever published unless a Legal member passed the review of the
  revision the Marketing Manager approved (freeze or not);
- no incident closes without a review; nothing a refused command touches changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import (
    EscalationTarget,
    IncidentCategory,
    PostIncidentReview,
)
from socmed_domain.errors import SocmedError
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

VIRAL = ImpactSignals(negative_mentions=100, baseline_mean=Decimal(5))  # suggests level 3
REVIEWERS = st.sampled_from(["dewi.dm", "sari.legal"])

pytestmark = pytest.mark.slow  # one of the largest state machines


class CrisisPublishing(RuleBasedStateMachine):
    items = Bundle("items")
    incidents = Bundle("incidents")

    @initialize()
    def start(self) -> None:
        self.clock = ManualClock(datetime(2026, 12, 1, 9, tzinfo=WIB))
        self.services = bootstrap(storage="memory", clock=self.clock)
        self.app = self.services.app
        seed_team(self.app)
        self.counter = 0
        self.statements: set[str] = set()

    def teardown(self) -> None:
        self.services.close()

    def attempt(self, command, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        before = self.app.event_count()
        try:
            command(*args, **kwargs)
        except SocmedError:
            assert self.app.event_count() == before, "a refused command wrote an event"
            return False
        return True

    @rule(target=items, reviewer=REVIEWERS)
    def approved_post(self, reviewer: str) -> UUID:
        """An approved post scheduled a little later, reviewed by Digital Marketing or Legal."""
        self.counter += 1
        app = self.app
        item = app.create_content("budi.dm", f"Post {self.counter}",
                                  Draft(f"Info layanan {self.counter}", (Platform.X,)))
        app.schedule_content("adi.admin", item, self.clock() + timedelta(hours=2))
        app.submit_for_review("budi.dm", item)
        app.review_content(reviewer, item, CHECKLIST_KEYS)
        app.submit_for_approval("budi.dm", item)
        app.approve_content("rina.mm", item)
        return item

    @rule(target=incidents, classify=st.booleans())
    def open_incident(self, classify: bool) -> UUID:
        incident = self.app.open_incident("adi.admin", "Keluhan",
                                          IncidentCategory.COMPLAINT_WAVE, signals=VIRAL)
        if classify:
            self.app.classify_incident("rina.mm", incident, 3)
        return incident

    @rule(incident=incidents)
    def classify(self, incident: UUID) -> None:
        self.attempt(self.app.classify_incident, "rina.mm", incident, 3)

    @rule(incident=incidents, item=items)
    def link_statement(self, incident: UUID, item: UUID) -> None:
        if self.attempt(self.app.link_statement, "budi.dm", incident, item):
            self.statements.add(str(item))

    @rule(incident=incidents, who=st.sampled_from(["rina.mm", "sari.legal", "adi.admin"]))
    def release(self, incident: UUID, who: str) -> None:
        if self.attempt(self.app.release_publishing, who, incident, "pulih"):
            assert who == "rina.mm"

    @rule(incident=incidents)
    def acknowledge_all(self, incident: UUID) -> None:
        self.attempt(self.app.acknowledge_incident, "sari.legal", incident,
                     EscalationTarget.LEGAL)
        self.attempt(self.app.acknowledge_incident, "rina.mm", incident,
                     EscalationTarget.MARKETING_MANAGER)

    @rule(incident=incidents)
    def resolve(self, incident: UUID) -> None:
        self.attempt(self.app.resolve_incident, "rina.mm", incident, "selesai")

    @rule(incident=incidents)
    def close(self, incident: UUID) -> None:
        closed = self.attempt(self.app.close_incident, "rina.mm", incident)
        if closed:
            assert self.app.incident_report(incident).review is not None

    @rule(incident=incidents)
    def review(self, incident: UUID) -> None:
        self.attempt(self.app.review_incident, "rina.mm", incident,
                     PostIncidentReview("ringkas", "cepat", "lambat"))

    @rule(minutes=st.integers(10, 90))
    def publish(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)
        freezing_before = [i for i in self.app.incidents_for_publishing()
                           if i.is_freezing_publishing]
        for line in self.app.publish_due("adi.admin"):
            if line.outcome != "published":
                continue
            if line.item_id in self.statements:
                assert self._legal_passed_approved(UUID(line.item_id)), line
            else:
                assert not freezing_before, f"published during a freeze: {line}"

    def _legal_passed_approved(self, item_id: UUID) -> bool:
        item = self.app.repository.get(item_id)
        assert item.approval is not None
        return any(isinstance(e, ContentItem.Reviewed) and e.actor.role is Role.LEGAL
                   and e.outcome.passed
                   and e.outcome.revision_sha256 == item.approval.revision_sha256
                   for e in self.app.events.get(item_id))

    @invariant()
    def closed_incidents_were_reviewed(self) -> None:
        if not hasattr(self, "app"):
            return
        for report in self.app.list_incidents():
            if report.status.value == "closed":
                assert report.review is not None


CrisisPublishing.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestCrisisPublishing = CrisisPublishing.TestCase
