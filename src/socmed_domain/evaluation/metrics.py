"""Platform metrics as snapshots over time (SOP stage 5, 'collect performance data').

Platforms report a post's insights as running totals that keep changing for days after it
goes out (reach, likes, video views ...), and an account's follower count as a level. We keep
what each fetch said, when it was measured, as an event on a `MetricsSeries`: one aggregate
per (platform, post id on that platform) or per (platform, the account). Reports then take
the latest snapshot measured before their cut-off, so a report can always be recomputed
exactly from the events.

Recording is idempotent: a snapshot already recorded (the same numbers at the same measurement
time) records nothing, so importing the same CSV twice, or re-running a fetch that returns
what was stored, leaves the log as it was. A fetch at a new time is recorded even when the
numbers did not move: "still 12,840 at 20:00" is a fact a later back-filled snapshot must not
overwrite. A different number at an already recorded time is a platform's correction and is
recorded (the later one wins).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import fields, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.bounds import check_time
from socmed_domain.errors import InvalidInputError
from socmed_domain.events import AuditedEvent
from socmed_domain.platforms import Platform
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware

#: The account of a platform, as a series subject (posts are named by their platform id).
ACCOUNT = ""
_POST_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,200}$")
#: The largest count a platform plausibly reports (a sanity bound, not a business rule).
COUNT_LIMIT = 10**12


@frozen
class MetricValues:
    """What one fetch said. None: the platform does not report that metric (or did not say),
    which is different from 0. Post metrics are running totals since publication;
    `followers` is the account's level at the measurement time."""

    reach: int | None = None
    impressions: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    video_views: int | None = None
    followers: int | None = None
    conversions: int | None = None

    def validate(self) -> MetricValues:
        present = 0
        for name, value in self.items():
            if value is None:
                continue
            present += 1
            if isinstance(value, bool) or not isinstance(value, int) or not \
                    0 <= value <= COUNT_LIMIT:
                raise InvalidInputError("error.metric_value", metric=name, value=value,
                                        limit=COUNT_LIMIT)
        if not present:
            raise InvalidInputError("error.metric_empty")
        return self

    def items(self) -> list[tuple[str, int | None]]:
        return [(f.name, getattr(self, f.name)) for f in fields(MetricValues)]

    def get(self, name: str) -> int | None:
        value: int | None = getattr(self, name)
        return value


#: The metric names, in the order reports and the CSV format list them.
METRIC_NAMES: tuple[str, ...] = tuple(f.name for f in fields(MetricValues))


@frozen
class MetricSnapshot:
    """One measurement of one subject: a post (its id on the platform) or the account."""

    platform: Platform
    post_id: str  # ACCOUNT ("") for the account itself
    measured_at: datetime
    values: MetricValues

    @property
    def subject(self) -> str:
        return self.post_id or "account"

    def validate(self, now: datetime) -> MetricSnapshot:
        """Refuse a snapshot no report could trust: no zone, from the future, a malformed
        post id, negative or absurd numbers, or no number at all."""
        check_time(require_aware(self.measured_at), "measured_at")
        if self.measured_at > now:
            raise InvalidInputError("error.metric_future", at=self.measured_at.isoformat(),
                                    now=now.isoformat())
        if self.post_id and not _POST_ID.match(self.post_id):
            raise InvalidInputError("error.metric_post_id", value=self.post_id)
        self.values.validate()
        return self


def series_id(platform: Platform, post_id: str) -> UUID:
    """The fixed id of the series of (platform, post id or the account)."""
    return uuid5(NAMESPACE_URL, f"socmed:metrics:{platform.value}:{post_id}")


class MetricsSeries(Aggregate):
    """Every snapshot recorded for one post or account on one platform."""

    def __init__(self, platform: Platform, post_id: str) -> None:
        self.platform = platform
        self.post_id = post_id
        self.snapshots: dict[datetime, MetricValues] = {}

    class SeriesStarted(AuditedEvent, Aggregate.Created):
        platform: Platform
        post_id: str

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SeriesStarted", {"platform": self.platform.value,
                                            "subject": self.post_id or "account"})

    class MetricsFetched(AuditedEvent):
        measured_at: datetime
        values: MetricValues
        source: str

        def apply(self, series: MetricsSeries) -> None:
            series.snapshots[self.measured_at] = self.values

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.MetricsFetched", {"at": self.measured_at.isoformat(),
                                             "source": self.source})

    # --------------------------------------------------------------- commands

    @classmethod
    def start(cls, actor: Actor, platform: Platform, post_id: str,
              at: datetime) -> MetricsSeries:
        check_may(actor.member_id, actor.role, Action.RECORD_METRICS)
        return cls._create(cls.SeriesStarted, id=series_id(platform, post_id),
                           timestamp=require_aware(at), actor=actor, platform=platform,
                           post_id=post_id)

    def record(self, actor: Actor, snapshot: MetricSnapshot, source: str,
               at: datetime) -> bool:
        """Record `snapshot` unless it is already recorded; returns whether it was."""
        check_may(actor.member_id, actor.role, Action.RECORD_METRICS)
        snapshot.validate(require_aware(at))
        if (snapshot.platform, snapshot.post_id) != (self.platform, self.post_id):
            raise InvalidInputError("error.metric_series", subject=snapshot.subject)
        if self.snapshots.get(snapshot.measured_at) == snapshot.values:
            return False
        self.trigger_event(self.MetricsFetched, timestamp=at, actor=actor,
                           measured_at=snapshot.measured_at, values=snapshot.values,
                           source=source.strip()[:100])
        return True

    # ---------------------------------------------------------------- queries

    def as_of(self, moment: datetime) -> MetricValues | None:
        """The latest snapshot measured at or before `moment` (None: none yet)."""
        times = [t for t in self.snapshots if t <= moment]
        return self.snapshots[max(times)] if times else None
