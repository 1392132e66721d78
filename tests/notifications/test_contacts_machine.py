"""A hypothesis state machine of a member's contacts: channels added, replaced and removed,
preferences set, commands refused; the aggregate always agrees with a plain model, its
events replay to the same state, and `routes` follows the preference (none named: every
channel; muted: none)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from socmed_domain.notifications.contacts import (
    ChannelKind,
    DeliveryMode,
    MemberContacts,
    Preference,
    check_channel,
)
from socmed_domain.notifications.rules import NotificationKind
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

T0 = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
OWNER = Actor("budi.dm", "Budi", Role.DIGITAL_MARKETING)
MANAGER = Actor("rina.mm", "Rina", Role.MARKETING_MANAGER)
OTHER = Actor("dewi.dm", "Dewi", Role.DIGITAL_MARKETING)
NAMES = st.sampled_from(["work", "team", "home", "x"])
KINDS = st.sampled_from(list(NotificationKind))


class ContactsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.contacts = MemberContacts.open(OWNER, "budi.dm", T0)
        self.channels: dict[str, tuple[ChannelKind, str]] = {}
        self.prefs: dict[NotificationKind, Preference] = {}

    @rule(name=NAMES, chat=st.booleans(), by_manager=st.booleans())
    def add(self, name: str, chat: bool, by_manager: bool) -> None:
        kind = ChannelKind.CHAT if chat else ChannelKind.EMAIL
        address = f"json://127.0.0.1:9/{name}" if chat else f"{name}@example.co.id"
        self.contacts.add_channel(MANAGER if by_manager else OWNER,
                                  check_channel(name, kind, address), T0)
        self.channels[name] = (kind, address)

    @rule(name=NAMES)
    def remove(self, name: str) -> None:
        if name in self.channels:
            self.contacts.remove_channel(OWNER, name, T0)
            del self.channels[name]
        else:
            try:
                self.contacts.remove_channel(OWNER, name, T0)
            except NotFoundError:
                return
            raise AssertionError("removed a channel that does not exist")

    @rule(kind=KINDS, mode=st.sampled_from(list(DeliveryMode)),
          names=st.lists(NAMES, max_size=2, unique=True))
    def prefer(self, kind: NotificationKind, mode: DeliveryMode, names: list[str]) -> None:
        preference = Preference(kind, mode, tuple(names))
        if all(n in self.channels for n in names):
            self.contacts.set_preference(OWNER, preference, T0)
            self.prefs[kind] = preference
        else:
            try:
                self.contacts.set_preference(OWNER, preference, T0)
            except NotFoundError:
                return
            raise AssertionError("a preference named an unknown channel")

    @rule(name=NAMES)
    def another_member_is_refused(self, name: str) -> None:
        try:
            self.contacts.add_channel(OTHER, check_channel(name, ChannelKind.EMAIL,
                                                           "x@example.co.id"), T0)
        except PermissionDeniedError:
            return
        raise AssertionError("dewi.dm changed budi.dm's contacts")

    @rule(address=st.text(max_size=30))
    def bad_addresses_are_refused(self, address: str) -> None:
        try:
            check_channel("work", ChannelKind.EMAIL, address)
        except InvalidInputError:
            return
        assert "@" in address and "." in address.split("@")[-1]

    @invariant()
    def agrees_with_the_model(self) -> None:
        assert {n: (c.kind, c.address) for n, c in self.contacts.channels.items()} \
            == self.channels
        assert self.contacts.preferences == self.prefs
        for kind in NotificationKind:
            routes = self.contacts.routes(kind)
            preference = self.prefs.get(kind, Preference(kind))
            if preference.mode is DeliveryMode.MUTED:
                assert routes == ()
                continue
            wanted = [n for n in preference.channels if n in self.channels] \
                or sorted(self.channels)  # removing a channel never silences a kind
            assert [c.name for c, _ in routes] == wanted
            assert all(mode is preference.mode for _, mode in routes)

    @invariant()
    def events_replay_to_the_same_state(self) -> None:
        pending = list(self.contacts._pending_events)  # the events not yet collected
        replayed = None
        for event in pending:
            replayed = event.mutate(replayed)
        assert replayed is not None
        assert replayed.channels == self.contacts.channels
        assert replayed.preferences == self.contacts.preferences


test_contacts_machine = ContactsMachine.TestCase
