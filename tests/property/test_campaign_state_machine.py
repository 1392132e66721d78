"""The campaign life under any order of commands (DESIGN.md, 'Rules that must hold').

A hypothesis state machine drives SocmedApplication (in-memory storage, a manual clock) with
one member per role plus a second agency. A small model predicts each command's outcome:
success, or the exact class of refusal; a refused command must write nothing. After every step:

- each campaign's status, agencies and period are what the model says, in the live
  application and in a second application decoding the stored events afresh;
- every stored event names an actor whose role the role matrix allows to do it;
- statuses move only forward: planned -> approved -> running -> completed, or -> cancelled;
- an agency's content always belongs to a campaign it was assigned to while it was open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import attrs
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from tests.sop_rules import CAMPAIGN_OPEN, allowed

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain import (
    Action,
    Campaign,
    CampaignPlan,
    CampaignStatus,
    Draft,
    InvalidInputError,
    InvalidStateError,
    Period,
    PermissionDeniedError,
    Platform,
    Role,
    SocmedError,
)
from socmed_domain.events import AuditedEvent
from socmed_domain.production.content_item import ContentItem
from socmed_domain.timezones import WIB

#: Open statuses from decisions.md (tests/sop_rules.py), not the code's OPEN.
OPEN = frozenset(CampaignStatus(v) for v in CAMPAIGN_OPEN)

MM, DM, ADMIN, LEGAL, AGENCY = (Role.MARKETING_MANAGER, Role.DIGITAL_MARKETING,
                                Role.SOCIAL_MEDIA_ADMIN, Role.LEGAL, Role.AGENCY)
TEAM = {"rina": MM, "budi": DM, "adi": ADMIN, "lia": LEGAL, "maya": AGENCY, "kreativa": AGENCY}
START = datetime(2026, 12, 1, 8, tzinfo=WIB)
S = CampaignStatus
NEXT = {S.PLANNED: {S.APPROVED, S.CANCELLED}, S.APPROVED: {S.RUNNING, S.CANCELLED},
        S.RUNNING: {S.COMPLETED, S.CANCELLED}, S.COMPLETED: set(), S.CANCELLED: set()}
EVENT_ACTION = {
    "CampaignPlanned": Action.PLAN_CAMPAIGN,
    "CampaignApproved": Action.APPROVE_CAMPAIGN,
    "CampaignStarted": Action.RUN_CAMPAIGN,
    "CampaignCompleted": Action.RUN_CAMPAIGN,
    "CampaignCancelled": Action.CANCEL_CAMPAIGN,
    "AgencyAssigned": Action.ASSIGN_AGENCY,
    "AgencyUnassigned": Action.ASSIGN_AGENCY,
    "Created": Action.CREATE_CONTENT,
    "Revised": Action.REVISE_CONTENT,
}
#: Mostly members who may plan and run campaigns, so that lives get far; the rest are refused.
MEMBERS = st.sampled_from(["budi", "budi", "budi", "rina", "rina", "rina", "adi", "lia", "maya",
                           "kreativa"])
PICK = st.integers(0, 2)  # few campaigns are picked again and again, so their lives go far

pytestmark = pytest.mark.slow  # one of the largest state machines


@attrs.define
class ModelCampaign:
    campaign_id: UUID
    plan: CampaignPlan
    status: CampaignStatus = S.PLANNED
    agencies: set[str] = attrs.field(factory=set)


@st.composite
def plans(draw: st.DrawFn) -> tuple[CampaignPlan, bool]:
    """A plan and whether it is valid."""
    start = START + timedelta(hours=draw(st.integers(-48, 240)))
    length = timedelta(hours=draw(st.sampled_from([-24, 0, 72, 24 * 7, 24 * 20, 24 * 20])))
    budget = draw(st.sampled_from([Decimal(0), Decimal("25000000"), Decimal("1.5"),
                                   Decimal(-1)]))
    platforms = tuple(draw(st.one_of(
        st.just(()), *[st.lists(st.sampled_from(list(Platform)), min_size=1, max_size=3,
                                unique=True)] * 4)))
    name = draw(st.sampled_from(["Harbolnas 12.12", "KPR", "Ramadan", " "]))
    plan = CampaignPlan(name, Period(start, start + length), platforms=platforms,
                        budget_idr=budget)
    valid = (length > timedelta(0) and budget >= 0 and bool(platforms)
             and bool(name.strip()))
    return plan, valid


class CampaignLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.services = bootstrap(storage="memory", clock=self.clock)
        self.app = self.services.app
        self.reader = bootstrap(storage="memory", clock=self.clock).app
        self.app.initialise("PT Contoh", "rina", "Rina MM")
        for member, role in TEAM.items():
            if member != "rina":
                self.app.add_member("rina", member, member.title(), role)
        self.campaigns: list[ModelCampaign] = []
        self.agency_items: list[tuple[UUID, str, str]] = []  # item, agency, campaign

    def teardown(self) -> None:
        self.services.close()
        self.reader.close()

    # ------------------------------------------------------------------ helpers

    def pick(self, n: int) -> ModelCampaign:
        return self.campaigns[n % len(self.campaigns)]

    def attempt(self, expected: type[SocmedError] | None, command) -> bool:  # type: ignore[no-untyped-def]
        before = self.app.event_count()
        if expected is None:
            command()
            return True
        try:
            command()
        except SocmedError as error:
            assert type(error) is expected, (error, expected)
            assert self.app.event_count() == before, "a refused command wrote an event"
            return False
        raise AssertionError(f"expected {expected.__name__}")

    @staticmethod
    def role_refusal(member: str, action: Action) -> type[SocmedError] | None:
        return None if allowed(action, TEAM[member]) else PermissionDeniedError

    def transition(self, member: str, n: int, action: Action, allowed: set[CampaignStatus],
                   new: CampaignStatus, command, extra: type[SocmedError] | None = None) -> None:  # type: ignore[no-untyped-def]
        campaign = self.pick(n)
        expected = self.role_refusal(member, action)
        if expected is None and campaign.status not in allowed:
            expected = InvalidStateError
        if expected is None:
            expected = extra
        if self.attempt(expected, lambda: command(member, campaign.campaign_id)):
            campaign.status = new
            event(f"a campaign got {new.value}")

    # ------------------------------------------------------------------ rules

    @initialize(count=st.integers(1, 3))
    def some_campaigns_planned(self, count: int) -> None:
        for number in range(count):
            plan = CampaignPlan(f"Kampanye {number}", Period(START, START + timedelta(days=14)),
                                platforms=(Platform.INSTAGRAM,))
            self.plan("budi", (plan, True))

    @rule(member=MEMBERS, plan=plans())
    def plan(self, member: str, plan: tuple[CampaignPlan, bool]) -> None:
        campaign_plan, valid = plan
        expected = self.role_refusal(member, Action.PLAN_CAMPAIGN)
        if expected is None and not valid:
            expected = InvalidInputError
        before = self.app.event_count()
        if self.attempt(expected, lambda: self.app.plan_campaign(member, campaign_plan)):
            campaign_id = UUID(str(self.app.audit_log("rina")[before].aggregate_id))
            self.campaigns.append(ModelCampaign(campaign_id, campaign_plan))

    @precondition(lambda self: self.campaigns)
    @rule(member=MEMBERS, n=PICK)
    def approve(self, member: str, n: int) -> None:
        self.transition(member, n, Action.APPROVE_CAMPAIGN, {S.PLANNED}, S.APPROVED,
                        lambda m, c: self.app.approve_campaign(m, c, "OK"))

    @precondition(lambda self: self.campaigns)
    @rule(member=MEMBERS, n=PICK)
    def start(self, member: str, n: int) -> None:
        over = self.clock() >= self.pick(n).plan.period.end
        self.transition(member, n, Action.RUN_CAMPAIGN, {S.APPROVED}, S.RUNNING,
                        lambda m, c: self.app.start_campaign(m, c),
                        InvalidStateError if over else None)

    @precondition(lambda self: self.campaigns)
    @rule(member=MEMBERS, n=PICK)
    def complete(self, member: str, n: int) -> None:
        self.transition(member, n, Action.RUN_CAMPAIGN, {S.RUNNING}, S.COMPLETED,
                        lambda m, c: self.app.complete_campaign(m, c))

    @precondition(lambda self: self.campaigns)
    @rule(member=MEMBERS, n=PICK, reason=st.sampled_from(["anggaran dipotong", " "]),
          now=st.integers(0, 3))
    def cancel(self, member: str, n: int, reason: str, now: int) -> None:
        if now:  # cancel less often than the rest, so that lives also run to completion
            return
        self.transition(member, n, Action.CANCEL_CAMPAIGN, set(OPEN), S.CANCELLED,
                        lambda m, c: self.app.cancel_campaign(m, c, reason),
                        None if reason.strip() else InvalidInputError)

    @precondition(lambda self: self.campaigns)
    @rule(member=MEMBERS, n=PICK, agency=st.sampled_from(["maya", "kreativa", "maya", "adi"]))
    def assign(self, member: str, n: int, agency: str) -> None:
        campaign = self.pick(n)
        expected = self.role_refusal(member, Action.ASSIGN_AGENCY)
        if expected is None and campaign.status not in OPEN:
            expected = InvalidStateError
        if expected is None and (TEAM[agency] is not AGENCY or agency in campaign.agencies):
            expected = InvalidInputError
        if self.attempt(expected, lambda: self.app.assign_agency(
                member, campaign.campaign_id, agency)):
            campaign.agencies.add(agency)

    @precondition(lambda self: self.campaigns)
    @rule(member=MEMBERS, n=PICK, agency=st.sampled_from(["maya", "kreativa"]))
    def unassign(self, member: str, n: int, agency: str) -> None:
        campaign = self.pick(n)
        expected = self.role_refusal(member, Action.ASSIGN_AGENCY)
        if expected is None and agency not in campaign.agencies:
            expected = InvalidInputError
        if self.attempt(expected, lambda: self.app.unassign_agency(
                member, campaign.campaign_id, agency, "kontrak selesai")):
            campaign.agencies.discard(agency)

    @rule(agency=st.sampled_from(["maya", "kreativa"]), n=st.one_of(st.none(), PICK))
    def agency_drafts(self, agency: str, n: int | None) -> None:
        campaign = self.pick(n) if n is not None and self.campaigns else None
        if campaign is None:
            expected: type[SocmedError] | None = PermissionDeniedError
        elif agency not in campaign.agencies:
            expected = PermissionDeniedError
        elif campaign.status not in OPEN:
            expected = InvalidStateError
        else:
            expected = None
        ref = str(campaign.campaign_id) if campaign else None
        result: list[UUID] = []
        if self.attempt(expected, lambda: result.append(self.app.create_content(
                agency, "Promo", Draft("Promo #iklan", (Platform.X,)), campaign_id=ref))):
            assert ref is not None
            self.agency_items.append((result[0], agency, ref))
            event("an agency drafted inside its campaign")

    @precondition(lambda self: self.agency_items)
    @rule(n=PICK)
    def agency_revises(self, n: int) -> None:
        item, agency, ref = self.agency_items[n % len(self.agency_items)]
        campaign = next(c for c in self.campaigns if str(c.campaign_id) == ref)
        expected: type[SocmedError] | None = None
        if agency not in campaign.agencies:
            expected = PermissionDeniedError
        elif campaign.status not in OPEN:
            expected = InvalidStateError
        self.attempt(expected, lambda: self.app.revise_content(
            agency, item, Draft("Promo baru #iklan", (Platform.X,))))

    @rule(hours=st.integers(1, 24 * 3))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    # ------------------------------------------------------------- invariants

    @invariant()
    def campaigns_are_as_modelled_live_and_rebuilt(self) -> None:
        live = {s.campaign_id: s for s in self.app.list_campaigns()}
        assert set(live) == {str(c.campaign_id) for c in self.campaigns}
        for model in self.campaigns:
            summary = live[str(model.campaign_id)]
            assert summary.status == model.status.value
            assert set(summary.agencies) == model.agencies
            assert self.app.get_campaign(model.campaign_id).plan == model.plan
        for notification in self.app.recorder.select_notifications(start=1, limit=10**6):
            stored = self.app.mapper.to_stored_event(
                self.app.mapper.to_domain_event(notification))
            assert stored.state == notification.state  # decodes and re-encodes identically
        for model in self.campaigns:
            # rebuilt from the stored events, decoded by another application
            rebuilt: Campaign | None = None
            for notification in self.app.recorder.select_notifications(start=1, limit=10**6):
                if notification.originator_id == model.campaign_id:
                    event = self.reader.mapper.to_domain_event(notification)
                    rebuilt = event.mutate(rebuilt)
            assert isinstance(rebuilt, Campaign)
            assert rebuilt.status is model.status
            assert set(rebuilt.agencies) == model.agencies
            assert rebuilt.plan == model.plan

    @invariant()
    def the_history_obeys_the_rules(self) -> None:
        statuses: dict[UUID, CampaignStatus] = {}
        agencies: dict[UUID, set[str]] = {}
        for notification in self.app.recorder.select_notifications(start=1, limit=10**6):
            event = self.app.mapper.to_domain_event(notification)
            assert isinstance(event, AuditedEvent)
            name = type(event).__name__
            if name in EVENT_ACTION:
                assert allowed(EVENT_ACTION[name], event.actor.role), (name, event.actor)
            if isinstance(event, Campaign.Event):
                before = statuses.get(event.originator_id)
                campaign = Campaign.__new__(Campaign)
                campaign.status = before or S.PLANNED
                campaign.agencies = {a: a for a in agencies.get(event.originator_id, set())}
                event.apply(campaign)  # type: ignore[attr-defined]
                if before is not None and campaign.status is not before:
                    assert campaign.status in NEXT[before], (before, campaign.status)
                statuses[event.originator_id] = campaign.status
                agencies[event.originator_id] = set(campaign.agencies)
            elif (isinstance(event, ContentItem.Created | ContentItem.Revised)
                  and event.actor.role is AGENCY):
                if isinstance(event, ContentItem.Created):
                    assert event.campaign_id is not None
                    campaign_id = UUID(event.campaign_id)
                else:
                    item = self.app.get_content(event.originator_id)
                    assert item.summary.campaign_id is not None
                    campaign_id = UUID(item.summary.campaign_id)
                assert event.actor.member_id in agencies[campaign_id]
                assert statuses[campaign_id] in OPEN


TestCampaignLife = CampaignLife.TestCase
TestCampaignLife.settings = settings(
    max_examples=150, stateful_step_count=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
