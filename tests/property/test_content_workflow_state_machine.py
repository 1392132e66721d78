"""The content workflow under any order of commands (DESIGN.md, 'Rules that must hold').

A hypothesis state machine drives SocmedApplication (in-memory storage, a manual clock, the
sandbox publisher writing to a temporary outbox) with a team of one Marketing Manager, two
Digital Marketing members, an agency member, a Social Media Admin and a Legal member. Both
Digital Marketing members may be promoted to manager and back, so a manager can be the author
of what they are asked to approve. The platform can be told to misbehave on the next post
(refuse it for now, refuse it for good, or time out before or after posting), so retries,
failures, unknown outcomes and their reconciliation are part of the workflow too.

A small model of each item predicts every command's outcome: success, or the exact class of
refusal. A refused command must write nothing. After every step the whole stored history, the
outbox and an independent rebuild of every item are checked against the rules:

- nothing is published unless approved, and the body posted is byte for byte
  `Draft.body_for(platform)` of the approved revision, whose SHA-256 the approval names;
- no one reviews or approves a revision they wrote; every event names an actor whose role the
  role matrix allows to do it;
- each (item, platform) is published at most once, never before its slot, never on a platform
  the approved revision does not target; an unknown outcome is never retried blindly;
- an item still unapproved when its slot comes ends EXPIRED after publish_due, never published;
- each item rebuilt from its stored events, decoded by a second application, equals the live one.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from tests import sop_rules
from tests.conftest import seed_campaign
from tests.sop_rules import allowed

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_adapters.twitter_text import wired_rules
from socmed_domain import (
    CHECKLIST_KEYS,
    Action,
    Actor,
    CaptionVariant,
    ContentPolicy,
    ContentType,
    Draft,
    InvalidInputError,
    InvalidStateError,
    MediaRef,
    OutboundPost,
    OutcomeUnknownError,
    PermissionDeniedError,
    Platform,
    PostReceipt,
    PublishError,
    Role,
    RuleViolationError,
    SocmedError,
    Status,
)
from socmed_domain.events import AuditedEvent
from socmed_domain.production.content_item import (
    ContentItem,
)
from socmed_domain.production.quality import automatic_findings, platform_findings
from socmed_domain.production.revision import body_sha256
from socmed_domain.timezones import WIB

# The status sets the model predicts with, from the documented state machine (tests/sop_rules.py),
# never the code's own constants.
REVISABLE, SCHEDULABLE, CHANGES_REQUESTABLE, EXPIRABLE, WITHDRAWABLE, ARCHIVABLE, TERMINAL, \
    FINAL = (frozenset(Status(v) for v in values) for values in (
        sop_rules.REVISABLE, sop_rules.SCHEDULABLE, sop_rules.CHANGES_REQUESTABLE,
        sop_rules.EXPIRABLE, sop_rules.WITHDRAWABLE, sop_rules.ARCHIVABLE, sop_rules.TERMINAL,
        sop_rules.FINAL))

MM, DM, ADMIN, LEGAL, AGENCY = (Role.MARKETING_MANAGER, Role.DIGITAL_MARKETING,
                                Role.SOCIAL_MEDIA_ADMIN, Role.LEGAL, Role.AGENCY)
TEAM = {"rina": MM, "budi": DM, "sari": DM, "maya": AGENCY, "adi": ADMIN, "lia": LEGAL}
PROMOTABLE = ("budi", "sari")
START = datetime(2026, 12, 1, 8, 0, tzinfo=WIB)
POLICY = ContentPolicy()
RULES = wired_rules()

#: The governing action of each stored event type (the role matrix must allow its actor).
EVENT_ACTION = {
    "Founded": Action.MANAGE_TEAM,
    "MemberAdded": Action.MANAGE_TEAM,
    "RoleChanged": Action.MANAGE_TEAM,
    "MemberDeactivated": Action.MANAGE_TEAM,
    "Created": Action.CREATE_CONTENT,
    "Revised": Action.REVISE_CONTENT,
    "SubmittedForReview": Action.SUBMIT_FOR_REVIEW,
    "Reviewed": Action.REVIEW_CONTENT,
    "SubmittedForApproval": Action.SUBMIT_FOR_APPROVAL,
    "Approved": Action.APPROVE_CONTENT,
    "ChangesRequested": Action.REQUEST_CHANGES,
    "Scheduled": Action.SCHEDULE_CONTENT,
    "PublicationAttempted": Action.PUBLISH_CONTENT,
    "Published": Action.PUBLISH_CONTENT,
    "PublicationFailed": Action.PUBLISH_CONTENT,
    "PublicationOutcomeUnknown": Action.PUBLISH_CONTENT,
    "PublicationReconciled": Action.RECONCILE_PUBLICATION,
    "Expired": Action.PUBLISH_CONTENT,
    "Withdrawn": Action.WITHDRAW_CONTENT,
    "Archived": Action.ARCHIVE_CONTENT,
    "CampaignPlanned": Action.PLAN_CAMPAIGN,
    "CampaignApproved": Action.APPROVE_CAMPAIGN,
    "AgencyAssigned": Action.ASSIGN_AGENCY,
    "CampaignStarted": Action.RUN_CAMPAIGN,
}

# ------------------------------------------------------------------------- strategies

WORDS = ["Halo", "Desember", "promo", "akhir", "tahun", "diskon", "untuk", "pelanggan",
         "setia", "日本", "\U0001F389", "\U0001F1EE\U0001F1E9", "https://contoh.co.id/promo",
         "@budi", "#hemat", "café", "—"]
TAGS = ["promo", "akhirtahun", "diskon", "hemat", "belanja", "iklan", "Promo", "UMKM"]
IMAGE = MediaRef("dam://promo.jpg", "image", "promo banner")
VIDEO = MediaRef("dam://promo.mp4", "video", "", 30)

pytestmark = pytest.mark.slow  # one of the largest state machines


FLAVOURS = ["clean"] * 5 + ["banned", "too_long", "sponsored", "no_media", "many_tags"]


@st.composite
def drafts(draw: st.DrawFn) -> Draft:
    """Mostly drafts that pass every automatic check; the rest break one rule each."""
    flavour = draw(st.sampled_from(FLAVOURS))
    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(" ".join)
    text = {"banned": "Investasi ini pasti untung!", "too_long": "a" * 300}.get(
        flavour) or draw(words)
    platforms = tuple(draw(st.sets(st.sampled_from(list(Platform)), min_size=1, max_size=3)))
    captions: tuple[CaptionVariant, ...] = ()
    if draw(st.booleans()):
        captions = (CaptionVariant(platforms[0], draw(words)),)
    hashtags = draw(st.lists(st.sampled_from(TAGS[:5]), max_size=3, unique=True))
    if flavour == "many_tags":
        hashtags = TAGS
    sponsored = flavour == "sponsored"
    if sponsored and draw(st.booleans()):
        hashtags = [*hashtags, "iklan"]  # disclosed: passes after all
    return Draft(
        text=text,
        platforms=platforms,
        content_type=draw(st.sampled_from([ContentType.TEXT, ContentType.IMAGE])),
        captions=captions,
        hashtags=tuple(hashtags),
        media=() if flavour == "no_media" else draw(st.sampled_from([(IMAGE,), (VIDEO,)])),
        sponsored=sponsored,
    )


def actors(*likely: str) -> st.SearchStrategy[str]:
    """Mostly a member who may do it (by their starting role), often anyone at all."""
    everyone = st.sampled_from(sorted(TEAM))
    return st.one_of(st.sampled_from(likely), everyone) if likely else everyone


MOVES = ["next"] * 6 + ["schedule", "wait", "revise", "trouble"]
PICK = st.one_of(st.just(-1), st.integers(min_value=0, max_value=10_000))

# ------------------------------------------------------------------- a faulty platform

FAULTS = ["refuse_retryable", "refuse_final", "timeout_unsent", "timeout_sent"]


class FaultyPlatform:
    """The sandbox publisher behind a platform that can be told how to misbehave on the next
    posts, in order: refuse for now, refuse for good, or time out before or after posting."""

    def __init__(self, sandbox: SandboxPublisher) -> None:
        self.sandbox = sandbox
        self.faults: list[str] = []

    def publish(self, post: OutboundPost) -> PostReceipt:
        fault = self.faults.pop(0) if self.faults else None
        if fault == "refuse_retryable":
            raise PublishError("rate limited, try again later", retryable=True)
        if fault == "refuse_final":
            raise PublishError("media rejected by the platform", retryable=False)
        if fault == "timeout_unsent":
            raise OutcomeUnknownError("connect timeout")
        receipt = self.sandbox.publish(post)
        if fault == "timeout_sent":
            raise OutcomeUnknownError("read timeout after the request was sent")
        return receipt

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return self.sandbox.find(post)


# ------------------------------------------------------------------------------ model


@attrs.define
class ModelItem:
    item_id: UUID
    status: Status
    drafts: list[tuple[Draft, str]]  # (draft, author) per revision, in order
    approval_sha: str | None = None
    slot: tuple[datetime, tuple[Platform, ...]] | None = None
    #: per platform: 'published', 'retryable', 'failed' or 'unknown'
    pubs: dict[Platform, str] = attrs.field(factory=dict)

    @property
    def published(self) -> set[Platform]:
        return {p for p, state in self.pubs.items() if state == "published"}

    def settle(self) -> None:
        """ContentItem.settled_status: final decisions stand whatever a platform says."""
        if self.status in FINAL:
            return
        assert self.slot is not None
        states = [self.pubs.get(p) for p in self.slot[1]]
        if all(state in ("published", "failed") for state in states):
            self.status = Status.PUBLISHED if "published" in states else Status.FAILED
        else:
            self.status = Status.PUBLISHING

    @property
    def draft(self) -> Draft:
        return self.drafts[-1][0]

    @property
    def author(self) -> str:
        return self.drafts[-1][1]


@attrs.define
class History:
    """What the stored events say about one item, as the invariants replay them."""

    current: Any = None  # Revision
    approval: Any = None  # the Approved event in force
    slot: Any = None
    expired: bool = False
    attempts: dict[Platform, tuple[Any, Any, Any]] = attrs.field(factory=dict)
    states: dict[Platform, str] = attrs.field(factory=dict)
    published: set[Platform] = attrs.field(factory=set)


class ContentWorkflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="socmed-sm-"))
        self.clock = ManualClock(START)
        self.sandbox = SandboxPublisher(self.tmp / "outbox", self.clock)
        self.publisher = FaultyPlatform(self.sandbox)
        self.services = bootstrap(storage="memory", clock=self.clock, publisher=self.publisher)
        self.app = self.services.app
        # a second application: decodes the stored events afresh, sharing nothing in memory
        self.reader = bootstrap(storage="memory", clock=self.clock,
                                publisher=self.sandbox).app
        self.app.initialise("PT Contoh", "rina", "Rina MM")
        for member, role in TEAM.items():
            if member != "rina":
                self.app.add_member("rina", member, member.title(), role)
        self.roles = dict(TEAM)
        self.items: list[ModelItem] = []
        # The agency works only inside its campaigns: every item belongs to this running one.
        self.campaign = str(seed_campaign(self.app, "budi", "rina", ("maya",)))

    def teardown(self) -> None:
        self.services.close()
        self.reader.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ helpers

    def now(self) -> datetime:
        return self.clock()

    def item(self, pick: int) -> ModelItem:
        return self.items[pick % len(self.items)]

    def attempt(self, expected: type[SocmedError] | None, command: Any) -> tuple[Any, bool]:
        """Run a command; its outcome must be the predicted one, and a refusal writes nothing."""
        before = self.app.event_count()
        try:
            result = command()
        except SocmedError as error:
            assert self.app.event_count() == before, f"refused ({error!r}) but wrote events"
            assert expected is not None, f"refused unexpectedly: {error!r}"
            assert isinstance(error, expected), (
                f"expected {expected.__name__}, got {type(error).__name__}: {error}")
            assert str(error), "an error must carry a message"
            return None, False
        assert expected is None, f"expected {expected.__name__}, but the command succeeded"
        return result, True

    def role_refusal(self, actor: str, action: Action) -> type[SocmedError] | None:
        return None if allowed(action, self.roles[actor]) else PermissionDeniedError

    # -------------------------------------------------------------------- rules

    @initialize(first=st.lists(
        st.tuples(st.sampled_from(["budi", "sari", "maya"]), drafts(),
                  st.lists(st.sampled_from(MOVES), max_size=12), drafts()),
        min_size=1, max_size=3))
    def some_items_under_way(self, first: list[tuple[str, Draft, list[str], Draft]]) -> None:
        """Start with a few items, each already some way along the SOP."""
        for author, draft, moves, later in first:
            self.create(author, "Rencana konten", draft)
            if moves:
                self.progress(-1, moves, later, True, 45, 0)

    @rule(actor=actors("budi", "sari", "maya"), title=st.sampled_from(["Promo", "Tips", "  "]),
          draft=st.one_of(st.none(), drafts()))
    def create(self, actor: str, title: str, draft: Draft | None) -> None:
        expected = self.role_refusal(actor, Action.CREATE_CONTENT)
        if expected is None and not title.strip():
            expected = InvalidInputError
        item_id, ok = self.attempt(expected, lambda: self.app.create_content(
            actor, title, draft, campaign_id=self.campaign))
        if ok:
            self.items.append(ModelItem(
                item_id, Status.DRAFT if draft else Status.IDEA,
                [(draft, actor)] if draft else []))

    @precondition(lambda self: self.items)
    @rule(actor=actors("budi", "sari", "maya"), pick=PICK, draft=drafts())
    def revise(self, actor: str, pick: int, draft: Draft) -> None:
        self.do_revise(actor, self.item(pick), draft)

    def do_revise(self, actor: str, item: ModelItem, draft: Draft) -> None:
        expected = self.role_refusal(actor, Action.REVISE_CONTENT)
        if expected is None and item.status not in REVISABLE:
            expected = InvalidStateError
        revision, ok = self.attempt(
            expected, lambda: self.app.revise_content(actor, item.item_id, draft))
        if ok:
            item.drafts.append((draft, actor))
            item.status, item.approval_sha = Status.DRAFT, None
            assert revision.number == len(item.drafts)
            assert revision.sha256 == draft.sha256() and revision.author_id == actor

    @precondition(lambda self: self.items)
    @rule(actor=actors("budi", "sari", "maya"), pick=PICK)
    def submit_for_review(self, actor: str, pick: int) -> None:
        self.do_submit_for_review(actor, self.item(pick))

    def do_submit_for_review(self, actor: str, item: ModelItem) -> None:
        expected = self.role_refusal(actor, Action.SUBMIT_FOR_REVIEW)
        if expected is None and item.status not in (Status.DRAFT, Status.CHANGES_REQUESTED):
            expected = InvalidStateError
        _, ok = self.attempt(expected, lambda: self.app.submit_for_review(actor, item.item_id))
        if ok:
            item.status = Status.IN_REVIEW

    @precondition(lambda self: self.items)
    @rule(actor=actors("sari", "budi", "lia"), pick=PICK,
          keys=st.one_of(st.just(CHECKLIST_KEYS),
                         st.sets(st.sampled_from(CHECKLIST_KEYS)).map(tuple)))
    def review(self, actor: str, pick: int, keys: tuple[str, ...]) -> None:
        self.do_review(actor, self.item(pick), keys)

    def do_review(self, actor: str, item: ModelItem, keys: tuple[str, ...]) -> None:
        expected = self.role_refusal(actor, Action.REVIEW_CONTENT)
        if expected is None and item.status is not Status.IN_REVIEW:
            expected = InvalidStateError
        if expected is None and item.author == actor:
            expected = PermissionDeniedError
        outcome, ok = self.attempt(
            expected, lambda: self.app.review_content(actor, item.item_id, keys))
        if ok:
            passes = set(keys) >= set(CHECKLIST_KEYS) and not automatic_findings(
                item.draft, POLICY, RULES)
            assert outcome.passed is passes, outcome
            assert outcome.revision_sha256 == item.draft.sha256()
            item.status = Status.REVIEWED if passes else Status.CHANGES_REQUESTED

    @precondition(lambda self: self.items)
    @rule(actor=actors("budi", "sari"), pick=PICK)
    def submit_for_approval(self, actor: str, pick: int) -> None:
        self.do_submit_for_approval(actor, self.item(pick))

    def do_submit_for_approval(self, actor: str, item: ModelItem) -> None:
        expected = self.role_refusal(actor, Action.SUBMIT_FOR_APPROVAL)
        if expected is None and item.status is not Status.REVIEWED:
            expected = InvalidStateError
        _, ok = self.attempt(expected,
                             lambda: self.app.submit_for_approval(actor, item.item_id))
        if ok:
            item.status = Status.AWAITING_APPROVAL

    @precondition(lambda self: self.items)
    @rule(actor=actors("rina", "budi", "sari"), pick=PICK,
          naming=st.sampled_from(["none", "full", "prefix", "upper", "stale", "short"]))
    def approve(self, actor: str, pick: int, naming: str) -> None:
        self.do_approve(actor, self.item(pick), naming)

    def do_approve(self, actor: str, item: ModelItem, naming: str = "none") -> None:
        current = item.draft.sha256() if item.drafts else "0" * 64
        given = {"none": None, "full": current, "prefix": current[:8],
                 "upper": current[:12].upper(), "short": current[:7],
                 "stale": item.drafts[0][0].sha256() if item.drafts else None}[naming]
        expected = self.role_refusal(actor, Action.APPROVE_CONTENT)
        if expected is None and item.status is not Status.AWAITING_APPROVAL:
            expected = InvalidStateError
        if expected is None and item.author == actor:
            expected = PermissionDeniedError
        if expected is None and item.slot is not None and item.slot[0] <= self.now():
            expected = InvalidStateError  # unapproved at its slot: reschedule first
        if expected is None and given is not None and not current.startswith(given.lower()):
            expected = InvalidInputError
        if expected is None and naming == "short":
            expected = InvalidInputError
        if expected is None and item.slot is not None and not (
                set(item.slot[1]) <= set(item.draft.platforms)):
            expected = InvalidStateError  # the slot names a platform this revision drops
        approved, ok = self.attempt(
            expected, lambda: self.app.approve_content(actor, item.item_id, given))
        if ok:
            assert approved == current
            item.approval_sha = current
            item.status = Status.SCHEDULED if item.slot else Status.APPROVED

    @precondition(lambda self: self.items)
    @rule(actor=actors("rina", "lia"), pick=PICK,
          comment=st.sampled_from(["Tolong perbaiki nada bahasanya", "  "]))
    def request_changes(self, actor: str, pick: int, comment: str) -> None:
        item = self.item(pick)
        expected = self.role_refusal(actor, Action.REQUEST_CHANGES)
        if expected is None and item.status not in CHANGES_REQUESTABLE:
            expected = InvalidStateError
        if expected is None and not comment.strip():
            expected = InvalidInputError
        _, ok = self.attempt(
            expected, lambda: self.app.request_changes(actor, item.item_id, comment))
        if ok:
            item.status, item.approval_sha = Status.CHANGES_REQUESTED, None

    @precondition(lambda self: self.items)
    @rule(actor=actors("adi", "budi"), pick=PICK,
          minutes=st.integers(min_value=-120, max_value=3 * 24 * 60),
          platforms=st.sets(st.sampled_from(list(Platform)), max_size=2))
    def schedule(self, actor: str, pick: int, minutes: int, platforms: set[Platform]) -> None:
        self.do_schedule(actor, self.item(pick), minutes, platforms)

    def do_schedule(self, actor: str, item: ModelItem, minutes: int,
                    platforms: set[Platform]) -> None:
        when = self.now() + timedelta(minutes=minutes)
        chosen = tuple(p for p in Platform if p in platforms) or (
            item.draft.platforms if item.drafts else ())
        expected = self.role_refusal(actor, Action.SCHEDULE_CONTENT)
        if expected is None and item.status not in SCHEDULABLE:
            expected = InvalidStateError
        if expected is None and when <= self.now():
            expected = InvalidInputError
        if expected is None and not set(chosen) <= set(item.draft.platforms):
            expected = InvalidInputError
        if expected is None and platform_findings(item.draft, chosen, RULES):
            expected = RuleViolationError
        slot, ok = self.attempt(expected, lambda: self.app.schedule_content(
            actor, item.item_id, when, tuple(platforms)))
        if ok:
            assert (slot.at, slot.platforms) == (when, chosen)
            item.slot = (when, chosen)
            if item.status is Status.APPROVED:
                item.status = Status.SCHEDULED

    @rule(minutes=st.sampled_from([5, 30, 90, 6 * 60, 24 * 60, 3 * 24 * 60]))
    def advance_clock(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @rule(fault=st.sampled_from(FAULTS))
    def platform_trouble_ahead(self, fault: str) -> None:
        self.publisher.faults.append(fault)

    @rule(actor=actors("adi"))
    def publish_due(self, actor: str) -> None:
        expected = self.role_refusal(actor, Action.PUBLISH_CONTENT)
        now = self.now()
        faults = list(self.publisher.faults)
        predicted: list[tuple[str, str, str]] = []
        effects: list[Any] = []
        for item in self.items if expected is None else ():
            due = (item.slot is not None and item.slot[0] <= now
                   and item.status not in TERMINAL)
            if due and item.status in EXPIRABLE:
                predicted.append((str(item.item_id), "", "expired"))
                effects.append((item, None, "expired"))
            elif due and item.status in (Status.SCHEDULED, Status.PUBLISHING):
                assert item.slot is not None
                for platform in item.slot[1]:
                    if item.pubs.get(platform) not in (None, "retryable"):
                        continue  # published, failed for good, or unknown: never re-sent
                    fault = faults.pop(0) if faults else None
                    outcome, state = {
                        None: ("published", "published"),
                        "refuse_retryable": ("failed_retryable", "retryable"),
                        "refuse_final": ("failed", "failed"),
                        "timeout_unsent": ("unknown", "unknown"),
                        "timeout_sent": ("unknown", "unknown"),
                    }[fault]
                    predicted.append((str(item.item_id), platform.value, outcome))
                    effects.append((item, platform, state))
        lines, ok = self.attempt(expected, lambda: self.app.publish_due(actor))
        if not ok:
            return
        assert [(line.item_id, line.platform, line.outcome) for line in lines] == predicted
        assert self.publisher.faults == faults
        for item, platform, state in effects:
            if platform is None:
                item.status = Status.EXPIRED
                assert self.app.get_content(item.item_id).summary.status == "expired"
                assert str(item.item_id) not in {r["item_id"] for r in self.sandbox.posts()}, (
                    "an unapproved item was posted")
            else:
                item.pubs[platform] = state
                item.settle()

    @precondition(lambda self: any(s == "unknown" for i in self.items for s in i.pubs.values()))
    @rule(actor=actors("adi"), pick=st.integers(min_value=0, max_value=10_000))
    def reconcile(self, actor: str, pick: int) -> None:
        """Settle an unknown outcome from what the platform shows (looked up by its key)."""
        unknown = [(i, p) for i in self.items for p, s in i.pubs.items() if s == "unknown"]
        item, platform = unknown[pick % len(unknown)]
        receipt = self.app.lookup_publication(item.item_id, platform)
        expected = self.role_refusal(actor, Action.RECONCILE_PUBLICATION)
        _, ok = self.attempt(expected, lambda: self.app.reconcile_publication(
            actor, item.item_id, platform, receipt, "checked the account"))
        if ok:
            item.pubs[platform] = "published" if receipt is not None else "retryable"
            item.settle()

    @precondition(lambda self: self.items)
    @rule(actor=actors("rina", "adi", "lia"), pick=PICK,
          reason=st.sampled_from(["Kampanye dibatalkan", " "]))
    def withdraw(self, actor: str, pick: int, reason: str) -> None:
        item = self.item(pick)
        expected = self.role_refusal(actor, Action.WITHDRAW_CONTENT)
        if expected is None and item.status not in WITHDRAWABLE:
            expected = InvalidStateError
        if expected is None and not reason.strip():
            expected = InvalidInputError
        _, ok = self.attempt(expected,
                             lambda: self.app.withdraw_content(actor, item.item_id, reason))
        if ok:
            item.status = Status.WITHDRAWN

    @precondition(lambda self: self.items)
    @rule(actor=actors("adi", "budi"), pick=PICK)
    def archive(self, actor: str, pick: int) -> None:
        item = self.item(pick)
        expected = self.role_refusal(actor, Action.ARCHIVE_CONTENT)
        if expected is None and item.status not in ARCHIVABLE:
            expected = InvalidStateError
        _, ok = self.attempt(expected, lambda: self.app.archive_content(actor, item.item_id))
        if ok:
            item.status = Status.ARCHIVED

    @rule(member=st.sampled_from(PROMOTABLE), role=st.sampled_from([MM, DM]))
    def change_role(self, member: str, role: Role) -> None:
        _, ok = self.attempt(None, lambda: self.app.change_role("rina", member, role, "rotation"))
        assert ok
        self.roles[member] = role

    @precondition(lambda self: self.items)
    @rule(pick=PICK, moves=st.lists(st.sampled_from(MOVES), min_size=3, max_size=14),
          draft=drafts(), keys_ok=st.sampled_from([True, True, True, False]),
          minutes=st.sampled_from([1, 10, 45, 120, 24 * 60]),
          who=st.integers(min_value=0, max_value=5))
    def progress(self, pick: int, moves: list[str], draft: Draft, keys_ok: bool,
                 minutes: int, who: int) -> None:
        """A run of moves on one item: the SOP's next step by a member who may take it,
        scheduling at any stage, time passing, and trouble ahead on the platform (each move
        may be refused)."""
        item = self.item(pick)
        for turn, move in enumerate(moves):
            if move == "wait":
                self.clock.advance(minutes=minutes)
            elif move == "schedule":
                self.do_schedule("adi", item, minutes, set())
            elif move == "trouble":
                self.publisher.faults.append(FAULTS[(who + turn) % len(FAULTS)])
            elif move == "revise":
                writers = self.holders(DM, AGENCY)
                if writers:
                    self.do_revise(writers[(who + turn) % len(writers)], item, draft)
            else:
                self.progress_once(item, draft, keys_ok, minutes, who + turn)

    def holders(self, *roles: Role) -> list[str]:
        return sorted(m for m, role in self.roles.items() if role in roles)

    def progress_once(self, item: ModelItem, draft: Draft, keys_ok: bool,
                      minutes: int, who: int) -> None:
        writers = [m for m in ("budi", "sari", "maya") if self.roles[m] in (DM, AGENCY)]
        if item.status in (Status.IDEA, Status.CHANGES_REQUESTED) and writers:
            self.do_revise(writers[0], item, draft)
        elif item.status is Status.DRAFT:
            self.do_submit_for_review(item.author, item)
        elif item.status is Status.IN_REVIEW:
            reviewers = self.holders(DM, LEGAL)  # the author among them now and then
            self.do_review(reviewers[who % len(reviewers)], item,
                           CHECKLIST_KEYS if keys_ok else CHECKLIST_KEYS[1:])
        elif item.status is Status.REVIEWED:
            submitter = next((m for m in ("budi", "sari") if self.roles[m] is DM), None)
            if submitter is not None:
                self.do_submit_for_approval(submitter, item)
        elif item.status is Status.AWAITING_APPROVAL:
            managers = self.holders(MM)  # a promoted author among them now and then
            self.do_approve(managers[who % len(managers)], item)
        elif item.status is Status.APPROVED:
            self.do_schedule("adi", item, minutes, set())
        elif item.status in (Status.SCHEDULED, Status.PUBLISHING) and item.slot is not None:
            if self.now() < item.slot[0]:
                self.clock.set(item.slot[0] + timedelta(minutes=1))
            self.publish_due("adi")

    # --------------------------------------------------------------- invariants

    @invariant()
    def the_store_agrees_with_the_model(self) -> None:
        for item in self.items:
            detail = self.app.get_content(item.item_id)
            summary = detail.summary
            assert summary.status == item.status.value, (summary.status, item.status)
            assert summary.revision == len(item.drafts)
            if item.drafts:
                assert summary.revision_sha256 == item.draft.sha256()
                assert summary.author_id == item.author
            assert (detail.approval.revision_sha256 if detail.approval else None) == (
                item.approval_sha)
            assert ((detail.slot.at, detail.slot.platforms) if detail.slot else None) == (
                item.slot)
            assert set(summary.published) == {p.value for p in item.published}

    @invariant()
    def the_history_obeys_the_rules(self) -> None:
        self.replayed_history()

    def replayed_history(self) -> dict[UUID, History]:
        """Replay every stored event, asserting the rules on the way (cached per position)."""
        position = self.app.event_count()
        if getattr(self, "_replayed", (None, None))[0] == position:
            return self._replayed[1]
        histories: dict[UUID, History] = {}
        previous_time = START
        for notification in self.app.recorder.select_notifications(start=1, limit=1_000_000):
            event = self.app.mapper.to_domain_event(notification)
            assert isinstance(event, AuditedEvent)
            actor = event.actor
            assert isinstance(actor, Actor) and actor.member_id in TEAM, actor
            name = type(event).__name__
            assert allowed(EVENT_ACTION[name], actor.role), (name, actor)
            assert event.timestamp >= previous_time, "events go back in time"
            previous_time = event.timestamp
            if not isinstance(event, ContentItem.Event):
                continue
            h = histories.setdefault(event.originator_id, History())
            if isinstance(event, ContentItem.Revised):
                rev = event.revision
                assert rev.sha256 == rev.draft.sha256()
                assert rev.author_id == actor.member_id
                h.current, h.approval = rev, None
            elif isinstance(event, ContentItem.Reviewed):
                assert actor.member_id != h.current.author_id, "self-review"
                assert event.outcome.revision_sha256 == h.current.sha256
            elif isinstance(event, ContentItem.Approved):
                assert actor.member_id != h.current.author_id, "self-approval"
                assert event.revision_number == h.current.number
                assert event.revision_sha256 == h.current.sha256
                h.approval = event
            elif isinstance(event, ContentItem.ChangesRequested):
                h.approval = None
            elif isinstance(event, ContentItem.Scheduled):
                h.slot = event.slot
            elif isinstance(event, ContentItem.PublicationAttempted):
                assert not h.expired, "an expired item was published"
                assert h.approval is not None, "published without approval"
                assert h.approval.revision_sha256 == h.current.sha256 == event.revision_sha256
                assert h.slot is not None and event.platform in h.slot.platforms
                assert event.platform in h.current.draft.platforms, (
                    "published on a platform the approved revision does not target")
                assert event.timestamp >= h.slot.at, "published before its slot"
                assert h.approval.timestamp < h.slot.at, (
                    "published although it was still unapproved when its slot came")
                assert event.body_sha256 == body_sha256(h.current.draft.body_for(event.platform))
                assert h.states.get(event.platform) in (None, "retryable"), (
                    f"re-sent a post whose outcome was {h.states.get(event.platform)}")
                h.states[event.platform] = "attempting"
                h.attempts[event.platform] = (h.approval, h.current, event)
            elif isinstance(event, ContentItem.Published):
                assert h.states.get(event.platform) == "attempting"
                h.states[event.platform] = "published"
                h.published.add(event.platform)
            elif isinstance(event, ContentItem.PublicationFailed):
                assert h.states.get(event.platform) == "attempting"
                h.states[event.platform] = "retryable" if event.retryable else "failed"
            elif isinstance(event, ContentItem.PublicationOutcomeUnknown):
                assert h.states.get(event.platform) == "attempting"
                h.states[event.platform] = "unknown"
            elif isinstance(event, ContentItem.PublicationReconciled):
                assert h.states.get(event.platform) in ("attempting", "unknown")
                if event.receipt is not None:
                    h.states[event.platform] = "published"
                    h.published.add(event.platform)
                else:
                    h.states[event.platform] = "retryable"
            elif isinstance(event, ContentItem.Expired):
                assert h.approval is None, "an approved item expired"
                h.expired = True
        self._replayed = (position, histories)
        return histories

    @invariant()
    def the_outbox_holds_exactly_the_approved_bodies(self) -> None:
        histories = self.replayed_history()
        records = self.sandbox.posts()
        keys = [(UUID(str(r["item_id"])), Platform(r["platform"])) for r in records]
        assert len(keys) == len(set(keys)), "an (item, platform) was posted twice"
        published = {(item_id, platform) for item_id, h in histories.items()
                     for platform in h.published}
        attempted = {(item_id, platform) for item_id, h in histories.items()
                     for platform in h.attempts}
        # a post exists only where an attempt is on record (a timed-out one may exist unknown)
        assert published <= set(keys) <= attempted
        for record, (item_id, platform) in zip(records, keys, strict=True):
            approval, revision, attempt = histories[item_id].attempts[platform]
            body = revision.draft.body_for(platform)
            assert record["body"] == body  # byte for byte the approved revision's body
            assert str(record["body"]).encode("utf-8") == body.encode("utf-8")
            approved_sha = approval.revision_sha256
            assert record["revision_sha256"] == approved_sha
            assert hashlib.sha256(
                revision.draft.canonical_json().encode("utf-8")).hexdigest() == approved_sha
            assert attempt.body_sha256 == hashlib.sha256(
                str(record["body"]).encode("utf-8")).hexdigest()

    @invariant()
    def a_fresh_rebuild_equals_the_live_item(self) -> None:
        for item in self.items:
            live = self.app.repository.get(item.item_id)
            rebuilt = None
            for stored in self.app.recorder.select_events(item.item_id):
                rebuilt = self.reader.mapper.to_domain_event(stored).mutate(rebuilt)
            assert rebuilt is not None
            assert type(rebuilt) is type(live)
            assert vars(rebuilt) == vars(live)


ContentWorkflow.TestCase.settings = settings(
    max_examples=50, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestContentWorkflow = ContentWorkflow.TestCase
