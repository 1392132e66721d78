"""What counts toward the strategy's posting cadence (SOP stage 1's content calendar).

- A planned post (an idea or an unbooked draft pencilled into the calendar) whose time has
  passed without being booked is *missed*: the calendar shows it so, and it no longer fills
  its week's cadence (as an expired or withdrawn post does not).
- Cadence is owed only from when there was anyone to post: the store's start (the team's
  founding), or, when checking one campaign, the campaign's start. Days before it owe nothing,
  so a store founded mid-month is not told its first weeks were empty, and the monthly report's
  cadence target covers only the days from then.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

PLANNED = "planned"
MISSED = "missed"
#: States of a post that did not or will not go out: they fill no slot.
NOT_COUNTED = frozenset({"expired", "withdrawn", "archived", "failed", MISSED})


def shown_state(state: str, at: datetime, now: datetime | None) -> str:
    """The calendar state as of `now`: a planned post whose time has passed is missed."""
    if state == PLANNED and now is not None and at < now:
        return MISSED
    return state


def counts_toward_cadence(state: str) -> bool:
    return state not in NOT_COUNTED


def owed_days(days: Iterable[date], since: date | None) -> list[date]:
    """The days of `days` that owe cadence: those from `since` (the store's or the
    campaign's start) on; all of them when there is no start."""
    return [day for day in days if since is None or day >= since]


def week_target(posts_per_week: int, days: int) -> int:
    """A partial week (at the month's edge, or before the start) owes its share of the weekly
    cadence, rounded down (4.3 posts owed -> 4): a gap is only reported when it is certain."""
    return math.floor(posts_per_week * days / 7 + 1e-9)
