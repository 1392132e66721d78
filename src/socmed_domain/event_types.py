"""Every audited event type the domain defines, per aggregate (`socmed audit types`, and what
`audit log --type` accepts).

It sits above the aggregates and imports each of them, so the events' base
(`socmed_domain.events`) never has to: the base knows nothing of what derives from it. A new
aggregate is added to `AGGREGATES` (the order is the order `audit types` lists them in).
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from socmed_domain.configuration.aggregate import Configuration
from socmed_domain.crisis.incident import Incident
from socmed_domain.evaluation.metrics import MetricsSeries
from socmed_domain.events import AuditedEvent
from socmed_domain.identity.access import MemberAccess
from socmed_domain.monitoring.alerts import MonitoringAlert
from socmed_domain.monitoring.conversation import Conversation
from socmed_domain.monitoring.privacy import Erasure
from socmed_domain.notifications.contacts import MemberContacts, NotificationRecord
from socmed_domain.planning.campaign import Campaign
from socmed_domain.planning.strategy import Strategy
from socmed_domain.production.content_item import ContentItem
from socmed_domain.team import Team

AGGREGATES: tuple[type[Aggregate], ...] = (
    Team, Strategy, Campaign, ContentItem, Incident, MetricsSeries, Conversation,
    MonitoringAlert, Erasure, MemberAccess, MemberContacts, NotificationRecord,
    Configuration)


def event_types_by_aggregate() -> dict[str, list[str]]:
    """Every audited event type the domain defines, per aggregate, sorted."""
    found = {}
    for aggregate in AGGREGATES:
        names = {value.__name__ for value in vars(aggregate).values()
                 if isinstance(value, type) and issubclass(value, AuditedEvent)}
        names.discard("Event")
        found[aggregate.__name__] = sorted(names)
    return found


def event_type_names() -> list[str]:
    """Every audited event type the domain defines (for validating audit filters)."""
    return sorted({name for names in event_types_by_aggregate().values() for name in names})
