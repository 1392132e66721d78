"""The decision as a pure function: the rules as data, the recipients, the dedupe keys, the
clock's thresholds (each once), and a property: deciding is deterministic, never tells the
actor, reaches only active members with a channel, and keys are unique."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError
from socmed_domain.notifications.contacts import (
    ChannelKind,
    DeliveryMode,
    MemberContacts,
    Preference,
    check_channel,
)
from socmed_domain.notifications.decide import Audience, decide, scan
from socmed_domain.notifications.rules import (
    DEFAULT_NOTIFICATION_RULES,
    NotificationKind,
    load_rules,
)
from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES as _PLAIN
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.revision import Draft
from socmed_domain.roles import Role
from socmed_domain.team import Member
from socmed_domain.timezones import WIB

DEFAULT_PLATFORM_RULES = wired_rules(_PLAIN)
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=WIB)
ROLES = {"rina.mm": Role.MARKETING_MANAGER, "budi.dm": Role.DIGITAL_MARKETING,
         "dewi.dm": Role.DIGITAL_MARKETING, "adi.admin": Role.SOCIAL_MEDIA_ADMIN,
         "sari.legal": Role.LEGAL}


def actor(member: str) -> Actor:
    return Actor(member, member, ROLES[member])


def audience(with_channels: frozenset[str] = frozenset(ROLES),
             inactive: frozenset[str] = frozenset()) -> Audience:
    members = {m: Member(m, m, r, active=m not in inactive) for m, r in ROLES.items()}
    contacts = {}
    for m in with_channels:
        c = MemberContacts.open(actor(m), m, T0)
        c.add_channel(actor(m), check_channel("work", ChannelKind.EMAIL, f"{m}@x.co.id"), T0)
        contacts[m] = c
    return Audience(members, contacts)


def submitted_item() -> tuple[ContentItem, list]:
    item = ContentItem.create(actor("budi.dm"), uuid4(), "Promo", None, T0)
    item.revise(actor("budi.dm"), Draft("Kopi baru kami hadir", (Platform.LINKEDIN,)), "", T0)
    item.submit_for_review(actor("budi.dm"), "", T0)
    return item, item.collect_events()


def test_the_default_rules_load_from_toml_and_cover_every_kind() -> None:
    kinds = {r.kind for r in DEFAULT_NOTIFICATION_RULES.rules}
    assert kinds == set(NotificationKind)
    slot = DEFAULT_NOTIFICATION_RULES.for_kind(NotificationKind.SLOT_UNAPPROVED)
    pdp = DEFAULT_NOTIFICATION_RULES.for_kind(NotificationKind.PDP_CLOCK)
    assert slot is not None and slot.lead_hours == (24, 2)
    assert pdp is not None and pdp.lead_hours == (24, 48, 66)


@pytest.mark.parametrize("text, fragment", [
    ('[[rules]]\nkind = "nope"\n', "kinds: awaiting_review"),
    ('[[rules]]\nkind = "spike_alert"\nroles = ["boss"]\n', "roles: marketing_manager"),
    ('[[rules]]\nkind = "pdp_clock"\nlead_hours = [-1]\n', "lead_hours"),
    ('[[rules]]\nkind = "spike_alert"\n[[rules]]\nkind = "spike_alert"\n', "more than once"),
])
def test_bad_rules_are_one_line_naming_what_is_allowed(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        load_rules(text)
    from socmed_domain.i18n import render

    message = render(raised.value.code, "en", **raised.value.params)
    assert fragment in message and "\n" not in message


def test_review_is_asked_of_reviewers_not_of_the_author() -> None:
    item, events = submitted_item()
    found = decide(events[-1], item, DEFAULT_NOTIFICATION_RULES, audience())
    assert {n.recipient for n in found} == {"dewi.dm", "sari.legal"}
    assert {n.kind for n in found} == {NotificationKind.AWAITING_REVIEW}
    again = decide(events[-1], item, DEFAULT_NOTIFICATION_RULES, audience())
    assert [n.dedupe_key for n in again] == [n.dedupe_key for n in found]


def test_a_muted_kind_and_a_member_without_channels_are_not_told() -> None:
    item, events = submitted_item()
    people = audience(with_channels=frozenset({"dewi.dm", "sari.legal"}))
    people.contacts["sari.legal"].set_preference(
        actor("sari.legal"), Preference(NotificationKind.AWAITING_REVIEW, DeliveryMode.MUTED),
        T0)
    found = decide(events[-1], item, DEFAULT_NOTIFICATION_RULES, people)
    assert {n.recipient for n in found} == {"dewi.dm"}


def test_slot_thresholds_fire_once_each_and_only_the_latest_crossed() -> None:
    item, _ = submitted_item()
    item.schedule(actor("budi.dm"), T0 + timedelta(hours=30), (Platform.LINKEDIN,),
                  DEFAULT_PLATFORM_RULES, T0)
    item.collect_events()
    people = audience()
    keys = set()
    fired = []
    for hours in (1, 5, 6.5, 7, 20, 28.5, 29, 29.5, 31):
        for n in scan(T0 + timedelta(hours=hours), DEFAULT_NOTIFICATION_RULES, people,
                      items=[item]):
            if n.dedupe_key not in keys:
                keys.add(n.dedupe_key)
                fired.append((hours, n.recipient, n.message_params["hours"]))
    assert fired == [(6.5, "budi.dm", "24"), (6.5, "rina.mm", "24"),
                     (28.5, "budi.dm", "2"), (28.5, "rina.mm", "2")]


members = st.sampled_from(sorted(ROLES))


@settings(deadline=None)  # the first example loads the text rules
@given(channels=st.frozensets(members), inactive=st.frozensets(members),
       author=st.sampled_from(["budi.dm", "dewi.dm"]),
       modes=st.dictionaries(members, st.sampled_from(list(DeliveryMode))))
def test_deciding_is_deterministic_and_tells_only_who_may_be_told(
        channels: frozenset[str], inactive: frozenset[str], author: str,
        modes: dict[str, DeliveryMode]) -> None:
    item = ContentItem.create(actor(author), uuid4(), "Promo", None, T0)
    item.revise(actor(author), Draft("Kopi baru kami hadir", (Platform.LINKEDIN,)), "", T0)
    item.submit_for_review(actor(author), "", T0)
    item.review_quality(actor("sari.legal"), (), "", __import__(
        "socmed_domain.production.quality", fromlist=["ContentPolicy"]).ContentPolicy(),
        DEFAULT_PLATFORM_RULES, T0)
    events = item.collect_events()
    people = audience(channels, inactive)
    for member, mode in modes.items():
        if member in people.contacts:
            people.contacts[member].set_preference(
                actor(member), Preference(NotificationKind.AWAITING_REVIEW, mode), T0)
    for event in events:
        found = decide(event, item, DEFAULT_NOTIFICATION_RULES, people)
        assert found == decide(event, item, DEFAULT_NOTIFICATION_RULES, people)
        keys = [n.dedupe_key for n in found]
        assert len(keys) == len(set(keys))
        for n in found:
            assert n.recipient != event.actor.member_id
            assert n.recipient in channels and n.recipient not in inactive
            assert n.mode is not DeliveryMode.MUTED
        if isinstance(event, ContentItem.SubmittedForReview):
            expected = {m for m in ("dewi.dm", "budi.dm", "sari.legal")
                        if m != author and m in channels and m not in inactive
                        and modes.get(m) is not DeliveryMode.MUTED}
            assert {n.recipient for n in found} == expected
