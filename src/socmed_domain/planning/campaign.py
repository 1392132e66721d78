"""The Campaign aggregate: a planned push with a period, goals, KPI targets and a budget
(SOP stage 1). Content items name the campaign they belong to.

Life: planned (Digital Marketing) -> approved (Marketing Manager) -> running -> completed;
any stage before completion may be cancelled by the Marketing Manager, with a reason.

Agency members are assigned to campaigns; an agency may draft and revise only the content of a
campaign it is assigned to while that campaign is planned, approved or running (the
Application enforces this when content is created, revised or submitted).

Public methods check, then trigger an event; `apply` only changes state, so replaying the
stored events never re-runs a decision.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from attrs import frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.bounds import check_amount, check_time
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import Term
from socmed_domain.planning.goals import Goal, KpiTarget
from socmed_domain.platforms import Platform
from socmed_domain.roles import Action, Role, check_may
from socmed_domain.timezones import require_aware


class CampaignStatus(enum.Enum):
    PLANNED = "planned"
    APPROVED = "approved"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


C = CampaignStatus
#: While a campaign is open, its agencies may work on its content and agencies may be assigned.
OPEN = frozenset({C.PLANNED, C.APPROVED, C.RUNNING})
CANCELLABLE = OPEN
NAME_LIMIT = 120
MESSAGE_LIMIT = 500


@frozen
class Period:
    """From `start` (inclusive) to `end` (exclusive), both timezone-aware."""

    start: datetime
    end: datetime

    def validate(self) -> Period:
        check_time(require_aware(self.start), "campaign start")
        check_time(require_aware(self.end), "campaign end")
        if self.end <= self.start:
            raise InvalidInputError("error.period_order", start=self.start.isoformat(),
                                    end=self.end.isoformat())
        return self

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@frozen
class CampaignPlan:
    """What Digital Marketing plans and the Marketing Manager approves."""

    name: str
    period: Period
    goals: tuple[Goal, ...] = ()
    kpi_targets: tuple[KpiTarget, ...] = ()
    platforms: tuple[Platform, ...] = ()
    key_messages: tuple[str, ...] = ()
    budget_idr: Decimal = Decimal(0)
    #: A special campaign (e.g. Harbolnas 12.12, Ramadan) is marked on the content calendar.
    special: bool = False

    def validate(self) -> CampaignPlan:
        """Refuse a plan no one could run. Called when a plan is recorded, never when a stored
        event is read back, so tightening a rule never breaks old events."""
        if not self.name.strip():
            raise InvalidInputError("error.empty", field="campaign name")
        if len(self.name) > NAME_LIMIT:
            raise InvalidInputError("error.too_long", field="campaign name",
                                    length=len(self.name), limit=NAME_LIMIT)
        self.period.validate()
        if not self.platforms:
            raise InvalidInputError("error.empty", field="platforms")
        if len(set(self.platforms)) != len(self.platforms):
            raise InvalidInputError("error.duplicate", field="platforms")
        for goal in self.goals:
            goal.validate()
        for target in self.kpi_targets:
            target.validate()
            if target.platform is not None and target.platform not in self.platforms:
                raise InvalidInputError("error.platform_not_in_campaign",
                                        platform=target.platform.value, metric=target.metric)
        for message in self.key_messages:
            if not message.strip():
                raise InvalidInputError("error.empty", field="key message")
            if len(message) > MESSAGE_LIMIT:
                raise InvalidInputError("error.too_long", field="key message",
                                        length=len(message), limit=MESSAGE_LIMIT)
        if not self.budget_idr.is_finite() or self.budget_idr < 0:
            raise InvalidInputError("error.negative", field="budget (IDR)",
                                    value=str(self.budget_idr))
        check_amount(self.budget_idr, "budget (IDR)")
        return self

    def cleaned(self) -> CampaignPlan:
        return CampaignPlan(
            name=self.name.strip(), period=self.period, goals=tuple(self.goals),
            kpi_targets=tuple(self.kpi_targets), platforms=tuple(self.platforms),
            key_messages=tuple(m.strip() for m in self.key_messages),
            budget_idr=self.budget_idr, special=self.special)


class Campaign(Aggregate):
    """A campaign and its whole planning history."""

    def __init__(self) -> None:
        self.plan: CampaignPlan | None = None
        self.status = CampaignStatus.PLANNED
        self.planned_by = ""
        self.approved_by = ""
        self.agencies: dict[str, str] = {}
        self.last_comment = ""

    # ----------------------------------------------------------------- events

    class CampaignPlanned(AuditedEvent, Aggregate.Created):
        plan: CampaignPlan

        def apply(self, campaign: Campaign) -> None:
            campaign.plan = self.plan
            campaign.planned_by = self.actor.member_id
            campaign.status = CampaignStatus.PLANNED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.CampaignPlanned", {
                "name": self.plan.name, "start": self.plan.period.start.isoformat(),
                "end": self.plan.period.end.isoformat(), "budget": str(self.plan.budget_idr)})

    class CampaignPlanRevised(AuditedEvent):
        plan: CampaignPlan
        note: str

        def apply(self, campaign: Campaign) -> None:
            campaign.plan = self.plan

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.CampaignPlanRevised", {"name": self.plan.name})

    class CampaignApproved(AuditedEvent):
        comment: str

        def apply(self, campaign: Campaign) -> None:
            campaign.status = CampaignStatus.APPROVED
            campaign.approved_by = self.actor.member_id
            campaign.last_comment = self.comment

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.CampaignApproved", {})

    class CampaignStarted(AuditedEvent):
        note: str

        def apply(self, campaign: Campaign) -> None:
            campaign.status = CampaignStatus.RUNNING

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.CampaignStarted", {})

    class CampaignCompleted(AuditedEvent):
        note: str

        def apply(self, campaign: Campaign) -> None:
            campaign.status = CampaignStatus.COMPLETED
            campaign.last_comment = self.note

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.CampaignCompleted", {})

    class CampaignCancelled(AuditedEvent):
        reason: str

        def apply(self, campaign: Campaign) -> None:
            campaign.status = CampaignStatus.CANCELLED
            campaign.last_comment = self.reason

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.CampaignCancelled", {})

    class AgencyAssigned(AuditedEvent):
        member_id: str
        name: str

        def apply(self, campaign: Campaign) -> None:
            campaign.agencies[self.member_id] = self.name

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.AgencyAssigned", {"member": self.member_id})

    class AgencyUnassigned(AuditedEvent):
        member_id: str
        reason: str

        def apply(self, campaign: Campaign) -> None:
            campaign.agencies.pop(self.member_id, None)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.AgencyUnassigned", {"member": self.member_id})

    # --------------------------------------------------------------- commands

    @classmethod
    def plan_new(cls, actor: Actor, campaign_id: UUID, plan: CampaignPlan,
                 at: datetime) -> Campaign:
        check_may(actor.member_id, actor.role, Action.PLAN_CAMPAIGN)
        plan = plan.cleaned().validate()
        return cls._create(cls.CampaignPlanned, id=campaign_id, timestamp=require_aware(at),
                           actor=actor, plan=plan)

    def revise_plan(self, actor: Actor, plan: CampaignPlan, note: str, at: datetime) -> None:
        """Change a plan before it is approved; an approved plan is what was approved."""
        check_may(actor.member_id, actor.role, Action.PLAN_CAMPAIGN)
        self._check_status("revise", {C.PLANNED})
        self.trigger_event(self.CampaignPlanRevised, timestamp=require_aware(at), actor=actor,
                           plan=plan.cleaned().validate(), note=note.strip())

    def approve(self, actor: Actor, comment: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.APPROVE_CAMPAIGN)
        self._check_status("approve", {C.PLANNED})
        self.trigger_event(self.CampaignApproved, timestamp=require_aware(at), actor=actor,
                           comment=comment)

    def start(self, actor: Actor, note: str, at: datetime) -> None:
        """Start running an approved campaign; not once its period is over."""
        check_may(actor.member_id, actor.role, Action.RUN_CAMPAIGN)
        self._check_status("start", {C.APPROVED})
        require_aware(at)
        if at >= self.period.end:
            raise InvalidStateError("error.campaign_period_over", ref=self.ref,
                                    end=self.period.end.isoformat())
        self.trigger_event(self.CampaignStarted, timestamp=at, actor=actor, note=note)

    def complete(self, actor: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.RUN_CAMPAIGN)
        self._check_status("complete", {C.RUNNING})
        self.trigger_event(self.CampaignCompleted, timestamp=require_aware(at), actor=actor,
                           note=note)

    def cancel(self, actor: Actor, reason: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.CANCEL_CAMPAIGN)
        self._check_status("cancel", CANCELLABLE)
        if not reason.strip():
            raise InvalidInputError("error.reason_required", action=Term("cancel"))
        self.trigger_event(self.CampaignCancelled, timestamp=require_aware(at), actor=actor,
                           reason=reason.strip())

    def assign_agency(self, actor: Actor, agency: Actor, at: datetime) -> None:
        """Let an agency member work on this campaign's content."""
        check_may(actor.member_id, actor.role, Action.ASSIGN_AGENCY)
        self._check_status("assign an agency to", OPEN)
        if agency.role is not Role.AGENCY:
            raise InvalidInputError("error.not_an_agency", member=agency.member_id,
                                    role=agency.role.value)
        if agency.member_id in self.agencies:
            raise InvalidInputError("error.agency_already_assigned", member=agency.member_id,
                                    ref=self.ref)
        self.trigger_event(self.AgencyAssigned, timestamp=require_aware(at), actor=actor,
                           member_id=agency.member_id, name=agency.name)

    def unassign_agency(self, actor: Actor, member_id: str, reason: str,
                        at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.ASSIGN_AGENCY)
        if member_id not in self.agencies:
            raise InvalidInputError("error.agency_not_assigned", member=member_id,
                                    ref=self.ref)
        self.trigger_event(self.AgencyUnassigned, timestamp=require_aware(at), actor=actor,
                           member_id=member_id, reason=reason)

    # ---------------------------------------------------------------- queries

    @property
    def ref(self) -> str:
        return str(self.id)[:8]

    @property
    def name(self) -> str:
        return self.plan.name if self.plan else ""

    @property
    def period(self) -> Period:
        assert self.plan is not None
        return self.plan.period

    def check_agency_may_work(self, agency: Actor) -> None:
        """Refuse an agency member not assigned here, or a campaign that is over."""
        if agency.member_id not in self.agencies:
            raise PermissionDeniedError("error.agency_not_on_campaign", actor=agency.member_id,
                                    ref=self.ref, name=self.name)
        if self.status not in OPEN:
            raise InvalidStateError("error.campaign_closed", actor=agency.member_id,
                                    ref=self.ref, name=self.name, status=self.status.value)

    # ---------------------------------------------------------------- guards

    def _check_status(self, action: str, allowed: Iterable[CampaignStatus]) -> None:
        allowed = set(allowed)
        if self.status not in allowed:
            expected = " or ".join(sorted(s.value for s in allowed))
            raise InvalidStateError("error.campaign_state", action=Term(action), ref=self.ref,
                                    status=self.status.value, expected=expected)
