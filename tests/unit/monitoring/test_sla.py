"""Response SLAs in business time: due times, elapsed time, holidays, breaches, policy."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.sla import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICY,
    BusinessCalendar,
    Priority,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    WorkingPeriod,
    check,
    due_at,
    elapsed_business,
)
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB, WITA

H = timedelta(hours=1)
# A few Indonesian holidays of late 2026, as a caller would pass them (Natal and cuti bersama).
CHRISTMAS = date(2026, 12, 25)
CUTI_BERSAMA = date(2026, 12, 24)
CALENDAR = DEFAULT_CALENDAR.with_holidays({CHRISTMAS, CUTI_BERSAMA})


def wib(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def test_inside_working_hours_the_clock_runs_normally() -> None:
    assert due_at(wib(1, 9), 2 * H) == wib(1, 11)  # Tuesday
    assert elapsed_business(wib(1, 9), wib(1, 11)) == 2 * H


def test_the_clock_stops_overnight_and_over_sunday() -> None:
    assert due_at(wib(4, 16, 30), 2 * H) == wib(5, 10, 30)  # Friday -> Saturday 09:00-13:00
    assert due_at(wib(5, 12), 2 * H) == wib(7, 9)  # Saturday -> Monday 08:00
    assert elapsed_business(wib(5, 12), wib(7, 9)) == 2 * H


def test_received_outside_hours_starts_at_the_next_opening() -> None:
    assert due_at(wib(1, 22), H) == wib(2, 9)
    assert due_at(wib(6, 10), H) == wib(7, 9)  # Sunday
    assert due_at(wib(1, 22), timedelta(0)) == wib(2, 8)


def test_a_target_ending_at_closing_time_is_due_at_closing_time() -> None:
    assert due_at(wib(1, 16), H) == wib(1, 17)


def test_holidays_are_skipped() -> None:
    # Wednesday 23 Dec 16:00 + 2 h: 1 h on Wednesday, Thu 24 and Fri 25 closed, Sat 09:00.
    assert due_at(wib(23, 16), 2 * H, CALENDAR) == wib(26, 10)
    assert elapsed_business(wib(23, 16), wib(26, 10), CALENDAR) == 2 * H
    assert not CALENDAR.is_open(wib(24, 10))


def test_holidays_from_the_holidays_package_in_an_adapter() -> None:
    """The domain takes dates; an adapter (or this test) fills them from `holidays`."""
    indonesian = holidays.country_holidays("ID", years=2026)
    calendar = DEFAULT_CALENDAR.with_holidays(indonesian.keys())
    assert date(2026, 8, 17) in calendar.holidays  # Hari Kemerdekaan
    assert due_at(wib(14, 16, month=8), 2 * H, calendar) == wib(15, 10, month=8)
    assert due_at(wib(15, 12, month=8), 2 * H, calendar) == wib(18, 9, month=8)


def test_times_in_other_zones_are_measured_in_the_calendars_zone() -> None:
    received = datetime(2026, 12, 1, 9, 0, tzinfo=WITA)  # 08:00 WIB
    due = due_at(received, H)
    assert due == wib(1, 9) and due.tzinfo is WIB


def test_lunch_break_and_around_the_clock_calendars() -> None:
    lunch = BusinessCalendar.weekly({d: [(time(8), time(12)), (time(13), time(17))]
                                     for d in range(5)})
    assert due_at(wib(1, 11), 2 * H, lunch) == wib(1, 14)
    always = BusinessCalendar.around_the_clock()
    assert due_at(wib(5, 23), 3 * H, always) == wib(6, 2)
    assert elapsed_business(wib(5, 23), wib(6, 2), always) == 3 * H
    assert always.is_open(wib(6, 0))


def test_evening_shift_ending_at_midnight() -> None:
    evening = BusinessCalendar.weekly({d: [(time(18), time(0))] for d in range(7)})
    assert due_at(wib(1, 23), 2 * H, evening) == wib(2, 19)
    assert evening.is_open(wib(2, 0))


def test_check_statuses() -> None:
    received = wib(1, 9)
    target = 2 * H
    assert check(received, target, now=wib(1, 10)).status is SlaStatus.PENDING
    at_risk = check(received, target, now=wib(1, 10, 40))
    assert at_risk.status is SlaStatus.AT_RISK and at_risk.remaining == timedelta(minutes=20)
    late = check(received, target, now=wib(1, 11, 1))
    assert late.breached and late.remaining == timedelta(0)
    assert check(received, target, now=wib(2, 9), done_at=wib(1, 11)).status is SlaStatus.MET
    assert check(received, target, now=wib(2, 9), done_at=wib(1, 12)).breached


def test_a_reply_after_closing_to_a_target_due_at_closing_is_late() -> None:
    result = check(wib(1, 16), H, now=wib(1, 17, 30), done_at=wib(1, 17, 30))
    assert result.breached
    assert result.elapsed == H  # no business time passed after 17:00, yet it came after due


def test_policy_targets_and_platform_overrides() -> None:
    assert DEFAULT_POLICY.target(Priority.URGENT).first_response == timedelta(minutes=15)
    assert DEFAULT_POLICY.target(Priority.NORMAL).first_response == 2 * H
    assert DEFAULT_POLICY.target(Priority.NORMAL, Platform.X).first_response == H
    assert DEFAULT_POLICY.target(Priority.HIGH, Platform.X) == DEFAULT_POLICY.target(Priority.HIGH)
    assert DEFAULT_POLICY.target(Priority.LOW, Platform.INSTAGRAM).first_response == 8 * H


def test_bad_configuration_is_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInputError) as period:
        WorkingPeriod(time(17), time(8))
    assert period.value.code == "error.sla_period"
    with pytest.raises(InvalidInputError) as overlap:
        BusinessCalendar.weekly({0: [(time(8), time(12)), (time(11), time(17))]})
    assert overlap.value.code == "error.sla_overlap"
    assert "Monday" in overlap.value.message("en")
    with pytest.raises(InvalidInputError) as closed:
        BusinessCalendar.weekly({})
    assert closed.value.code == "error.sla_no_hours"
    with pytest.raises(InvalidInputError) as weekday:
        BusinessCalendar.weekly({7: [(time(8), time(17))]})
    assert weekday.value.code == "error.sla_weekday"
    with pytest.raises(InvalidInputError) as target:
        SlaTarget(H, timedelta(minutes=30))
    assert target.value.code == "error.sla_target"
    with pytest.raises(InvalidInputError) as missing:
        SlaPolicy({Priority.URGENT: SlaTarget(H, 2 * H)})
    assert missing.value.code == "error.sla_missing_priority"
    assert "high, normal, low" in missing.value.message("en")
    with pytest.raises(InvalidInputError) as order:
        elapsed_business(wib(2, 9), wib(1, 9))
    assert order.value.code == "error.sla_order"
    with pytest.raises(InvalidInputError) as naive:
        due_at(datetime(2026, 12, 1, 9, 0), H)
    assert naive.value.code == "error.naive_time"


def test_messages_exist_in_both_languages() -> None:
    error = InvalidInputError("error.sla_no_hours")
    assert error.message("en") != error.message("id") != "error.sla_no_hours"


# --- properties ------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2026, 11, 20), max_value=datetime(2027, 1, 10),
                       timezones=st.sampled_from([WIB, WITA, UTC]))
targets = st.integers(min_value=0, max_value=60 * 60 * 60).map(lambda s: timedelta(seconds=s))
calendars = st.sampled_from([
    CALENDAR,
    BusinessCalendar.weekly({d: [(time(8), time(12)), (time(13), time(17))] for d in range(5)},
                            holidays={CHRISTMAS}),
    BusinessCalendar.weekly({d: [(time(18), time(0))] for d in (0, 2, 4)}, zone=WITA),
    BusinessCalendar.around_the_clock(holidays={date(2026, 12, 31)}),
])


@settings(max_examples=200, deadline=None)
@given(moments, targets, calendars)
def test_elapsed_until_due_is_the_target(received: datetime, target: timedelta,
                                         calendar: BusinessCalendar) -> None:
    assert elapsed_business(received, due_at(received, target, calendar), calendar) == target


@settings(max_examples=200, deadline=None)
@given(moments, targets, calendars)
def test_due_lands_in_working_hours_never_on_a_holiday(received: datetime, target: timedelta,
                                                       calendar: BusinessCalendar) -> None:
    due = due_at(received, target, calendar)
    assert due >= received
    assert calendar.is_open(due)
    local = due.astimezone(calendar.zone)
    on_holiday = local.date() in calendar.holidays
    closing_of_previous_day = local.time() == time(0) and (
        local.date() - timedelta(days=1)) not in calendar.holidays
    assert not on_holiday or closing_of_previous_day


@settings(max_examples=200, deadline=None)
@given(moments, moments, targets, calendars)
def test_due_is_monotone_in_received(first: datetime, second: datetime, target: timedelta,
                                     calendar: BusinessCalendar) -> None:
    assume(first <= second)
    assert due_at(first, target, calendar) <= due_at(second, target, calendar)


@settings(max_examples=200, deadline=None)
@given(moments, moments, moments, calendars)
def test_elapsed_adds_up(a: datetime, b: datetime, c: datetime,
                         calendar: BusinessCalendar) -> None:
    a, b, c = sorted((a, b, c))
    assert elapsed_business(a, c, calendar) == (
        elapsed_business(a, b, calendar) + elapsed_business(b, c, calendar))
    assert elapsed_business(a, c, calendar) <= c - a
