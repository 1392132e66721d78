"""Issue 17: a planned idea whose date passed is missed and fills no slot of its week's
cadence; cadence is owed only from the store's start (or a campaign's), in `calendar check`
and in the monthly report's cadence target."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tests.conftest import Backend, seed_team

from socmed_adapters.calendar.month import cadence_gaps
from socmed_adapters.clock import ManualClock
from socmed_demo import strategy as demo_strategy
from socmed_domain.months import Month
from socmed_domain.planning.cadence import MISSED, owed_days, shown_state, week_target
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB

DEC = Month(2026, 12)
FOUNDED = datetime(2026, 12, 16, 9, tzinfo=WIB)  # a Wednesday in ISO week 51


def _world(backend: Backend) -> tuple[Any, ManualClock]:
    clock = ManualClock(FOUNDED)
    services = backend.services(clock=clock)
    seed_team(services.app)
    planning = services.app.planning
    planning.draft_strategy("budi.dm", demo_strategy.APPROVED)
    planning.submit_strategy("budi.dm")
    planning.approve_strategy("rina.mm", 1)
    return services, clock


def test_missed_and_owed_days_are_domain_rules() -> None:
    at = datetime(2026, 12, 20, 10, tzinfo=WIB)
    assert shown_state("planned", at, at + timedelta(minutes=1)) == MISSED
    assert shown_state("planned", at, at - timedelta(minutes=1)) == "planned"
    assert shown_state("published", at, at + timedelta(days=1)) == "published"
    assert shown_state("planned", at, None) == "planned"
    days = DEC.dates()
    assert owed_days(days, date(2026, 12, 16))[0] == date(2026, 12, 16)
    assert owed_days(days, None) == days
    assert week_target(5, 4) == 2


def test_a_missed_idea_fills_no_slot_and_weeks_before_the_start_owe_nothing(
        backend: Backend) -> None:
    services, clock = _world(backend)
    content = services.app.content
    x_weekly = services.app.planning.strategy_in_force().cadence(Platform.X)
    assert x_weekly
    # ISO week 52 (Dec 21-27): exactly the cadence of X, one of them an idea on Monday
    monday = datetime(2026, 12, 21, 10, tzinfo=WIB)
    for n in range(x_weekly):
        content.plan_idea("budi.dm", f"Ide {n}", monday + timedelta(days=n % 7, hours=n // 7),
                          [Platform.X])
    plan = services.app.planning.strategy_in_force()
    since = services.app.planning.cadence_start().astimezone(WIB).date()
    assert since == FOUNDED.date()

    def week_52_gap() -> Any:
        entries = services.read_models.calendar_month(DEC, WIB, platform="x")
        gaps = [f for f in cadence_gaps(entries, plan, DEC, WIB, since)
                if f.platform == "x" and f.kind == "gap"]
        return entries, {f.period: f for f in gaps}

    entries, gaps = week_52_gap()
    assert {e.state for e in entries} == {"planned"}
    assert "2026-W52" not in gaps
    # weeks wholly before the store's start owe nothing; the start week owes its share
    assert not {"2026-W49", "2026-W50"} & set(gaps)
    assert gaps["2026-W51"].target == week_target(x_weekly, 5)  # Wed 16 .. Sun 20
    clock.set(monday + timedelta(hours=1))  # Monday's idea was never booked
    entries, gaps = week_52_gap()
    assert [e.state for e in entries].count(MISSED) == 1
    assert gaps["2026-W52"].count == x_weekly - 1

    from socmed_adapters.reports.monthly import monthly_report

    report = monthly_report(services, "2026-12", WIB)
    x_row = next(r for r in report.platforms if r.label == "x")
    owed_from_16th = (Decimal(x_weekly) * 16 / 7).quantize(Decimal("0.01"))
    assert x_row.cadence_target == owed_from_16th
