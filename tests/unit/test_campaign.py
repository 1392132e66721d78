"""Campaign rules (SOP stage 1): who may plan, approve, run and cancel; in which states; and
what a plan must hold. Every refusal writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from attrs import evolve

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain import (
    CampaignPlan,
    CampaignStatus,
    Goal,
    GoalKind,
    InvalidInputError,
    InvalidStateError,
    KpiPeriod,
    KpiTarget,
    NotFoundError,
    Period,
    PermissionDeniedError,
    Platform,
    Role,
    SocmedApplication,
    SocmedError,
)
from socmed_domain.timezones import WIB

START = datetime(2026, 12, 1, tzinfo=WIB)
PLAN = CampaignPlan(
    name="Harbolnas 12.12", period=Period(START, START + timedelta(days=12)),
    goals=(Goal(GoalKind.LEAD_GENERATION), Goal(GoalKind.CUSTOM, "Edukasi debit")),
    kpi_targets=(KpiTarget("reach", Decimal(500000), KpiPeriod.CAMPAIGN, Platform.INSTAGRAM),
                 KpiTarget("leads", Decimal("1200.5"), KpiPeriod.WEEK)),
    platforms=(Platform.INSTAGRAM, Platform.X), key_messages=("Cashback 12%",),
    budget_idr=Decimal(150_000_000))
MEMBERS = {"rina": Role.MARKETING_MANAGER, "budi": Role.DIGITAL_MARKETING,
           "adi": Role.SOCIAL_MEDIA_ADMIN, "lia": Role.LEGAL, "maya": Role.AGENCY}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 20, 9, tzinfo=WIB))


@pytest.fixture
def app(clock: ManualClock) -> Iterator[SocmedApplication]:
    services = bootstrap(storage="memory", clock=clock)
    services.app.initialise("PT Contoh", "rina", "Rina MM")
    for member, role in MEMBERS.items():
        if member != "rina":
            services.app.add_member("rina", member, member.title(), role)
    yield services.app
    services.close()


def refused(app: SocmedApplication, error: type[SocmedError], command, *args) -> SocmedError:  # type: ignore[no-untyped-def]
    before = app.event_count()
    with pytest.raises(error) as raised:
        command(*args)
    assert app.event_count() == before, "a refused command wrote an event"
    return raised.value


def status(app: SocmedApplication, campaign: UUID) -> str:
    return app.get_campaign(campaign).summary.status


def test_the_whole_life_of_a_campaign(app: SocmedApplication) -> None:
    campaign = app.plan_campaign("budi", PLAN)
    assert status(app, campaign) == "planned"
    app.approve_campaign("rina", str(campaign)[:8], "OK")
    app.assign_agency("budi", campaign, "maya")
    app.start_campaign("budi", campaign)
    app.complete_campaign("rina", campaign, "selesai")
    detail = app.get_campaign(campaign)
    assert detail.plan == PLAN
    assert detail.summary.status == "completed"
    assert detail.summary.agencies == ("maya",)
    assert detail.summary.approved_by == "rina" and detail.summary.planned_by == "budi"
    assert detail.summary.budget_idr == Decimal(150_000_000)
    history = [(e.event_type, e.actor_id) for e in app.campaign_history(campaign)]
    assert history == [("CampaignPlanned", "budi"), ("CampaignApproved", "rina"),
                       ("AgencyAssigned", "budi"), ("CampaignStarted", "budi"),
                       ("CampaignCompleted", "rina")]
    assert [s.campaign_id for s in app.list_campaigns()] == [str(campaign)]
    assert app.list_campaigns(CampaignStatus.RUNNING) == ()


def test_a_stored_plan_reads_back_equal_in_another_process(clock: ManualClock,
                                                             tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
           "SQLITE_DBNAME": str(tmp_path / "events.sqlite")}
    writer = SocmedApplication(env, clock=clock)
    writer.initialise("PT Contoh", "rina", "Rina MM")
    writer.add_member("rina", "budi", "Budi", Role.DIGITAL_MARKETING)
    campaign = writer.plan_campaign("budi", PLAN)
    reader = SocmedApplication(env, clock=clock)
    assert reader.get_campaign(campaign).plan == PLAN
    assert isinstance(reader.get_campaign(campaign).plan.budget_idr, Decimal)


@pytest.mark.parametrize("member", sorted(MEMBERS))
def test_only_digital_marketing_plans(app: SocmedApplication, member: str) -> None:
    if MEMBERS[member] is Role.DIGITAL_MARKETING:
        app.plan_campaign(member, PLAN)
    else:
        error = refused(app, PermissionDeniedError, app.plan_campaign, member, PLAN)
        assert "may not plan a campaign" in str(error)
        assert "merencanakan kampanye" in error.message("id")


@pytest.mark.parametrize(("command", "allowed"), [
    ("approve", {"rina"}), ("start", {"rina", "budi"}), ("complete", {"rina", "budi"}),
    ("cancel", {"rina"}), ("assign", {"rina", "budi"}),
])
@pytest.mark.parametrize("member", sorted(MEMBERS))
def test_each_command_by_role(app: SocmedApplication, command: str, allowed: set[str],
                              member: str) -> None:
    campaign = app.plan_campaign("budi", PLAN)
    if command in ("start", "complete"):
        app.approve_campaign("rina", campaign)
    if command == "complete":
        app.start_campaign("budi", campaign)
    run = {
        "approve": lambda: app.approve_campaign(member, campaign),
        "start": lambda: app.start_campaign(member, campaign),
        "complete": lambda: app.complete_campaign(member, campaign),
        "cancel": lambda: app.cancel_campaign(member, campaign, "anggaran dipotong"),
        "assign": lambda: app.assign_agency(member, campaign, "maya"),
    }[command]
    if member in allowed:
        run()
    else:
        refused(app, PermissionDeniedError, run)


# what each status allows: approve, start, complete, cancel
ALLOWED_IN = {
    "planned": {"approve", "cancel", "assign"},
    "approved": {"start", "cancel", "assign"},
    "running": {"complete", "cancel", "assign"},
    "completed": set(),
    "cancelled": set(),
}


def _campaign_in(app: SocmedApplication, wanted: str) -> UUID:
    campaign = app.plan_campaign("budi", PLAN)
    steps = {"approved": ["approve"], "running": ["approve", "start"],
             "completed": ["approve", "start", "complete"], "cancelled": ["cancel"]}
    for step in steps.get(wanted, []):
        {"approve": lambda: app.approve_campaign("rina", campaign),
         "start": lambda: app.start_campaign("budi", campaign),
         "complete": lambda: app.complete_campaign("budi", campaign),
         "cancel": lambda: app.cancel_campaign("rina", campaign, "batal")}[step]()
    assert status(app, campaign) == wanted
    return campaign


@pytest.mark.parametrize("state", sorted(ALLOWED_IN))
@pytest.mark.parametrize("command", ["approve", "start", "complete", "cancel", "assign"])
def test_each_command_by_state(app: SocmedApplication, state: str, command: str) -> None:
    campaign = _campaign_in(app, state)
    run = {
        "approve": lambda: app.approve_campaign("rina", campaign),
        "start": lambda: app.start_campaign("budi", campaign),
        "complete": lambda: app.complete_campaign("budi", campaign),
        "cancel": lambda: app.cancel_campaign("rina", campaign, "batal"),
        "assign": lambda: app.assign_agency("budi", campaign, "maya"),
    }[command]
    if command in ALLOWED_IN[state]:
        run()
    else:
        error = refused(app, InvalidStateError, run)
        assert error.code == "error.campaign_state"
        assert f"while it is {state}" in str(error)
        assert "kampanye" in error.message("id")


def test_a_campaign_whose_period_is_over_cannot_start(app: SocmedApplication,
                                                      clock: ManualClock) -> None:
    campaign = _campaign_in(app, "approved")
    clock.set(PLAN.period.end)
    error = refused(app, InvalidStateError, app.start_campaign, "budi", campaign)
    assert error.code == "error.campaign_period_over"


def test_cancelling_needs_a_reason(app: SocmedApplication) -> None:
    campaign = app.plan_campaign("budi", PLAN)
    error = refused(app, InvalidInputError, app.cancel_campaign, "rina", campaign, "  ")
    assert error.code == "error.reason_required"


def test_only_agency_members_are_assigned_and_only_once(app: SocmedApplication) -> None:
    campaign = app.plan_campaign("budi", PLAN)
    error = refused(app, InvalidInputError, app.assign_agency, "budi", campaign, "adi")
    assert error.code == "error.not_an_agency"
    refused(app, NotFoundError, app.assign_agency, "budi", campaign, "nobody")
    app.assign_agency("budi", campaign, "maya")
    error = refused(app, InvalidInputError, app.assign_agency, "budi", campaign, "maya")
    assert error.code == "error.agency_already_assigned"
    app.unassign_agency("budi", campaign, "maya", "kontrak selesai")
    assert app.get_campaign(campaign).summary.agencies == ()
    error = refused(app, InvalidInputError, app.unassign_agency, "budi", campaign, "maya")
    assert error.code == "error.agency_not_assigned"


@pytest.mark.parametrize(("change", "code"), [
    ({"name": "  "}, "error.empty"),
    ({"name": "x" * 121}, "error.too_long"),
    ({"period": Period(START, START)}, "error.period_order"),
    ({"period": Period(START, START - timedelta(days=1))}, "error.period_order"),
    ({"period": Period(datetime(2026, 12, 1), START + timedelta(days=3))}, "error.naive_time"),
    ({"period": Period(START, datetime(2026, 12, 31))}, "error.naive_time"),
    ({"budget_idr": Decimal(-1)}, "error.negative"),
    ({"budget_idr": Decimal("NaN")}, "error.negative"),
    ({"platforms": ()}, "error.empty"),
    ({"platforms": (Platform.X, Platform.X)}, "error.duplicate"),
    ({"goals": (Goal(GoalKind.CUSTOM, " "),)}, "error.empty"),
    ({"kpi_targets": (KpiTarget("reach", Decimal(-5), KpiPeriod.MONTH),)}, "error.negative"),
    ({"kpi_targets": (KpiTarget(" ", Decimal(5), KpiPeriod.MONTH),)}, "error.empty"),
    ({"kpi_targets": (KpiTarget("views", Decimal(5), KpiPeriod.MONTH, Platform.TIKTOK),)},
     "error.platform_not_in_campaign"),
    ({"key_messages": ("",)}, "error.empty"),
])
def test_bad_plans_are_refused(app: SocmedApplication, change: dict, code: str) -> None:  # type: ignore[type-arg]
    error = refused(app, InvalidInputError, app.plan_campaign, "budi", evolve(PLAN, **change))
    assert error.code == code
    assert error.message("id") != error.message("en")


def test_a_zero_budget_and_a_plan_in_another_zone_are_fine(app: SocmedApplication) -> None:
    from socmed_domain.timezones import WITA

    plan = evolve(PLAN, budget_idr=Decimal(0),
                  period=Period(datetime(2026, 12, 1, tzinfo=WITA), START + timedelta(days=2)))
    app.plan_campaign("budi", plan)


@pytest.mark.parametrize("ref", ["nope", "1234", "00000000-0000-4000-8000-000000000000"])
def test_unknown_campaigns_are_refused(app: SocmedApplication, ref: str) -> None:
    app.plan_campaign("budi", PLAN)
    for command in (lambda: app.approve_campaign("rina", ref),
                    lambda: app.start_campaign("budi", ref),
                    lambda: app.get_campaign(ref),
                    lambda: app.create_content("budi", "x", campaign_id=ref)):
        error = refused(app, NotFoundError, command)
        assert "campaign" in str(error)


def test_a_content_id_is_not_a_campaign(app: SocmedApplication) -> None:
    item = app.create_content("budi", "Ide")
    refused(app, NotFoundError, app.approve_campaign, "rina", str(item))
