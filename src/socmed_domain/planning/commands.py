"""Stage 1 commands of the Application: the strategy's life, campaign plan revisions and
planned calendar slots. A mixin of SocmedApplication, kept here so each stage reads on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import evolve

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidStateError
from socmed_domain.planning.campaign import Campaign, CampaignPlan
from socmed_domain.planning.strategy import STRATEGY_ID, Strategy
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.quality import ContentPolicy
from socmed_domain.publication.outcomes import Slot
from socmed_domain.views import AuditEntry, StrategyDetail

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

    A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")


class PlanningCommands:
    """Strategy, campaign plan revisions and planned slots (SOP stage 1)."""

    policy: ContentPolicy

    if TYPE_CHECKING:  # provided by SocmedApplication
        def actor(self, member_id: str) -> Actor: ...
        def _now(self) -> datetime: ...
        def _find(self, cls: type[A], aggregate_id: UUID) -> A | None: ...
        def _save(self, aggregate: Aggregate, kind: str, ref: str) -> None: ...
        def save(self, *objs: Any, **kwargs: Any) -> Any: ...
        def _retrying(self, load: Callable[[], A], decide: Callable[[A], R], kind: str,
                      ref: str) -> R: ...
        def _campaign_command(self, ref: str | UUID,
                              command: Callable[[Campaign, Actor, datetime], R],
                              actor_id: str) -> R: ...
        def _command(self, ref: str | UUID,
                     command: Callable[[ContentItem, Actor, datetime], R],
                     actor_id: str) -> R: ...
        def _campaign_for_new_content(self, actor: Actor,
                                      campaign_id: str | None) -> Campaign | None: ...
        new_id: Callable[[], UUID]
        events: Any

    # -------------------------------------------------------------- strategy

    def draft_strategy(self, actor_id: str, plan: StrategyPlan) -> None:
        """Write the first version of the strategy (Digital Marketing)."""
        actor = self.actor(actor_id)
        if self._find(Strategy, STRATEGY_ID) is not None:
            raise InvalidStateError("error.strategy_exists")
        self._save(Strategy.draft_first(actor, plan, self._now()), "strategy", "strategy")

    def edit_strategy(self, actor_id: str, plan: StrategyPlan, note: str = "") -> None:
        self._strategy_command(lambda s, a, now: s.edit(a, plan, note, now), actor_id)

    def submit_strategy(self, actor_id: str, note: str = "") -> None:
        self._strategy_command(lambda s, a, now: s.submit(a, note, now), actor_id)

    def send_back_strategy(self, actor_id: str, version: int, comment: str) -> None:
        self._strategy_command(lambda s, a, now: s.send_back(a, version, comment, now),
                               actor_id)

    def approve_strategy(self, actor_id: str, version: int, comment: str = "") -> None:
        self._strategy_command(lambda s, a, now: s.approve(a, version, comment, now), actor_id)

    def revise_strategy(self, actor_id: str, plan: StrategyPlan, reason: str,
                        evaluation_ref: str = "") -> int:
        """Open the next version after an evaluation; the old one stays in force meanwhile."""
        return self._strategy_command(
            lambda s, a, now: s.start_revision(a, plan, reason, evaluation_ref, now), actor_id)

    def get_strategy(self) -> StrategyDetail:
        strategy = self._strategy()
        return StrategyDetail(
            status=strategy.status.value, current=strategy.current,
            in_force=strategy.in_force,
            versions=tuple(strategy.versions[n] for n in sorted(strategy.versions)),
            last_comment=strategy.last_comment, updated_at=strategy.modified_on,
            version=strategy.version)

    def strategy_in_force(self) -> StrategyPlan | None:
        strategy = self._find(Strategy, STRATEGY_ID)
        return strategy.plan_in_force if strategy is not None else None

    def strategy_history(self) -> tuple[AuditEntry, ...]:
        from socmed_domain.application import audit_entry

        self._strategy()
        return tuple(audit_entry(event.originator_version, event)
                     for event in self.events.get(STRATEGY_ID))

    def effective_policy(self) -> ContentPolicy:
        """The content checks' rules: the configured policy, plus the brand voice of the
        strategy in force (its words to avoid are banned; its disclosures are required)."""
        plan = self.strategy_in_force()
        if plan is None:
            return self.policy
        voice = plan.brand_voice
        banned = tuple(dict.fromkeys((*self.policy.banned_phrases, *voice.words_to_avoid)))
        markers = voice.required_disclosures or self.policy.disclosure_markers
        return evolve(self.policy, banned_phrases=banned, disclosure_markers=markers)

    def _strategy(self) -> Strategy:
        strategy = self._find(Strategy, STRATEGY_ID)
        if strategy is None:
            raise InvalidStateError("error.no_strategy")
        return strategy

    def _strategy_command(self, command: Callable[[Strategy, Actor, datetime], R],
                          actor_id: str) -> R:
        actor = self.actor(actor_id)
        return self._retrying(self._strategy, lambda s: command(s, actor, self._now()),
                              "strategy", "strategy")

    # ------------------------------------------------------------- campaigns

    def revise_campaign_plan(self, actor_id: str, ref: str | UUID, plan: CampaignPlan,
                             note: str = "") -> None:
        """Change a campaign's plan while it is still only planned."""
        self._campaign_command(ref, lambda c, a, now: c.revise_plan(a, plan, note, now),
                               actor_id)

    # -------------------------------------------------------------- calendar

    def plan_content_slot(self, actor_id: str, ref: str | UUID, when: datetime,
                          platforms: Iterable[Platform]) -> Slot:
        """Pencil an idea or a draft into the calendar; nothing is booked for publishing."""
        return self._command(ref, lambda i, a, now: i.plan_slot(a, when, platforms, now),
                             actor_id)

    def plan_idea(self, actor_id: str, title: str, when: datetime,
                  platforms: Iterable[Platform], campaign_id: str | None = None) -> UUID:
        """A new idea with its planned slot (what `socmed calendar plan` fills a month with)."""
        actor = self.actor(actor_id)
        now = self._now()
        campaign = self._campaign_for_new_content(actor, campaign_id)
        item = ContentItem.create(actor, self.new_id(), title,
                                  str(campaign.id) if campaign else None, now)
        item.plan_slot(actor, when, platforms, now)
        self._save(item, "content", str(item.id))  # one atomic save: never an undated idea
        return item.id

    def plan_ideas(self, actor_id: str,
                   ideas: Sequence[tuple[str, datetime, Iterable[Platform], str | None]]
                   ) -> list[UUID]:
        """`plan_idea` of each (title, when, platforms, campaign id), all saved in one
        transaction: a month's plan is recorded whole or, if anything fails, not at all."""
        actor = self.actor(actor_id)
        now = self._now()
        items = []
        for title, when, platforms, campaign_id in ideas:
            campaign = self._campaign_for_new_content(actor, campaign_id)
            item = ContentItem.create(actor, self.new_id(), title,
                                      str(campaign.id) if campaign else None, now)
            item.plan_slot(actor, when, platforms, now)
            items.append(item)
        if items:
            self.save(*items)  # fresh ids: no other writer can conflict
        return [item.id for item in items]
