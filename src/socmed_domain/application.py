"""SocmedApplication: the only way into the aggregates.

Each command resolves the acting member from the Team, loads the aggregate, runs its guarded
command and saves; a refused command raises a SocmedError before anything is saved. Storage is
chosen by the eventsourcing environment (POPO, SQLite, PostgreSQL), never here; the clock and
the publisher are injected by the composition root (socmed_adapters.bootstrap).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording, Transcoder
from eventsourcing.utils import get_topic

from socmed_domain.actor import Actor
from socmed_domain.crisis.commands import IncidentCommands
from socmed_domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    SocmedError,
)
from socmed_domain.evaluation.commands import EvaluationCommands
from socmed_domain.events import AuditedEvent
from socmed_domain.monitoring.commands import InboxCommands
from socmed_domain.monitoring.replies import ReplySender
from socmed_domain.monitoring.vault import PersonalDataVault
from socmed_domain.planning.campaign import Campaign, CampaignPlan, CampaignStatus
from socmed_domain.planning.commands import PlanningCommands
from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES, PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import EXPIRABLE, ContentItem, ReviewOutcome, Status
from socmed_domain.production.quality import ContentPolicy
from socmed_domain.production.revision import Draft, Revision
from socmed_domain.publication.outcomes import (
    STALE_ATTEMPT,
    OutboundPost,
    PostReceipt,
    PublicationState,
    Slot,
)
from socmed_domain.publication.ports import OutcomeUnknownError, Publisher, PublishError
from socmed_domain.roles import Action, Role, check_may
from socmed_domain.team import TEAM_ID, Member, Team
from socmed_domain.timezones import require_aware
from socmed_domain.transcoding import SocmedTranscoder, register_value_types
from socmed_domain.views import (
    AuditEntry,
    CampaignDetail,
    CampaignSummary,
    ContentDetail,
    ContentSummary,
    PublishLine,
)

Clock = Callable[[], datetime]
A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")

CONTENT_CREATED_TOPIC = get_topic(ContentItem.Created)
CAMPAIGN_PLANNED_TOPIC = get_topic(Campaign.CampaignPlanned)
#: An attempt with no recorded outcome after this long is surfaced as 'unknown'.
CONFLICT_RETRIES = 3
_ID_PREFIX = re.compile(r"^[0-9a-f-]+$")
PAGE = 500


class ContentIndex(Protocol):
    """Finds content ids without loading every aggregate (a read model answers it)."""

    def ids_with_prefix(self, prefix: str) -> list[UUID]: ...

    def due_ids(self, now: datetime) -> list[UUID]:
        """Items whose slot has come and that are not yet settled."""
        ...

    def published_count(self, platform: Platform, since: datetime) -> int:
        """Posts that went out on `platform` at or after `since` (for daily quotas)."""
        ...


class _CollectedEvents(ProcessingEvent[UUID]):
    """eventsourcing's ProcessingEvent, told our aggregates apart by their class: its own
    check is a runtime Protocol isinstance per object, costlier than the rest of collecting
    (Python 3.11 walks the protocol's members on every check)."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        for obj in objs:
            if isinstance(obj, Aggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's projector without its per-event runtime Protocol check (the check
    costs more than applying the event; every stored event here is an Aggregate event)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class SocmedApplication(PlanningCommands, IncidentCommands, EvaluationCommands,
                        InboxCommands, Application[UUID]):
    """SOP-0042 as an event-sourced application."""

    name = "socmed"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Clock,
        publisher: Publisher | None = None,
        rules: Mapping[Platform, PlatformRules] | None = None,
        policy: ContentPolicy | None = None,
        index: ContentIndex | None = None,
        new_id: Callable[[], UUID] = uuid4,
        vault: PersonalDataVault | None = None,
        reply_sender: ReplySender | None = None,
    ) -> None:
        super().__init__(env=env)
        self._team_cache: Team | None = None
        self.index = index
        self.new_id = new_id
        self.clock = clock
        self.publisher = publisher
        self.rules: Mapping[Platform, PlatformRules] = rules or DEFAULT_PLATFORM_RULES
        self.policy = policy or ContentPolicy()
        self.vault = vault  # personal data of the audience (stage 4)
        self.reply_sender = reply_sender

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Application.save (eventsourcing 9.5), collecting through `_CollectedEvents`."""
        processing_event = _CollectedEvents()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in the library, still called
        return recordings

    def construct_transcoder(self) -> Transcoder:
        transcoder = SocmedTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_types(transcoder)

    # ------------------------------------------------------------------ team

    def initialise(self, organisation: str, manager_id: str, manager_name: str) -> None:
        """Found the team with its first Marketing Manager (`socmed init`)."""
        if self._find(Team, TEAM_ID) is not None:
            raise InvalidStateError("error.already_initialised")
        self._save(Team.found(organisation, manager_id, manager_name, self._now()), "team", "")

    def is_initialised(self) -> bool:
        return self._find(Team, TEAM_ID) is not None

    def add_member(self, actor_id: str, member_id: str, name: str, role: Role) -> None:
        self._team_command(lambda team: team.add_member(
            team.actor(actor_id), member_id, name, role, self._now()), member_id)

    def change_role(self, actor_id: str, member_id: str, role: Role, reason: str) -> None:
        self._team_command(lambda team: team.change_role(
            team.actor(actor_id), member_id, role, reason, self._now()), member_id)

    def deactivate_member(self, actor_id: str, member_id: str, reason: str) -> None:
        self._team_command(lambda team: team.deactivate(
            team.actor(actor_id), member_id, reason, self._now()), member_id)

    def list_members(self) -> tuple[Member, ...]:
        return tuple(sorted(self._team_read().members.values(), key=lambda m: m.member_id))

    def organisation(self) -> str:
        return self._team_read().organisation

    def actor(self, member_id: str) -> Actor:
        """The member as they act now; refuses unknown and deactivated members."""
        return self._team_read().actor(member_id)

    def _team_read(self) -> Team:
        """The team for reading roles, kept in memory and brought up to date with the few
        events recorded since (by any process): every command needs it, few change it."""
        cached = self._team_cache
        if cached is None:
            cached = self._team()
        else:
            for event in self.events.get(TEAM_ID, gt=cached.version):
                cast(AuditedEvent, event).mutate(cached)
        self._team_cache = cached
        return cached

    # --------------------------------------------------------------- content

    def create_content(self, actor_id: str, title: str, draft: Draft | None = None,
                       campaign_id: str | None = None, note: str = "") -> UUID:
        """Start an item as an idea, or straight away with its first draft."""
        actor = self.actor(actor_id)
        now = self._now()
        campaign = self._campaign_for_new_content(actor, campaign_id)
        item = ContentItem.create(actor, self.new_id(), title,
                                  str(campaign.id) if campaign else None, now)
        if draft is not None:
            item.revise(actor, draft, note, now)
        self._save(item, "content", str(item.id))
        return item.id

    def revise_content(self, actor_id: str, ref: str | UUID, draft: Draft,
                       note: str = "") -> Revision:
        def revise(item: ContentItem, actor: Actor, now: datetime) -> Revision:
            self._check_agency_scope(actor, item)
            return item.revise(actor, draft, note, now)
        return self._command(ref, revise, actor_id)

    def submit_for_review(self, actor_id: str, ref: str | UUID, note: str = "") -> None:
        def submit(item: ContentItem, actor: Actor, now: datetime) -> None:
            self._check_agency_scope(actor, item)
            item.submit_for_review(actor, note, now)
        self._command(ref, submit, actor_id)

    def review_content(self, actor_id: str, ref: str | UUID, confirmed: Iterable[str],
                       comment: str = "") -> ReviewOutcome:
        keys = tuple(confirmed)
        return self._command(
            ref, lambda i, a, now: i.review_quality(a, keys, comment, self.effective_policy(),
                                                     self.rules, now), actor_id)

    def submit_for_approval(self, actor_id: str, ref: str | UUID, note: str = "") -> None:
        self._command(ref, lambda i, a, now: i.submit_for_approval(a, note, now), actor_id)

    def approve_content(self, actor_id: str, ref: str | UUID,
                        revision_sha256: str | None = None, comment: str = "") -> str:
        """Approve the current revision; returns the approved revision's SHA-256."""
        approval = self._command(
            ref, lambda i, a, now: i.approve(a, revision_sha256, comment, now), actor_id)
        return approval.revision_sha256

    def request_changes(self, actor_id: str, ref: str | UUID, comment: str) -> None:
        self._command(ref, lambda i, a, now: i.request_changes(a, comment, now), actor_id)

    def schedule_content(self, actor_id: str, ref: str | UUID, when: datetime,
                         platforms: Sequence[Platform] = ()) -> Slot:
        require_aware(when)
        return self._command(
            ref, lambda i, a, now: i.schedule(a, when, platforms, self.rules, now), actor_id)

    def withdraw_content(self, actor_id: str, ref: str | UUID, reason: str) -> None:
        self._command(ref, lambda i, a, now: i.withdraw(a, reason, now), actor_id)

    def archive_content(self, actor_id: str, ref: str | UUID, note: str = "") -> None:
        self._command(ref, lambda i, a, now: i.archive(a, note, now), actor_id)

    def reconcile_publication(self, actor_id: str, ref: str | UUID, platform: Platform,
                              receipt: PostReceipt | None, note: str) -> None:
        """Settle an unknown outcome by hand: the post was found (receipt) or is absent."""
        self._command(ref, lambda i, a, now: i.reconcile(a, platform, receipt, note, now),
                      actor_id)

    def lookup_publication(self, ref: str | UUID, platform: Platform) -> PostReceipt | None:
        """Ask the publisher whether the attempted post exists (to settle 'unknown')."""
        if self.publisher is None:
            raise InvalidStateError("error.generic", detail="no publisher is configured")
        item = self._get(ContentItem, self.resolve_content(ref))
        publication = item.publications.get(platform)
        revision = item.current_revision
        if publication is None or revision is None:
            raise InvalidStateError("error.no_outcome", ref=item.ref, platform=platform.value)
        post = OutboundPost(item_id=str(item.id), platform=platform,
                            body=revision.draft.body_for(platform),
                            media_uris=tuple(m.uri for m in revision.draft.media),
                            revision_sha256=publication.revision_sha256,
                            idempotency_key=publication.idempotency_key, title=item.title)
        try:
            return self.publisher.find(post)
        except (PublishError, OutcomeUnknownError) as error:
            raise InvalidStateError("error.lookup_failed", ref=item.ref,
                                    platform=platform.value,
                                    detail=str(error) or type(error).__name__) from None

    # -------------------------------------------------------------- campaigns

    def plan_campaign(self, actor_id: str, plan: CampaignPlan) -> UUID:
        """Record a new campaign plan (Digital Marketing); it starts as 'planned'."""
        actor = self.actor(actor_id)
        campaign = Campaign.plan_new(actor, self.new_id(), plan, self._now())
        self._save(campaign, "campaign", str(campaign.id))
        return campaign.id

    def approve_campaign(self, actor_id: str, ref: str | UUID, comment: str = "") -> None:
        self._campaign_command(ref, lambda c, a, now: c.approve(a, comment, now), actor_id)

    def start_campaign(self, actor_id: str, ref: str | UUID, note: str = "") -> None:
        self._campaign_command(ref, lambda c, a, now: c.start(a, note, now), actor_id)

    def complete_campaign(self, actor_id: str, ref: str | UUID, note: str = "") -> None:
        self._campaign_command(ref, lambda c, a, now: c.complete(a, note, now), actor_id)

    def cancel_campaign(self, actor_id: str, ref: str | UUID, reason: str) -> None:
        self._campaign_command(ref, lambda c, a, now: c.cancel(a, reason, now), actor_id)

    def assign_agency(self, actor_id: str, ref: str | UUID, member_id: str) -> None:
        """Let an agency member work on the campaign's content."""
        def assign(campaign: Campaign, actor: Actor, now: datetime) -> None:
            check_may(actor.member_id, actor.role, Action.ASSIGN_AGENCY)
            campaign.assign_agency(actor, self.actor(member_id), now)
        self._campaign_command(ref, assign, actor_id)

    def unassign_agency(self, actor_id: str, ref: str | UUID, member_id: str,
                        reason: str = "") -> None:
        self._campaign_command(
            ref, lambda c, a, now: c.unassign_agency(a, member_id, reason, now), actor_id)

    def campaign_ids(self) -> Iterator[UUID]:
        """Every campaign's id, oldest first."""
        for notification in self._notifications(topics=(CAMPAIGN_PLANNED_TOPIC,)):
            yield UUID(str(notification.originator_id))

    def resolve_campaign(self, ref: str | UUID) -> UUID:
        """A full id, or a unique prefix of one."""
        if isinstance(ref, UUID):
            candidate: UUID | None = ref
        else:
            text = ref.strip().lower()
            try:
                candidate = UUID(text)
            except ValueError:
                candidate = None
            if candidate is None:
                if not 4 <= len(text) <= 36 or not _ID_PREFIX.match(text):
                    raise NotFoundError(kind="campaign", ref=ref, listing="campaign list")
                matches = [i for i in self.campaign_ids() if str(i).startswith(text)]
                if len(matches) > 1:
                    raise InvalidInputError("error.ambiguous", ref=ref, count=len(matches),
                                            kind="campaign")
                candidate = matches[0] if matches else None
        if candidate is None or not isinstance(self._find_any(candidate), Campaign):
            raise NotFoundError(kind="campaign", ref=str(ref), listing="campaign list")
        return candidate

    def get_campaign(self, ref: str | UUID) -> CampaignDetail:
        campaign = self._get(Campaign, self.resolve_campaign(ref))
        assert campaign.plan is not None
        return CampaignDetail(summary=campaign_summary(campaign), plan=campaign.plan,
                              created_at=campaign.created_on,
                              last_comment=campaign.last_comment, version=campaign.version)

    def list_campaigns(self, status: CampaignStatus | None = None
                       ) -> tuple[CampaignSummary, ...]:
        found = (self._get(Campaign, campaign_id) for campaign_id in self.campaign_ids())
        return tuple(campaign_summary(c) for c in found
                     if status is None or c.status is status)

    def campaign_history(self, ref: str | UUID) -> tuple[AuditEntry, ...]:
        campaign_id = self.resolve_campaign(ref)
        return tuple(audit_entry(event.originator_version, event)
                     for event in self.events.get(campaign_id))

    def _campaign_for_new_content(self, actor: Actor,
                                  campaign_id: str | None) -> Campaign | None:
        """The campaign new content names (it must exist); an agency must name one of its
        own open campaigns."""
        if not campaign_id:
            if actor.role is Role.AGENCY:
                raise PermissionDeniedError("error.agency_needs_campaign",
                                            actor=actor.member_id)
            return None
        campaign = self._get(Campaign, self.resolve_campaign(campaign_id))
        if actor.role is Role.AGENCY:
            campaign.check_agency_may_work(actor)
        return campaign

    def _check_agency_scope(self, actor: Actor, item: ContentItem) -> None:
        """An agency acts only on content of an open campaign it is assigned to."""
        if actor.role is not Role.AGENCY:
            return
        campaign = None
        if item.campaign_id:
            try:
                campaign = self._find_any(UUID(item.campaign_id))
            except ValueError:
                campaign = None
        if not isinstance(campaign, Campaign):
            raise PermissionDeniedError("error.agency_outside_campaigns", actor=actor.member_id,
                                        ref=item.ref)
        campaign.check_agency_may_work(actor)

    # ----------------------------------------------------------- publication

    def publish_due(self, actor_id: str) -> tuple[PublishLine, ...]:
        """Publish what is due now through the configured publisher; expire what is due but
        unapproved; surface interrupted attempts as unknown. Never posts an (item, platform)
        twice: the attempt is saved before the publisher is called."""
        if self.publisher is None:
            raise InvalidStateError("error.generic", detail="no publisher is configured")
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.PUBLISH_CONTENT)
        lines: list[PublishLine] = []
        candidates = (self.index.due_ids(self._now()) if self.index is not None
                      else self.content_ids())
        incidents = self.incidents_for_publishing()
        quota = QuotaWindow(self, self._now())
        for item_id in candidates:
            try:
                lines.extend(self._publish_item(item_id, actor, incidents, quota))
            except ConflictError:
                # Another publisher wrote to this item meanwhile; it owns this round.
                lines.append(PublishLine(str(item_id), "", "", "skipped",
                                         detail="another publisher is working on it"))
        return tuple(lines)

    def _publish_item(self, item_id: UUID, actor: Actor, incidents: Sequence[Any] = (),
                      quota: QuotaWindow | None = None) -> list[PublishLine]:
        lines: list[PublishLine] = []
        item = self._get(ContentItem, item_id)
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
        hold = self.publication_hold(item, incidents) if item.due_platforms() else None
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
        for _attempt in range(CONFLICT_RETRIES * 3):
            record(item)
            try:
                self.save(item)
                return
            except IntegrityError:
                item = self._get(ContentItem, item.id)
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

    # --------------------------------------------------------------- queries

    def published_count_scan(self, platform: Platform, since: datetime) -> int:
        """Posts on `platform` since `since`, by reading every item (stores without an index)."""
        count = 0
        for item_id in self.content_ids():
            publication = self._get(ContentItem, item_id).publications.get(platform)
            if (publication is not None and publication.receipt is not None
                    and publication.receipt.published_at >= since):
                count += 1
        return count

    def content_ids(self) -> Iterator[UUID]:
        """Every content item's id, oldest first (a projection replaces this scan later)."""
        for notification in self._notifications(topics=(CONTENT_CREATED_TOPIC,)):
            yield UUID(str(notification.originator_id))

    def resolve_content(self, ref: str | UUID) -> UUID:
        """A full id, or a unique prefix of one (like git's short hashes)."""
        if isinstance(ref, UUID):
            return ref
        text = ref.strip().lower()
        try:
            return UUID(text)
        except ValueError:
            pass
        if not 4 <= len(text) <= 36 or not _ID_PREFIX.match(text):
            raise NotFoundError(kind="content", ref=ref, listing="content list")
        matches = (self.index.ids_with_prefix(text) if self.index is not None
                   else [i for i in self.content_ids() if str(i).startswith(text)])
        if not matches:
            raise NotFoundError(kind="content", ref=ref, listing="content list")
        if len(matches) > 1:
            raise InvalidInputError("error.ambiguous", ref=ref, count=len(matches),
                                    kind="content item")
        return matches[0]

    def get_content(self, ref: str | UUID, as_of: datetime | None = None) -> ContentDetail:
        """The item now, or as it stood at `as_of` (rebuilt from its events)."""
        item_id = self.resolve_content(ref)
        if as_of is None:
            item = self._get(ContentItem, item_id)
        else:
            require_aware(as_of)
            version = 0
            for event in self.events.get(item_id):
                if cast(AuditedEvent, event).timestamp > as_of:
                    break
                version = event.originator_version
            if version == 0:
                raise NotFoundError(kind="content", ref=f"{ref} @ {as_of.isoformat()}",
                                    listing="content list")
            item = self.repository.get(item_id, version=version)
        return _detail(item)

    def list_content(self, status: Status | None = None,
                     platform: Platform | None = None) -> tuple[ContentSummary, ...]:
        summaries = []
        for item_id in self.content_ids():
            item = self._get(ContentItem, item_id)
            if status is not None and item.status is not status:
                continue
            if platform is not None and not _targets(item, platform):
                continue
            summaries.append(content_summary(item))
        return tuple(summaries)

    def content_history(self, ref: str | UUID) -> tuple[AuditEntry, ...]:
        item_id = self.resolve_content(ref)
        return tuple(audit_entry(event.originator_version, event)
                     for event in self.events.get(item_id))

    def audit_log(self, actor_id: str, *, item: str | UUID | None = None,
                  member: str | None = None, event_type: str | None = None,
                  since: datetime | None = None,
                  until: datetime | None = None) -> tuple[AuditEntry, ...]:
        """Every recorded event matching the filters, in the order it was stored."""
        reader = self.actor(actor_id)
        check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
        item_id = self.resolve_content(item) if item is not None else None
        wanted_type = event_type.lower() if event_type else None
        entries = []
        for notification in self._notifications():
            if item_id is not None and notification.originator_id != item_id:
                continue
            event = self.mapper.to_domain_event(notification)
            entry = audit_entry(notification.id, event)
            if member is not None and entry.actor_id != member:
                continue
            if wanted_type is not None and entry.event_type.lower() != wanted_type:
                continue
            if since is not None and entry.at < require_aware(since):
                continue
            if until is not None and entry.at >= require_aware(until):
                continue
            entries.append(entry)
        return tuple(entries)

    def event_count(self) -> int:
        return self.recorder.max_notification_id() or 0

    # -------------------------------------------------------------- plumbing

    def _now(self) -> datetime:
        return require_aware(self.clock())

    def _team(self) -> Team:
        team = self._find(Team, TEAM_ID)
        if team is None:
            raise InvalidStateError("error.not_initialised")
        return team

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        aggregate = self._find_any(aggregate_id)
        if not isinstance(aggregate, cls):
            return None  # absent, or the id of another kind of aggregate (a user's typo)
        return aggregate

    def _find_any(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, projector_func=_project)
        except AggregateNotFoundError:
            return None
        return aggregate

    def _find_many(self, cls: type[A], aggregate_ids: Iterable[UUID]) -> dict[UUID, A]:
        """The stored aggregates among `aggregate_ids` (absent ones are left out): one query
        when the recorder can read many aggregates at once (`select_events_of`, our SQLite
        and PostgreSQL recorders), else one read each."""
        wanted = list(dict.fromkeys(aggregate_ids))
        select = getattr(self.recorder, "select_events_of", None)
        if select is None:
            found = {i: self._find(cls, i) for i in wanted}
            return {i: a for i, a in found.items() if a is not None}
        aggregates: dict[UUID, Any] = {}
        for stored in select(wanted):
            event = self.mapper.to_domain_event(stored)
            aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
        for aggregate in aggregates.values():
            assert isinstance(aggregate, cls)
        return aggregates

    def _get(self, cls: type[A], aggregate_id: UUID) -> A:
        aggregate = self._find(cls, aggregate_id)
        if aggregate is None:
            kind = "campaign" if cls is Campaign else "content"
            raise NotFoundError(kind=kind, ref=str(aggregate_id), listing=f"{kind} list")
        return aggregate

    def _command(self, ref: str | UUID,
                 command: Callable[[ContentItem, Actor, datetime], R],
                 actor_id: str) -> R:
        actor = self.actor(actor_id)
        item_id = self.resolve_content(ref)
        return self._retrying(lambda: self._get(ContentItem, item_id),
                              lambda item: command(item, actor, self._now()),
                              "content", str(item_id)[:8])

    def _campaign_command(self, ref: str | UUID,
                          command: Callable[[Campaign, Actor, datetime], R],
                          actor_id: str) -> R:
        actor = self.actor(actor_id)
        campaign_id = self.resolve_campaign(ref)
        return self._retrying(lambda: self._get(Campaign, campaign_id),
                              lambda campaign: command(campaign, actor, self._now()),
                              "campaign", str(campaign_id)[:8])

    def _team_command(self, command: Callable[[Team], None], ref: str) -> None:
        self._team_cache = None  # commands work on a fresh copy, never on the shared one
        self._retrying(self._team, command, "team", ref)

    def _retrying(self, load: Callable[[], A], decide: Callable[[A], R], kind: str,
                  ref: str) -> R:
        """Load, decide, save; on a concurrent write, reload and decide again (the guards
        then see the other writer's change), at most CONFLICT_RETRIES times."""
        for attempt in range(CONFLICT_RETRIES + 1):
            aggregate = load()
            result = decide(aggregate)
            try:
                self.save(aggregate)
            except IntegrityError:
                if attempt == CONFLICT_RETRIES:
                    raise ConflictError(kind=kind, ref=ref) from None
                continue
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _save(self, aggregate: Aggregate, kind: str, ref: str) -> None:
        try:
            self.save(aggregate)
        except IntegrityError:
            raise ConflictError(kind=kind, ref=ref) from None

    def _notifications(self, topics: Sequence[str] = ()) -> Iterator[Any]:
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, topics=topics)
            yield from page
            if len(page) < PAGE:
                return
            start = page[-1].id + 1


class QuotaWindow:
    """The platforms' daily publishing quotas (rules data) over the last 24 hours, counted
    once per run and kept up to date as the run posts; a post over quota is deferred to a
    later run, nothing recorded, never dropped."""

    def __init__(self, app: SocmedApplication, now: datetime) -> None:
        self.app = app
        self.since = now - timedelta(hours=24)
        self.counts: dict[Platform, int] = {}

    def _count(self, platform: Platform) -> int:
        if platform not in self.counts:
            index = self.app.index
            self.counts[platform] = (index.published_count(platform, self.since)
                                     if index is not None
                                     else self.app.published_count_scan(platform, self.since))
        return self.counts[platform]

    def limit(self, platform: Platform) -> int | None:
        return self.app.rules[platform].daily_quota

    def exhausted(self, platform: Platform) -> bool:
        limit = self.limit(platform)
        return limit is not None and self._count(platform) >= limit

    def used(self, platform: Platform) -> None:
        self.counts[platform] = self._count(platform) + 1

    def detail(self, platform: Platform) -> str:
        return (f"daily quota of {self.limit(platform)} posts on {platform.value} reached in "
                "the last 24 hours: it goes out at a later run")


def _targets(item: ContentItem, platform: Platform) -> bool:
    revision = item.current_revision
    return revision is not None and platform in revision.draft.platforms


def content_summary(item: ContentItem) -> ContentSummary:
    revision = item.current_revision
    published = tuple(p.value for p, pub in item.publications.items()
                      if pub.state is PublicationState.PUBLISHED)
    return ContentSummary(
        item_id=str(item.id),
        title=item.title,
        status=item.status.value,
        revision=revision.number if revision else 0,
        revision_sha256=revision.sha256 if revision else "",
        author_id=revision.author_id if revision else item.created_by,
        approved_by=item.approval.approver_id if item.approval else "",
        scheduled_at=item.slot.at if item.slot else None,
        platforms=tuple(p.value for p in (item.slot.platforms if item.slot else
                                          revision.draft.platforms if revision else ())),
        published=published,
        campaign_id=item.campaign_id,
        updated_at=item.modified_on,
    )


def campaign_summary(campaign: Campaign) -> CampaignSummary:
    assert campaign.plan is not None
    plan = campaign.plan
    return CampaignSummary(
        campaign_id=str(campaign.id),
        name=plan.name,
        status=campaign.status.value,
        start=plan.period.start,
        end=plan.period.end,
        platforms=tuple(p.value for p in plan.platforms),
        budget_idr=plan.budget_idr,
        agencies=tuple(sorted(campaign.agencies)),
        planned_by=campaign.planned_by,
        approved_by=campaign.approved_by,
        updated_at=campaign.modified_on,
    )


def _detail(item: ContentItem) -> ContentDetail:
    return ContentDetail(
        summary=content_summary(item),
        created_by=item.created_by,
        created_at=item.created_on,
        revisions=tuple(item.revisions),
        review=item.review,
        approval=item.approval,
        slot=item.slot,
        publications=tuple(item.publications.values()),
        last_comment=item.last_comment,
        version=item.version,
    )


def audit_entry(position: int, event: Any) -> AuditEntry:
    aggregate_cls = type(event).__qualname__.split(".")[0]
    if isinstance(event, AuditedEvent):
        code, params = event.describe()
        actor = event.actor
        reason = event.stated_reason()
    else:
        code, params, reason = f"event.{type(event).__name__}", {}, ""
        actor = Actor("unknown", "unknown", Role.LEGAL)
    return AuditEntry(
        position=position,
        at=event.timestamp,
        aggregate=aggregate_cls,
        aggregate_id=str(event.originator_id),
        version=event.originator_version,
        event_type=type(event).__name__,
        actor_id=actor.member_id,
        actor_role=actor.role.value,
        code=code,
        params=params,
        reason=reason,
    )
