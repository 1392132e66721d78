"""What the Application returns about a conversation: a frozen view, never the aggregate.

Personal values stay sealed here; a front end opens them through the vault at display time,
so an erased subject shows as '[erased]' wherever it is read.
"""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from socmed_domain.monitoring.conversation import (
    Conversation,
    ConversationStatus,
    ProposedReply,
    SentReply,
    SlaClock,
)
from socmed_domain.monitoring.interaction import ReceivedMessage, Tag
from socmed_domain.monitoring.sla import Priority, SlaCheck
from socmed_domain.monitoring.vault import SealedText
from socmed_domain.platforms import Platform


@frozen
class ConversationView:
    conversation_id: str
    platform: Platform
    thread_id: str
    status: ConversationStatus
    priority: Priority
    assignee: str | None
    tags: tuple[Tag, ...]
    author_handle: SealedText | None
    author_name: SealedText | None
    messages: tuple[ReceivedMessage, ...]
    replies: tuple[SentReply, ...]
    pending: ProposedReply | None
    notes: tuple[tuple[datetime, str, str], ...]
    first_received_at: datetime | None
    first_replied_at: datetime | None
    closed_at: datetime | None
    sla: tuple[tuple[SlaClock, SlaCheck], ...]
    breaches: tuple[SlaClock, ...]
    version: int

    @property
    def ref(self) -> str:
        return self.conversation_id[:8]


def conversation_view(conversation: Conversation,
                      sla: dict[SlaClock, SlaCheck]) -> ConversationView:
    return ConversationView(
        conversation_id=str(conversation.id), platform=conversation.platform,
        thread_id=conversation.thread_id, status=conversation.status,
        priority=conversation.priority, assignee=conversation.assignee,
        tags=conversation.tags, author_handle=conversation.author_handle,
        author_name=conversation.author_name, messages=tuple(conversation.messages),
        replies=tuple(conversation.replies), pending=conversation.pending,
        notes=tuple(conversation.notes), first_received_at=conversation.first_received_at,
        first_replied_at=conversation.first_replied_at, closed_at=conversation.closed_at,
        sla=tuple(sla.items()), breaches=tuple(conversation.breaches),
        version=conversation.version)
