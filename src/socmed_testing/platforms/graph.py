"""What the local Instagram and Facebook servers share: the Meta Graph API's versioned paths,
error envelope and cursor paging, and the Messenger Platform's conversations and Send API
(Instagram direct messages and Messenger), with `seed_dm()` for tests and demos.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from socmed_testing.platforms.common import (
    EXPIRED_TOKEN,
    RATE_LIMIT,
    UNAVAILABLE,
    Fault,
    LocalPlatformServer,
    Recorded,
    Reply,
)


class LocalGraphServer(LocalPlatformServer):
    """What Instagram and Facebook share: versioned paths and the Graph error envelope."""

    version = "v24.0"
    #: The most items one page holds, whatever `limit` asks (tests lower it to see paging).
    page_cap = 100
    #: The name our own messages carry in `from` (`username` or `name`).
    own_name = "localbrand"
    name_key = "username"
    #: The Conversations API's `platform` value.
    messaging_platform = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Direct-message conversations by id: {"user": {...}, "messages": [...]}.
        self.conversations: dict[str, dict[str, Any]] = {}
        #: Every comment, reply or message created through the API, in order.
        self.replies: list[dict[str, Any]] = []

    @property
    def own_id(self) -> str:
        raise NotImplementedError

    @property
    def api_url(self) -> str:
        return f"{self.url}/{self.version}"

    def segments(self, request: Recorded) -> list[str]:
        parts = [p for p in request.path.split("/") if p]
        if not parts or not re.fullmatch(r"v\d+\.\d+", parts[0]):
            self.violation(request, "Graph API paths start with the API version")
            return parts
        return parts[1:]

    def authorized(self, request: Recorded) -> bool:
        return (super().authorized(request)
                or request.query.get("access_token") == self.token
                or request.form.get("access_token") == self.token)

    @staticmethod
    def error(status: int, code: int, message: str, subcode: int | None = None,
              **extra: Any) -> Reply:
        error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code,
                                 "fbtrace_id": "AbCdEfGhIjK"}
        if subcode is not None:
            error["error_subcode"] = subcode
        error.update(extra)
        return Reply(status, {"error": error})

    def auth_error(self, expired: bool) -> Reply:
        if expired:
            return self.error(400, 190, "Error validating access token: Session has expired "
                              "on Tuesday, 01-Dec-26 01:00:00 PST.", 463)
        return self.error(400, 190, "Invalid OAuth access token - Cannot parse access token")

    def fault_reply(self, fault: Fault) -> Reply:
        if fault.kind == RATE_LIMIT:
            reply = self.error(400, 4, "(#4) Application request limit reached",
                               is_transient=True)
            if "retry_after" in fault.options:
                reply.headers["Retry-After"] = str(fault.options["retry_after"])
            return reply
        if fault.kind == UNAVAILABLE:
            return self.error(503, 2, "Service temporarily unavailable", is_transient=True)
        if fault.kind == EXPIRED_TOKEN:
            return self.auth_error(expired=True)
        return self.error(500, 1, "An unknown error has occurred.", is_transient=True)

    @staticmethod
    def graph_time(epoch: float) -> str:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")

    def page_of(self, request: Recorded, items: list[dict[str, Any]],
                render: Callable[[dict[str, Any]], dict[str, Any]]) -> Reply:
        """Cursor paging as the Graph API does it: data, paging.cursors, paging.next."""
        return Reply(200, self.listing(request.path, items, render,
                                       int(request.query.get("limit") or 25),
                                       request.query.get("after", "cursor-0")))

    def listing(self, path: str, items: list[dict[str, Any]],
                render: Callable[[dict[str, Any]], dict[str, Any]], limit: int = 25,
                after: str = "cursor-0") -> dict[str, Any]:
        """One page of `items` (also a nested edge's first page, with `path` its edge)."""
        limit = min(limit, self.page_cap)
        start = int(after.split("-")[1])
        window = items[start:start + limit]
        paging: dict[str, Any] = {"cursors": {"before": f"cursor-{start}",
                                              "after": f"cursor-{start + len(window)}"}}
        if start + limit < len(items):
            paging["next"] = f"{self.url}{path}?after=cursor-{start + limit}"
        return {"data": [render(item) for item in window], "paging": paging}

    def gone(self, object_id: str) -> Reply:
        return self.error(400, 100, f"Unsupported get request. Object with ID '{object_id}' "
                          "does not exist, cannot be loaded due to missing permissions, or "
                          "does not support this operation", 33)

    # -- direct messages (Conversations API and Send API)

    def seed_dm(self, text: str, *, sender_id: str, name: str = "",
                age: timedelta = timedelta(0), mid: str = "", ours: bool = False,
                ) -> dict[str, Any]:
        """A message in the conversation with `sender_id` (from them, or `ours` to them)."""
        conversation = self._conversation_with(sender_id, name or f"user{sender_id[-4:]}")
        return self._add_message(conversation, text, self.now() - age.total_seconds(),
                                 ours, mid)

    def _conversation_with(self, user_id: str, name: str = "") -> dict[str, Any]:
        for conversation in self.conversations.values():
            if conversation["user"]["id"] == user_id:
                return conversation
        conversation_id = f"t_{self.next_number():015d}"
        conversation = {"id": conversation_id, "user": {"id": user_id,
                                                         self.name_key: name or user_id},
                        "messages": []}
        self.conversations[conversation_id] = conversation
        return conversation

    def _add_message(self, conversation: dict[str, Any], text: str, created: float,
                     ours: bool, mid: str = "") -> dict[str, Any]:
        me = {"id": self.own_id, self.name_key: self.own_name}
        message = {"id": mid or f"m_{self.next_number():020d}", "message": text,
                   "created": created, "from": me if ours else conversation["user"],
                   "to": conversation["user"] if ours else me}
        conversation["messages"].append(message)
        return message

    def conversations_reply(self, request: Recorded) -> Reply:
        asked = request.query.get("platform")
        if asked != self.messaging_platform:
            # The Graph API knows `instagram` and `messenger` only (not `facebook`, not upper
            # case) and answers any other value with an invalid-parameter error.
            self.violation(request, f"conversations need platform={self.messaging_platform}")
            return self.error(400, 100, f"(#100) param platform must be one of "
                              f"{{instagram, messenger}}, not {asked!r}")
        user = request.query.get("user_id")
        found = [c for c in self.conversations.values()
                 if user is None or c["user"]["id"] == user]
        found.sort(key=lambda c: max((m["created"] for m in c["messages"]), default=0),
                   reverse=True)
        return self.page_of(request, found, lambda c: {
            "id": c["id"], "updated_time": self.graph_time(
                max((m["created"] for m in c["messages"]), default=0))})

    def messages_reply(self, request: Recorded, conversation_id: str) -> Reply:
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            return self.gone(conversation_id)
        if "message" not in request.query.get("fields", ""):
            self.violation(request, "fields must ask for message (and from, created_time)")
        newest = sorted(conversation["messages"], key=lambda m: m["created"], reverse=True)
        return self.page_of(request, newest, lambda m: {
            "id": m["id"], "created_time": self.graph_time(m["created"]),
            "from": m["from"], "to": {"data": [m["to"]]}, "message": m["message"]})

    def send_message(self, request: Recorded, *, messaging_type: bool) -> Reply:
        """The Send API: JSON `recipient {id}` and `message {text}`."""
        body = request.json if isinstance(request.json, dict) else {}
        recipient = str((body.get("recipient") or {}).get("id") or "")
        text = str((body.get("message") or {}).get("text") or "")
        if messaging_type and body.get("messaging_type") not in ("RESPONSE", "UPDATE",
                                                                 "MESSAGE_TAG"):
            self.violation(request, "Messenger messages need messaging_type RESPONSE")
        if not text:
            self.violation(request, "message.text is required")
        conversation = next((c for c in self.conversations.values()
                             if c["user"]["id"] == recipient), None)
        if conversation is None:
            return self.error(400, 100, "(#100) No matching user found", 2018001)
        theirs = [m["created"] for m in conversation["messages"]
                  if m["from"]["id"] == recipient]
        if not theirs or max(theirs) < self.now() - 86400:
            return self.error(400, 10, "(#10) This message is sent outside of allowed "
                              "window.", 2018278)
        message = self._add_message(conversation, text, self.now(), True)
        self.replies.append({"kind": "message", "to": recipient, "text": text,
                             "id": message["id"]})
        return Reply(200, {"recipient_id": recipient, "message_id": message["id"]})
