"""The strategy's life under any order of commands (hypothesis stateful test).

Invariants: only the Marketing Manager puts a version in force, and only the version that
was submitted; an in-force version never changes (revisions are new versions); there is
always a version in force once one was approved; a refused command changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import evolve
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from socmed_domain.actor import Actor
from socmed_domain.errors import SocmedError
from socmed_domain.planning.goals import Goal, GoalKind
from socmed_domain.planning.strategy import Strategy, StrategyStatus
from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
from socmed_domain.platforms import Platform
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

ACTORS = [Actor(f"m-{role.value}", role.value, role) for role in Role]
actors = st.sampled_from(ACTORS)
plans = st.builds(
    lambda title, cadence: StrategyPlan(
        title, goals=(Goal(GoalKind.BRAND_AWARENESS),),
        platforms=(PlatformChoice(Platform.INSTAGRAM, "visual", cadence),)),
    st.sampled_from(["Strategi A", "Strategi B", "Strategi C"]), st.integers(1, 7))


#: Who drafts and revises the strategy (SOP stage 1 owners; issue 17 adds the MM).
DRAFTERS = frozenset({Role.DIGITAL_MARKETING, Role.MARKETING_MANAGER})

class StrategyWorkflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 11, 1, 9, tzinfo=WIB)
        self.strategy: Strategy | None = None
        self.approved: dict[int, StrategyPlan] = {}  # what each approval put in force
        self.submitted_plan: StrategyPlan | None = None
        self.log: list[object] = []  # every event recorded, as the store would hold them

    def tick(self) -> datetime:
        self.now += timedelta(minutes=7)
        return self.now

    def attempt(self, command, *args) -> bool:  # type: ignore[no-untyped-def]
        """Run a command; a refusal must leave no pending event and no changed state."""
        assert self.strategy is not None
        before = (self.strategy.version, self.strategy.status, dict(self.strategy.versions))
        try:
            command(*args)
        except SocmedError:
            assert (self.strategy.version, self.strategy.status,
                    dict(self.strategy.versions)) == before
            return False
        self.log.extend(self.strategy.collect_events())
        return True

    @precondition(lambda self: self.strategy is None)
    @rule(actor=actors, plan=plans)
    def draft(self, actor: Actor, plan: StrategyPlan) -> None:
        try:
            self.strategy = Strategy.draft_first(actor, plan, self.tick())
        except SocmedError:
            assert actor.role not in DRAFTERS
        else:
            assert actor.role in DRAFTERS
            self.log.extend(self.strategy.collect_events())

    @precondition(lambda self: self.strategy is not None)
    @rule(actor=actors, plan=plans)
    def edit(self, actor: Actor, plan: StrategyPlan) -> None:
        assert self.strategy is not None
        self.attempt(self.strategy.edit, actor, plan, "", self.tick())

    @precondition(lambda self: self.strategy is not None)
    @rule(actor=actors)
    def submit(self, actor: Actor) -> None:
        assert self.strategy is not None
        if self.attempt(self.strategy.submit, actor, "", self.tick()):
            self.submitted_plan = self.strategy.working.plan

    @precondition(lambda self: self.strategy is not None)
    @rule(actor=actors, offset=st.integers(-1, 1))
    def approve(self, actor: Actor, offset: int) -> None:
        assert self.strategy is not None
        number = self.strategy.current + offset
        was_submitted = self.strategy.status is StrategyStatus.SUBMITTED
        if self.attempt(self.strategy.approve, actor, number, "", self.tick()):
            assert actor.role is Role.MARKETING_MANAGER
            assert was_submitted and offset == 0
            assert self.strategy.plan_in_force == self.submitted_plan
            self.approved[number] = self.strategy.working.plan

    @precondition(lambda self: self.strategy is not None)
    @rule(actor=actors, comment=st.sampled_from(["", "perbaiki KPI"]))
    def send_back(self, actor: Actor, comment: str) -> None:
        assert self.strategy is not None
        if self.attempt(self.strategy.send_back, actor, self.strategy.current, comment,
                        self.tick()):
            assert actor.role is Role.MARKETING_MANAGER and comment

    @precondition(lambda self: self.strategy is not None)
    @rule(actor=actors, plan=plans, reason=st.sampled_from(["", "evaluasi bulanan"]))
    def revise(self, actor: Actor, plan: StrategyPlan, reason: str) -> None:
        assert self.strategy is not None
        in_force = self.strategy.in_force
        if self.attempt(self.strategy.start_revision, actor, evolve(plan), reason, "",
                        self.tick()):
            assert reason and self.strategy.in_force == in_force

    @invariant()
    def in_force_versions_never_change(self) -> None:
        if self.strategy is None:
            return
        for number, plan in self.approved.items():
            assert self.strategy.versions[number].plan == plan
        if self.approved:
            assert self.strategy.in_force == max(self.approved)
            assert self.strategy.plan_in_force == self.approved[max(self.approved)]
        else:
            assert self.strategy.plan_in_force is None

    @invariant()
    def replay_gives_the_same_state(self) -> None:
        """Replaying the recorded events rebuilds the state: no decision hides in `apply`."""
        if self.strategy is None:
            return
        replayed = None
        for event in self.log:
            replayed = event.mutate(replayed)  # type: ignore[attr-defined]
        assert replayed is not None
        assert replayed.version == self.strategy.version
        assert replayed.versions == self.strategy.versions
        assert replayed.status is self.strategy.status
        assert replayed.in_force == self.strategy.in_force


StrategyWorkflow.TestCase.settings = settings(max_examples=60, stateful_step_count=30,
                                              deadline=None)
TestStrategyWorkflow = StrategyWorkflow.TestCase
