"""A member's contact channels and preferences (`MemberContacts`), and the record of every
notification sent (`NotificationRecord`), both as audited events.

One `MemberContacts` per member (found by id, like `MemberAccess`), so members changing their
own channels never conflict. A member sets their own; a Marketing Manager may set them for
anyone (they run the team and answer for its reachability: docs/decisions.md). A channel is a
name the member chooses, an email address or a chat webhook as an `apprise` URL (Slack,
Microsoft Teams, Telegram, a JSON webhook ...). A preference says, per kind, which channels
(none named: all) and whether immediately or in the daily digest, or muted.

A `NotificationRecord` is one per dedupe key: recorded when the notification was delivered,
so a delivery repeated after a crash is recorded once (the second save conflicts).
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import Term
from socmed_domain.notifications.rules import NotificationKind
from socmed_domain.roles import Role
from socmed_domain.timezones import require_aware

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
MAX_CHANNELS = 10


def contacts_id(member_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"socmed:contacts:{member_id}")


def record_id(dedupe_key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"socmed:notification:{dedupe_key}")


class ChannelKind(enum.Enum):
    EMAIL = "email"
    CHAT = "chat"  # an apprise URL


class DeliveryMode(enum.Enum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"  # once a day, with the others of the day
    MUTED = "muted"


@frozen
class Channel:
    name: str
    kind: ChannelKind
    address: str

    def shown(self) -> str:
        """The address as listings show it: a webhook URL carries its secret, so only its
        scheme and host are shown."""
        if self.kind is ChannelKind.EMAIL:
            return self.address
        scheme, _, rest = self.address.partition("://")
        return f"{scheme}://{rest.split('/')[0].split('@')[-1]}/..."


@frozen
class Preference:
    kind: NotificationKind
    mode: DeliveryMode = DeliveryMode.IMMEDIATE
    channels: tuple[str, ...] = ()  # none named: every channel


def check_channel(name: str, kind: ChannelKind, address: str) -> Channel:
    if not NAME_RE.fullmatch(name):
        raise InvalidInputError("error.notify_channel_name", value=name)
    address = address.strip()
    pattern = EMAIL_RE if kind is ChannelKind.EMAIL else URL_RE
    if not pattern.fullmatch(address) or len(address) > 2000:
        raise InvalidInputError("error.notify_channel_address", kind=kind.value,
                                value=address[:80])
    return Channel(name, kind, address)


def may_set_for(actor: Actor, member_id: str) -> None:
    """A member sets their own contacts; a Marketing Manager may set anyone's."""
    if actor.member_id != member_id and actor.role is not Role.MARKETING_MANAGER:
        raise PermissionDeniedError(actor=actor.member_id, role=actor.role.value,
                                    action=Term("set another member's notification contacts"),
                                    allowed=Role.MARKETING_MANAGER.value)


class MemberContacts(Aggregate):
    """Where and how one member is told."""

    def __init__(self) -> None:
        self.member_id = ""
        self.channels: dict[str, Channel] = {}
        self.preferences: dict[NotificationKind, Preference] = {}

    class ContactsOpened(AuditedEvent, Aggregate.Created):
        member_id: str

        def apply(self, contacts: MemberContacts) -> None:
            contacts.member_id = self.member_id

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ContactsOpened", {"member": self.member_id})

    class ChannelAdded(AuditedEvent):
        channel: Channel

        def apply(self, contacts: MemberContacts) -> None:
            contacts.channels[self.channel.name] = self.channel

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ChannelAdded", {"channel": self.channel.name,
                                           "kind": self.channel.kind.value,
                                           "address": self.channel.shown()})

    class ChannelRemoved(AuditedEvent):
        name: str

        def apply(self, contacts: MemberContacts) -> None:
            contacts.channels.pop(self.name, None)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ChannelRemoved", {"channel": self.name})

    class PreferenceSet(AuditedEvent):
        preference: Preference

        def apply(self, contacts: MemberContacts) -> None:
            contacts.preferences[self.preference.kind] = self.preference

        def describe(self) -> tuple[str, dict[str, Any]]:
            p = self.preference
            return ("event.PreferenceSet", {"kind": p.kind.value, "mode": p.mode.value,
                                            "channels": ", ".join(p.channels) or "*"})

    @classmethod
    def open(cls, actor: Actor, member_id: str, at: datetime) -> MemberContacts:
        may_set_for(actor, member_id)
        return cls._create(cls.ContactsOpened, id=contacts_id(member_id),
                           timestamp=require_aware(at), actor=actor, member_id=member_id)

    def add_channel(self, actor: Actor, channel: Channel, at: datetime) -> None:
        may_set_for(actor, self.member_id)
        if channel.name not in self.channels and len(self.channels) >= MAX_CHANNELS:
            raise InvalidInputError("error.notify_too_many_channels", limit=MAX_CHANNELS)
        self.trigger_event(self.ChannelAdded, timestamp=require_aware(at), actor=actor,
                           channel=channel)

    def remove_channel(self, actor: Actor, name: str, at: datetime) -> None:
        may_set_for(actor, self.member_id)
        if name not in self.channels:
            raise NotFoundError(kind="channel", ref=name, listing="notify channel list")
        self.trigger_event(self.ChannelRemoved, timestamp=require_aware(at), actor=actor,
                           name=name)

    def set_preference(self, actor: Actor, preference: Preference, at: datetime) -> None:
        may_set_for(actor, self.member_id)
        unknown = [c for c in preference.channels if c not in self.channels]
        if unknown:
            raise NotFoundError(kind="channel", ref=", ".join(unknown),
                                listing="notify channel list")
        self.trigger_event(self.PreferenceSet, timestamp=require_aware(at), actor=actor,
                           preference=preference)

    def routes(self, kind: NotificationKind) -> tuple[tuple[Channel, DeliveryMode], ...]:
        """The channels a notification of `kind` goes to, and how (the default: every
        channel, immediately). A preference whose channels were all removed since falls back
        to every channel: removing a channel never silences a kind."""
        preference = self.preferences.get(kind, Preference(kind))
        if preference.mode is DeliveryMode.MUTED:
            return ()
        names = [n for n in preference.channels if n in self.channels]
        if not names:  # none named, or every named channel removed since: all of them
            names = sorted(self.channels)
        return tuple((self.channels[n], preference.mode) for n in names)


class NotificationRecord(Aggregate):
    """That a notification was delivered: to whom, through which channel, of which kind,
    answering which event (Legal's 'who was told what and when')."""

    def __init__(self) -> None:
        self.dedupe_key = ""

    class NotificationSent(AuditedEvent, Aggregate.Created):
        dedupe_key: str
        kind: NotificationKind
        recipient: str
        channel: str
        channel_kind: ChannelKind
        answers: str  # the event (aggregate id:version) or the clock it answers
        subject: str  # what it was about (an item, a conversation, an incident)
        decided_at: datetime

        def apply(self, record: NotificationRecord) -> None:
            record.dedupe_key = self.dedupe_key

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.NotificationSent", {
                "kind": self.kind.value, "recipient": self.recipient, "channel": self.channel,
                "channel_kind": self.channel_kind.value, "answers": self.answers,
                "key": self.dedupe_key[:16]})

    @classmethod
    def sent(cls, actor: Actor, *, dedupe_key: str, kind: NotificationKind, recipient: str,
             channel: str, channel_kind: ChannelKind, answers: str, subject: str,
             decided_at: datetime, at: datetime) -> NotificationRecord:
        return cls._create(cls.NotificationSent, id=record_id(dedupe_key),
                           timestamp=require_aware(at), actor=actor, dedupe_key=dedupe_key,
                           kind=kind, recipient=recipient, channel=channel,
                           channel_kind=channel_kind, answers=answers, subject=subject,
                           decided_at=require_aware(decided_at))
