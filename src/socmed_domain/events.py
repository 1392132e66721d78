"""The base every socmed event stands on: who acted, and a readable one-line description.

Aggregates define their events as nested classes deriving from `AuditedEvent`, so each stored
event names its actor; `describe()` gives the audit log a message code and parameters that the
front ends render in English or Bahasa Indonesia. The list of every event type (what
`audit log --type` accepts) is in `socmed_domain.event_types`, above the aggregates, so this
base never imports the modules that derive from it.
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
