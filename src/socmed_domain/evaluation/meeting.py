"""The evaluation meeting of SOP stage 5 ('evaluate the strategy with the related teams').

Recorded on the Strategy it evaluates, with who attended, what they found and what they
decided, and the report it was based on. Its reference (`evaluation-2026-12`) is what the
strategy revision that follows names, so the adjustment points back to the meeting and the
meeting to the report.
"""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from socmed_domain.bounds import check_time
from socmed_domain.errors import InvalidInputError
from socmed_domain.timezones import require_aware

TEXT_LIMIT = 500
ITEMS_LIMIT = 30


def _entries(values: tuple[str, ...], field: str) -> None:
    if not [v for v in values if v.strip()]:
        raise InvalidInputError("error.empty", field=field)
    if len(values) > ITEMS_LIMIT:
        raise InvalidInputError("error.too_many", field=field, count=len(values),
                                limit=ITEMS_LIMIT)
    for value in values:
        if not value.strip():
            raise InvalidInputError("error.empty", field=field)
        if len(value) > TEXT_LIMIT:
            raise InvalidInputError("error.too_long", field=field, length=len(value),
                                    limit=TEXT_LIMIT)


@frozen
class EvaluationMeeting:
    """What the meeting recorded. `report_ref` names the report discussed, e.g.
    'monthly-report:2026-12' (what `socmed report monthly` prints in its heading)."""

    held_at: datetime
    attendees: tuple[str, ...]
    findings: tuple[str, ...]
    decisions: tuple[str, ...]
    report_ref: str

    def validate(self, now: datetime) -> EvaluationMeeting:
        check_time(require_aware(self.held_at), "meeting held at")
        if self.held_at > now:
            raise InvalidInputError("error.evaluation_future", at=self.held_at.isoformat())
        _entries(self.attendees, "attendees")
        if len({a.strip().lower() for a in self.attendees}) != len(self.attendees):
            raise InvalidInputError("error.duplicate", field="attendees")
        _entries(self.findings, "findings")
        _entries(self.decisions, "decisions")
        if not self.report_ref.strip():
            raise InvalidInputError("error.empty", field="report reference")
        if len(self.report_ref) > 100:
            raise InvalidInputError("error.too_long", field="report reference",
                                    length=len(self.report_ref), limit=100)
        return self

    @property
    def month(self) -> str:
        """The report's month when the reference names one ('monthly-report:2026-12')."""
        tail = self.report_ref.rsplit(":", 1)[-1]
        return tail if len(tail) == 7 and tail[4] == "-" else ""


def evaluation_ref(meeting: EvaluationMeeting, taken: set[str]) -> str:
    """'evaluation-2026-12' (the report's month, else the meeting's date), '-2', '-3' ... for
    a second meeting on the same month."""
    base = f"evaluation-{meeting.month or meeting.held_at.date().isoformat()}"
    ref, n = base, 1
    while ref in taken:
        n += 1
        ref = f"{base}-{n}"
    return ref
