"""`socmed doctor`: find values a store holds that the documented bounds refuse today.

Why: before issue 13 a time at the edge of what Python represents, or an absurd number, was
accepted and stored, and an event is never edited or deleted. The readers now cope with
such values (clamped at the SQL column type, shown with "(!)", left out of KPI tables, never
published), but a person should still learn which events hold them and what to do. This
reads every event once and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from attrs import frozen

from socmed_domain.bounds import out_of_range

PAGE = 500

#: What to do, by the aggregate an event belongs to (the CLI's catalogue has the texts).
ADVICE = {
    "ContentItem": "doctor_fix_content",
    "Campaign": "doctor_fix_campaign",
    "Strategy": "doctor_fix_strategy",
    "Conversation": "doctor_fix_inbox",
    "MetricsSeries": "doctor_fix_metrics",
    "Incident": "doctor_fix_incident",
}
DEFAULT_ADVICE = "doctor_fix_other"

_SKIPPED = {"originator_id", "originator_version"}


@frozen
class DoctorFinding:
    position: int
    event_type: str
    aggregate_id: str
    field: str
    value: str
    advice: str  # a key of the CLI's message catalogue


def _events(app: Any) -> Iterator[tuple[int, Any]]:
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        for notification in page:
            yield notification.id, app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def diagnose(app: Any) -> tuple[int, list[DoctorFinding]]:
    """(events read, findings in log order)."""
    findings = []
    count = 0
    for position, event in _events(app):
        count += 1
        outer = type(event).__qualname__.split(".")[0]
        for name, value in sorted(vars(event).items()):
            if name in _SKIPPED:
                continue
            for path, shown in out_of_range(value, name):
                findings.append(DoctorFinding(
                    position, type(event).__qualname__, str(event.originator_id), path,
                    shown, ADVICE.get(outer, DEFAULT_ADVICE)))
    return count, findings
