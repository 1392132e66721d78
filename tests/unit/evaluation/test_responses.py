"""Response times and SLA attainment of the monthly report (evaluation/responses.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from socmed_domain.evaluation.responses import ConversationRow, response_rows
from socmed_domain.monitoring.sla import DEFAULT_POLICY, BusinessCalendar, Priority
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB

ALWAYS = BusinessCalendar.around_the_clock()
T0 = datetime(2026, 12, 7, 10, tzinfo=WIB)
END = datetime(2027, 1, 1, tzinfo=WIB)


def row(platform: Platform, minutes: float | None, closed_hours: float | None = None,
        start: datetime = T0, priority: Priority = Priority.NORMAL) -> ConversationRow:
    return ConversationRow(
        platform, priority, start,
        None if minutes is None else start + timedelta(minutes=minutes),
        None if closed_hours is None else start + timedelta(hours=closed_hours))


def test_no_conversation_gives_no_rows() -> None:
    assert response_rows([], DEFAULT_POLICY, ALWAYS, END) == ()


def test_medians_means_and_attainment_per_platform_and_in_all() -> None:
    rows = response_rows([row(Platform.X, 30, 2), row(Platform.X, 90),
                          row(Platform.INSTAGRAM, 45.5, 20)], DEFAULT_POLICY, ALWAYS, END)
    assert [r.label for r in rows] == ["instagram", "x", "all"]
    x, total = rows[1], rows[2]
    assert x.first_response_median == x.first_response_mean == timedelta(minutes=60)
    # X normal: first response within 1 h (30 min met, 90 min breached), resolution 18 h
    # (closed at 2 h met; never closed and long overdue by the month's end: breached).
    assert (str(x.first_response_met_pct), str(x.resolution_met_pct), x.breaches) == (
        "50.00", "50.00", 2)
    # Instagram normal: 2 h / 18 h; closed after 20 h is late.
    assert (str(rows[0].sla_met_pct), rows[0].breaches) == ("50.00", 1)
    assert total.first_response_median == timedelta(minutes=45, seconds=30)
    assert total.first_response_mean == timedelta(minutes=55, seconds=10)  # 3310 s, half up
    assert (total.conversations, total.replied, total.resolved, total.breaches) == (3, 3, 2, 3)


def test_clocks_still_running_count_in_neither_share() -> None:
    now = T0 + timedelta(minutes=20)  # the month in progress, 20 minutes after the message
    rows = response_rows([row(Platform.FACEBOOK, None)], DEFAULT_POLICY, ALWAYS, now)
    assert rows[-1].sla_met_pct is None and rows[-1].breaches == 0
    assert rows[-1].first_response_median is None and rows[-1].replied == 0


def test_a_reply_after_the_cut_off_does_not_change_a_closed_month() -> None:
    late = row(Platform.TIKTOK, 60 * 24 * 30, start=datetime(2026, 12, 30, 9, tzinfo=WIB))
    rows = response_rows([late], DEFAULT_POLICY, ALWAYS, END)
    assert rows[-1].breaches == 2  # overdue at the month's end, whatever came later
    assert rows[-1].replied == 0 and rows[-1].first_response_median is None


def test_an_evening_wave_says_how_many_wait_outside_business_hours() -> None:
    """Issue 17: 30 messages after hours, 6 answered in the evening: the settled clocks are
    100% met, and the report says 24 still wait, all outside business hours."""
    from datetime import time

    office = BusinessCalendar.weekly({d: [(time(8), time(17))] for d in range(5)})
    wave = datetime(2026, 12, 8, 19, tzinfo=WIB)  # a Tuesday evening
    rows = [row(Platform.INSTAGRAM, 10 if n < 6 else None, start=wave + timedelta(minutes=n))
            for n in range(30)]
    as_of = datetime(2026, 12, 8, 22, tzinfo=WIB)
    total = response_rows(rows, DEFAULT_POLICY, office, as_of)[-1]
    assert (total.conversations, total.replied) == (30, 6)
    assert str(total.first_response_met_pct) == "100.00"
    assert (total.waiting, total.waiting_outside_hours) == (24, 24)
    # the next morning at 09:00 an hour of business time has passed: still waiting (the
    # 2-hour target is not due), no longer outside business hours
    morning = response_rows(rows, DEFAULT_POLICY, office,
                            datetime(2026, 12, 9, 9, tzinfo=WIB))[-1]
    assert (morning.waiting, morning.waiting_outside_hours) == (24, 0)
