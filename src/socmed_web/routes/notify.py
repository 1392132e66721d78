"""/api/v1/me/notifications: the caller's own notification channels and preferences.

A member manages their own here (the Marketing Manager sets others' with the CLI's
`--member`); webhook URLs are shown without their secret part. See docs/notifications.md.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Request, Response, Router, delete, get, put

from socmed_domain.notifications.contacts import ChannelKind, DeliveryMode
from socmed_domain.notifications.rules import NotificationKind
from socmed_web.openapi import COMMAND, READ
from socmed_web.web import command, context, enum_value, read

Req = Request[Any, Any, Any]


@frozen(kw_only=True)
class ChannelBody:
    kind: str  # email | chat
    address: str


@frozen(kw_only=True)
class PreferenceBody:
    mode: str = "immediate"  # immediate | digest | muted
    channels: tuple[str, ...] = ()


@get("/me/notifications", responses=READ, sync_to_thread=True)
def my_contacts(request: Req) -> Response[Any]:
    """The caller's channels and, for every kind, how they are told."""
    contacts = context(request).services.app.contacts
    return read(request, lambda p: contacts.view(p))


@put("/me/notifications/channels/{name:str}", responses=COMMAND, sync_to_thread=True,
     status_code=200)
def set_channel(request: Req, name: str, data: ChannelBody) -> Response[Any]:
    """Add or replace one of the caller's channels (an email address or an apprise URL)."""
    kind: ChannelKind = enum_value(ChannelKind, data.kind, "kind")
    contacts = context(request).services.app.contacts
    return command(request, {"name": name, "kind": data.kind}, lambda p: contacts.add_channel(
        p, p.member_id, name, kind, data.address).name)


@delete("/me/notifications/channels/{name:str}", responses=COMMAND, sync_to_thread=True,
        status_code=200)
def remove_channel(request: Req, name: str) -> Response[Any]:
    """Remove one of the caller's channels."""
    contacts = context(request).services.app.contacts
    return command(request, {"name": name},
                   lambda p: contacts.remove_channel(p, p.member_id, name))


@put("/me/notifications/preferences/{kind:str}", responses=COMMAND, sync_to_thread=True,
     status_code=200)
def set_preference(request: Req, kind: str, data: PreferenceBody) -> Response[Any]:
    """How the caller is told of one kind: which channels, immediately, digest or muted."""
    chosen: NotificationKind = enum_value(NotificationKind, kind, "kind")
    mode: DeliveryMode = enum_value(DeliveryMode, data.mode, "mode")
    contacts = context(request).services.app.contacts
    return command(request, data, lambda p: contacts.set_preference(
        p, p.member_id, chosen, mode, data.channels))


router = Router("/api/v1", tags=["notifications"], route_handlers=[
    my_contacts, set_channel, remove_channel, set_preference])
