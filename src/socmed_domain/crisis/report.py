"""The incident report (SOP stage 6 document 'Laporan Insiden'): what happened, who decided
what and why, what was said publicly, how fast the team responded and whether the UU PDP
deadline was met.

A pure model built from an Incident; front ends render it (text, PDF, the CLI). Events, when
given (e.g. read from the store), supply the timeline instead of the incident's own history.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from uuid import UUID

from attrs import evolve, frozen

from socmed_domain.actor import Actor
from socmed_domain.crisis.impact import LevelSuggestion
from socmed_domain.crisis.incident import (
    PDP_RECIPIENTS,
    Escalation,
    Incident,
    IncidentCategory,
    IncidentStatus,
    PdpNotice,
    PdpRecipient,
    PostIncidentReview,
    ResponseKind,
    TimelineEntry,
)
from socmed_domain.events import AuditedEvent

#: Timeline events that are decisions someone answers for (each row carries its reason).
DECISIONS = frozenset({
    "IncidentClassified", "IncidentEscalated", "EscalationAcknowledged", "PublishingFrozen",
    "PublishingReleased", "IncidentResolved", "IncidentClosed", "BreachAwarenessStated",
})
#: Logged actions that are public words on behalf of the company.
STATEMENT_KINDS = frozenset({ResponseKind.HOLDING_STATEMENT, ResponseKind.CLARIFICATION,
                             ResponseKind.OFFICIAL_STATEMENT})


class PdpOutcome(enum.Enum):
    NOT_APPLICABLE = "not_applicable"
    PENDING = "pending"  # a notice is still to go out; the deadline has not passed
    OVERDUE = "overdue"  # a notice is still to go out and the deadline has passed
    MET = "met"  # every notice went out by the deadline
    MISSED = "missed"  # every notice went out, at least one after the deadline


@frozen
class PdpCompliance:
    outcome: PdpOutcome
    breach_known_at: datetime | None = None
    due: datetime | None = None
    notices: tuple[PdpNotice, ...] = ()
    #: The recipients whose notice has not gone out yet (what `incident list` shows as due).
    missing: tuple[PdpRecipient, ...] = ()


@frozen
class StatementRow:
    """Public words: a logged holding statement or clarification, or a linked content item."""

    at: datetime
    actor: Actor
    kind: ResponseKind
    text: str
    content_item_id: str | None
    linked: bool
    #: For a linked item: the note given when it was linked (its text is `text`).
    note: str = ""


@frozen
class ResponseTimes:
    """Durations from the incident's opening; None where the step has not happened."""

    to_classified: timedelta | None
    to_first_holding_statement: timedelta | None
    to_first_escalation: timedelta | None
    to_required_acknowledgements: timedelta | None
    to_resolved: timedelta | None
    to_closed: timedelta | None


@frozen
class IncidentReport:
    incident_id: UUID
    ref: str
    title: str
    category: IncidentCategory
    status: IncidentStatus
    level: int | None
    suggestion: LevelSuggestion | None
    source: str
    description: str
    detected_at: datetime | None
    opened_at: datetime
    opened_by: Actor
    freezing_publishing: bool
    timeline: tuple[TimelineEntry, ...]
    decisions: tuple[TimelineEntry, ...]
    escalations: tuple[Escalation, ...]
    statements: tuple[StatementRow, ...]
    response_times: ResponseTimes
    pdp: PdpCompliance
    resolution: str
    review: PostIncidentReview | None
    generated_at: datetime


def build_report(incident: Incident, events: Iterable[AuditedEvent] | None = None,
                 now: datetime | None = None,
                 statement_texts: Mapping[str, str] | None = None) -> IncidentReport:
    """The report as of `now` (default: the incident's last change). `statement_texts`
    gives the words of each linked content item (by id): the report shows them, not the
    note given when it was linked."""
    now = now or incident.modified_on
    if events is None:
        timeline = incident.timeline
    else:
        timeline = tuple(TimelineEntry.of(e) for e in events
                         if e.originator_id == incident.id)
    return IncidentReport(
        incident_id=incident.id, ref=incident.ref, title=incident.title,
        category=incident.category, status=incident.status, level=incident.level,
        suggestion=incident.suggestion,
        source=f"alert {incident.alert_id}" if incident.alert_id else "manual",
        description=incident.description, detected_at=incident.detected_at,
        opened_at=incident.opened_at, opened_by=incident.history[0].actor,
        freezing_publishing=incident.is_freezing_publishing, timeline=timeline,
        decisions=tuple(e for e in timeline if e.event in DECISIONS),
        escalations=tuple(sorted(incident.escalations.values(), key=lambda e: e.at)),
        statements=_statements(incident, statement_texts or {}),
        response_times=response_times(incident),
        pdp=pdp_compliance(incident, now), resolution=incident.resolution,
        review=incident.review, generated_at=now)


def response_times(incident: Incident) -> ResponseTimes:
    start = incident.opened_at

    def since(moment: datetime | None) -> timedelta | None:
        return moment - start if moment is not None else None

    holding = [a.at for a in incident.actions if a.kind is ResponseKind.HOLDING_STATEMENT]
    required = [incident.escalations.get(t) for t in incident.required_escalations]
    acknowledged = None
    if required and all(e is not None and e.acknowledged_at for e in required):
        acknowledged = max(e.acknowledged_at for e in required
                           if e is not None and e.acknowledged_at is not None)
    return ResponseTimes(
        to_classified=since(incident.classified_at),
        to_first_holding_statement=since(min(holding, default=None)),
        to_first_escalation=since(min((e.at for e in incident.escalations.values()),
                                      default=None)),
        to_required_acknowledgements=since(acknowledged),
        to_resolved=since(incident.resolved_at), to_closed=since(incident.closed_at))


def report_as_of(report: IncidentReport, now: datetime) -> IncidentReport:
    """A report built as of the incident's last change (`build_report(incident)`), as of
    `now`: nothing about the incident changed in between, so only the UU PDP outcome of a
    notice still to go out (pending or overdue, as `pdp_compliance` decides it) and the time
    it was generated move on. The same report `build_report(incident, now=now)` gives."""
    pdp = report.pdp
    if pdp.outcome in (PdpOutcome.PENDING, PdpOutcome.OVERDUE) and pdp.due is not None:
        outcome = PdpOutcome.OVERDUE if now > pdp.due else PdpOutcome.PENDING
        pdp = evolve(pdp, outcome=outcome)
    return evolve(report, pdp=pdp, generated_at=now)


def pdp_compliance(incident: Incident, now: datetime) -> PdpCompliance:
    """Whether written notice of a personal data breach went out within 3 x 24 hours."""
    due = incident.pdp_notice_due
    if due is None:
        return PdpCompliance(PdpOutcome.NOT_APPLICABLE)
    notices = tuple(incident.pdp_notices[r] for r in PDP_RECIPIENTS
                    if r in incident.pdp_notices)
    if incident.pdp_notices_missing:
        outcome = PdpOutcome.OVERDUE if now > due else PdpOutcome.PENDING
    else:
        outcome = (PdpOutcome.MET if all(n.sent_at <= due for n in notices)
                   else PdpOutcome.MISSED)
    return PdpCompliance(outcome, incident.breach_known_at, due, notices,
                         incident.pdp_notices_missing)


def _statements(incident: Incident,
                texts: Mapping[str, str]) -> tuple[StatementRow, ...]:
    rows = [StatementRow(a.at, a.by, a.kind, a.text, a.content_item_id, linked=False)
            for a in incident.actions if a.kind in STATEMENT_KINDS]
    rows += [StatementRow(s.at, s.by, ResponseKind.OFFICIAL_STATEMENT,
                          texts.get(s.content_item_id, s.note), s.content_item_id,
                          linked=True, note=s.note) for s in incident.statements]
    return tuple(sorted(rows, key=lambda r: r.at))
