"""The Incident aggregate: one reputation risk or crisis from detection to review (SOP stage 6).

Life: open -> (classified at level 1-4, any number of times while open) -> resolved ->
reviewed -> closed. Classification by the Marketing Manager starts from the impact matrix
(`impact.suggest_level`); a level other than the suggestion needs a reason.

Serious cases involve Legal and management (SOP: 'melibatkan tim legal atau manajemen'):
classifying at level 3 or 4 escalates to Legal and the Marketing Manager (level 4 also to
management) and freezes all publishing; the incident cannot be resolved until each required
escalation is acknowledged by a member of the role it went to. Only the Marketing Manager
releases a freeze, with a reason; resolving an incident ends its freeze.

A personal data breach starts the UU PDP clock: written notice to the data subjects and to
the supervising institution is due 3 x 24 hours after the breach became known (UU 27/2022,
Pasal 46 ayat 1); both notices must be on record before the incident is resolved.

Public methods check, then trigger an event; `apply` only changes state, so replaying the
stored events never re-runs a decision.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from attrs import evolve, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.bounds import check_date, check_text, check_time
from socmed_domain.crisis.impact import LEVELS, ImpactSignals, LevelSuggestion, suggest_level
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import DEFAULT_LANG, Term, render
from socmed_domain.roles import Action, Role, check_may
from socmed_domain.timezones import require_aware


class IncidentCategory(enum.Enum):
    COMPLAINT_WAVE = "complaint_wave"
    MISINFORMATION = "misinformation"
    SENSITIVE_ISSUE = "sensitive_issue"  # SARA: suku, agama, ras, antargolongan
    PRODUCT_SAFETY = "product_safety"
    LEGAL_THREAT = "legal_threat"
    PERSONAL_DATA_BREACH = "personal_data_breach"
    ACCOUNT_COMPROMISE = "account_compromise"
    EMPLOYEE_CONDUCT = "employee_conduct"
    OTHER = "other"


class IncidentStatus(enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"
    CLOSED = "closed"


class EscalationTarget(enum.Enum):
    LEGAL = "legal"
    MARKETING_MANAGER = "marketing_manager"
    MANAGEMENT = "management"


class ResponseKind(enum.Enum):
    HOLDING_STATEMENT = "holding_statement"
    REPLY = "reply"
    CLARIFICATION = "clarification"
    OFFICIAL_STATEMENT = "official_statement"
    OTHER = "other"


class PdpRecipient(enum.Enum):
    """Who must receive written notice of a personal data breach (UU 27/2022 Pasal 46)."""

    DATA_SUBJECTS = "data_subjects"
    AUTHORITY = "authority"  # the supervising institution ('lembaga')


S, T = IncidentStatus, EscalationTarget
BREACH = IncidentCategory.PERSONAL_DATA_BREACH
#: Escalations each level requires before the incident may be resolved.
REQUIRED_ESCALATIONS: dict[int, tuple[EscalationTarget, ...]] = {
    1: (), 2: (), 3: (T.LEGAL, T.MARKETING_MANAGER),
    4: (T.LEGAL, T.MARKETING_MANAGER, T.MANAGEMENT),
}
#: Classifying at this level or above freezes all publishing.
FREEZE_FROM_LEVEL = 3
#: Who acknowledges an escalation. Management is not a role in the system: the Marketing
#: Manager records its acknowledgement, naming the manager in the note.
ACKNOWLEDGED_BY: dict[EscalationTarget, Role] = {
    T.LEGAL: Role.LEGAL, T.MARKETING_MANAGER: Role.MARKETING_MANAGER,
    T.MANAGEMENT: Role.MARKETING_MANAGER,
}
PDP_NOTICE_WINDOW = timedelta(hours=3 * 24)
PDP_RECIPIENTS = (PdpRecipient.DATA_SUBJECTS, PdpRecipient.AUTHORITY)
TITLE_LIMIT, TEXT_LIMIT = 120, 4000


@frozen
class FollowUp:
    """One improvement agreed in the post-incident review, with an owner and a due date."""

    action: str
    owner_id: str
    due: date


@frozen
class PostIncidentReview:
    """What the team learnt (SOP: 'mendokumentasikan ... untuk evaluasi')."""

    timeline_summary: str
    what_worked: str
    what_did_not: str
    follow_ups: tuple[FollowUp, ...] = ()

    @classmethod
    def of_parts(cls, timeline: Sequence[str], worked: Sequence[str], did_not: Sequence[str],
                 follow_ups: Sequence[FollowUp] = ()) -> PostIncidentReview:
        """A review from parts given one or more times each (`incident review --worked A
        --worked B`): every part is kept, one per line, in the order given."""
        def joined(parts: Sequence[str]) -> str:
            return "\n".join(p.strip() for p in parts if p.strip())
        return cls(joined(timeline), joined(worked), joined(did_not), tuple(follow_ups))

    def cleaned(self) -> PostIncidentReview:
        return PostIncidentReview(
            self.timeline_summary.strip(), self.what_worked.strip(), self.what_did_not.strip(),
            tuple(FollowUp(f.action.strip(), f.owner_id.strip(), f.due) for f in self.follow_ups))

    def validate(self, today: date) -> PostIncidentReview:
        _text(self.timeline_summary, "timeline summary")
        _text(self.what_worked, "what worked")
        _text(self.what_did_not, "what did not work")
        for follow_up in self.follow_ups:
            _text(follow_up.action, "follow-up action", 500)
            _text(follow_up.owner_id, "follow-up owner", 64)
            check_date(follow_up.due, "follow-up due date")
            if follow_up.due < today:
                raise InvalidInputError("error.incident_follow_up_due", action=follow_up.action,
                                        due=follow_up.due.isoformat(), today=today.isoformat())
        return self


@frozen
class Escalation:
    target: EscalationTarget
    at: datetime
    by: Actor
    note: str
    automatic: bool
    acknowledged_at: datetime | None = None
    acknowledged_by: Actor | None = None


@frozen
class LoggedAction:
    at: datetime
    by: Actor
    kind: ResponseKind
    text: str
    content_item_id: str | None


@frozen
class LinkedStatement:
    at: datetime
    by: Actor
    content_item_id: str
    note: str


@frozen
class PdpNotice:
    recipient: PdpRecipient
    sent_at: datetime
    recorded_at: datetime
    by: Actor
    summary: str


@frozen
class TimelineEntry:
    """One handling step as the audit log and the incident report show it."""

    at: datetime
    actor: Actor
    event: str
    code: str
    params: tuple[tuple[str, Any], ...]
    reason: str

    @classmethod
    def of(cls, event: AuditedEvent) -> TimelineEntry:
        code, params = event.describe()
        return cls(event.timestamp, event.actor, type(event).__name__, code,
                   tuple(params.items()), event.stated_reason())

    def what(self, lang: str = DEFAULT_LANG) -> str:
        return render(self.code, lang, **dict(self.params))


class Incident(Aggregate):
    """An incident and its whole handling history."""

    def __init__(self) -> None:
        self.title = ""
        self.category = IncidentCategory.OTHER
        self.description = ""
        self.alert_id: str | None = None
        self.detected_at: datetime | None = None
        self.status = IncidentStatus.OPEN
        self.signals: ImpactSignals | None = None
        self.level: int | None = None
        self.suggestion: LevelSuggestion | None = None
        self.classified_at: datetime | None = None
        self.escalations: dict[EscalationTarget, Escalation] = {}
        self.actions: list[LoggedAction] = []
        self.statements: list[LinkedStatement] = []
        self.publishing_frozen = False
        self.breach_known_at: datetime | None = None
        self.pdp_notices: dict[PdpRecipient, PdpNotice] = {}
        self.resolved_at: datetime | None = None
        self.resolution = ""
        self.review: PostIncidentReview | None = None
        self.closed_at: datetime | None = None
        self.history: list[TimelineEntry] = []

    # ----------------------------------------------------------------- events

    class IncidentOpened(AuditedEvent, Aggregate.Created):
        title: str
        category: IncidentCategory
        description: str
        alert_id: str | None
        signals: ImpactSignals | None
        detected_at: datetime

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.title, incident.category = self.title, self.category
            incident.description, incident.alert_id = self.description, self.alert_id
            incident.signals, incident.detected_at = self.signals, self.detected_at
            if self.category is BREACH:
                incident.breach_known_at = self.detected_at

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.IncidentOpened", {"title": self.title,
                                             "category": self.category.value})

    class IncidentClassified(AuditedEvent):
        level: int
        category: IncidentCategory
        signals: ImpactSignals | None
        suggestion: LevelSuggestion | None
        reason: str
        breach_known_at: datetime | None

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.level, incident.category = self.level, self.category
            incident.signals, incident.suggestion = self.signals, self.suggestion
            incident.classified_at = incident.classified_at or self.timestamp
            if self.breach_known_at is not None:
                incident.breach_known_at = self.breach_known_at

        def describe(self) -> tuple[str, dict[str, Any]]:
            suggested = self.suggestion.level if self.suggestion else "-"
            return ("event.IncidentClassified", {"level": self.level, "suggested": suggested,
                                                 "category": self.category.value})

    class IncidentEscalated(AuditedEvent):
        target: EscalationTarget
        note: str
        automatic: bool

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.escalations[self.target] = Escalation(
                self.target, self.timestamp, self.actor, self.note, self.automatic)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.IncidentEscalated", {"target": self.target.value})

    class EscalationAcknowledged(AuditedEvent):
        target: EscalationTarget
        note: str

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.escalations[self.target] = evolve(
                incident.escalations[self.target], acknowledged_at=self.timestamp,
                acknowledged_by=self.actor)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.EscalationAcknowledged", {"target": self.target.value})

    class ActionLogged(AuditedEvent):
        kind: ResponseKind
        text: str
        content_item_id: str | None

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.actions.append(LoggedAction(self.timestamp, self.actor, self.kind,
                                                 self.text, self.content_item_id))

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ActionLogged", {"kind": self.kind.value})

    class StatementLinked(AuditedEvent):
        content_item_id: str
        note: str

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.statements.append(LinkedStatement(self.timestamp, self.actor,
                                                       self.content_item_id, self.note))

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StatementLinked", {"content": self.content_item_id[:8]})

    class PublishingFrozen(AuditedEvent):
        reason: str
        automatic: bool

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.publishing_frozen = True

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PublishingFrozen", {})

    class PublishingReleased(AuditedEvent):
        reason: str

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.publishing_frozen = False

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PublishingReleased", {})

    class PdpNoticeSent(AuditedEvent):
        recipient: PdpRecipient
        sent_at: datetime
        summary: str

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.pdp_notices[self.recipient] = PdpNotice(
                self.recipient, self.sent_at, self.timestamp, self.actor, self.summary)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PdpNoticeSent", {"recipient": self.recipient.value,
                                            "sent_at": self.sent_at.isoformat()})

    class IncidentResolved(AuditedEvent):
        summary: str
        freeze_ended: bool

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.status = IncidentStatus.RESOLVED
            incident.resolved_at, incident.resolution = self.timestamp, self.summary
            incident.publishing_frozen = False

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.IncidentResolved", {})

        def stated_reason(self) -> str:
            return self.summary

    class IncidentReviewed(AuditedEvent):
        review: PostIncidentReview

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.status = IncidentStatus.REVIEWED
            incident.review = self.review

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.IncidentReviewed", {"follow_ups": len(self.review.follow_ups)})

    class BreachAwarenessStated(AuditedEvent):
        """The UU PDP clock starts at a stated "became aware at" time, with the reason."""

        aware_at: datetime
        reason: str

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.breach_known_at = self.aware_at

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.BreachAwarenessStated", {"aware_at": self.aware_at.isoformat()})

    class IncidentClosed(AuditedEvent):
        note: str

        def apply(self, incident: Incident) -> None:
            incident.history.append(TimelineEntry.of(self))
            incident.status = IncidentStatus.CLOSED
            incident.closed_at = self.timestamp

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.IncidentClosed", {})

    # --------------------------------------------------------------- commands

    @classmethod
    def open_new(cls, actor: Actor, incident_id: UUID, title: str, category: IncidentCategory,
                 description: str, at: datetime, *, alert_id: str | None = None,
                 signals: ImpactSignals | None = None,
                 detected_at: datetime | None = None) -> Incident:
        """Open an incident by hand (`alert_id` None) or from a monitoring alert."""
        check_may(actor.member_id, actor.role, Action.OPEN_INCIDENT)
        require_aware(at)
        detected = _not_after(detected_at or at, at, "detected at")
        return cls._create(
            cls.IncidentOpened, id=incident_id, timestamp=at, actor=actor,
            title=_text(title, "incident title", TITLE_LIMIT),
            category=IncidentCategory(category),
            description=_text(description, "incident description", required=False),
            alert_id=(alert_id or "").strip() or None,
            signals=signals.validate() if signals is not None else None, detected_at=detected)

    def classify(self, actor: Actor, level: int, reason: str, at: datetime, *,
                 category: IncidentCategory | None = None, signals: ImpactSignals | None = None,
                 breach_known_at: datetime | None = None) -> None:
        """Set the crisis level (and confirm or correct the category). Level 3 and above
        also escalates to whoever the level requires and freezes publishing."""
        check_may(actor.member_id, actor.role, Action.CLASSIFY_INCIDENT)
        self._check_status("classify the incident", {S.OPEN})
        require_aware(at)
        if type(level) is not int or level not in LEVELS:
            raise InvalidInputError("error.incident_level", value=level)
        category = IncidentCategory(category) if category is not None else self.category
        signals = signals.validate() if signals is not None else self.signals
        suggestion = suggest_level(signals) if signals is not None else None
        reason = _text(reason, "reason", required=False)
        if not reason:
            if suggestion is None:
                raise InvalidInputError("error.incident_reason_no_signals", level=level)
            if level != suggestion.level:
                raise InvalidInputError("error.incident_override_reason", level=level,
                                        suggested=suggestion.level, reasons=suggestion.reasons)
            if category is not self.category:
                raise InvalidInputError("error.incident_category_reason",
                                        old=self.category.value, new=category.value)
        known = None
        if category is BREACH and self.breach_known_at is None:
            known = _not_after(breach_known_at or at, at, "breach known at")
        elif breach_known_at is not None:
            raise InvalidInputError("error.incident_breach_time_unused", ref=self.ref,
                                    known=self.breach_known_at.isoformat()
                                    if self.breach_known_at else "-")
        self.trigger_event(self.IncidentClassified, timestamp=at, actor=actor, level=level,
                           category=category, signals=signals, suggestion=suggestion,
                           reason=reason, breach_known_at=known)
        for target in REQUIRED_ESCALATIONS[level]:
            if target not in self.escalations:
                self.trigger_event(self.IncidentEscalated, timestamp=at, actor=actor,
                                   target=target,
                                   note=render("recorded.required_at_level", level=level),
                                   automatic=True)
        if level >= FREEZE_FROM_LEVEL and not self.publishing_frozen:
            self.trigger_event(self.PublishingFrozen, timestamp=at, actor=actor,
                               reason=render("recorded.level_classification", level=level),
                               automatic=True)

    def escalate(self, actor: Actor, target: EscalationTarget, note: str,
                 at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.ESCALATE_INCIDENT)
        self._check_status("escalate the incident", {S.OPEN})
        target = EscalationTarget(target)
        if target in self.escalations:
            raise InvalidStateError("error.incident_already_escalated", ref=self.ref,
                                    target=target.value)
        self.trigger_event(self.IncidentEscalated, timestamp=require_aware(at), actor=actor,
                           target=target, note=_text(note, "note", required=False),
                           automatic=False)

    def acknowledge(self, actor: Actor, target: EscalationTarget, note: str,
                    at: datetime) -> None:
        """Confirm, as a member of the role it went to, that an escalation was received."""
        check_may(actor.member_id, actor.role, Action.ACKNOWLEDGE_INCIDENT)
        self._check_status("acknowledge an escalation of the incident", {S.OPEN})
        target = EscalationTarget(target)
        escalation = self.escalations.get(target)
        if escalation is None:
            raise InvalidStateError("error.incident_not_escalated", ref=self.ref,
                                    target=target.value)
        if escalation.acknowledged_by is not None:
            raise InvalidStateError("error.incident_already_acknowledged", ref=self.ref,
                                    target=target.value,
                                    member=escalation.acknowledged_by.member_id)
        if actor.role is not ACKNOWLEDGED_BY[target]:
            raise PermissionDeniedError("error.incident_ack_role", actor=actor.member_id,
                                        role=actor.role.value, target=target.value,
                                        needed=ACKNOWLEDGED_BY[target].value)
        note = _text(note, "note", required=False)
        if target is T.MANAGEMENT and not note:
            raise InvalidInputError("error.incident_management_ack_note")
        self.trigger_event(self.EscalationAcknowledged, timestamp=require_aware(at),
                           actor=actor, target=target, note=note)

    def log_action(self, actor: Actor, kind: ResponseKind, text: str, at: datetime, *,
                   content_item_id: str | None = None) -> None:
        """Record a handling step: a holding statement, a reply, a clarification, ..."""
        check_may(actor.member_id, actor.role, Action.LOG_INCIDENT_ACTION)
        self._check_status("log an action on the incident", {S.OPEN})
        self.trigger_event(self.ActionLogged, timestamp=require_aware(at), actor=actor,
                           kind=ResponseKind(kind), text=_text(text, "action text"),
                           content_item_id=(content_item_id or "").strip() or None)

    def link_statement(self, actor: Actor, content_item_id: str, note: str,
                       at: datetime) -> None:
        """Name the content item that is the official statement. Publishing it goes through
        the content workflow (Legal review, Marketing Manager approval) like any content."""
        check_may(actor.member_id, actor.role, Action.LOG_INCIDENT_ACTION)
        self._check_status("link a statement to the incident", {S.OPEN})
        content_item_id = _text(content_item_id, "content item id", 64)
        if self.is_statement(content_item_id):
            raise InvalidStateError("error.incident_statement_linked", ref=self.ref,
                                    content=content_item_id)
        self.trigger_event(self.StatementLinked, timestamp=require_aware(at), actor=actor,
                           content_item_id=content_item_id,
                           note=_text(note, "note", required=False))

    def freeze_publishing(self, actor: Actor, reason: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.FREEZE_PUBLISHING)
        self._check_status("freeze publishing for the incident", {S.OPEN})
        if self.publishing_frozen:
            raise InvalidStateError("error.incident_already_frozen", ref=self.ref)
        if not reason.strip():
            raise InvalidInputError("error.reason_required", action=Term("freeze publishing"))
        self.trigger_event(self.PublishingFrozen, timestamp=require_aware(at), actor=actor,
                           reason=_text(reason, "reason"), automatic=False)

    def release_publishing(self, actor: Actor, reason: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.RELEASE_PUBLISHING)
        self._check_status("release publishing for the incident", {S.OPEN})
        if not self.publishing_frozen:
            raise InvalidStateError("error.incident_not_frozen", ref=self.ref)
        if not reason.strip():
            raise InvalidInputError("error.reason_required",
                                    action=Term("release a publishing freeze"))
        self.trigger_event(self.PublishingReleased, timestamp=require_aware(at), actor=actor,
                           reason=_text(reason, "reason"))

    def record_pdp_notice(self, actor: Actor, recipient: PdpRecipient, sent_at: datetime,
                          summary: str, at: datetime) -> None:
        """Record that written notice of a personal data breach went out at `sent_at`."""
        check_may(actor.member_id, actor.role, Action.LOG_INCIDENT_ACTION)
        self._check_status("record a UU PDP notice for the incident", {S.OPEN})
        recipient = PdpRecipient(recipient)
        if self.category is not BREACH or self.breach_known_at is None:
            raise InvalidStateError("error.incident_not_a_breach", ref=self.ref,
                                    category=self.category.value)
        if recipient in self.pdp_notices:
            raise InvalidStateError("error.incident_pdp_already_notified", ref=self.ref,
                                    recipient=recipient.value,
                                    sent_at=self.pdp_notices[recipient].sent_at.isoformat())
        require_aware(at)
        _not_after(sent_at, at, "notice sent at")
        if sent_at < self.breach_known_at:
            raise InvalidInputError("error.incident_pdp_before_known",
                                    sent_at=sent_at.isoformat(),
                                    known=self.breach_known_at.isoformat())
        self.trigger_event(self.PdpNoticeSent, timestamp=at, actor=actor, recipient=recipient,
                           sent_at=sent_at, summary=_text(summary, "notice summary"))

    def state_breach_awareness(self, actor: Actor, aware_at: datetime, reason: str,
                               at: datetime) -> None:
        """Start the UU PDP clock at the stated time the company became aware of the breach
        (not the detection or classification time), with the reason on record. Only for an
        open breach, never in the future, and never after a notice already sent."""
        check_may(actor.member_id, actor.role, Action.LOG_INCIDENT_ACTION)
        self._check_status("state when the breach became known", {S.OPEN})
        if self.category is not BREACH:
            raise InvalidStateError("error.incident_not_a_breach", ref=self.ref,
                                    category=self.category.value)
        aware = _not_after(aware_at, require_aware(at), "became aware at")
        reason = _text(reason, "reason")
        for notice in self.pdp_notices.values():
            if notice.sent_at < aware:
                raise InvalidInputError("error.incident_pdp_before_known",
                                        sent_at=notice.sent_at.isoformat(),
                                        known=aware.isoformat())
        self.trigger_event(self.BreachAwarenessStated, timestamp=at, actor=actor,
                           aware_at=aware, reason=reason)

    def resolve(self, actor: Actor, summary: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.RESOLVE_INCIDENT)
        self._check_status("resolve the incident", {S.OPEN})
        if self.level is None:
            raise InvalidStateError("error.incident_not_classified", ref=self.ref)
        waiting = self.unacknowledged_requirements
        if waiting:
            raise InvalidStateError("error.incident_unacknowledged", ref=self.ref,
                                    level=self.level, pending=", ".join(t.value for t in waiting))
        missing = self.pdp_notices_missing
        if missing:
            due = self.pdp_notice_due
            raise InvalidStateError("error.incident_pdp_notice_missing", ref=self.ref,
                                    recipients=", ".join(r.value for r in missing),
                                    due=due.isoformat() if due else "-")
        self.trigger_event(self.IncidentResolved, timestamp=require_aware(at), actor=actor,
                           summary=_text(summary, "resolution summary"),
                           freeze_ended=self.publishing_frozen)

    def record_review(self, actor: Actor, review: PostIncidentReview, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.REVIEW_INCIDENT)
        self._check_status("record a review of the incident", {S.RESOLVED})
        review = review.cleaned().validate(require_aware(at).date())
        self.trigger_event(self.IncidentReviewed, timestamp=at, actor=actor, review=review)

    def close(self, actor: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.CLOSE_INCIDENT)
        self._check_status("close the incident", {S.REVIEWED})
        self.trigger_event(self.IncidentClosed, timestamp=require_aware(at), actor=actor,
                           note=_text(note, "note", required=False))

    # ---------------------------------------------------------------- queries

    @property
    def ref(self) -> str:
        return str(self.id)[:8]

    @property
    def opened_at(self) -> datetime:
        return self.created_on

    @property
    def is_open(self) -> bool:
        return self.status is IncidentStatus.OPEN

    @property
    def is_freezing_publishing(self) -> bool:
        """Whether no content may be published now (statements linked here excepted: see
        `is_statement`; the Application decides that exemption)."""
        return self.is_open and self.publishing_frozen

    @property
    def pending_acknowledgements(self) -> tuple[EscalationTarget, ...]:
        """Escalations sent and not yet acknowledged, in the order they were sent."""
        return tuple(t for t, e in self.escalations.items() if e.acknowledged_by is None)

    @property
    def required_escalations(self) -> tuple[EscalationTarget, ...]:
        return REQUIRED_ESCALATIONS[self.level] if self.level is not None else ()

    @property
    def unacknowledged_requirements(self) -> tuple[EscalationTarget, ...]:
        """Required escalations still blocking resolution (not sent, or not acknowledged)."""
        return tuple(t for t in self.required_escalations
                     if t not in self.escalations or self.escalations[t].acknowledged_by is None)

    @property
    def pdp_notice_due(self) -> datetime | None:
        """When written notice of a personal data breach is due (None: not a breach)."""
        if self.category is not BREACH or self.breach_known_at is None:
            return None
        return self.breach_known_at + PDP_NOTICE_WINDOW

    @property
    def pdp_notices_missing(self) -> tuple[PdpRecipient, ...]:
        if self.pdp_notice_due is None:
            return ()
        return tuple(r for r in PDP_RECIPIENTS if r not in self.pdp_notices)

    def pdp_overdue(self, now: datetime) -> bool:
        due = self.pdp_notice_due
        return due is not None and bool(self.pdp_notices_missing) and now > due

    @property
    def current_suggestion(self) -> LevelSuggestion | None:
        """What the matrix suggests from the latest signals (None: no signals yet)."""
        return suggest_level(self.signals) if self.signals is not None else None

    def is_statement(self, content_item_id: str) -> bool:
        return any(s.content_item_id == content_item_id for s in self.statements)

    @property
    def timeline(self) -> tuple[TimelineEntry, ...]:
        return tuple(self.history)

    # ---------------------------------------------------------------- guards

    def _check_status(self, action: str, allowed: Iterable[IncidentStatus]) -> None:
        allowed = set(allowed)
        if self.status not in allowed:
            expected = " or ".join(sorted(s.value for s in allowed))
            raise InvalidStateError("error.incident_state", action=Term(action), ref=self.ref,
                                    status=self.status.value, expected=expected)


def _text(value: str, name: str, limit: int = TEXT_LIMIT, required: bool = True) -> str:
    return check_text(value, name, limit, required)


def _not_after(moment: datetime, at: datetime, name: str) -> datetime:
    """A time given for the past (detection, a notice sent) cannot be after its recording."""
    check_time(require_aware(moment), name)
    if moment > at:
        raise InvalidInputError("error.incident_time_after", field=name,
                                value=moment.isoformat(), at=at.isoformat())
    return moment
