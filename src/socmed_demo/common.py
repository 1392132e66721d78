"""What the demo month's parts share: the timeline's steps, its report, the days of the
month, and `DemoTimeline`, the shape of the month the stage parts (`incident`,
`interactions`, `metrics`) add their steps to.

`demo.DemoMonth` builds the month and calls the parts; the parts know the month only through
`DemoTimeline`, so no part imports `demo` back (an import-linter contract keeps it so).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from attrs import define, field

from socmed_adapters.bootstrap import Services
from socmed_domain.application import SocmedApplication
from socmed_domain.timezones import WIB


@define
class DemoReport:
    month: str
    seed: int
    posts: list[dict[str, Any]] = field(factory=list)
    refusals: list[str] = field(factory=list)
    notes: list[str] = field(factory=list)
    event_types: Counter[str] = field(factory=Counter)
    actors: Counter[str] = field(factory=Counter)
    events: int = 0


@define
class Step:
    at: datetime
    label: str
    run: Callable[[], object]


def month_days(month: str) -> list[date]:
    year, mon = (int(part) for part in month.split("-"))
    first = date(year, mon, 1)
    nxt = date(year + (mon == 12), mon % 12 + 1, 1)
    return [first + timedelta(days=n) for n in range((nxt - first).days)]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


class DemoTimeline(Protocol):
    """The month as its parts see it: where they add steps and what they read."""

    services: Services
    app: SocmedApplication
    clock: Any
    month: str
    days: list[date]
    rng: random.Random
    incident_ids: random.Random
    incident_keys: dict[str, Any]
    report: DemoReport

    def add(self, when: datetime, label: str, run: Callable[[], object]) -> None: ...

    def refused(self, when: datetime, label: str, run: Callable[[], object]) -> None: ...

    def slot(self, moment: datetime) -> datetime: ...


def checks(app: Any) -> tuple[str, ...]:
    """Every item of the review checklist in force (the company's configuration)."""
    return tuple(app.content.checklist_keys())
