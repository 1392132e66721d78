"""Stage 6 service (`app.incidents`): incidents, their escalation and statements, and the
publishing freeze.

The freeze is enforced where publishing happens: `publication_hold(item)` is asked by
`publish_due` before each item goes out. While an open incident freezes publishing, due
posts are held (nothing is recorded on the item; they go out at the first run after the
Marketing Manager releases the freeze or the incident is resolved), except the incident's own
official statements, which may go out once Legal has reviewed and the Marketing Manager has
approved the very revision that is due.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from socmed_domain.actor import Actor
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import (
    EscalationTarget,
    Incident,
    IncidentCategory,
    PdpRecipient,
    PostIncidentReview,
    ResponseKind,
)
from socmed_domain.crisis.report import IncidentReport, build_report
from socmed_domain.crisis.statements import StatementLink, statement_warning
from socmed_domain.errors import InvalidInputError, NotFoundError
from socmed_domain.i18n import render
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import Kernel, StageService
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.service import ContentService
from socmed_domain.roles import Role
from socmed_domain.views import AuditEntry

R = TypeVar("R")

INCIDENT_OPENED_TOPIC = get_topic(Incident.IncidentOpened)


class IncidentService(StageService):
    """Risk and crisis management (SOP stage 6)."""

    def __init__(self, kernel: Kernel, content: ContentService) -> None:
        super().__init__(kernel)
        self.content = content

    # --------------------------------------------------------------- commands

    def open_incident(self, actor_id: ActorRef, title: str, category: IncidentCategory,
                      description: str = "", *, alert_id: str | None = None,
                      signals: ImpactSignals | None = None,
                      detected_at: datetime | None = None,
                      aware_at: datetime | None = None, aware_reason: str = "") -> UUID:
        """Open an incident by hand or from a monitoring alert; for a personal data breach
        the UU PDP clock may start at a stated `aware_at` (with `aware_reason`) instead of
        the detection time."""
        actor = self.actor(actor_id)
        now = self._now()
        incident = Incident.open_new(actor, self.new_id(), title, category, description,
                                     now, alert_id=alert_id, signals=signals,
                                     detected_at=detected_at)
        if aware_at is not None or aware_reason.strip():
            if aware_at is None:
                raise InvalidInputError("error.empty", field="became aware at")
            incident.state_breach_awareness(actor, aware_at, aware_reason, now)
        self._save(incident, "incident", incident.ref)
        return incident.id

    def classify_incident(self, actor_id: ActorRef, ref: str | UUID, level: int, reason: str = "",
                          *, category: IncidentCategory | None = None,
                          signals: ImpactSignals | None = None,
                          breach_known_at: datetime | None = None) -> None:
        self._incident_command(ref, lambda i, a, now: i.classify(
            a, level, reason, now, category=category, signals=signals,
            breach_known_at=breach_known_at), actor_id)

    def escalate_incident(self, actor_id: ActorRef, ref: str | UUID, target: EscalationTarget,
                          note: str = "") -> None:
        self._incident_command(ref, lambda i, a, now: i.escalate(a, target, note, now),
                               actor_id)

    def acknowledge_incident(self, actor_id: ActorRef, ref: str | UUID, target: EscalationTarget,
                             note: str = "") -> None:
        self._incident_command(ref, lambda i, a, now: i.acknowledge(a, target, note, now),
                               actor_id)

    def log_incident_action(self, actor_id: ActorRef, ref: str | UUID, kind: ResponseKind,
                            text: str, content_ref: str | None = None) -> None:
        content_id = str(self.content.resolve(content_ref)) if content_ref else None
        self._incident_command(ref, lambda i, a, now: i.log_action(
            a, kind, text, now, content_item_id=content_id), actor_id)

    def link_statement(self, actor_id: ActorRef, ref: str | UUID, content_ref: str | UUID,
                       note: str = "") -> str:
        """Name the content item that is the incident's official statement."""
        content_id = str(self.content.resolve(content_ref))
        self._incident_command(ref, lambda i, a, now: i.link_statement(
            a, content_id, note, now), actor_id)
        return content_id

    def link_statement_checked(self, actor_id: ActorRef, ref: str | UUID,
                               content_ref: str | UUID, note: str = "") -> StatementLink:
        """`link_statement`, and whether the statement still needs a Legal review to go out
        (the warning a member gets at link time; docs/decisions.md, issue 17)."""
        content_id = self.link_statement(actor_id, ref, content_ref, note)
        item = self.content.item(UUID(content_id))
        return StatementLink(content_id, statement_warning(item, self._legal_reviewed(item)))

    def freeze_publishing(self, actor_id: ActorRef, ref: str | UUID, reason: str) -> None:
        self._incident_command(ref, lambda i, a, now: i.freeze_publishing(a, reason, now),
                               actor_id)

    def release_publishing(self, actor_id: ActorRef, ref: str | UUID, reason: str) -> None:
        self._incident_command(ref, lambda i, a, now: i.release_publishing(a, reason, now),
                               actor_id)

    def record_pdp_notice(self, actor_id: ActorRef, ref: str | UUID, recipient: PdpRecipient,
                          sent_at: datetime, summary: str) -> None:
        self._incident_command(ref, lambda i, a, now: i.record_pdp_notice(
            a, recipient, sent_at, summary, now), actor_id)

    def state_breach_awareness(self, actor_id: ActorRef, ref: str | UUID, aware_at: datetime,
                               reason: str) -> None:
        """Start the UU PDP clock of a breach at the stated time the company became aware."""
        self._incident_command(ref, lambda i, a, now: i.state_breach_awareness(
            a, aware_at, reason, now), actor_id)

    def resolve_incident(self, actor_id: ActorRef, ref: str | UUID, summary: str) -> None:
        self._incident_command(ref, lambda i, a, now: i.resolve(a, summary, now), actor_id)

    def review_incident(self, actor_id: ActorRef, ref: str | UUID,
                        review: PostIncidentReview) -> None:
        """Record the post-incident review; every follow-up owner must be a team member."""
        for follow_up in review.follow_ups:
            self.actor(follow_up.owner_id)
        self._incident_command(ref, lambda i, a, now: i.record_review(a, review, now),
                               actor_id)

    def close_incident(self, actor_id: ActorRef, ref: str | UUID, note: str = "") -> None:
        self._incident_command(ref, lambda i, a, now: i.close(a, note, now), actor_id)

    # ---------------------------------------------------------------- queries

    def incident_ids(self) -> Iterator[UUID]:
        """Every incident's id, oldest first. Incidents are few (tens a year), so this scan
        of the log's IncidentOpened notifications is cheap."""
        return self.kernel.ids_with_topic(INCIDENT_OPENED_TOPIC)

    def resolve_incident_ref(self, ref: str | UUID) -> UUID:
        """A full id or a unique prefix (4+ characters) of one."""
        text = str(ref).strip().lower()
        matches = [i for i in self.incident_ids() if str(i).startswith(text)] \
            if len(text) >= 4 else []
        if len(matches) > 1:
            raise InvalidInputError("error.ambiguous", ref=str(ref), count=len(matches),
                                    kind="incident")
        if not matches:
            raise NotFoundError(kind="incident", ref=str(ref), listing="incident list")
        return matches[0]

    def incident_report(self, ref: str | UUID) -> IncidentReport:
        """The SOP's incident report: timeline, decisions, statements, response times."""
        incident = self.incident(self.resolve_incident_ref(ref))
        return build_report(incident, now=self._now(),
                            statement_texts=self._statement_texts(incident))

    def _statement_texts(self, incident: Incident) -> dict[str, str]:
        """The words of each content item linked as a statement: the approved revision's
        text (the current revision's while none is approved)."""
        texts = {}
        for statement in incident.statements:
            try:
                item = self.content.item(UUID(statement.content_item_id))
            except (ValueError, NotFoundError):
                continue
            revision = item.current_revision
            if item.approval is not None:
                revision = next((r for r in item.revisions
                                 if r.sha256 == item.approval.revision_sha256), revision)
            if revision is not None:
                draft = revision.draft
                texts[statement.content_item_id] = draft.text or next(
                    (c.text for c in draft.captions), "")
        return texts

    def list_incidents(self, open_only: bool = False) -> tuple[IncidentReport, ...]:
        found = (self.incident(i) for i in self.incident_ids())
        now = self._now()
        return tuple(build_report(i, now=now) for i in found if i.is_open or not open_only)

    def incident_history(self, ref: str | UUID) -> tuple[AuditEntry, ...]:
        return self.kernel.history(self.resolve_incident_ref(ref))

    def freezes(self) -> tuple[tuple[str, str], ...]:
        """(ref, title) of each incident whose freeze on publishing holds now: the banner
        every console page shows."""
        return tuple((i.ref, i.title) for i in self.incidents_for_publishing()
                     if i.is_freezing_publishing)

    def incidents_for_publishing(self) -> tuple[Incident, ...]:
        """Every incident (few: tens a year), for publish_due's hold checks."""
        return tuple(self.incident(i) for i in self.incident_ids())

    def publication_hold(self, item: ContentItem,
                         incidents: Sequence[Incident]) -> str | None:
        """Why `item` may not go out now (None: it may). Used by `app.publication`.

        An incident's official statement goes out only after a Legal member passed the
        review of the revision the Marketing Manager approved, freeze or not; while an open
        incident freezes publishing, nothing else goes out."""
        item_id = str(item.id)
        own = [i for i in incidents if i.is_statement(item_id)]
        if own:
            if not self._legal_reviewed(item):
                return render("recorded.held_statement", ref=own[0].ref)
            return None
        freezing = [i for i in incidents if i.is_freezing_publishing]
        if freezing:
            refs = ", ".join(i.ref for i in freezing)
            return render("recorded.held_frozen", refs=refs)
        return None

    def _legal_reviewed(self, item: ContentItem) -> bool:
        """Whether a Legal member passed the review of the approved revision."""
        approval = item.approval
        if approval is None:
            return False
        for event in self.events.get(item.id):
            if (isinstance(event, ContentItem.Reviewed) and event.actor.role is Role.LEGAL
                    and event.outcome.passed
                    and event.outcome.revision_sha256 == approval.revision_sha256):
                return True
        return False

    def incident(self, incident_id: UUID) -> Incident:
        """The Incident aggregate (for the stage services)."""
        incident = self._find_any(incident_id)
        if not isinstance(incident, Incident):
            raise NotFoundError(kind="incident", ref=str(incident_id), listing="incident list")
        return incident

    def _incident_command(self, ref: str | UUID,
                          command: Callable[[Incident, Actor, datetime], R],
                          actor_id: ActorRef) -> R:
        return self._command_on(actor_id, lambda: self.resolve_incident_ref(ref),
                                self.incident, command, "incident")
