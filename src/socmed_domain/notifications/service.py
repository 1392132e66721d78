"""The notifications service (`app.contacts`): members' channels and preferences, who
could be told (`audience`), and the record of what was sent (`record_sent`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from attrs import frozen
from eventsourcing.persistence import IntegrityError

from socmed_domain.actor import SYSTEM_ACTOR, Actor
from socmed_domain.errors import InvalidInputError
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import StageService
from socmed_domain.notifications.contacts import (
    Channel,
    ChannelKind,
    DeliveryMode,
    MemberContacts,
    NotificationRecord,
    Preference,
    check_channel,
    contacts_id,
    may_set_for,
    record_id,
)
from socmed_domain.notifications.decide import Audience, Notification
from socmed_domain.notifications.rules import NotificationKind
from socmed_domain.transcoding import register_value_type


@frozen
class ChannelView:
    name: str
    kind: ChannelKind
    address: str  # as shown: a webhook URL without its secret part


@frozen
class ContactsView:
    """A member's channels and how they are told of each kind (every kind listed: a kind
    not set goes to every channel, immediately)."""

    member_id: str
    channels: tuple[ChannelView, ...]
    preferences: tuple[Preference, ...]


def contacts_view(member_id: str, contacts: MemberContacts | None) -> ContactsView:
    channels = tuple(ChannelView(c.name, c.kind, c.shown()) for c in sorted(
        (contacts.channels.values() if contacts else ()), key=lambda c: c.name))
    preferences = tuple((contacts.preferences.get(k) if contacts else None) or Preference(k)
                        for k in NotificationKind)
    return ContactsView(member_id, channels, preferences)


#: Who records a delivery: the notifier, not a member.
NOTIFIER_ACTOR = Actor(member_id="system", name="socmed notifier", role=SYSTEM_ACTOR.role,
                       via="notifier")


class NotificationService(StageService):
    """Where each member is told, and what was told."""

    def add_channel(self, actor_id: ActorRef, member_id: str, name: str, kind: ChannelKind,
                    address: str) -> Channel:
        channel = check_channel(name, kind, address)
        self._on_contacts(actor_id, member_id,
                          lambda c, actor, now: c.add_channel(actor, channel, now))
        return channel

    def remove_channel(self, actor_id: ActorRef, member_id: str, name: str) -> None:
        self._on_contacts(actor_id, member_id,
                          lambda c, actor, now: c.remove_channel(actor, name, now))

    def set_preference(self, actor_id: ActorRef, member_id: str, kind: NotificationKind,
                       mode: DeliveryMode, channels: Iterable[str] = ()) -> Preference:
        preference = Preference(kind, mode, tuple(dict.fromkeys(channels)))
        self._on_contacts(actor_id, member_id,
                          lambda c, actor, now: c.set_preference(actor, preference, now))
        return preference

    def contacts(self, actor_id: ActorRef, member_id: str) -> MemberContacts | None:
        """A member's contacts (their own, or anyone's for a Marketing Manager)."""
        actor = self.actor(actor_id, reading=True)
        may_set_for(actor, member_id)
        self.kernel.team_read().member(member_id)
        return self._find(MemberContacts, contacts_id(member_id))

    def view(self, actor_id: ActorRef, member_id: str | None = None) -> ContactsView:
        """A member's channels and preferences as listings show them (default: the actor's
        own)."""
        actor = self.actor(actor_id, reading=True)
        whose = member_id or actor.member_id
        may_set_for(actor, whose)
        self.kernel.team_read().member(whose)
        return contacts_view(whose, self._find(MemberContacts, contacts_id(whose)))

    def audience(self) -> Audience:
        """The team and every member's contacts (the decision's input)."""
        members = {m.member_id: m for m in self.kernel.team_read().members.values()}
        found = self._find_many(MemberContacts, [contacts_id(m) for m in members])
        contacts = {c.member_id: c for c in found.values()}
        return Audience(members=members, contacts=contacts)

    def record_sent(self, notification: Notification, decided_at: datetime) -> bool:
        """Record that `notification` was delivered; False when it was recorded already (a
        delivery repeated after a crash)."""
        record = NotificationRecord.sent(
            NOTIFIER_ACTOR, dedupe_key=notification.dedupe_key, kind=notification.kind,
            recipient=notification.recipient, channel=notification.channel.name,
            channel_kind=notification.channel.kind, answers=notification.answers,
            subject=notification.subject, decided_at=decided_at, at=self._now())
        try:
            self.save(record)
        except IntegrityError:
            return False
        return True

    def was_recorded(self, dedupe_key: str) -> bool:
        return self._find(NotificationRecord, record_id(dedupe_key)) is not None

    def _on_contacts(self, actor_id: ActorRef, member_id: str, command) -> None:  # type: ignore[no-untyped-def]
        actor = self.actor(actor_id)
        may_set_for(actor, member_id)
        member = self.kernel.team_read().member(member_id)
        if not member.active:
            raise InvalidInputError("error.member_inactive", member=member_id)
        ident = contacts_id(member_id)

        def load() -> MemberContacts:
            found = self._find(MemberContacts, ident)
            return found if found is not None else MemberContacts.open(actor, member_id,
                                                                       self._now())

        self._retrying(load, lambda contacts: command(contacts, actor, self._now()),
                       "contacts", member_id)


for _value_type in (Channel, Preference, ChannelKind, DeliveryMode, NotificationKind):
    register_value_type(_value_type)
