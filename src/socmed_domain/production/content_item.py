"""The ContentItem aggregate: one piece of content from idea to archive (SOP stages 2 and 3).

Life: idea -> draft (immutable revisions) -> in review (quality checklist) -> reviewed ->
awaiting approval -> approved or changes requested -> scheduled -> publishing -> published per
platform (or failed, outcome unknown) ; expired, withdrawn, archived.

Rules kept here, whatever order commands come in:
- an approval names the SHA-256 of the revision it approves, and a new revision voids it;
- no one reviews or approves a revision they wrote;
- the approval route bound to a revision when it was submitted (see `routing`) is followed:
  an approval is refused until every step it requires is recorded, by members other than
  the author and the approver, one step per person;
- only approved content whose current revision hashes as approved is ever handed to a publisher;
- each (item, platform) is published at most once, and an unknown outcome is never retried;
- content still unapproved when its slot comes expires instead of publishing.

Public methods check, then trigger an event; `apply` only changes state, so replaying the
stored events never re-runs a decision.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from attrs import evolve, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.bounds import check_time, within_range
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    PermissionDeniedError,
    RuleViolationError,
)
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import Term, render
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import (
    CHECKLIST_KEYS,
    ContentPolicy,
    Finding,
    automatic_findings,
    platform_findings,
    unchecked_findings,
)
from socmed_domain.production.revision import Draft, Revision, body_sha256
from socmed_domain.production.routing import (
    NO_ROUTES,
    ApprovalRoutes,
    BoundRoute,
    RouteSubject,
    StepRecord,
    missing_steps,
)
from socmed_domain.publication.outcomes import (
    STALE_ATTEMPT,
    OutboundPost,
    PlatformPublication,
    PostReceipt,
    PublicationState,
    Slot,
)
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware


class Status(enum.Enum):
    IDEA = "idea"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    AWAITING_APPROVAL = "awaiting_approval"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"


S = Status
REVISABLE = frozenset({S.IDEA, S.DRAFT, S.IN_REVIEW, S.REVIEWED, S.AWAITING_APPROVAL,
                       S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED})
SCHEDULABLE = frozenset({S.DRAFT, S.IN_REVIEW, S.REVIEWED, S.AWAITING_APPROVAL,
                         S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED})
CHANGES_REQUESTABLE = frozenset({S.IN_REVIEW, S.REVIEWED, S.AWAITING_APPROVAL, S.APPROVED,
                                 S.SCHEDULED})
PLANNABLE = frozenset({S.IDEA, S.DRAFT, S.IN_REVIEW, S.REVIEWED, S.AWAITING_APPROVAL,
                       S.CHANGES_REQUESTED, S.APPROVED})
EXPIRABLE = frozenset({S.DRAFT, S.IN_REVIEW, S.REVIEWED, S.AWAITING_APPROVAL,
                       S.CHANGES_REQUESTED})
WITHDRAWABLE = frozenset(set(Status) - {S.WITHDRAWN, S.EXPIRED, S.ARCHIVED})
ARCHIVABLE = frozenset({S.PUBLISHED, S.FAILED, S.EXPIRED, S.WITHDRAWN})
TERMINAL = frozenset({S.PUBLISHED, S.FAILED, S.EXPIRED, S.WITHDRAWN, S.ARCHIVED})
#: Decisions a platform's late answer must not undo: the answer is recorded, the status stays.
FINAL = frozenset({S.WITHDRAWN, S.ARCHIVED, S.EXPIRED})


@frozen
class ReviewOutcome:
    """What an internal review found: confirmed checklist items and every finding."""

    revision_number: int
    revision_sha256: str
    confirmed: tuple[str, ...]
    findings: tuple[Finding, ...]
    passed: bool


@frozen
class Approval:
    revision_number: int
    revision_sha256: str
    approver_id: str
    approved_at: datetime


class ContentItem(Aggregate):
    """A content item and its whole production and publication history."""

    def __init__(self) -> None:
        self.title = ""
        self.campaign_id: str | None = None
        self.created_by = ""
        self.status = Status.IDEA
        self.revisions: list[Revision] = []
        self.review: ReviewOutcome | None = None
        self.approval: Approval | None = None
        self.slot: Slot | None = None
        self.planned_slot: Slot | None = None
        self.publications: dict[Platform, PlatformPublication] = {}
        self.last_comment = ""
        #: The approval route of the current revision, bound when it was submitted.
        self.route: BoundRoute | None = None
        #: The route's steps recorded on the current revision.
        self.step_records: list[StepRecord] = []
        #: (item id, revision number) this item was cloned from, if it was.
        self.cloned_from: tuple[str, int] | None = None

    # ----------------------------------------------------------------- events

    class Created(AuditedEvent, Aggregate.Created):
        title: str
        campaign_id: str | None

        def apply(self, item: ContentItem) -> None:
            item.title = self.title
            item.campaign_id = self.campaign_id
            item.created_by = self.actor.member_id
            item.status = Status.IDEA

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Created", {"title": self.title})

    class Revised(AuditedEvent):
        revision: Revision

        def apply(self, item: ContentItem) -> None:
            item.revisions.append(self.revision)
            item.review = None
            item.approval = None
            item.route = None
            item.step_records = []
            item.status = Status.DRAFT

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Revised", {"revision": self.revision.number,
                                      "hash": self.revision.sha256[:12]})

        def stated_reason(self) -> str:
            return self.revision.note

    class SubmittedForReview(AuditedEvent):
        revision_number: int
        note: str
        #: The approval route bound to the revision (None: none applied, or recorded before
        #: routes existed).
        route: BoundRoute | None = None

        def apply(self, item: ContentItem) -> None:
            item.status = Status.IN_REVIEW
            item.route = self.route

        def describe(self) -> tuple[str, dict[str, Any]]:
            if self.route is not None and self.route.steps:
                return ("event.SubmittedForReviewRouted", {
                    "revision": self.revision_number, "route": self.route.names(),
                    "steps": ", ".join(s.key for s in self.route.steps)})
            return ("event.SubmittedForReview", {"revision": self.revision_number})

    class StepRecorded(AuditedEvent):
        """A step of the approval route recorded on a revision (a Legal compliance review,
        a second approver's sign-off, ...)."""

        step: str
        revision_number: int
        revision_sha256: str
        comment: str

        def apply(self, item: ContentItem) -> None:
            item.step_records.append(StepRecord(self.step, self.actor.member_id,
                                                self.revision_number, self.revision_sha256,
                                                self.comment))

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StepRecorded", {"step": self.step, "revision": self.revision_number,
                                           "hash": self.revision_sha256[:12]})

    class Reviewed(AuditedEvent):
        outcome: ReviewOutcome
        comment: str

        def apply(self, item: ContentItem) -> None:
            item.review = self.outcome
            item.status = Status.REVIEWED if self.outcome.passed else Status.CHANGES_REQUESTED
            item.last_comment = self.comment

        def describe(self) -> tuple[str, dict[str, Any]]:
            code = "event.ReviewPassed" if self.outcome.passed else "event.ReviewFailed"
            return (code, {"revision": self.outcome.revision_number,
                           "findings": len(self.outcome.findings)})

    class SubmittedForApproval(AuditedEvent):
        revision_number: int
        note: str

        def apply(self, item: ContentItem) -> None:
            item.status = Status.AWAITING_APPROVAL

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SubmittedForApproval", {"revision": self.revision_number})

    class Approved(AuditedEvent):
        revision_number: int
        revision_sha256: str
        comment: str

        def apply(self, item: ContentItem) -> None:
            item.approval = Approval(self.revision_number, self.revision_sha256,
                                     self.actor.member_id, self.timestamp)
            item.status = Status.SCHEDULED if item.slot else Status.APPROVED
            item.last_comment = self.comment

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Approved", {"revision": self.revision_number,
                                       "hash": self.revision_sha256[:12]})

    class ChangesRequested(AuditedEvent):
        revision_number: int
        comment: str

        def apply(self, item: ContentItem) -> None:
            item.approval = None
            item.step_records = []
            item.status = Status.CHANGES_REQUESTED
            item.last_comment = self.comment

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ChangesRequested", {"revision": self.revision_number})

    class Scheduled(AuditedEvent):
        slot: Slot

        def apply(self, item: ContentItem) -> None:
            item.slot = self.slot
            if item.status is Status.APPROVED:
                item.status = Status.SCHEDULED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Scheduled", {
                "at": self.slot.at.isoformat(),
                "platforms": ", ".join(p.value for p in self.slot.platforms)})

    class SlotPlanned(AuditedEvent):
        slot: Slot

        def apply(self, item: ContentItem) -> None:
            item.planned_slot = self.slot

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SlotPlanned", {
                "at": self.slot.at.isoformat(),
                "platforms": ", ".join(p.value for p in self.slot.platforms)})

    class PublicationAttempted(AuditedEvent):
        platform: Platform
        attempt: int
        idempotency_key: str
        revision_sha256: str
        body_sha256: str

        def apply(self, item: ContentItem) -> None:
            item.publications[self.platform] = PlatformPublication(
                self.platform, PublicationState.ATTEMPTING, self.attempt,
                self.idempotency_key, None, "", self.revision_sha256, self.body_sha256,
                self.timestamp)
            item.status = Status.PUBLISHING

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PublicationAttempted", {"platform": self.platform.value,
                                                   "attempt": self.attempt})

    class Published(AuditedEvent):
        platform: Platform
        receipt: PostReceipt

        def apply(self, item: ContentItem) -> None:
            item.publications[self.platform] = evolve(
                item.publications[self.platform], state=PublicationState.PUBLISHED,
                receipt=self.receipt, last_error="")
            item.status = item.settled_status()

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Published", {"platform": self.platform.value,
                                        "url": self.receipt.url})

    class PublicationFailed(AuditedEvent):
        platform: Platform
        reason: str
        retryable: bool

        def apply(self, item: ContentItem) -> None:
            state = PublicationState.RETRYABLE if self.retryable else PublicationState.FAILED
            item.publications[self.platform] = evolve(
                item.publications[self.platform], state=state, last_error=self.reason)
            item.status = item.settled_status()

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PublicationFailed", {"platform": self.platform.value,
                                                "retryable": self.retryable})

    class PublicationOutcomeUnknown(AuditedEvent):
        platform: Platform
        reason: str

        def apply(self, item: ContentItem) -> None:
            item.publications[self.platform] = evolve(
                item.publications[self.platform], state=PublicationState.UNKNOWN,
                last_error=self.reason)
            item.status = item.settled_status()

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PublicationOutcomeUnknown", {"platform": self.platform.value})

    class PublicationReconciled(AuditedEvent):
        """An unknown outcome settled: found on the platform, or confirmed absent."""

        platform: Platform
        receipt: PostReceipt | None
        note: str

        def apply(self, item: ContentItem) -> None:
            current = item.publications[self.platform]
            if self.receipt is not None:
                item.publications[self.platform] = evolve(
                    current, state=PublicationState.PUBLISHED, receipt=self.receipt,
                    last_error="")
            else:
                item.publications[self.platform] = evolve(
                    current, state=PublicationState.RETRYABLE,
                    last_error="confirmed not published")
            item.status = item.settled_status()

        def describe(self) -> tuple[str, dict[str, Any]]:
            found = "found" if self.receipt else "absent"
            return ("event.PublicationReconciled", {"platform": self.platform.value,
                                                    "found": found})

    class Expired(AuditedEvent):
        scheduled_at: datetime
        reason: str

        def apply(self, item: ContentItem) -> None:
            item.status = Status.EXPIRED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Expired", {"at": self.scheduled_at.isoformat()})

    class Withdrawn(AuditedEvent):
        reason: str

        def apply(self, item: ContentItem) -> None:
            item.status = Status.WITHDRAWN

    class Archived(AuditedEvent):
        note: str

        def apply(self, item: ContentItem) -> None:
            item.status = Status.ARCHIVED

    class ClonedFrom(AuditedEvent):
        """Provenance of a clone: the item and the revision it was copied from."""

        source_id: str
        source_revision: int
        source_sha256: str

        def apply(self, item: ContentItem) -> None:
            item.cloned_from = (self.source_id, self.source_revision)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ClonedFrom", {"source": self.source_id[:8],
                                         "revision": self.source_revision,
                                         "hash": self.source_sha256[:12]})

    # --------------------------------------------------------------- commands

    @classmethod
    def create(cls, actor: Actor, item_id: UUID, title: str, campaign_id: str | None,
               at: datetime) -> ContentItem:
        check_may(actor.member_id, actor.role, Action.CREATE_CONTENT)
        if not title.strip():
            raise InvalidInputError("error.empty", field="title")
        if len(title) > 200:
            raise InvalidInputError("error.too_long", field="title", length=len(title),
                                    limit=200)
        return cls._create(cls.Created, id=item_id, timestamp=require_aware(at), actor=actor,
                           title=title.strip(), campaign_id=campaign_id or None)

    def revise(self, actor: Actor, draft: Draft, note: str, at: datetime) -> Revision:
        """Save a new immutable revision; it voids any review and approval."""
        check_may(actor.member_id, actor.role, Action.REVISE_CONTENT)
        self._check_status("revise", REVISABLE)
        draft.validate()
        revision = Revision(number=len(self.revisions) + 1, draft=draft,
                            author_id=actor.member_id, sha256=draft.sha256(), note=note)
        self.trigger_event(self.Revised, timestamp=require_aware(at), actor=actor,
                           revision=revision)
        return revision

    def submit_for_review(self, actor: Actor, note: str, at: datetime,
                          routes: ApprovalRoutes = NO_ROUTES,
                          campaign_name: str = "") -> BoundRoute | None:
        """Submit the current revision for review, binding it to the approval route the
        company's `routes` choose for it now (the same revision submitted again keeps every
        step it was bound to before)."""
        check_may(actor.member_id, actor.role, Action.SUBMIT_FOR_REVIEW)
        self._check_status("submit for review", {S.DRAFT, S.CHANGES_REQUESTED})
        revision = self.current_revision_or_raise()
        subject = RouteSubject(revision.draft, self.campaign_id, campaign_name)
        bound: BoundRoute | None = routes.bind(subject, revision.number, revision.sha256)
        bound = bound.keeping(self.route) if bound is not None else None
        if bound is not None and not bound.steps and not bound.matches:
            bound = None
        self.trigger_event(self.SubmittedForReview, timestamp=require_aware(at), actor=actor,
                           revision_number=revision.number, note=note, route=bound)
        return bound

    def record_step(self, actor: Actor, step: str, revision_sha256: str | None,
                    comment: str, at: datetime, require_hash: bool = False) -> StepRecord:
        """Record a step the revision's approval route requires (a Legal compliance
        review, a second approver, a named group's sign-off), naming the revision read."""
        self._check_status("record an approval step",
                           {S.IN_REVIEW, S.REVIEWED, S.AWAITING_APPROVAL})
        revision = self.current_revision_or_raise()
        route = self.route
        required = route.step(step) if route is not None else None
        if route is None or required is None:
            raise InvalidInputError(
                "error.route_step_unknown", ref=self.ref, value=step,
                steps=", ".join(s.key for s in route.steps) if route is not None else "-")
        self._check_not_author(actor, revision, "record an approval step")
        if not required.eligible(actor):
            raise PermissionDeniedError("error.route_step_not_eligible", actor=str(actor),
                                        value=step, who=required.who())
        self._check_hash(revision, revision_sha256, require_hash, "error.step_needs_hash")
        for record in self.step_records:
            if record.revision_sha256 != revision.sha256:
                continue
            if record.step == step:
                raise InvalidStateError("error.route_step_done", ref=self.ref, value=step,
                                        member=record.member_id)
            if record.member_id == actor.member_id:
                raise PermissionDeniedError("error.route_step_same_person",
                                            actor=actor.member_id, value=step,
                                            done=record.step)
        self.trigger_event(self.StepRecorded, timestamp=require_aware(at), actor=actor,
                           step=step, revision_number=revision.number,
                           revision_sha256=revision.sha256, comment=comment)
        return self.step_records[-1]

    def missing_steps(self, approver_id: str | None = None) -> tuple[str, ...]:
        """The keys of the bound steps not validly recorded yet (for `approver_id`: a step
        the approver recorded does not count towards their own approval)."""
        revision = self.current_revision
        if revision is None:
            return ()
        return tuple(s.key for s in missing_steps(self.route, self.step_records,
                                                    revision.author_id, approver_id))

    def review_quality(self, actor: Actor, confirmed: Iterable[str], comment: str,
                       policy: ContentPolicy, rules: Mapping[Platform, PlatformRules],
                       at: datetime, checklist: Sequence[str] = CHECKLIST_KEYS
                       ) -> ReviewOutcome:
        """Record the checklist review; it passes only with every item confirmed and no
        automatic finding."""
        check_may(actor.member_id, actor.role, Action.REVIEW_CONTENT)
        self._check_status("review", {S.IN_REVIEW})
        revision = self.current_revision_or_raise()
        self._check_not_author(actor, revision, "review")
        confirmed_keys = tuple(sorted(set(confirmed)))
        findings = automatic_findings(revision.draft, policy, rules) + unchecked_findings(
            confirmed_keys, checklist)
        outcome = ReviewOutcome(revision.number, revision.sha256, confirmed_keys, findings,
                                passed=not findings)
        if not outcome.passed and not comment.strip():
            comment = "; ".join(f.message() for f in findings)
        self.trigger_event(self.Reviewed, timestamp=require_aware(at), actor=actor,
                           outcome=outcome, comment=comment)
        return outcome

    def submit_for_approval(self, actor: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.SUBMIT_FOR_APPROVAL)
        self._check_status("submit for approval", {S.REVIEWED})
        revision = self.current_revision_or_raise()
        self.trigger_event(self.SubmittedForApproval, timestamp=require_aware(at), actor=actor,
                           revision_number=revision.number, note=note)

    def approve(self, actor: Actor, revision_sha256: str | None, comment: str,
                at: datetime, require_hash: bool = False) -> Approval:
        """Approve the current revision; `revision_sha256` (or a prefix of it), when given,
        must name it, so an approver approves exactly what they read. `require_hash`
        refuses an approval that names none (entry points that cannot show the revision)."""
        check_may(actor.member_id, actor.role, Action.APPROVE_CONTENT)
        self._check_status("approve", {S.AWAITING_APPROVAL})
        revision = self.current_revision_or_raise()
        self._check_not_author(actor, revision, "approve")
        if self.slot is not None and self.slot.at <= at:
            raise InvalidStateError("error.slot_passed", ref=self.ref,
                                    at=self.slot.at.isoformat(sep=" ", timespec="minutes"))
        self._check_hash(revision, revision_sha256, require_hash, "error.approve_needs_hash")
        if self.slot is not None:
            dropped = [p for p in self.slot.platforms if p not in revision.draft.platforms]
            if dropped:
                raise InvalidStateError("error.slot_not_targeted", ref=self.ref,
                                        platforms=", ".join(p.value for p in dropped),
                                        revision=revision.number)
        missing = missing_steps(self.route, self.step_records, revision.author_id,
                                actor.member_id)
        if missing:
            assert self.route is not None
            raise InvalidStateError("error.route_steps_missing", ref=self.ref,
                                    route=self.route.names(),
                                    steps=", ".join(s.describe() for s in missing))
        self.trigger_event(self.Approved, timestamp=require_aware(at), actor=actor,
                           revision_number=revision.number, revision_sha256=revision.sha256,
                           comment=comment)
        assert self.approval is not None
        return self.approval

    def request_changes(self, actor: Actor, comment: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.REQUEST_CHANGES)
        self._check_status("request changes", CHANGES_REQUESTABLE)
        if not comment.strip():
            raise InvalidInputError("error.comment_required", action="request changes")
        revision = self.current_revision_or_raise()
        self.trigger_event(self.ChangesRequested, timestamp=require_aware(at), actor=actor,
                           revision_number=revision.number, comment=comment)

    def schedule(self, actor: Actor, when: datetime, platforms: Iterable[Platform],
                 rules: Mapping[Platform, PlatformRules], at: datetime) -> Slot:
        """Book the slot after the final check (caption, hashtags, format) of stage 3."""
        check_may(actor.member_id, actor.role, Action.SCHEDULE_CONTENT)
        self._check_status("schedule", SCHEDULABLE)
        revision = self.current_revision_or_raise()
        check_time(require_aware(when), "slot")
        now = require_aware(at)
        if when <= now:
            raise InvalidInputError(
                "error.past_time", value=when.isoformat(sep=" ", timespec="minutes"),
                now=now.astimezone(when.tzinfo).isoformat(sep=" ", timespec="minutes"))
        chosen = tuple(sorted(set(platforms), key=list(Platform).index)) or (
            revision.draft.platforms)
        for platform in chosen:
            if platform not in revision.draft.platforms:
                raise InvalidInputError(
                    "error.platform_not_targeted", platform=platform.value,
                    revision=revision.number,
                    targets=", ".join(p.value for p in revision.draft.platforms))
        self._raise_on_findings(platform_findings(revision.draft, chosen, rules))
        slot = Slot(at=when, platforms=chosen)
        self.trigger_event(self.Scheduled, timestamp=now, actor=actor, slot=slot)
        return slot

    def plan_slot(self, actor: Actor, when: datetime, platforms: Iterable[Platform],
                  at: datetime) -> Slot:
        """Pencil an idea or a draft into the content calendar. A planned slot publishes
        nothing: only `schedule` (after the final check) books a post."""
        check_may(actor.member_id, actor.role, Action.PLAN_CALENDAR)
        if self.status not in PLANNABLE:
            raise InvalidStateError("error.planned_slot_state", ref=self.ref,
                                    status=self.status.value)
        chosen = tuple(sorted(set(platforms), key=list(Platform).index))
        if not chosen:
            raise InvalidInputError("error.empty", field="platforms")
        slot = Slot(at=check_time(require_aware(when), "planned slot"), platforms=chosen)
        self.trigger_event(self.SlotPlanned, timestamp=require_aware(at), actor=actor, slot=slot)
        return slot

    def is_due(self, now: datetime) -> bool:
        """A slot outside the documented range (only in stores written before the range was
        enforced) is never due: it is not published; `socmed doctor` names it."""
        return self.slot is not None and within_range(self.slot.at) and self.slot.at <= now \
            and self.status not in TERMINAL

    def due_platforms(self) -> tuple[Platform, ...]:
        """Platforms of the slot that may be attempted now: never published, never unknown."""
        if self.slot is None:
            return ()
        ready = []
        for platform in self.slot.platforms:
            publication = self.publications.get(platform)
            if publication is None or publication.state is PublicationState.RETRYABLE:
                ready.append(platform)
        return tuple(ready)

    def expire(self, actor: Actor, at: datetime) -> None:
        """Content still unapproved at its slot expires instead of publishing."""
        self._check_status("expire", EXPIRABLE)
        assert self.slot is not None
        self.trigger_event(self.Expired, timestamp=require_aware(at), actor=actor,
                           scheduled_at=self.slot.at,
                           reason=render("recorded.not_approved_by_slot",
                                         status=self.status.value))

    def begin_publication(self, actor: Actor, platform: Platform,
                          rules: Mapping[Platform, PlatformRules], at: datetime) -> OutboundPost:
        """Record the attempt before calling out, and return exactly what may be posted."""
        check_may(actor.member_id, actor.role, Action.PUBLISH_CONTENT)
        self._check_status("publish", {S.SCHEDULED, S.PUBLISHING})
        revision = self.current_revision_or_raise()
        approval = self.approval
        if approval is None or approval.revision_sha256 != revision.sha256:
            raise InvalidStateError(action=Term("publish"), ref=self.ref, status="not approved",
                                    expected="approved")
        if self.slot is not None and approval.approved_at > self.slot.at:
            raise InvalidStateError("error.slot_passed", ref=self.ref,
                                    at=self.slot.at.isoformat(sep=" ", timespec="minutes"))
        if revision.draft.sha256() != approval.revision_sha256:
            raise InvalidStateError(action=Term("publish"), ref=self.ref, status="altered",
                                    expected="byte-for-byte the approved revision")
        if self.slot is None or platform not in self.slot.platforms:
            raise InvalidInputError("error.platform_not_targeted", platform=platform.value,
                                    revision=revision.number, targets="the scheduled slot")
        if platform not in revision.draft.platforms:
            raise InvalidInputError("error.platform_not_targeted", platform=platform.value,
                                    revision=revision.number,
                                    targets=", ".join(p.value for p in revision.draft.platforms))
        if platform not in self.due_platforms():
            raise InvalidStateError("error.already_published", ref=self.ref,
                                    platform=platform.value)
        self._raise_on_findings(platform_findings(revision.draft, (platform,), rules))
        body = revision.draft.body_for(platform)
        previous = self.publications.get(platform)
        key = f"{self.id}:{platform.value}:{revision.sha256[:16]}"
        self.trigger_event(
            self.PublicationAttempted, timestamp=require_aware(at), actor=actor,
            platform=platform, attempt=(previous.attempts if previous else 0) + 1,
            idempotency_key=key, revision_sha256=revision.sha256,
            body_sha256=body_sha256(body))
        return OutboundPost(
            item_id=str(self.id), platform=platform, body=body,
            media_uris=tuple(m.uri for m in revision.draft.media), media=revision.draft.media,
            revision_sha256=revision.sha256, idempotency_key=key, title=self.title,
            sponsored=revision.draft.sponsored, own_brand=revision.draft.own_brand,
            ai_generated=revision.draft.ai_generated)

    def record_published(self, actor: Actor, platform: Platform, receipt: PostReceipt,
                         at: datetime) -> None:
        """The platform's own answer that the post exists. It is recorded even when the
        attempt was meanwhile surfaced as unknown or settled as absent: a late answer is the
        truth, and dropping it would let the next run post a second time."""
        self._check_publication(platform, {PublicationState.ATTEMPTING, PublicationState.UNKNOWN,
                                           PublicationState.RETRYABLE})
        self.trigger_event(self.Published, timestamp=require_aware(at), actor=actor,
                           platform=platform, receipt=receipt)

    def record_failed(self, actor: Actor, platform: Platform, reason: str, retryable: bool,
                      at: datetime) -> None:
        self._check_publication(platform, {PublicationState.ATTEMPTING})
        self.trigger_event(self.PublicationFailed, timestamp=require_aware(at), actor=actor,
                           platform=platform, reason=reason, retryable=retryable)

    def record_unknown(self, actor: Actor, platform: Platform, reason: str,
                       at: datetime) -> None:
        self._check_publication(platform, {PublicationState.ATTEMPTING})
        self.trigger_event(self.PublicationOutcomeUnknown, timestamp=require_aware(at),
                           actor=actor, platform=platform, reason=reason)

    def reconcile(self, actor: Actor, platform: Platform, receipt: PostReceipt | None,
                  note: str, at: datetime) -> None:
        """Settle an unknown (or interrupted) attempt from what the platform shows."""
        check_may(actor.member_id, actor.role, Action.RECONCILE_PUBLICATION)
        self._check_publication(platform, {PublicationState.UNKNOWN,
                                           PublicationState.ATTEMPTING})
        publication = self.publications[platform]
        started = publication.attempted_at
        if (publication.state is PublicationState.ATTEMPTING and started is not None
                and require_aware(at) - started < STALE_ATTEMPT):
            raise InvalidStateError(
                "error.attempt_in_progress", ref=self.ref, platform=platform.value,
                started=started.isoformat(sep=" ", timespec="minutes"),
                after=(started + STALE_ATTEMPT).isoformat(sep=" ", timespec="minutes"))
        self.trigger_event(self.PublicationReconciled, timestamp=require_aware(at),
                           actor=actor, platform=platform, receipt=receipt, note=note)

    def withdraw(self, actor: Actor, reason: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.WITHDRAW_CONTENT)
        self._check_status("withdraw", WITHDRAWABLE)
        if not reason.strip():
            raise InvalidInputError("error.comment_required", action="withdraw")
        self.trigger_event(self.Withdrawn, timestamp=require_aware(at), actor=actor,
                           reason=reason)

    def archive(self, actor: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.ARCHIVE_CONTENT)
        self._check_status("archive", ARCHIVABLE)
        self.trigger_event(self.Archived, timestamp=require_aware(at), actor=actor, note=note)

    def record_clone_source(self, actor: Actor, source: ContentItem, at: datetime) -> None:
        """Record, on a new item, the item and revision it copies (before its own first
        revision); an item is cloned once, from an item other than itself."""
        check_may(actor.member_id, actor.role, Action.CREATE_CONTENT)
        if self.cloned_from is not None or self.revisions or source.id == self.id:
            raise InvalidStateError(action=Term("clone"), ref=self.ref,
                                    status=self.status.value, expected="a new item")
        revision = source.current_revision
        self.trigger_event(self.ClonedFrom, timestamp=require_aware(at), actor=actor,
                           source_id=str(source.id),
                           source_revision=revision.number if revision else 0,
                           source_sha256=revision.sha256 if revision else "")

    # ---------------------------------------------------------------- queries

    @property
    def ref(self) -> str:
        return str(self.id)[:8]

    @property
    def current_revision(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None

    def current_revision_or_raise(self) -> Revision:
        if not self.revisions:
            raise InvalidStateError("error.no_revision", ref=self.ref)
        return self.revisions[-1]

    def settled_status(self) -> Status:
        """PUBLISHED once every slot platform is settled with at least one post, FAILED when
        all failed for good, otherwise still PUBLISHING; a withdrawn, archived or expired
        item keeps that status whatever a platform answers later."""
        if self.status in FINAL:
            return self.status
        assert self.slot is not None
        states = [self.publications[p].state if p in self.publications else None
                  for p in self.slot.platforms]
        if all(s in (PublicationState.PUBLISHED, PublicationState.FAILED) for s in states):
            if PublicationState.PUBLISHED in states:
                return Status.PUBLISHED
            return Status.FAILED
        return Status.PUBLISHING

    # ---------------------------------------------------------------- guards

    def _check_status(self, action: str, allowed: Iterable[Status]) -> None:
        allowed = set(allowed)
        if self.status not in allowed:
            expected = " or ".join(sorted(s.value for s in allowed))
            raise InvalidStateError(action=Term(action), ref=self.ref, status=self.status.value,
                                    expected=expected)

    def _check_publication(self, platform: Platform, allowed: set[PublicationState]) -> None:
        publication = self.publications.get(platform)
        if publication is None or publication.state not in allowed:
            raise InvalidStateError("error.no_outcome", ref=self.ref, platform=platform.value)

    @staticmethod
    def _check_not_author(actor: Actor, revision: Revision, action: str) -> None:
        if revision.author_id == actor.member_id:
            raise PermissionDeniedError("error.self_approval", actor=actor.member_id,
                                        revision=revision.number, action=Term(action))

    def _check_hash(self, revision: Revision, given: str | None, require_hash: bool,
                    missing_code: str) -> None:
        """`given` (a prefix of at least 8 characters) must name the current revision."""
        if require_hash and given is None:
            raise InvalidInputError(missing_code, ref=self.ref)
        if given is not None and len(given) < 8:
            raise InvalidInputError("error.hash_too_short", given=given)
        if given is not None and not revision.sha256.startswith(given.lower()):
            raise InvalidInputError("error.hash_mismatch", given=given,
                                    revision=revision.number, current=revision.sha256[:12])

    @staticmethod
    def _raise_on_findings(findings: tuple[Finding, ...]) -> None:
        if findings:
            raise RuleViolationError(
                "error.final_check", count=len(findings),
                findings=findings)
