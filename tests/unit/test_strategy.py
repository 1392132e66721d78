"""The Strategy aggregate: versions, approval by the Marketing Manager only, revisions with a
reason while the old version stays in force, and refusals that change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from attrs import evolve

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.planning.goals import Goal, GoalKind, KpiPeriod, KpiTarget
from socmed_domain.planning.strategy import STRATEGY_ID, Strategy, StrategyStatus
from socmed_domain.planning.strategy_plan import (
    Audience,
    BrandVoice,
    HashtagSet,
    PlatformChoice,
    StrategyPlan,
)
from socmed_domain.platforms import Platform
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

T0 = datetime(2026, 11, 20, 9, tzinfo=WIB)
DM = Actor("budi.dm", "Budi", Role.DIGITAL_MARKETING)
MM = Actor("rina.mm", "Rina", Role.MARKETING_MANAGER)
AGENCY = Actor("maya.agency", "Maya", Role.AGENCY)
PLAN = StrategyPlan(
    "Strategi 2027", goals=(Goal(GoalKind.BRAND_AWARENESS),),
    platforms=(PlatformChoice(Platform.INSTAGRAM, "visual", 4),
               PlatformChoice(Platform.X, "layanan", 5)),
    key_messages=("Aman dan diawasi OJK",))


def in_force() -> Strategy:
    strategy = Strategy.draft_first(DM, PLAN, T0)
    strategy.submit(DM, "", T0)
    strategy.approve(MM, 1, "ok", T0 + timedelta(hours=1))
    return strategy


def test_the_life_of_a_first_version() -> None:
    strategy = Strategy.draft_first(DM, PLAN, T0)
    assert strategy.id == STRATEGY_ID
    assert strategy.status is StrategyStatus.DRAFT and strategy.plan_in_force is None
    strategy.submit(DM, "siap", T0)
    strategy.send_back(MM, 1, "tambahkan TikTok", T0)
    assert strategy.status is StrategyStatus.SENT_BACK
    edited = evolve(PLAN, platforms=(*PLAN.platforms,
                                     PlatformChoice(Platform.TIKTOK, "video", 2)))
    strategy.edit(DM, edited, "TikTok", T0)
    strategy.submit(DM, "", T0)
    strategy.approve(MM, 1, "", T0 + timedelta(hours=2))
    assert strategy.status is StrategyStatus.IN_FORCE
    assert strategy.plan_in_force == edited
    assert strategy.versions[1].approved_by == "rina.mm"
    assert strategy.plan_in_force.cadence(Platform.TIKTOK) == 2
    assert strategy.plan_in_force.cadence(Platform.LINKEDIN) == 0


def test_a_revision_leaves_the_old_version_in_force_until_approved() -> None:
    strategy = in_force()
    revised = evolve(PLAN, title="Strategi 2027 rev. 1")
    assert strategy.start_revision(DM, revised, "evaluasi November", "report-2026-11",
                                   T0 + timedelta(days=30)) == 2
    assert strategy.plan_in_force == PLAN and strategy.in_force == 1
    assert strategy.working.reason == "evaluasi November"
    assert strategy.working.evaluation_ref == "report-2026-11"
    strategy.submit(DM, "", T0 + timedelta(days=31))
    with pytest.raises(InvalidInputError, match="version 1 is not the version under decision"):
        strategy.approve(MM, 1, "", T0 + timedelta(days=31))
    strategy.approve(MM, 2, "", T0 + timedelta(days=32))
    assert strategy.plan_in_force == revised
    assert strategy.versions[1].superseded_at == T0 + timedelta(days=32)


@pytest.mark.parametrize("actor", [DM, AGENCY], ids=lambda a: a.role.value)
def test_only_the_marketing_manager_approves(actor: Actor) -> None:
    strategy = Strategy.draft_first(DM, PLAN, T0)
    strategy.submit(DM, "", T0)
    version = strategy.version
    with pytest.raises(PermissionDeniedError, match="marketing_manager"):
        strategy.approve(actor, 1, "", T0)
    assert strategy.version == version and strategy.status is StrategyStatus.SUBMITTED


def test_refusals_name_what_to_do() -> None:
    strategy = in_force()
    with pytest.raises(InvalidStateError, match="cannot edit strategy version 1 while it is "
                       "in_force"):
        strategy.edit(DM, PLAN, "", T0)
    with pytest.raises(InvalidInputError, match="reason is required"):
        strategy.start_revision(DM, PLAN, "  ", "", T0)
    with pytest.raises(PermissionDeniedError):
        Strategy.draft_first(AGENCY, PLAN, T0)
    assert Strategy.draft_first(MM, PLAN, T0).versions[1].drafted_by == "rina.mm"  # issue 17
    draft = Strategy.draft_first(DM, PLAN, T0)
    draft.submit(DM, "", T0)
    with pytest.raises(InvalidInputError, match="reason is required"):
        draft.send_back(MM, 1, " ", T0)
    with pytest.raises(InvalidInputError, match="versions run from 1 to 1"):
        draft.version_of(3)


@pytest.mark.parametrize(("plan", "message"), [
    (evolve(PLAN, title=" "), "strategy title"),
    (evolve(PLAN, goals=()), "goals"),
    (evolve(PLAN, platforms=()), "platforms"),
    (evolve(PLAN, platforms=(PlatformChoice(Platform.X, "a", 5),) * 2), "platforms"),
    (evolve(PLAN, platforms=(PlatformChoice(Platform.X, "a", 0),)), "give 1 to 70"),
    (evolve(PLAN, kpi_targets=(KpiTarget("reach", Decimal(1), KpiPeriod.MONTH, Platform.TIKTOK),)),
     "which the strategy does not use"),
    (evolve(PLAN, audiences=(Audience("A"), Audience("a"))), "audiences"),
    (evolve(PLAN, brand_voice=BrandVoice(hashtag_sets=(HashtagSet("x", ("no space",)),))),
     "is not a hashtag"),
])
def test_a_plan_no_one_could_follow_is_refused(plan: StrategyPlan, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Strategy.draft_first(DM, plan, T0)
