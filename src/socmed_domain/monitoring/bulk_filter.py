"""Which conversations a bulk inbox action takes: `--filter 'status=new platform=instagram'`.

A filter is `KEY=VALUE` terms separated by spaces; a term may list several values separated
by commas (`status=new,assigned`: either). Every term must hold (and). Keys:

    status     received (also: new), assigned, replied, closed
    platform   instagram, facebook, linkedin, tiktok, x
    assignee   a member id, or `none` for the unassigned
    tag        a triage tag (question, complaint, praise, spam, feedback_*)
    priority   urgent, high, normal, low
    sentiment  of the latest message: positive, negative, neutral

Without a status term a filter takes the open conversations only (as `inbox list` shows
them); closing or retagging closed threads must be asked for (`status=closed`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from attrs import frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.conversation import Conversation, ConversationStatus
from socmed_domain.monitoring.interaction import Tag
from socmed_domain.monitoring.sentiment import Polarity
from socmed_domain.monitoring.sla import Priority
from socmed_domain.platforms import platform_named

KEYS = ("status", "platform", "assignee", "tag", "priority", "sentiment")
STATUS_ALIASES = {"new": ConversationStatus.RECEIVED}
_ENUMS: Mapping[str, type[enum.Enum]] = {"status": ConversationStatus, "tag": Tag,
                                         "priority": Priority, "sentiment": Polarity}


@frozen
class ConversationFilter:
    """A parsed filter: for each key given, the values any of which must match."""

    terms: tuple[tuple[str, tuple[str, ...]], ...]
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> ConversationFilter:
        terms: dict[str, tuple[str, ...]] = {}
        for word in text.split():
            key, sep, raw = word.partition("=")
            key = key.strip().lower()
            if not sep or not raw.strip():
                raise InvalidInputError("filter.bad_term", term=word, keys=", ".join(KEYS))
            if key not in KEYS:
                raise InvalidInputError("filter.unknown_key", key=key, keys=", ".join(KEYS))
            if key in terms:
                raise InvalidInputError("filter.key_twice", key=key)
            terms[key] = tuple(_value(key, v) for v in raw.split(",") if v.strip())
        if not terms:
            raise InvalidInputError("filter.empty", keys=", ".join(KEYS))
        return cls(tuple(terms.items()), text.strip())

    @property
    def open_only(self) -> bool:
        """Whether only open conversations can match (no status term names 'closed')."""
        statuses = dict(self.terms).get("status")
        return statuses is None or ConversationStatus.CLOSED.value not in statuses

    def matches(self, conversation: Conversation) -> bool:
        return all(not _field(conversation, key).isdisjoint(values)
                   for key, values in self.terms)


def _value(key: str, raw: str) -> str:
    """One filter value as the code it is compared with; an unknown one is refused."""
    word = raw.strip().lower()
    if key == "platform":
        return platform_named(word).value
    if key == "assignee":
        return raw.strip()
    if key == "status" and word in STATUS_ALIASES:
        return STATUS_ALIASES[word].value
    kind = _ENUMS[key]
    choices = [m.value for m in kind]
    if word not in choices:
        raise InvalidInputError("error.unknown_choice", kind=key, value=raw,
                                choices=", ".join(choices))
    return word


def _field(conversation: Conversation, key: str) -> set[str]:
    if key == "status":
        return {conversation.status.value}
    if key == "platform":
        return {conversation.platform.value}
    if key == "assignee":
        return {conversation.assignee or "none"}
    if key == "tag":
        return {t.value for t in conversation.tags}
    if key == "priority":
        return {conversation.priority.value}
    latest = conversation.messages[-1] if conversation.messages else None
    return {latest.assessment.sentiment.value} if latest is not None else set()

