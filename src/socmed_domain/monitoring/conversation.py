"""The Conversation aggregate: one platform thread with an audience member (SOP stage 4).

Life: received -> assigned (to a member who may reply) -> replied -> closed, reopened by a
triager or by a new message from the audience. Tags record feedback for the content team,
notes stay internal, and two SLA clocks run from the first message: first response and
resolution (`monitoring.sla`). A breach is flagged once per clock, as an event, so the daily
report and the audit log show it whoever looks and whenever.

Personal data (the author's handle and name, every message and reply text) is sealed by the
vault before it reaches an event; the aggregate only ever holds `SealedText`.

Public methods check, then trigger an event; `apply` only changes state.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from attrs import frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.bounds import check_text as _text
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import Term
from socmed_domain.monitoring.interaction import ReceivedMessage, Tag
from socmed_domain.monitoring.sla import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICY,
    BusinessCalendar,
    Priority,
    SlaCheck,
    SlaPolicy,
    check,
)
from socmed_domain.monitoring.vault import SealedText
from socmed_domain.platforms import Platform
from socmed_domain.roles import Action, check_may, may
from socmed_domain.timezones import require_aware

REPLY_LIMIT = 2000
NOTE_LIMIT = 2000


class ConversationStatus(enum.Enum):
    RECEIVED = "received"  # waiting for triage
    ASSIGNED = "assigned"  # a member owns it; a reply is due
    REPLIED = "replied"  # answered; waiting for the audience or for closing
    CLOSED = "closed"


class SlaClock(enum.Enum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


@frozen
class SentReply:
    """A reply that went out through the platform, as the conversation remembers it."""

    at: datetime
    by: str
    text: SealedText
    platform_reply_id: str
    template: str
    approved_by: str


@frozen
class TagSet:
    """The tags of a conversation, in the order of `Tag` (one value object, so it is stored
    and read back as the same tuple)."""

    tags: tuple[Tag, ...] = ()


@frozen
class ProposedReply:
    """A reply held for approval (an open incident of level 3 or more)."""

    at: datetime
    by: str
    text: SealedText
    template: str
    incident_ref: str


S = ConversationStatus
OPEN = frozenset({S.RECEIVED, S.ASSIGNED, S.REPLIED})


class Conversation(Aggregate):
    """A thread of messages with one audience member, and how the team handled it."""

    def __init__(self) -> None:
        self.platform = Platform.INSTAGRAM
        self.thread_id = ""
        self.subject_key = ""
        self.author_handle: SealedText | None = None
        self.author_name: SealedText | None = None
        self.status = S.RECEIVED
        self.priority = Priority.NORMAL
        self.messages: list[ReceivedMessage] = []
        self.message_ids: set[str] = set()
        self.assignee: str | None = None
        self.tags: tuple[Tag, ...] = ()
        self.notes: list[tuple[datetime, str, str]] = []
        self.replies: list[SentReply] = []
        self.pending: ProposedReply | None = None
        self.first_received_at: datetime | None = None
        self.first_replied_at: datetime | None = None
        self.last_received_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.breaches: dict[SlaClock, datetime] = {}
        self.awaiting_reply = True

    # ----------------------------------------------------------------- events

    class ConversationOpened(AuditedEvent, Aggregate.Created):
        platform: Platform
        thread_id: str
        subject_key: str
        message: ReceivedMessage
        priority: Priority

        def apply(self, conversation: Conversation) -> None:
            conversation.platform, conversation.thread_id = self.platform, self.thread_id
            conversation.subject_key = self.subject_key
            conversation.author_handle = self.message.author_handle
            conversation.author_name = self.message.author_name
            conversation.priority = self.priority
            conversation._receive(self.message)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ConversationOpened", {"platform": self.platform.value,
                                                 "kind": self.message.kind.value})

    class MessageReceived(AuditedEvent):
        message: ReceivedMessage

        def apply(self, conversation: Conversation) -> None:
            conversation._receive(self.message)
            if conversation.status in (S.REPLIED, S.CLOSED):
                conversation.status = S.ASSIGNED if conversation.assignee else S.RECEIVED
                conversation.closed_at = None

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.MessageReceived", {"kind": self.message.kind.value})

    class ConversationAssigned(AuditedEvent):
        assignee_id: str
        note: str

        def apply(self, conversation: Conversation) -> None:
            conversation.assignee = self.assignee_id
            if conversation.status is S.RECEIVED:
                conversation.status = S.ASSIGNED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ConversationAssigned", {"member": self.assignee_id})

    class ConversationTagged(AuditedEvent):
        tagging: TagSet

        def apply(self, conversation: Conversation) -> None:
            conversation.tags = self.tagging.tags

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ConversationTagged",
                    {"tags": ", ".join(t.value for t in self.tagging.tags) or "-"})

    class PrioritySet(AuditedEvent):
        priority: Priority
        reason: str

        def apply(self, conversation: Conversation) -> None:
            conversation.priority = self.priority

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PrioritySet", {"priority": self.priority.value})

    class NoteAdded(AuditedEvent):
        note: str

        def apply(self, conversation: Conversation) -> None:
            conversation.notes.append((self.timestamp, self.actor.member_id, self.note))

    class ReplyProposed(AuditedEvent):
        text: SealedText
        template: str
        incident_ref: str

        def apply(self, conversation: Conversation) -> None:
            conversation.pending = ProposedReply(self.timestamp, self.actor.member_id,
                                                 self.text, self.template, self.incident_ref)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ReplyProposed", {"incident": self.incident_ref})

    class Replied(AuditedEvent):
        text: SealedText
        in_reply_to: str
        platform_reply_id: str
        template: str
        proposed_by: str  # "" unless the reply was held for approval
        approved_by: str

        def apply(self, conversation: Conversation) -> None:
            author = self.proposed_by or self.actor.member_id
            conversation.replies.append(SentReply(
                self.timestamp, author, self.text, self.platform_reply_id, self.template,
                self.approved_by))
            conversation.pending = None
            conversation.first_replied_at = conversation.first_replied_at or self.timestamp
            conversation.awaiting_reply = False
            if conversation.status is not S.CLOSED:
                conversation.status = S.REPLIED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Replied", {"template": self.template or "-"})

    class ConversationClosed(AuditedEvent):
        note: str

        def apply(self, conversation: Conversation) -> None:
            conversation.status = S.CLOSED
            conversation.closed_at = self.timestamp

    class ConversationReopened(AuditedEvent):
        reason: str

        def apply(self, conversation: Conversation) -> None:
            conversation.status = S.ASSIGNED if conversation.assignee else S.RECEIVED
            conversation.closed_at = None

    class SlaBreached(AuditedEvent):
        clock: SlaClock
        priority: Priority
        due_at: datetime

        def apply(self, conversation: Conversation) -> None:
            conversation.breaches[self.clock] = self.due_at

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SlaBreached", {"clock": self.clock.value,
                                          "due": self.due_at.isoformat()})

    def _receive(self, message: ReceivedMessage) -> None:
        self.messages.append(message)
        self.message_ids.add(message.message_id)
        if self.first_received_at is None or message.received_at < self.first_received_at:
            self.first_received_at = message.received_at
        if self.last_received_at is None or message.received_at > self.last_received_at:
            self.last_received_at = message.received_at
        self.awaiting_reply = True

    # --------------------------------------------------------------- commands

    @classmethod
    def open(cls, actor: Actor, conversation_id: UUID, platform: Platform, thread_id: str,
             message: ReceivedMessage, priority: Priority, at: datetime) -> Conversation:
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
        return cls._create(cls.ConversationOpened, id=conversation_id,
                           timestamp=require_aware(at), actor=actor, platform=platform,
                           thread_id=thread_id, subject_key=message.text.key_id,
                           message=message, priority=priority)

    def receive(self, actor: Actor, message: ReceivedMessage, at: datetime) -> bool:
        """Add a message; False (nothing recorded) when it is already here."""
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
        if message.message_id in self.message_ids:
            return False
        self.trigger_event(self.MessageReceived, timestamp=require_aware(at), actor=actor,
                           message=message)
        return True

    def assign(self, actor: Actor, assignee: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        self._check_status("assign", OPEN)
        if not may(assignee.role, Action.REPLY_TO_AUDIENCE):
            raise InvalidInputError("error.assignee_cannot_reply", member=assignee.member_id,
                                    role=assignee.role.value)
        self.trigger_event(self.ConversationAssigned, timestamp=require_aware(at), actor=actor,
                           assignee_id=assignee.member_id, note=_text(note, "note", NOTE_LIMIT,
                                                                       required=False))

    def tag(self, actor: Actor, tags: Iterable[Tag], at: datetime) -> None:
        """Set the conversation's tags (the whole set: an empty set clears them)."""
        check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        ordered = tuple(t for t in Tag if t in set(tags))
        self.trigger_event(self.ConversationTagged, timestamp=require_aware(at), actor=actor,
                           tagging=TagSet(ordered))

    def set_priority(self, actor: Actor, priority: Priority, reason: str,
                     at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        self._check_status("change the priority of", OPEN)
        self.trigger_event(self.PrioritySet, timestamp=require_aware(at), actor=actor,
                           priority=priority, reason=_text(reason, "reason", NOTE_LIMIT,
                                                           required=False))

    def add_note(self, actor: Actor, note: str, at: datetime) -> None:
        if not (may(actor.role, Action.TRIAGE_INBOX)
                or may(actor.role, Action.REPLY_TO_AUDIENCE)):
            check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        self.trigger_event(self.NoteAdded, timestamp=require_aware(at), actor=actor,
                           note=_text(note, "note", NOTE_LIMIT))

    def check_reply(self, actor: Actor, text: str) -> str:
        """Whether `actor` may send `text` now; the cleaned text. Nothing is recorded: the
        Application sends the reply through the platform and then calls `record_reply`."""
        check_may(actor.member_id, actor.role, Action.REPLY_TO_AUDIENCE)
        self._check_status("reply to", OPEN)
        return _text(text, "reply", REPLY_LIMIT)

    def propose_reply(self, actor: Actor, text: SealedText, template: str, incident_ref: str,
                      at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.REPLY_TO_AUDIENCE)
        self._check_status("reply to", OPEN)
        self.trigger_event(self.ReplyProposed, timestamp=require_aware(at), actor=actor,
                           text=text, template=template, incident_ref=incident_ref)

    def check_approval(self, actor: Actor) -> ProposedReply:
        """The reply held for approval, if `actor` may approve it."""
        check_may(actor.member_id, actor.role, Action.APPROVE_REPLY)
        self._check_status("approve a reply to", OPEN)
        if self.pending is None:
            raise InvalidStateError("error.no_pending_reply", ref=self.ref)
        if self.pending.by == actor.member_id:
            raise PermissionDeniedError("error.self_approval_reply", actor=actor.member_id,
                                        ref=self.ref)
        return self.pending

    def record_reply(self, actor: Actor, text: SealedText, platform_reply_id: str,
                     template: str, at: datetime, proposal: ProposedReply | None = None) -> None:
        """Record a reply the platform accepted (`proposal`: the held reply just approved)."""
        self.trigger_event(
            self.Replied, timestamp=require_aware(at), actor=actor, text=text,
            in_reply_to=self.messages[-1].message_id if self.messages else "",
            platform_reply_id=platform_reply_id, template=template,
            proposed_by=proposal.by if proposal else "",
            approved_by=actor.member_id if proposal else "")

    def close(self, actor: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        self._check_status("close", OPEN)
        self.trigger_event(self.ConversationClosed, timestamp=require_aware(at), actor=actor,
                           note=_text(note, "note", NOTE_LIMIT, required=False))

    def reopen(self, actor: Actor, reason: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        self._check_status("reopen", {S.CLOSED})
        self.trigger_event(self.ConversationReopened, timestamp=require_aware(at), actor=actor,
                           reason=_text(reason, "reason", NOTE_LIMIT))

    def flag_breaches(self, actor: Actor, now: datetime, policy: SlaPolicy = DEFAULT_POLICY,
                      calendar: BusinessCalendar = DEFAULT_CALENDAR) -> tuple[SlaClock, ...]:
        """Record each SLA clock that has run out and is not yet flagged. Decided by the
        sweep (like a post's expiry), recorded with the member who ran it."""
        flagged = []
        for clock, result in self.sla(now, policy, calendar).items():
            if result.breached and clock not in self.breaches:
                self.trigger_event(self.SlaBreached, timestamp=require_aware(now), actor=actor,
                                   clock=clock, priority=self.priority, due_at=result.due_at)
                flagged.append(clock)
        return tuple(flagged)

    # ---------------------------------------------------------------- queries

    @property
    def ref(self) -> str:
        return str(self.id)[:8]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def sla(self, now: datetime, policy: SlaPolicy = DEFAULT_POLICY,
            calendar: BusinessCalendar = DEFAULT_CALENDAR) -> dict[SlaClock, SlaCheck]:
        """Both clocks at `now`: first response (to the first reply) and resolution (to
        closing), measured in business time from the first message."""
        assert self.first_received_at is not None
        now = max(now, self.first_received_at)  # a platform's clock may run ahead of ours
        target = policy.target(self.priority, self.platform)
        start = self.first_received_at

        def done(at: datetime | None) -> datetime | None:
            return None if at is None else max(at, start)
        return {
            SlaClock.FIRST_RESPONSE: check(start, target.first_response, calendar, now=now,
                                           done_at=done(self.first_replied_at)),
            SlaClock.RESOLUTION: check(start, target.resolution, calendar, now=now,
                                       done_at=done(self.closed_at)),
        }

    # ---------------------------------------------------------------- guards

    def _check_status(self, action: str, allowed: Iterable[ConversationStatus]) -> None:
        allowed = set(allowed)
        if self.status not in allowed:
            expected = " or ".join(sorted(s.value for s in allowed))
            raise InvalidStateError("error.conversation_state", action=Term(action),
                                    ref=self.ref, status=self.status.value, expected=expected)


