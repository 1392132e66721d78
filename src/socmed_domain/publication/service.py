"""Stage 3's last step as a service (`app.publication`): publishing what is due through the
`Publisher` port, and settling outcomes that are unknown.

The publication protocol: the attempt is saved before the publisher is called, so an (item,
platform) is never posted twice; an unapproved item due at its slot expires instead; an
attempt left without an outcome is surfaced as 'unknown', never retried blindly; an open
incident's freeze holds due posts (`IncidentService.publication_hold`); a platform's daily
quota defers posts to a later run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from socmed_domain.actor import Actor
from socmed_domain.crisis.service import IncidentService
from socmed_domain.errors import ConflictError, InvalidStateError, SocmedError
from socmed_domain.i18n import render
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import RECORD_RETRIES, Kernel, StageService
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import EXPIRABLE, ContentItem, Status
from socmed_domain.production.index import ContentIndex
from socmed_domain.production.service import ContentService
from socmed_domain.publication.outcomes import (
    STALE_ATTEMPT,
    OutboundPost,
    PostReceipt,
    PublicationState,
)
from socmed_domain.publication.ports import OutcomeUnknownError, Publisher, PublishError
from socmed_domain.roles import Action, check_may
from socmed_domain.views import PublishLine


class PublicationService(StageService):
    """Publishing and its outcomes (SOP stage 3)."""

    def __init__(self, kernel: Kernel, content: ContentService, incidents: IncidentService,
                 *, publisher: Publisher | None = None,
                 index: ContentIndex | None = None) -> None:
        super().__init__(kernel)
        self.content = content
        self.incidents = incidents
        self.publisher = publisher
        self.index = index

    @property
    def rules(self) -> Mapping[Platform, PlatformRules]:
        """The platforms' publishing rules (the content service's, the one configuration)."""
        return self.content.rules

    def reconcile(self, actor_id: ActorRef, ref: str | UUID, platform: Platform,
                              receipt: PostReceipt | None, note: str) -> None:
        """Settle an unknown outcome by hand: the post was found (receipt) or is absent."""
        self.content.item_command(
            ref, lambda i, a, now: i.reconcile(a, platform, receipt, note, now), actor_id)

    def lookup(self, ref: str | UUID, platform: Platform) -> PostReceipt | None:
        """Ask the publisher whether the attempted post exists (to settle 'unknown')."""
        if self.publisher is None:
            raise InvalidStateError("error.generic", detail="no publisher is configured")
        item = self.content.item(self.content.resolve(ref))
        publication = item.publications.get(platform)
        revision = item.current_revision
        if publication is None or revision is None:
            raise InvalidStateError("error.no_outcome", ref=item.ref, platform=platform.value)
        post = OutboundPost(item_id=str(item.id), platform=platform,
                            body=revision.draft.body_for(platform),
                            media_uris=tuple(m.uri for m in revision.draft.media),
                            media=revision.draft.media,
                            revision_sha256=publication.revision_sha256,
                            idempotency_key=publication.idempotency_key, title=item.title)
        try:
            return self.publisher.find(post)
        except (PublishError, OutcomeUnknownError) as error:
            raise InvalidStateError("error.lookup_failed", ref=item.ref,
                                    platform=platform.value,
                                    detail=str(error) or type(error).__name__) from None

    def publish_due(self, actor_id: ActorRef) -> tuple[PublishLine, ...]:
        """Publish what is due now through the configured publisher; expire what is due but
        unapproved; surface interrupted attempts as unknown. Never posts an (item, platform)
        twice: the attempt is saved before the publisher is called."""
        if self.publisher is None:
            raise InvalidStateError("error.generic", detail="no publisher is configured")
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.PUBLISH_CONTENT)
        lines: list[PublishLine] = []
        candidates = (self.index.due_ids(self._now()) if self.index is not None
                      else self.content.ids())
        incidents = self.incidents.incidents_for_publishing()
        quota = QuotaWindow(self, self._now())
        for item_id in candidates:
            try:
                lines.extend(self._publish_item(item_id, actor, incidents, quota))
            except ConflictError:
                # Another publisher wrote to this item meanwhile; it owns this round.
                lines.append(PublishLine(str(item_id), "", "", "skipped",
                                         detail=render("recorded.another_publisher")))
        return tuple(lines)

    def publish_item(self, actor_id: ActorRef, item_id: UUID) -> tuple[PublishLine, ...]:
        """Publish ONE item if it is due: what a job taken from the queue at the item's slot
        does (`socmed worker` on PostgreSQL). The same protocol as `publish_due` for that
        item (attempt saved before the call, an interrupted attempt surfaced as unknown, an
        incident's freeze, the daily quotas, an unapproved item expired), so two workers
        given the same item never post it twice: the second one's save of the attempt
        conflicts, and it reports the item skipped. An item not (or no longer) due, or
        unknown, is nothing to do."""
        if self.publisher is None:
            raise InvalidStateError("error.generic", detail="no publisher is configured")
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.PUBLISH_CONTENT)
        if self._find(ContentItem, item_id) is None:
            return ()
        quota = QuotaWindow(self, self._now())
        try:
            return tuple(self._publish_item(item_id, actor,
                                            self.incidents.incidents_for_publishing(), quota))
        except ConflictError:
            return (PublishLine(str(item_id), "", "", "skipped",
                                detail=render("recorded.another_publisher")),)

    def due_items(self, actor_id: ActorRef) -> tuple[UUID, ...]:
        """The items whose slot has come and that are not settled (published, expired,
        withdrawn ...), oldest slot first: what a sweep hands out again, so an item whose
        job was never made, or whose retry or stale attempt waits, is not forgotten."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.PUBLISH_CONTENT)
        now = self._now()
        if self.index is not None:
            return tuple(self.index.due_ids(now))
        return tuple(item_id for item_id in self.content.ids()
                     if self.content.item(item_id).is_due(now))

    def _publish_item(self, item_id: UUID, actor: Actor, incidents: Sequence[Any] = (),
                      quota: QuotaWindow | None = None) -> list[PublishLine]:
        lines: list[PublishLine] = []
        item = self.content.item(item_id)
        now = self._now()
        lines.extend(self._surface_interrupted(item, actor, now))
        if not item.is_due(now):
            return lines
        if item.status in EXPIRABLE:
            item.expire(actor, now)
            self._save(item, "content", item.ref)
            slot_at = item.slot.at.isoformat() if item.slot else ""
            lines.append(PublishLine(str(item.id), item.title, "", "expired",
                                     detail=f"slot {slot_at}"))
            return lines
        if item.status not in (Status.SCHEDULED, Status.PUBLISHING):
            return lines
        hold = self.incidents.publication_hold(item, incidents) if item.due_platforms() else None
        if hold is not None:  # a crisis freeze (SOP stage 6): nothing is sent, nothing lost
            lines.append(PublishLine(str(item.id), item.title, "", "held", detail=hold))
            return lines
        for platform in item.due_platforms():
            if quota is not None and quota.exhausted(platform):
                lines.append(PublishLine(str(item.id), item.title, platform.value, "deferred",
                                         detail=quota.detail(platform)))
                continue
            try:
                line = self._publish_one(item, actor, platform)
                lines.append(line)
                if quota is not None and line.outcome in ("published", "unknown"):
                    quota.used(platform)
            except ConflictError:
                raise
            except SocmedError as error:
                # Refused by the final check before anything was recorded (e.g. a platform
                # rule tightened since scheduling): report it and carry on with the run.
                lines.append(PublishLine(str(item.id), item.title, platform.value, "blocked",
                                         detail=error.message()))
        return lines

    def _publish_one(self, item: ContentItem, actor: Actor, platform: Platform) -> PublishLine:
        assert self.publisher is not None
        post = item.begin_publication(actor, platform, self.rules, self._now())
        self._save(item, "content", item.ref)  # the attempt is on record before we call out
        record: Callable[[ContentItem], None]
        try:
            receipt = self.publisher.publish(post)
        except PublishError as error:
            reason, retryable = error.reason, error.retryable

            def record(i: ContentItem) -> None:
                i.record_failed(actor, platform, reason, retryable, self._now())
            outcome = "failed_retryable" if retryable else "failed"
            line = PublishLine(str(item.id), item.title, platform.value, outcome,
                               detail=reason)
        except OutcomeUnknownError as error:
            detail = str(error) or "no answer"

            def record(i: ContentItem) -> None:
                i.record_unknown(actor, platform, detail, self._now())
            line = PublishLine(str(item.id), item.title, platform.value, "unknown",
                               detail=detail)
        else:
            def record(i: ContentItem) -> None:
                i.record_published(actor, platform, receipt, self._now())
            line = PublishLine(str(item.id), item.title, platform.value, "published",
                               url=receipt.url)
        self._record_outcome(item, record)
        return line

    def _record_outcome(self, item: ContentItem, record: Callable[[ContentItem], None]) -> None:
        """The platform has answered: that answer must reach the log even if another
        publisher saved this item meanwhile (for another platform), so reload and record
        again rather than give up; the attempt for this platform is ours alone."""
        for _attempt in range(RECORD_RETRIES):
            record(item)
            try:
                self.save(item)
                return
            except IntegrityError:
                item = self.content.item(item.id)
        raise ConflictError(kind="content", ref=item.ref)

    def _surface_interrupted(self, item: ContentItem, actor: Actor,
                             now: datetime) -> list[PublishLine]:
        lines = []
        for platform, publication in list(item.publications.items()):
            if (publication.state is PublicationState.ATTEMPTING
                    and publication.attempted_at is not None
                    and now - publication.attempted_at >= STALE_ATTEMPT):
                reason = "interrupted: no outcome was recorded for this attempt"
                item.record_unknown(actor, platform, reason, now)
                self._save(item, "content", item.ref)
                lines.append(PublishLine(str(item.id), item.title, platform.value, "unknown",
                                         detail=reason))
        return lines


class QuotaWindow:
    """The platforms' daily publishing quotas (rules data) over the last 24 hours, counted
    once per run and kept up to date as the run posts; a post over quota is deferred to a
    later run, nothing recorded, never dropped."""

    def __init__(self, service: PublicationService, now: datetime) -> None:
        self.service = service
        self.since = now - timedelta(hours=24)
        self.counts: dict[Platform, int] = {}

    def _count(self, platform: Platform) -> int:
        if platform not in self.counts:
            index = self.service.index
            self.counts[platform] = (
                index.published_count(platform, self.since) if index is not None
                else self.service.content.published_count_scan(platform, self.since))
        return self.counts[platform]

    def limit(self, platform: Platform) -> int | None:
        return self.service.rules[platform].daily_quota

    def exhausted(self, platform: Platform) -> bool:
        limit = self.limit(platform)
        return limit is not None and self._count(platform) >= limit

    def used(self, platform: Platform) -> None:
        self.counts[platform] = self._count(platform) + 1

    def detail(self, platform: Platform) -> str:
        return render("recorded.quota_reached", limit=self.limit(platform),
                      platform=platform.value)
