"""Fixtures of the notification tests: the local receivers and a store with its team."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.notifications.receivers import SmtpReceiver, WebhookReceiver

TEAM = (("budi.dm", "Budi Santoso", "digital_marketing"),
        ("dewi.dm", "Dewi Lestari", "digital_marketing"),
        ("adi.admin", "Adi Pratama", "social_media_admin"),
        ("sari.legal", "Sari Hakim", "legal"))


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    try:
        yield receiver
    finally:
        receiver.stop()


def email_of(member: str) -> str:
    return f"{member}@example.co.id"


def seed(app: Any, chat_url: str | None = None) -> None:
    """The team, each member with an email channel (and rina.mm a chat webhook too)."""
    from socmed_domain.notifications.contacts import ChannelKind
    from socmed_domain.roles import Role

    app.team.initialise("PT Contoh Tbk", "rina.mm", "Rina Wijaya")
    for handle, name, role in TEAM:
        app.team.add_member("rina.mm", handle, name, Role(role))
    for handle in ("rina.mm", *(t[0] for t in TEAM)):
        app.contacts.add_channel(handle, handle, "work", ChannelKind.EMAIL,
                                      email_of(handle))
    if chat_url:
        app.contacts.add_channel("rina.mm", "rina.mm", "chat", ChannelKind.CHAT, chat_url)
