"""Monitoring alerts as events: a spike of negative interactions, recorded once.

The spike detector (`monitoring.spikes`) is pure and forgets; an alert the team acts on must
be on record, with the numbers it was judged by, so an incident can name it
(`SocmedApplication.open_incident(..., alert_id=...)`) and Legal can see what was known when.
The alert's id is derived from its window, so sweeping the same interactions again (another
process, a rerun) records nothing new.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import evolve, fields, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.events import AuditedEvent
from socmed_domain.monitoring.spikes import SpikeAlert as DetectedSpike
from socmed_domain.monitoring.spikes import SpikeReason
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware


def alert_ref(window_end: datetime) -> str:
    """The alert id people and incidents use: 'spike-' and the window's end in UTC."""
    return f"spike-{require_aware(window_end).astimezone(UTC):%Y%m%dT%H%M%SZ}"


def alert_uuid(ref: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"socmed:alert:{ref}")


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@frozen
class SpikeFigures:
    """The numbers an alert was judged by (one value object, stored as it was measured)."""

    window_start: datetime
    window_end: datetime
    count: int
    baseline_mean: Decimal
    baseline_stdev: Decimal
    baseline_windows: int
    threshold: Decimal
    reasons: tuple[SpikeReason, ...]


class MonitoringAlert(Aggregate):
    """One alert raised by monitoring (so far: spikes of negative interactions)."""

    def __init__(self) -> None:
        self.alert_id = ""
        self.figures: SpikeFigures | None = None

    class SpikeAlertRaised(AuditedEvent, Aggregate.Created):
        alert_id: str
        figures: SpikeFigures

        def apply(self, alert: MonitoringAlert) -> None:
            alert.alert_id, alert.figures = self.alert_id, self.figures

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SpikeAlertRaised", {"alert": self.alert_id,
                                               "count": self.figures.count,
                                               "mean": str(self.figures.baseline_mean)})

    @property
    def count(self) -> int:
        return self.figures.count if self.figures else 0

    @classmethod
    def raise_spike(cls, actor: Actor, spike: DetectedSpike, at: datetime) -> MonitoringAlert:
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
        ref = alert_ref(spike.window_end)
        return cls._create(
            cls.SpikeAlertRaised, id=alert_uuid(ref), timestamp=require_aware(at),
            actor=actor, alert_id=ref, figures=SpikeFigures(
                spike.window_start, spike.window_end, spike.count,
                _decimal(spike.baseline_mean), _decimal(spike.baseline_stdev),
                spike.baseline_windows, _decimal(spike.threshold), spike.reasons))


def alert_signals(figures: SpikeFigures, given: ImpactSignals | None = None) -> ImpactSignals:
    """An incident's measurements from an alert's figures: negative mentions in the window,
    the baseline mean, mentions per hour over the window. Figures in `given` that differ from
    the defaults (measured by other means: reach, share, exposures) are kept, and win."""
    hours = Decimal(str((figures.window_end - figures.window_start).total_seconds() / 3600))
    measured = ImpactSignals(
        negative_mentions=figures.count, baseline_mean=figures.baseline_mean,
        velocity_per_hour=(Decimal(figures.count) / hours).quantize(Decimal("0.01"))
        if hours > 0 else Decimal(figures.count))
    if given is None:
        return measured
    default = ImpactSignals()
    changes = {f.name: getattr(given, f.name) for f in fields(ImpactSignals)
               if getattr(given, f.name) != getattr(default, f.name)}
    return evolve(measured, **changes)
