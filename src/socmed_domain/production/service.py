"""Stages 2 and 3 service (`app.content`): content from idea through drafts, review and
approval to its slot, withdrawal and archive, and the planned calendar slots.

Every command has one shape (`item_command`): resolve the acting member through the Team,
load the item, run the aggregate's guarded command, save, retrying on a concurrent write.
Campaigns, the agency scope and the strategy's brand voice come from the planning service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TypeVar, cast
from uuid import UUID

from attrs import evolve
from eventsourcing.utils import get_topic

from socmed_domain.access.rules import Readable, check_may_read, is_agency
from socmed_domain.actor import Actor
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    SocmedError,
)
from socmed_domain.events import AuditedEvent
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import ID_PREFIX, Kernel, StageService
from socmed_domain.planning.service import PlanningService
from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES, PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.bulk_import import (
    DraftCheck,
    ImportReport,
    RowProblem,
    read_import,
)
from socmed_domain.production.content_item import ContentItem, ReviewOutcome, Status
from socmed_domain.production.index import ContentIndex
from socmed_domain.production.media_reading import MediaReader, MediaStore, read_media
from socmed_domain.production.preview import PlatformPreview, previews
from socmed_domain.production.quality import (
    BuiltInReviewRules,
    ChecklistItem,
    ContentPolicy,
    Finding,
    ReviewRules,
    automatic_findings,
)
from socmed_domain.production.revision import Draft, MediaRef, Revision
from socmed_domain.production.routing import NO_ROUTES, ApprovalRoutes, BoundRoute, StepRecord
from socmed_domain.publication.outcomes import PublicationState, Slot
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware
from socmed_domain.views import AuditEntry, ContentDetail, ContentSummary

R = TypeVar("R")

#: Where the approval routes in force come from (the company's configuration); asked at each
#: submission for review, so a change applies to the submissions after it.
RoutesProvider = Callable[[], ApprovalRoutes]

CONTENT_CREATED_TOPIC = get_topic(ContentItem.Created)


class ContentService(StageService):
    """Content production and approval (SOP stages 2 and 3)."""

    def __init__(self, kernel: Kernel, planning: PlanningService, *,
                 index: ContentIndex | None = None,
                 rules: Mapping[Platform, PlatformRules] | None = None,
                 policy: ContentPolicy | None = None,
                 media_reader: MediaReader | None = None,
                 configuration: ReviewRules | None = None,
                 routes: RoutesProvider | None = None) -> None:
        super().__init__(kernel)
        #: The company's rules in force (checklist, banned phrases, disclosures).
        self.configuration: ReviewRules = configuration or BuiltInReviewRules()
        #: The approval routes in force (none: every revision goes straight to the manager).
        self.routes: RoutesProvider = routes or (lambda: NO_ROUTES)
        #: Reads each new revision's media from their bytes (wired by the composition root).
        self.media_reader = media_reader
        self.planning = planning
        self.index = index
        self.rules: Mapping[Platform, PlatformRules] = rules or DEFAULT_PLATFORM_RULES
        #: A policy given by the caller replaces the configuration's (tests, embedders).
        self._policy = policy

    @property
    def policy(self) -> ContentPolicy:
        """Banned phrases and disclosure markers: the configuration's in force, unless a
        policy was given when the service was built."""
        return self._policy if self._policy is not None else (
            self.configuration.content_policy())

    @policy.setter
    def policy(self, policy: ContentPolicy | None) -> None:
        self._policy = policy

    def checklist(self) -> tuple[ChecklistItem, ...]:
        """The review checklist in force (SOP stage 2): what a reviewer confirms."""
        return self.configuration.checklist()

    def checklist_keys(self) -> tuple[str, ...]:
        return self.configuration.checklist_keys()

    # -------------------------------------------------------------- commands

    def create(self, actor_id: ActorRef, title: str, draft: Draft | None = None,
               campaign_id: str | None = None, note: str = "") -> UUID:
        """Start an item as an idea, or straight away with its first draft."""
        actor = self.actor(actor_id)
        now = self._now()
        campaign = self.planning.campaign_for_new_content(actor, campaign_id)
        item = ContentItem.create(actor, self.new_id(), title,
                                  str(campaign.id) if campaign else None, now)
        if draft is not None:
            item.revise(actor, read_media(draft, self.media_reader), note, now)
        self._save(item, "content", str(item.id))
        return item.id

    def revise(self, actor_id: ActorRef, ref: str | UUID, draft: Draft,
               note: str = "") -> Revision:
        read = read_media(draft, self.media_reader)  # once, not on each conflict retry

        def revise(item: ContentItem, actor: Actor, now: datetime) -> Revision:
            self._check_agency_scope(actor, item)
            return item.revise(actor, read, note, now)
        return self.item_command(ref, revise, actor_id)

    def store_media(self, actor_id: ActorRef, chunks: Iterable[bytes]) -> MediaRef:
        """Keep a media file a member who drafts content uploads; the answer's `uri`
        (`sha256:<hex>`) is what a draft names. Nothing is recorded: the file is content-
        addressed and enters the log only as part of a revision that names it."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.REVISE_CONTENT)
        if not isinstance(self.media_reader, MediaStore):
            raise InvalidInputError("error.media_store_missing")
        return self.media_reader.store(chunks)

    def media_thumbnail(self, actor_id: ActorRef, sha256: str, edge: int = 320) -> bytes:
        """A small PNG of a stored media file (any member; a file is named by its SHA-256,
        which only a revision or the upload's answer tells)."""
        self.actor(actor_id, reading=True)
        found = (self.media_reader.thumbnail(sha256.lower(), edge)
                 if isinstance(self.media_reader, MediaStore) else None)
        if found is None:
            raise NotFoundError(kind="media", ref=sha256[:16], listing="content show")
        return found

    def submit_for_review(self, actor_id: ActorRef, ref: str | UUID,
                          note: str = "") -> BoundRoute | None:
        """Submit the current revision for review; returns the approval route it is bound
        to (chosen now from the routes in force), None when no route applies."""
        def submit(item: ContentItem, actor: Actor, now: datetime) -> BoundRoute | None:
            self._check_agency_scope(actor, item)
            # the routes in force, read while deciding: the save checks the configuration
            # has not moved since (Kernel.decided_on)
            return item.submit_for_review(actor, note, now, self.routes(),
                                          self._campaign_name(item.campaign_id))
        return self.item_command(ref, submit, actor_id)

    def record_step(self, actor_id: ActorRef, ref: str | UUID, step: str,
                    revision_sha256: str | None = None, comment: str = "",
                    require_hash: bool = False) -> StepRecord:
        """Record a step of the current revision's approval route (a Legal compliance
        review, a second approver, a named group's sign-off); `revision_sha256` names the
        revision read, and is required with `require_hash`."""
        return self.item_command(
            ref, lambda i, a, now: i.record_step(a, step.strip(), revision_sha256, comment,
                                                 now, require_hash),
            actor_id, Action.REVIEW_CONTENT)

    def review(self, actor_id: ActorRef, ref: str | UUID, confirmed: Iterable[str],
               comment: str = "", *, all_checks: bool = False) -> ReviewOutcome:
        """Review the current revision, confirming the checklist items `confirmed` (with
        `all_checks`: every item of the checklist in force as the review is decided)."""
        given = tuple(confirmed)

        def review(item: ContentItem, actor: Actor, now: datetime) -> ReviewOutcome:
            # the checklist and the policy in force, read while deciding: the save checks
            # that the configuration and the strategy have not moved since
            checklist = self.checklist_keys()
            keys = checklist if all_checks else given
            unknown = [key for key in keys if key not in checklist]
            if unknown:
                raise InvalidInputError("error.unknown_choice", kind="checklist item",
                                        value=", ".join(unknown), choices=", ".join(checklist))
            return item.review_quality(actor, keys, comment, self.effective_policy(),
                                       self.rules, now, checklist)
        return self.item_command(ref, review, actor_id, Action.REVIEW_CONTENT)

    def submit_for_approval(self, actor_id: ActorRef, ref: str | UUID, note: str = "") -> None:
        self.item_command(ref, lambda i, a, now: i.submit_for_approval(a, note, now), actor_id)

    def approve(self, actor_id: ActorRef, ref: str | UUID,
                revision_sha256: str | None = None, comment: str = "",
                require_hash: bool = False) -> str:
        """Approve the current revision; returns the approved revision's SHA-256. With
        `require_hash`, an approval naming no revision hash is refused (after the role,
        state and author checks, so those refusals come first)."""
        approval = self.item_command(
            ref, lambda i, a, now: i.approve(a, revision_sha256, comment, now, require_hash),
            actor_id,
            Action.APPROVE_CONTENT)
        return approval.revision_sha256

    def request_changes(self, actor_id: ActorRef, ref: str | UUID, comment: str) -> None:
        self.item_command(ref, lambda i, a, now: i.request_changes(a, comment, now), actor_id)

    def schedule(self, actor_id: ActorRef, ref: str | UUID, when: datetime,
                 platforms: Sequence[Platform] = ()) -> Slot:
        require_aware(when)
        return self.item_command(
            ref, lambda i, a, now: i.schedule(a, when, platforms, self.rules, now), actor_id)

    def withdraw(self, actor_id: ActorRef, ref: str | UUID, reason: str) -> None:
        self.item_command(ref, lambda i, a, now: i.withdraw(a, reason, now), actor_id)

    def archive(self, actor_id: ActorRef, ref: str | UUID, note: str = "") -> None:
        self.item_command(ref, lambda i, a, now: i.archive(a, note, now), actor_id)

    # ---------------------------------------------------- everyday shortcuts

    def check(self, reader: ActorRef, ref: str | UUID) -> DraftCheck:
        """Every automatic check of a review on the item's current revision, without a
        review: nothing is recorded and the item's status does not change."""
        detail = self.get_for(reader, ref)
        if not detail.revisions:
            raise InvalidStateError("error.no_revision", ref=detail.summary.item_id[:8])
        revision = detail.revisions[-1]
        return DraftCheck(detail.summary.item_id, revision.number, automatic_findings(
            revision.draft, self.effective_policy(), self.rules))

    def create_checked(self, actor_id: ActorRef, title: str, draft: Draft | None = None,
                       campaign_id: str | None = None, note: str = "") -> DraftCheck:
        """`create`, then the automatic checks of its first draft (none for an idea)."""
        item_id = self.create(actor_id, title, draft, campaign_id, note)
        if draft is None:
            return DraftCheck(str(item_id), 0, ())
        return self.check(actor_id, item_id)

    def revise_checked(self, actor_id: ActorRef, ref: str | UUID, draft: Draft,
                       note: str = "") -> tuple[Revision, DraftCheck]:
        """`revise`, then the automatic checks of the new revision."""
        revision = self.revise(actor_id, ref, draft, note)
        return revision, self.check(actor_id, ref)

    def clone(self, actor_id: ActorRef, ref: str | UUID, title: str = "",
              note: str = "") -> UUID:
        """A new item with the current revision of `ref` as its first draft (same campaign;
        the title given, or the source's). Its history records where it came from (a
        ClonedFrom event naming the item and revision), in the same save as its creation."""
        actor = self.actor(actor_id)
        source = self.item(UUID(self.get_for(actor_id, ref).summary.item_id))
        now = self._now()
        campaign = self.planning.campaign_for_new_content(actor, source.campaign_id)
        item = ContentItem.create(actor, self.new_id(), title.strip() or source.title,
                                  str(campaign.id) if campaign else None, now)
        item.record_clone_source(actor, source, now)
        revision = source.current_revision
        if revision is not None:
            item.revise(actor, revision.draft, note or f"clone of {source.ref} "
                        f"revision {revision.number}", now)
        self._save(item, "content", str(item.id))
        return item.id

    def import_drafts(self, actor_id: ActorRef, csv_text: str,
                      dry_run: bool = False) -> ImportReport:
        """Many drafts from a CSV text (columns: `socmed_domain.production.bulk_import`):
        every row read and checked first; all rows saved in one transaction, or none when
        any row has a problem (each named with its row and column). A dry run saves nothing
        and reports what would be created."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.CREATE_CONTENT)
        report = read_import(csv_text, self.effective_policy(), self.rules)
        campaigns: dict[str, str | None] = {}
        problems = list(report.problems)
        refused: dict[str, SocmedError] = {}
        for row in report.rows:
            key = row.campaign or ""
            if key not in campaigns and key not in refused:
                try:
                    found = self.planning.campaign_for_new_content(actor, row.campaign)
                    campaigns[key] = str(found.id) if found else None
                except SocmedError as error:
                    refused[key] = error
            if key in refused:
                problems.append(RowProblem(row.row, "campaign", refused[key].code, {
                    k: str(v) for k, v in refused[key].params.items()}))
        if problems or dry_run:
            return evolve(report, problems=tuple(sorted(problems, key=lambda p: p.row)),
                          dry_run=dry_run)
        now = self._now()
        items = []
        for row in report.rows:
            item = ContentItem.create(actor, self.new_id(), row.title,
                                      campaigns[row.campaign or ""], now)
            item.revise(actor, read_media(row.draft, self.media_reader), row.note, now)
            items.append(item)
        self.save(*items)  # fresh ids: one transaction, all or nothing
        return evolve(report, created=tuple(str(i.id) for i in items))

    # -------------------------------------------------------------- calendar

    def plan_slot(self, actor_id: ActorRef, ref: str | UUID, when: datetime,
                  platforms: Iterable[Platform]) -> Slot:
        """Pencil an idea or a draft into the calendar; nothing is booked for publishing."""
        return self.item_command(ref, lambda i, a, now: i.plan_slot(a, when, platforms, now),
                                 actor_id)

    def plan_idea(self, actor_id: ActorRef, title: str, when: datetime,
                  platforms: Iterable[Platform], campaign_id: str | None = None) -> UUID:
        """A new idea with its planned slot (what `socmed calendar plan` fills a month with)."""
        actor = self.actor(actor_id)
        now = self._now()
        campaign = self.planning.campaign_for_new_content(actor, campaign_id)
        item = ContentItem.create(actor, self.new_id(), title,
                                  str(campaign.id) if campaign else None, now)
        item.plan_slot(actor, when, platforms, now)
        self._save(item, "content", str(item.id))  # one atomic save: never an undated idea
        return item.id

    def plan_ideas(self, actor_id: ActorRef,
                   ideas: Sequence[tuple[str, datetime, Iterable[Platform], str | None]]
                   ) -> list[UUID]:
        """`plan_idea` of each (title, when, platforms, campaign id), all saved in one
        transaction: a month's plan is recorded whole or, if anything fails, not at all."""
        actor = self.actor(actor_id)
        now = self._now()
        items = []
        for title, when, platforms, campaign_id in ideas:
            campaign = self.planning.campaign_for_new_content(actor, campaign_id)
            item = ContentItem.create(actor, self.new_id(), title,
                                      str(campaign.id) if campaign else None, now)
            item.plan_slot(actor, when, platforms, now)
            items.append(item)
        if items:
            self.save(*items)  # fresh ids: no other writer can conflict
        return [item.id for item in items]

    def effective_policy(self) -> ContentPolicy:
        """The content checks' rules: the configured policy, plus the brand voice of the
        strategy in force (its words to avoid are banned; its disclosures are required)."""
        policy = self.policy
        plan = self.planning.strategy_in_force()
        if plan is None:
            return policy
        voice = plan.brand_voice
        banned = tuple(dict.fromkeys((*policy.banned_phrases, *voice.words_to_avoid)))
        markers = voice.required_disclosures or policy.disclosure_markers
        return evolve(policy, banned_phrases=banned, disclosure_markers=markers)

    # --------------------------------------------------------------- queries

    def published_count_scan(self, platform: Platform, since: datetime) -> int:
        """Posts on `platform` since `since`, by reading every item (stores without an index)."""
        count = 0
        for item_id in self.ids():
            publication = self.item(item_id).publications.get(platform)
            if (publication is not None and publication.receipt is not None
                    and publication.receipt.published_at >= since):
                count += 1
        return count

    def ids(self) -> Iterator[UUID]:
        """Every content item's id, oldest first (a projection replaces this scan later)."""
        return self.kernel.ids_with_topic(CONTENT_CREATED_TOPIC)

    def resolve(self, ref: str | UUID) -> UUID:
        """A full id, or a unique prefix of one (like git's short hashes)."""
        if isinstance(ref, UUID):
            return ref
        text = ref.strip().lower()
        try:
            return UUID(text)
        except ValueError:
            pass
        if not 4 <= len(text) <= 36 or not ID_PREFIX.match(text):
            raise NotFoundError(kind="content", ref=ref, listing="content list")
        matches = (self.index.ids_with_prefix(text) if self.index is not None
                   else [i for i in self.ids() if str(i).startswith(text)])
        if not matches:
            raise NotFoundError(kind="content", ref=ref, listing="content list")
        if len(matches) > 1:
            raise InvalidInputError("error.ambiguous", ref=ref, count=len(matches),
                                    kind="content item")
        return matches[0]

    def get(self, ref: str | UUID, as_of: datetime | None = None) -> ContentDetail:
        """The item now, or as it stood at `as_of` (rebuilt from its events)."""
        item_id = self.resolve(ref)
        if as_of is None:
            item = self.item(item_id)
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
            item = self.kernel.repository.get(item_id, version=version)
        return _detail(item)

    def list_items(self, status: Status | None = None,
                   platform: Platform | None = None) -> tuple[ContentSummary, ...]:
        summaries = []
        for item_id in self.ids():
            item = self.item(item_id)
            if status is not None and item.status is not status:
                continue
            if platform is not None and not _targets(item, platform):
                continue
            summaries.append(content_summary(item))
        return tuple(summaries)

    def history(self, ref: str | UUID) -> tuple[AuditEntry, ...]:
        return self.kernel.history(self.resolve(ref))

    # ------------------------------------------- reads on behalf of a principal

    def visible_campaigns(self, reader: ActorRef) -> frozenset[str] | None:
        """The campaigns whose content `reader` may see: None for every item (staff), the
        campaigns an agency member is assigned to otherwise (content without a campaign is
        never an agency's)."""
        actor = self.actor(reader, reading=True)
        check_may_read(actor, Readable.CONTENT)
        if not is_agency(actor):
            return None
        return self.planning.agency_campaign_ids(actor.member_id)

    def get_for(self, reader: ActorRef, ref: str | UUID,
                as_of: datetime | None = None) -> ContentDetail:
        """`get` for a member: an item outside an agency's campaigns is "not found" to it
        (its existence is not confirmed either)."""
        visible = self.visible_campaigns(reader)
        detail = self.get(ref, as_of)
        if visible is not None and detail.summary.campaign_id not in visible:
            raise NotFoundError(kind="content", ref=str(ref), listing="content list")
        return detail

    def history_for(self, reader: ActorRef, ref: str | UUID) -> tuple[AuditEntry, ...]:
        """One item's events, for a member who may see the item."""
        detail = self.get_for(reader, ref)
        return self.kernel.history(UUID(detail.summary.item_id))

    def check_draft(self, reader: ActorRef, draft: Draft) -> tuple[Finding, ...]:
        """The automatic checks of a draft not saved yet (a drafting form, as one types):
        the very checks a review runs on a saved revision, on its media as read from their
        bytes."""
        self.actor(reader, reading=True)
        return automatic_findings(read_media(draft, self.media_reader),
                                  self.effective_policy(), self.rules)

    def previews(self, draft: Draft) -> tuple[PlatformPreview, ...]:
        """The draft as each platform it targets would show it (text, entities, length
        against the limit, media)."""
        return previews(draft, self.rules)

    # ---------------------------------------------- for the other stage services

    def item(self, item_id: UUID) -> ContentItem:
        """The ContentItem aggregate (for the stage services)."""
        return self.kernel.get(ContentItem, item_id, "content")

    def item_command(self, ref: str | UUID,
                     command: Callable[[ContentItem, Actor, datetime], R],
                     actor_id: ActorRef, action: Action | None = None) -> R:
        """Resolve the actor and the item, run `command` on it, save with the retry;
        `action` names an approval or sign-off, for the second-factor check."""
        return self._command_on(actor_id, lambda: self.resolve(ref), self.item, command,
                                "content", action)

    def _campaign_name(self, campaign_id: str | None) -> str:
        if not campaign_id:
            return ""
        try:
            plan = self.planning.campaign(UUID(campaign_id)).plan
        except (NotFoundError, ValueError):
            return ""
        return plan.name if plan is not None else ""

    def _check_agency_scope(self, actor: Actor, item: ContentItem) -> None:
        """An agency acts only on content of an open campaign it is assigned to."""
        self.planning.check_agency_scope(actor, item.campaign_id, item.ref)


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
        created_at=item.created_on,
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
        route=item.route,
        steps_recorded=tuple(item.step_records),
        steps_missing=item.missing_steps(),
    )
