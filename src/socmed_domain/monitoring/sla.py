"""Response SLAs in business time: when a reply or a resolution is due, and whether it was late.

SOP stage 4 asks the team to answer the audience quickly and professionally. "Quickly" is
made measurable here: a target per priority (and per platform where the audience expects
faster answers), counted in the team's working hours, skipping holidays.

The calendar is data the caller gives: working periods per weekday in one zone (default WIB)
and the holiday dates. Indonesian holidays (and cuti bersama) change every year by decree, so
the domain takes them as a set of dates (an adapter can fill it from the `holidays` package or
the SKB) and never looks them up itself.

Rules: a working period is closed at both ends for landing, so a target that ends exactly at
closing time is due at 17:00, not at 08:00 the next day; a target of zero received outside
working hours is due when the team next opens. A reply is late (BREACHED) if it comes strictly
after the due time. All times are timezone-aware; results are in the calendar's zone.

The values here are the built-in ones: the banking pack and the default of a store that
never applied a configuration. The services read the company's configuration in force
(`app.configuration`, socmed_domain.configuration; issue 17).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from types import MappingProxyType

from attrs import evolve, field, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform
from socmed_domain.timezones import DEFAULT_ZONE, require_aware

MIDNIGHT = time(0)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AT_RISK_SHARE = 0.75
_DAY = timedelta(days=1)


class Priority(enum.Enum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


@frozen
class WorkingPeriod:
    """Open from `start` to `end` on one day (local, naive times); end 00:00 means midnight."""

    start: time
    end: time

    def __attrs_post_init__(self) -> None:
        naive = self.start.tzinfo is None and self.end.tzinfo is None
        if not naive or (self.end != MIDNIGHT and self.start >= self.end):
            raise InvalidInputError("error.sla_period", start=self.start.isoformat("minutes"),
                                    end=self.end.isoformat("minutes"))

    def on(self, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
        """This period on `day` in `zone`, as UTC instants."""
        opens = datetime.combine(day, self.start, zone)
        closes = datetime.combine(day + _DAY if self.end == MIDNIGHT else day, self.end, zone)
        return opens.astimezone(UTC), closes.astimezone(UTC)


def _dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


def _periods(value: Iterable[Iterable[WorkingPeriod]]) -> tuple[tuple[WorkingPeriod, ...], ...]:
    return tuple(tuple(sorted(day, key=lambda p: p.start)) for day in value)


@frozen
class BusinessCalendar:
    """Working periods for each weekday (Monday first), holidays, and the zone they are in."""

    week: tuple[tuple[WorkingPeriod, ...], ...] = field(converter=_periods)
    holidays: frozenset[date] = field(default=frozenset(), converter=_dates)
    zone: tzinfo = DEFAULT_ZONE

    def __attrs_post_init__(self) -> None:
        if len(self.week) != 7:
            raise InvalidInputError("error.sla_week", count=len(self.week))
        for name, periods in zip(WEEKDAYS, self.week, strict=True):
            for earlier, later in pairwise(periods):
                if earlier.end == MIDNIGHT or earlier.end > later.start:
                    raise InvalidInputError(
                        "error.sla_overlap", day=name,
                        first=f"{earlier.start:%H:%M}-{earlier.end:%H:%M}",
                        second=f"{later.start:%H:%M}-{later.end:%H:%M}")
        if not any(self.week):
            raise InvalidInputError("error.sla_no_hours")

    @classmethod
    def weekly(cls, hours: Mapping[int, Iterable[tuple[time, time]]],
               holidays: Iterable[date] = (), zone: tzinfo = DEFAULT_ZONE) -> BusinessCalendar:
        """From {weekday (0 = Monday): [(start, end), ...]}; days left out are closed."""
        for weekday in hours:
            if weekday not in range(7):
                raise InvalidInputError("error.sla_weekday", value=weekday)
        week = [[WorkingPeriod(start, end) for start, end in hours.get(day, ())]
                for day in range(7)]
        return cls(week, _dates(holidays), zone)

    @classmethod
    def around_the_clock(cls, holidays: Iterable[date] = (),
                         zone: tzinfo = DEFAULT_ZONE) -> BusinessCalendar:
        """Every hour of every day: for on-call urgent targets measured in wall-clock time."""
        return cls.weekly({day: [(MIDNIGHT, MIDNIGHT)] for day in range(7)}, holidays, zone)

    def with_holidays(self, dates: Iterable[date]) -> BusinessCalendar:
        """A copy that also closes on `dates` (e.g. this year's national holidays)."""
        return evolve(self, holidays=self.holidays | _dates(dates))

    def open_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working periods of the local date `day`, as UTC instants; none on holidays."""
        if day in self.holidays:
            return ()
        return tuple(period.on(day, self.zone) for period in self.week[day.weekday()])

    def is_open(self, at: datetime) -> bool:
        """True when `at` is within a working period, its opening and closing included."""
        instant = _utc(at)
        today = instant.astimezone(self.zone).date()
        return any(opens <= instant <= closes
                   for day in (today - _DAY, today) for opens, closes in self.open_on(day))


DEFAULT_CALENDAR = BusinessCalendar.weekly({
    **{day: [(time(8), time(17))] for day in range(5)},
    5: [(time(9), time(13))],
})


def due_at(received_at: datetime, target: timedelta,
           calendar: BusinessCalendar = DEFAULT_CALENDAR) -> datetime:
    """When `target` of business time has passed since `received_at` (in the calendar's zone)."""
    if target < timedelta(0):
        raise InvalidInputError("error.sla_target", name="target", value=str(target))
    start = _utc(received_at)
    remaining = target
    day = start.astimezone(calendar.zone).date() - _DAY  # a period may run past midnight
    while True:
        for opens, closes in calendar.open_on(day):
            if closes < start:
                continue
            begin = max(opens, start)
            if remaining <= closes - begin:
                return (begin + remaining).astimezone(calendar.zone)
            remaining -= closes - begin
        day += _DAY


def elapsed_business(start: datetime, end: datetime,
                     calendar: BusinessCalendar = DEFAULT_CALENDAR) -> timedelta:
    """Business time between `start` and `end`: the overlap with the working periods."""
    begin, finish = _utc(start), _utc(end)
    if finish < begin:
        raise InvalidInputError("error.sla_order", start=start.isoformat(sep=" "),
                                end=end.isoformat(sep=" "))
    total = timedelta(0)
    day = begin.astimezone(calendar.zone).date() - _DAY
    last = finish.astimezone(calendar.zone).date()
    while day <= last:
        for opens, closes in calendar.open_on(day):
            overlap = min(closes, finish) - max(opens, begin)
            if overlap > timedelta(0):
                total += overlap
        day += _DAY
    return total


@frozen
class SlaTarget:
    """Business time allowed until the first response and until the resolution."""

    first_response: timedelta
    resolution: timedelta

    def __attrs_post_init__(self) -> None:
        if self.first_response <= timedelta(0):
            raise InvalidInputError("error.sla_target", name="first response",
                                    value=str(self.first_response))
        if self.resolution < self.first_response:
            raise InvalidInputError("error.sla_target", name="resolution",
                                    value=f"{self.resolution} (< first response)")


def _targets(value: Mapping[Priority, SlaTarget]) -> Mapping[Priority, SlaTarget]:
    return MappingProxyType(dict(value))


def _platform_targets(
    value: Mapping[Platform, Mapping[Priority, SlaTarget]],
) -> Mapping[Platform, Mapping[Priority, SlaTarget]]:
    return MappingProxyType({platform: _targets(t) for platform, t in value.items()})


@frozen
class SlaPolicy:
    """Targets per priority, with optional per-platform overrides of some priorities."""

    targets: Mapping[Priority, SlaTarget] = field(converter=_targets, hash=False)
    platform_targets: Mapping[Platform, Mapping[Priority, SlaTarget]] = field(
        factory=dict, converter=_platform_targets, hash=False)

    def __attrs_post_init__(self) -> None:
        missing = [p.value for p in Priority if p not in self.targets]
        if missing:
            raise InvalidInputError("error.sla_missing_priority", priorities=", ".join(missing),
                                    choices=", ".join(p.value for p in Priority))

    def target(self, priority: Priority, platform: Platform | None = None) -> SlaTarget:
        """The platform's override for `priority` if there is one, else the general target."""
        override = self.platform_targets.get(platform, {}) if platform is not None else {}
        return override.get(priority) or self.targets[priority]


def _hours(first: float, resolution: float) -> SlaTarget:
    return SlaTarget(timedelta(hours=first), timedelta(hours=resolution))


#: Defaults, in business hours (Mon-Fri 9 h, Sat 4 h): urgent 15 min / 4 h, high 1 h / 9 h
#: (one working day), normal 2 h / 18 h (two), low 8 h / 45 h (five). On X a complaint is
#: public and threaded, so normal and low get a faster first response there.
DEFAULT_POLICY = SlaPolicy(
    targets={
        Priority.URGENT: _hours(0.25, 4),
        Priority.HIGH: _hours(1, 9),
        Priority.NORMAL: _hours(2, 18),
        Priority.LOW: _hours(8, 45),
    },
    platform_targets={
        Platform.X: {Priority.NORMAL: _hours(1, 18), Priority.LOW: _hours(4, 45)},
    },
)


class SlaStatus(enum.Enum):
    PENDING = "pending"
    AT_RISK = "at_risk"  # still open, AT_RISK_SHARE of the target used
    MET = "met"
    BREACHED = "breached"


@frozen
class SlaCheck:
    """Where one SLA clock stands: due time, business time used and left, and the status."""

    status: SlaStatus
    due_at: datetime
    target: timedelta
    elapsed: timedelta
    remaining: timedelta

    @property
    def breached(self) -> bool:
        return self.status is SlaStatus.BREACHED


def check(received_at: datetime, target: timedelta,
          calendar: BusinessCalendar = DEFAULT_CALENDAR, *, now: datetime,
          done_at: datetime | None = None, at_risk_share: float = AT_RISK_SHARE) -> SlaCheck:
    """The SLA clock of one interaction at `now`, or as settled by `done_at` when given.

    Late means strictly after the due time: a reply at 17:30 to a target due at 17:00 is
    BREACHED even though no business time passed after 17:00.
    """
    due = due_at(received_at, target, calendar)
    end = done_at if done_at is not None else now
    elapsed = elapsed_business(received_at, end, calendar)
    if done_at is not None:
        status = SlaStatus.MET if _utc(done_at) <= _utc(due) else SlaStatus.BREACHED
    elif _utc(now) > _utc(due):
        status = SlaStatus.BREACHED
    elif elapsed >= target * at_risk_share:
        status = SlaStatus.AT_RISK
    else:
        status = SlaStatus.PENDING
    return SlaCheck(status, due, target, elapsed, max(target - elapsed, timedelta(0)))


def _utc(at: datetime) -> datetime:
    return require_aware(at).astimezone(UTC)
