"""The inbox (SOP stage 4): one row per conversation, one per inbound message, one per SLA
breach, one per spike alert.

Personal values (handles, names, message text) are stored sealed, exactly as the events carry
them ('key id:ciphertext'); the CLI opens them through the vault when it shows them, so an
erased subject is unreadable here too, without rewriting a row. Everything else (platform,
kind, times, sentiment, topics, tags, status, assignee) is not personal and stays queryable.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.events import AuditedEvent
from socmed_domain.monitoring.alerts import MonitoringAlert
from socmed_domain.monitoring.conversation import Conversation
from socmed_domain.monitoring.interaction import ReceivedMessage
from socmed_domain.monitoring.vault import SealedText


def pack(sealed: SealedText | None) -> str:
    return f"{sealed.key_id}:{sealed.ciphertext}" if sealed is not None else ""


def unpack(value: str | None) -> SealedText | None:
    if not value:
        return None
    key_id, _, ciphertext = value.partition(":")
    return SealedText(key_id, ciphertext)


class Inbox(SqlProjection):
    name = "inbox"
    partitionable = True  # every row comes from one aggregate's events
    version = 1
    needs_aggregate = True
    topics = tuple(sorted(
        [get_topic(cls) for cls in vars(Conversation).values()
         if isinstance(cls, type) and issubclass(cls, AuditedEvent) and cls.__name__ != "Event"]
        + [get_topic(MonitoringAlert.SpikeAlertRaised)]))

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        conversations = Table(
            "inbox_conversations", metadata,
            Column("conversation_id", String(36), primary_key=True),
            Column("platform", String(16), nullable=False),
            Column("kind", String(16), nullable=False),
            Column("status", String(16), nullable=False),
            Column("priority", String(16), nullable=False),
            Column("assignee", String(64), nullable=True),
            Column("tags", Text, nullable=False),
            Column("subject_key", String(36), nullable=False),
            Column("author_handle", Text, nullable=False),
            Column("author_name", Text, nullable=False),
            Column("last_text", Text, nullable=False),
            Column("last_sentiment", String(16), nullable=False),
            Column("topics", Text, nullable=False),
            Column("messages", Integer, nullable=False),
            Column("replies", Integer, nullable=False),
            Column("pending_reply", Boolean, nullable=False),
            Column("awaiting_reply", Boolean, nullable=False),
            Column("first_received_at", UtcDateTime, nullable=False),
            Column("last_received_at", UtcDateTime, nullable=False),
            Column("first_replied_at", UtcDateTime, nullable=True),
            Column("closed_at", UtcDateTime, nullable=True),
            Column("breaches", Text, nullable=False),
            Column("version", Integer, nullable=False),
            Index("ix_inbox_conversations_status", "status"),
            Index("ix_inbox_conversations_received", "first_received_at"),
            Index("ix_inbox_conversations_subject", "subject_key"),
        )
        messages = Table(
            "inbox_messages", metadata,
            Column("position", Integer, primary_key=True, autoincrement=False),
            Column("conversation_id", String(36), nullable=False),
            Column("message_id", String(200), nullable=False),
            Column("platform", String(16), nullable=False),
            Column("kind", String(16), nullable=False),
            Column("received_at", UtcDateTime, nullable=False),
            Column("sentiment", String(16), nullable=False),
            Column("score", String(16), nullable=False),
            Column("topics", Text, nullable=False),
            Column("text", Text, nullable=False),
            Index("ix_inbox_messages_received", "received_at"),
            Index("ix_inbox_messages_conversation", "conversation_id"),
        )
        breaches = Table(
            "inbox_breaches", metadata,
            Column("conversation_id", String(36), primary_key=True),
            Column("clock", String(16), primary_key=True),
            Column("platform", String(16), nullable=False),
            Column("priority", String(16), nullable=False),
            Column("due_at", UtcDateTime, nullable=False),
            Column("flagged_at", UtcDateTime, nullable=False),
        )
        alerts = Table(
            "inbox_alerts", metadata,
            Column("alert_id", String(40), primary_key=True),
            Column("window_start", UtcDateTime, nullable=False),
            Column("window_end", UtcDateTime, nullable=False),
            Column("count", Integer, nullable=False),
            Column("baseline_mean", String(16), nullable=False),
            Column("threshold", String(16), nullable=False),
            Column("raised_at", UtcDateTime, nullable=False),
        )
        return [conversations, messages, breaches, alerts]

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        if isinstance(event, Conversation.Event):
            writer.upsert(self.tables["inbox_conversations"], (str(aggregate.id),),
                          partial(self.conversation_row, aggregate))
            message = getattr(event, "message", None)
            if isinstance(message, ReceivedMessage):
                writer.insert(self.tables["inbox_messages"],
                              self.message_row(position, aggregate, message))
            if isinstance(event, Conversation.SlaBreached):
                writer.upsert(self.tables["inbox_breaches"],
                              (str(aggregate.id), event.clock.value), {
                                  "conversation_id": str(aggregate.id),
                                  "clock": event.clock.value,
                                  "platform": aggregate.platform.value,
                                  "priority": event.priority.value, "due_at": event.due_at,
                                  "flagged_at": event.timestamp})
        elif isinstance(event, MonitoringAlert.SpikeAlertRaised):
            figures = event.figures
            writer.upsert(self.tables["inbox_alerts"], (event.alert_id,), {
                "alert_id": event.alert_id, "window_start": figures.window_start,
                "window_end": figures.window_end, "count": figures.count,
                "baseline_mean": str(figures.baseline_mean),
                "threshold": str(figures.threshold), "raised_at": event.timestamp})

    @staticmethod
    def message_row(position: int, conversation: Conversation,
                    message: ReceivedMessage) -> dict[str, Any]:
        return {"position": position, "conversation_id": str(conversation.id),
                "message_id": message.message_id, "platform": conversation.platform.value,
                "kind": message.kind.value, "received_at": message.received_at,
                "sentiment": message.assessment.sentiment.value,
                "score": str(message.assessment.score),
                "topics": ",".join(t.value for t in message.assessment.topics),
                "text": pack(message.text)}

    @staticmethod
    def conversation_row(conversation: Conversation) -> dict[str, Any]:
        first, last = conversation.messages[0], conversation.messages[-1]
        topics = dict.fromkeys(t.value for m in conversation.messages
                               for t in m.assessment.topics)
        assert conversation.first_received_at and conversation.last_received_at
        return {
            "conversation_id": str(conversation.id), "platform": conversation.platform.value,
            "kind": first.kind.value, "status": conversation.status.value,
            "priority": conversation.priority.value, "assignee": conversation.assignee,
            "tags": ",".join(t.value for t in conversation.tags),
            "subject_key": conversation.subject_key,
            "author_handle": pack(conversation.author_handle),
            "author_name": pack(conversation.author_name), "last_text": pack(last.text),
            "last_sentiment": last.assessment.sentiment.value, "topics": ",".join(topics),
            "messages": len(conversation.messages), "replies": len(conversation.replies),
            "pending_reply": conversation.pending is not None,
            "awaiting_reply": conversation.awaiting_reply,
            "first_received_at": conversation.first_received_at,
            "last_received_at": conversation.last_received_at,
            "first_replied_at": conversation.first_replied_at,
            "closed_at": conversation.closed_at,
            "breaches": ",".join(c.value for c in conversation.breaches),
            "version": conversation.version}
