"""Response times and SLA attainment of the month's conversations (SOP stage 4 seen from
stage 5's report).

A conversation belongs to the month its first message arrived in (in the report's zone), as a
post belongs to the month it was published in. For each platform and for all together:

- first response: wall-clock time from the first message to the first reply, median and mean
  over the conversations that got one (what the audience waited, nights included);
- resolution: wall-clock time from the first message to closing, over closed conversations;
- SLA met %: of the SLA clocks that are settled or overdue, the share met. Each conversation
  has two clocks (first response and resolution) whose targets are business time, by
  priority and platform (`socmed_domain.monitoring.sla`); a clock still running and not yet
  due counts in neither;
- breaches: the clocks that ran out (answered late, or not answered by the cut-off);
- waiting: conversations with no reply yet whose first-response clock is still running (in
  neither share), and of them those waiting outside business hours: no business time has
  passed since they came in, so their clock has not started (an evening wave of 30 with 6
  answered shows 100% met of the clocks settled, and 24 waiting, 24 outside hours).

Everything is judged as of the month's end, or of the report's creation for the month in
progress: a reply or a closing after that counts as not there yet, so the report of a closed
month does not change (one exception: the inbox keeps a conversation's latest closing, so a
conversation reopened after the month's end counts as open). Durations are whole seconds,
rounded half up. Pure: the same rows give the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from attrs import frozen

from socmed_domain.evaluation.kpi import pct
from socmed_domain.monitoring.sla import (
    BusinessCalendar,
    Priority,
    SlaPolicy,
    SlaStatus,
    check,
    elapsed_business,
)
from socmed_domain.platforms import Platform


@frozen
class ConversationRow:
    """What the report needs of one conversation (from the inbox read model)."""

    platform: Platform
    priority: Priority
    received_at: datetime  # the first message
    first_replied_at: datetime | None
    closed_at: datetime | None


@frozen
class ResponseRow:
    """One row of the response-times table: a platform, or "all"."""

    label: str
    conversations: int
    replied: int
    first_response_median: timedelta | None
    first_response_mean: timedelta | None
    resolved: int
    resolution_median: timedelta | None
    resolution_mean: timedelta | None
    sla_met_pct: Decimal | None
    first_response_met_pct: Decimal | None
    resolution_met_pct: Decimal | None
    breaches: int
    #: Unanswered conversations whose first-response clock still runs (not yet due).
    waiting: int = 0
    #: Of `waiting`, those with no business time since they came in: outside business hours.
    waiting_outside_hours: int = 0


def _seconds(value: Decimal) -> timedelta:
    return timedelta(seconds=int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def _median(spans: Sequence[timedelta]) -> timedelta | None:
    if not spans:
        return None
    ordered = sorted(Decimal(int(s.total_seconds())) for s in spans)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return _seconds(value)


def _mean(spans: Sequence[timedelta]) -> timedelta | None:
    if not spans:
        return None
    return _seconds(sum((Decimal(int(s.total_seconds())) for s in spans), Decimal(0))
                    / len(spans))


def _share(met: int, breached: int) -> Decimal | None:
    return pct(Decimal(met), Decimal(met + breached)) if met + breached else None


def _row(name: str, rows: Sequence[ConversationRow], policy: SlaPolicy,
         calendar: BusinessCalendar, as_of: datetime) -> ResponseRow:
    first_waits = [r.first_replied_at - r.received_at for r in rows
                   if r.first_replied_at is not None
                   and r.received_at <= r.first_replied_at <= as_of]
    resolutions = [r.closed_at - r.received_at for r in rows
                   if r.closed_at is not None and r.received_at <= r.closed_at <= as_of]
    tally = {"first": [0, 0], "resolution": [0, 0]}  # [met, breached]
    waiting = outside = 0
    for row in rows:
        target = policy.target(row.priority, row.platform)
        for key, span, done in (("first", target.first_response, row.first_replied_at),
                                ("resolution", target.resolution, row.closed_at)):
            settled = done if done is not None and done <= as_of else None
            if settled is not None:
                settled = max(settled, row.received_at)
            status = check(row.received_at, span, calendar, now=max(as_of, row.received_at),
                           done_at=settled).status
            if status is SlaStatus.MET:
                tally[key][0] += 1
            elif status is SlaStatus.BREACHED:
                tally[key][1] += 1
            elif key == "first" and settled is None:
                waiting += 1
                if as_of <= row.received_at or not elapsed_business(
                        row.received_at, as_of, calendar):
                    outside += 1
    met = tally["first"][0] + tally["resolution"][0]
    breached = tally["first"][1] + tally["resolution"][1]
    return ResponseRow(
        label=name, conversations=len(rows), replied=len(first_waits),
        first_response_median=_median(first_waits), first_response_mean=_mean(first_waits),
        resolved=len(resolutions), resolution_median=_median(resolutions),
        resolution_mean=_mean(resolutions), sla_met_pct=_share(met, breached),
        first_response_met_pct=_share(*tally["first"]),
        resolution_met_pct=_share(*tally["resolution"]), breaches=breached,
        waiting=waiting, waiting_outside_hours=outside)


def response_rows(rows: Iterable[ConversationRow], policy: SlaPolicy,
                  calendar: BusinessCalendar, as_of: datetime) -> tuple[ResponseRow, ...]:
    """One row per platform with conversations, in the platforms' order, then "all"; empty
    when the month has no conversation (the report then says so rather than showing zeros)."""
    chosen = sorted(rows, key=lambda r: (r.received_at, r.platform.value))
    if not chosen:
        return ()
    per_platform = [_row(p.value, [r for r in chosen if r.platform is p], policy, calendar,
                         as_of) for p in Platform if any(r.platform is p for r in chosen)]
    return (*per_platform, _row("all", chosen, policy, calendar, as_of))
