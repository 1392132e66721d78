"""Stage 1 service (`app.planning`): the strategy's life and the campaigns.

It also answers what content needs from planning: the campaign new content names (an agency
must name one of its own open campaigns), whether an agency may act on an item, and the
strategy in force (whose brand voice the content checks add). Planned calendar slots are
content commands (`app.content.plan_slot`, `app.content.plan_idea`), so planning never
depends on production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from socmed_domain.access.rules import Readable, check_may_read, is_agency
from socmed_domain.actor import Actor
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
)
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import ID_PREFIX, Kernel, StageService
from socmed_domain.planning.campaign import Campaign, CampaignPlan, CampaignStatus
from socmed_domain.planning.strategy import STRATEGY_ID, Strategy
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.roles import Action, Role, check_may
from socmed_domain.team import TEAM_ID, Team
from socmed_domain.views import AuditEntry, CampaignDetail, CampaignSummary, StrategyDetail

R = TypeVar("R")

CAMPAIGN_PLANNED_TOPIC = get_topic(Campaign.CampaignPlanned)


class PlanningService(StageService):
    """Strategy and campaigns (SOP stage 1)."""

    def __init__(self, kernel: Kernel) -> None:
        super().__init__(kernel)
        #: The strategy's version (None: none stored) and plan in force when last read.
        self._strategy_seen: tuple[int | None, StrategyPlan | None] | None = None
        kernel.checked_at_save(STRATEGY_ID, lambda: self._read_strategy()[0])

    # -------------------------------------------------------------- strategy

    def draft_strategy(self, actor_id: ActorRef, plan: StrategyPlan) -> None:
        """Write the first version of the strategy (Digital Marketing)."""
        actor = self.actor(actor_id)
        if self._find(Strategy, STRATEGY_ID) is not None:
            raise InvalidStateError("error.strategy_exists")
        self._save(Strategy.draft_first(actor, plan, self._now()), "strategy", "strategy")

    def edit_strategy(self, actor_id: ActorRef, plan: StrategyPlan, note: str = "") -> None:
        self.strategy_command(lambda s, a, now: s.edit(a, plan, note, now), actor_id)

    def submit_strategy(self, actor_id: ActorRef, note: str = "") -> None:
        self.strategy_command(lambda s, a, now: s.submit(a, note, now), actor_id)

    def send_back_strategy(self, actor_id: ActorRef, version: int, comment: str) -> None:
        self.strategy_command(lambda s, a, now: s.send_back(a, version, comment, now),
                              actor_id)

    def approve_strategy(self, actor_id: ActorRef, version: int, comment: str = "") -> None:
        self.strategy_command(lambda s, a, now: s.approve(a, version, comment, now), actor_id,
                              Action.APPROVE_STRATEGY)

    def revise_strategy(self, actor_id: ActorRef, plan: StrategyPlan, reason: str,
                        evaluation_ref: str = "") -> int:
        """Open the next version after an evaluation; the old one stays in force meanwhile."""
        return self.strategy_command(
            lambda s, a, now: s.start_revision(a, plan, reason, evaluation_ref, now), actor_id)

    def get_strategy(self) -> StrategyDetail:
        strategy = self.strategy()
        return StrategyDetail(
            status=strategy.status.value, current=strategy.current,
            in_force=strategy.in_force,
            versions=tuple(strategy.versions[n] for n in sorted(strategy.versions)),
            last_comment=strategy.last_comment, updated_at=strategy.modified_on,
            version=strategy.version)

    def cadence_start(self, campaign_ref: str | UUID | None = None) -> datetime | None:
        """From when the strategy's cadence is owed: the campaign's start when one is named,
        else the store's start (the team's founding); None before `socmed init`."""
        if campaign_ref is not None:
            plan = self.campaign(self.resolve_campaign(campaign_ref)).plan
            return plan.period.start if plan is not None else None
        team = self.kernel.find(Team, TEAM_ID)
        return team.created_on if team is not None else None

    def strategy_in_force(self) -> StrategyPlan | None:
        """The plan in force (None: no strategy, or none approved yet); inside a command
        whose save checks the strategy (`Kernel.decided_on`: a review reads its brand
        voice), the one last read, without a read: the save records only if the strategy
        has not moved since."""
        seen = self._strategy_seen
        if seen is not None and self.kernel.decided_on(STRATEGY_ID, seen[0]):
            return seen[1]
        return self._read_strategy()[1]

    def _read_strategy(self) -> tuple[int | None, StrategyPlan | None]:
        strategy = self._find(Strategy, STRATEGY_ID)
        seen = ((strategy.version, strategy.plan_in_force) if strategy is not None
                else (None, None))
        self._strategy_seen = seen
        return seen

    def strategy_history(self) -> tuple[AuditEntry, ...]:
        self.strategy()
        return self.kernel.history(STRATEGY_ID)

    def strategy(self) -> Strategy:
        """The Strategy aggregate (for the stage services; refuses when there is none)."""
        strategy = self._find(Strategy, STRATEGY_ID)
        if strategy is None:
            raise InvalidStateError("error.no_strategy")
        return strategy

    def strategy_command(self, command: Callable[[Strategy, Actor, datetime], R],
                         actor_id: ActorRef, action: Action | None = None) -> R:
        """Run a Strategy command with the conflict retry (evaluation records on it too);
        `action` names an approval, for the second-factor check."""
        actor = self.actor(actor_id, action=action)
        return self._retrying(self.strategy, lambda s: command(s, actor, self._now()),
                              "strategy", "strategy")

    # ------------------------------------------------------------- campaigns

    def plan_campaign(self, actor_id: ActorRef, plan: CampaignPlan) -> UUID:
        """Record a new campaign plan (Digital Marketing); it starts as 'planned'."""
        actor = self.actor(actor_id)
        campaign = Campaign.plan_new(actor, self.new_id(), plan, self._now())
        self._save(campaign, "campaign", str(campaign.id))
        return campaign.id

    def revise_campaign_plan(self, actor_id: ActorRef, ref: str | UUID, plan: CampaignPlan,
                             note: str = "") -> None:
        """Change a campaign's plan while it is still only planned."""
        self._campaign_command(ref, lambda c, a, now: c.revise_plan(a, plan, note, now),
                               actor_id)

    def approve_campaign(self, actor_id: ActorRef, ref: str | UUID, comment: str = "") -> None:
        self._campaign_command(ref, lambda c, a, now: c.approve(a, comment, now), actor_id,
                               Action.APPROVE_CAMPAIGN)

    def start_campaign(self, actor_id: ActorRef, ref: str | UUID, note: str = "") -> None:
        self._campaign_command(ref, lambda c, a, now: c.start(a, note, now), actor_id)

    def complete_campaign(self, actor_id: ActorRef, ref: str | UUID, note: str = "") -> None:
        self._campaign_command(ref, lambda c, a, now: c.complete(a, note, now), actor_id)

    def cancel_campaign(self, actor_id: ActorRef, ref: str | UUID, reason: str) -> None:
        self._campaign_command(ref, lambda c, a, now: c.cancel(a, reason, now), actor_id)

    def assign_agency(self, actor_id: ActorRef, ref: str | UUID, member_id: str) -> None:
        """Let an agency member work on the campaign's content."""
        def assign(campaign: Campaign, actor: Actor, now: datetime) -> None:
            check_may(actor.member_id, actor.role, Action.ASSIGN_AGENCY)
            campaign.assign_agency(actor, self.actor(member_id), now)
        self._campaign_command(ref, assign, actor_id)

    def unassign_agency(self, actor_id: ActorRef, ref: str | UUID, member_id: str,
                        reason: str = "") -> None:
        self._campaign_command(
            ref, lambda c, a, now: c.unassign_agency(a, member_id, reason, now), actor_id)

    def campaign_ids(self) -> Iterator[UUID]:
        """Every campaign's id, oldest first."""
        return self.kernel.ids_with_topic(CAMPAIGN_PLANNED_TOPIC)

    def resolve_campaign(self, ref: str | UUID) -> UUID:
        """A full id, or a unique prefix of one."""
        if isinstance(ref, UUID):
            candidate: UUID | None = ref
        else:
            text = ref.strip().lower()
            try:
                candidate = UUID(text)
            except ValueError:
                candidate = None
            if candidate is None:
                if not 4 <= len(text) <= 36 or not ID_PREFIX.match(text):
                    raise NotFoundError(kind="campaign", ref=ref, listing="campaign list")
                matches = [i for i in self.campaign_ids() if str(i).startswith(text)]
                if len(matches) > 1:
                    raise InvalidInputError("error.ambiguous", ref=ref, count=len(matches),
                                            kind="campaign")
                candidate = matches[0] if matches else None
        if candidate is None or not isinstance(self._find_any(candidate), Campaign):
            raise NotFoundError(kind="campaign", ref=str(ref), listing="campaign list")
        return candidate

    def get_campaign(self, ref: str | UUID) -> CampaignDetail:
        campaign = self.campaign(self.resolve_campaign(ref))
        assert campaign.plan is not None
        return CampaignDetail(summary=campaign_summary(campaign), plan=campaign.plan,
                              created_at=campaign.created_on,
                              last_comment=campaign.last_comment, version=campaign.version)

    def list_campaigns(self, status: CampaignStatus | None = None
                       ) -> tuple[CampaignSummary, ...]:
        found = (self.campaign(campaign_id) for campaign_id in self.campaign_ids())
        return tuple(campaign_summary(c) for c in found
                     if status is None or c.status is status)

    def agency_campaign_ids(self, member_id: str) -> frozenset[str]:
        """The campaigns `member_id` (an agency member) is assigned to now."""
        return frozenset(str(c.id) for c in (self.campaign(i) for i in self.campaign_ids())
                         if member_id in c.agencies)

    def list_campaigns_for(self, reader: ActorRef, status: CampaignStatus | None = None
                           ) -> tuple[CampaignSummary, ...]:
        """`list_campaigns` as `reader` may see it: an agency sees its own campaigns."""
        actor = self.actor(reader, reading=True)
        check_may_read(actor, Readable.CAMPAIGNS)
        found = self.list_campaigns(status)
        if is_agency(actor):
            found = tuple(c for c in found if actor.member_id in c.agencies)
        return found

    def get_campaign_for(self, reader: ActorRef, ref: str | UUID) -> CampaignDetail:
        """`get_campaign` for a member; another campaign is "not found" to an agency."""
        actor = self.actor(reader, reading=True)
        check_may_read(actor, Readable.CAMPAIGNS)
        detail = self.get_campaign(ref)
        if is_agency(actor) and actor.member_id not in detail.summary.agencies:
            raise NotFoundError(kind="campaign", ref=str(ref), listing="campaign list")
        return detail

    def campaign_history(self, ref: str | UUID) -> tuple[AuditEntry, ...]:
        return self.kernel.history(self.resolve_campaign(ref))

    def campaign(self, campaign_id: UUID) -> Campaign:
        """The Campaign aggregate (for the stage services)."""
        return self.kernel.get(Campaign, campaign_id, "campaign")

    def campaign_for_new_content(self, actor: Actor,
                                 campaign_id: str | None) -> Campaign | None:
        """The campaign new content names (it must exist); an agency must name one of its
        own open campaigns."""
        if not campaign_id:
            if actor.role is Role.AGENCY:
                raise PermissionDeniedError("error.agency_needs_campaign",
                                            actor=actor.member_id)
            return None
        campaign = self.campaign(self.resolve_campaign(campaign_id))
        if actor.role is Role.AGENCY:
            campaign.check_agency_may_work(actor)
        return campaign

    def check_agency_scope(self, actor: Actor, campaign_id: str | None, item_ref: str) -> None:
        """An agency acts only on content (`item_ref`, of `campaign_id`) of an open campaign
        it is assigned to."""
        if actor.role is not Role.AGENCY:
            return
        campaign = None
        if campaign_id:
            try:
                campaign = self._find_any(UUID(campaign_id))
            except ValueError:
                campaign = None
        if not isinstance(campaign, Campaign):
            raise PermissionDeniedError("error.agency_outside_campaigns", actor=actor.member_id,
                                        ref=item_ref)
        campaign.check_agency_may_work(actor)

    def _campaign_command(self, ref: str | UUID,
                          command: Callable[[Campaign, Actor, datetime], R],
                          actor_id: ActorRef, action: Action | None = None) -> R:
        return self._command_on(actor_id, lambda: self.resolve_campaign(ref), self.campaign,
                                command, "campaign", action)


def campaign_summary(campaign: Campaign) -> CampaignSummary:
    assert campaign.plan is not None
    plan = campaign.plan
    return CampaignSummary(
        campaign_id=str(campaign.id),
        name=plan.name,
        status=campaign.status.value,
        start=plan.period.start,
        end=plan.period.end,
        platforms=tuple(p.value for p in plan.platforms),
        budget_idr=plan.budget_idr,
        agencies=tuple(sorted(campaign.agencies)),
        planned_by=campaign.planned_by,
        approved_by=campaign.approved_by,
        updated_at=campaign.modified_on,
    )
