"""The base every socmed event stands on: who acted, and a readable one-line description.

Aggregates define their events as nested classes deriving from `AuditedEvent`, so each stored
event names its actor; `describe()` gives the audit log a message code and parameters that the
front ends render in English or Bahasa Indonesia.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor


class AuditedEvent(Aggregate.Event):
    """An aggregate event that records the acting member."""

    actor: Actor

    def describe(self) -> tuple[str, dict[str, Any]]:
        """(message code, params) for the audit log; events override to add detail."""
        return (f"event.{type(self).__name__}", {})

    def stated_reason(self) -> str:
        """The comment or reason the SOP asks for, when the event has one."""
        for name in ("reason", "comment", "note"):
            value = getattr(self, name, None)
            if isinstance(value, str) and value:
                return value
        return ""


def event_types_by_aggregate() -> dict[str, list[str]]:
    """Every audited event type the domain defines, per aggregate, sorted."""
    from socmed_domain.crisis.incident import Incident
    from socmed_domain.evaluation.metrics import MetricsSeries
    from socmed_domain.monitoring.alerts import MonitoringAlert
    from socmed_domain.monitoring.conversation import Conversation
    from socmed_domain.monitoring.privacy import Erasure
    from socmed_domain.planning.campaign import Campaign
    from socmed_domain.planning.strategy import Strategy
    from socmed_domain.production.content_item import ContentItem
    from socmed_domain.team import Team

    found = {}
    for aggregate in (Team, Strategy, Campaign, ContentItem, Incident, MetricsSeries,
                      Conversation, MonitoringAlert, Erasure):
        names = {value.__name__ for value in vars(aggregate).values()
                 if isinstance(value, type) and issubclass(value, AuditedEvent)}
        names.discard("Event")
        found[aggregate.__name__] = sorted(names)
    return found


def event_type_names() -> list[str]:
    """Every audited event type the domain defines (for validating audit filters)."""
    return sorted({name for names in event_types_by_aggregate().values() for name in names})
