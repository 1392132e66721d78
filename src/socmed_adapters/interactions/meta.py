"""What the Instagram and Facebook interaction clients share: Graph cursor paging with a
fresh deadline per page, the Conversations API (direct messages), the Send API, and the rule
that a reply whose answer is lost is looked up before anything is sent again.

- GET /{owner}/conversations?platform=instagram|messenger&fields=id,updated_time: the
  account's conversations, most recently active first (`user_id=` narrows it to one person).
- GET /{conversation-id}/messages?fields=id,created_time,from,to,message: its messages,
  newest first (Instagram gives details of the 20 most recent messages only).
- POST /{owner}/messages with `recipient {id}` and `message {text}` (Messenger also takes
  `messaging_type` RESPONSE): a reply in the 24-hour window after the person's last message.

Message ids are the webhook's `mid`, and a DM thread is `dm:<sender id>`, so a message seen by
a webhook and by a fetch is one interaction (see `client`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx

from socmed_adapters.interactions.client import InteractionClient, dm_thread
from socmed_adapters.metrics.facebook import graph_gone
from socmed_adapters.platforms.base import (
    NOT_FOUND,
    REJECTED,
    Deadline,
    Refusal,
    Verdict,
    json_body,
    parse_time,
    same_text,
)
from socmed_adapters.platforms.facebook import graph_detail, graph_error
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.publication.ports import PublishError

PAGE_SIZE = 50
#: Pages read at most per listing: a bound on one fetch, far above an inbox's day.
MAX_PAGES = 40
#: How far before a reply's send a look-up accepts our same text as that reply (clocks
#: differ; a same text sent to the same thread this recently is the same answer anyway).
PROBE_SLACK = timedelta(minutes=5)
# https://developers.facebook.com/docs/messenger-platform/error-codes
OUTSIDE_WINDOW_SUBCODE = 2018278  # "This message is sent outside of allowed window"
UNAVAILABLE_CODE = 551  # "This person isn't available right now"

Probe = Callable[[], str | None]


def s(value: Any) -> str:
    return "" if value is None else str(value)


#: The Conversations API's `platform` values as the Graph API spells them (lower case;
#: Facebook's inbox is `messenger`, never our `facebook`). Any other value is an error (#100).
#: https://developers.facebook.com/docs/messenger-platform/conversations
CONVERSATION_PLATFORMS: dict[Platform, str] = {
    Platform.INSTAGRAM: "instagram",
    Platform.FACEBOOK: "messenger",
}


class MetaInteractions(InteractionClient):
    """Graph plumbing for the two Meta clients; subclasses say what is read and where."""

    @property
    def messaging_platform(self) -> str:
        """`platform` parameter of the Conversations API for this client's platform."""
        return CONVERSATION_PLATFORMS[self.platform]

    @property
    def own_id(self) -> str:
        return self.credentials.account_id

    # ------------------------------------------------------------------ errors

    def classify(self, response: httpx.Response) -> Verdict:
        error = graph_error(response)
        if error.get("error_subcode") == OUTSIDE_WINDOW_SUBCODE:
            return Refusal(REJECTED, f"{self.platform.label} only takes a reply within 24 "
                           f"hours of the person's last message ({graph_detail(error)}); "
                           "answer in a comment or wait for them to write again")
        if error.get("code") == UNAVAILABLE_CODE:
            return Refusal(REJECTED, f"{self.platform.label}: the person cannot be messaged "
                           f"now ({graph_detail(error)})")
        return graph_gone(response) or super().classify(response)

    # ------------------------------------------------------------------ reading

    def pages(self, path: str, params: dict[str, Any],
              first: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """A listing's items page by cursor, each page with its own deadline. `first` is a
        page already read (a nested edge's first page)."""
        params = {"limit": PAGE_SIZE, **params}
        answer = first if first is not None else self.get(path, **params)
        for _ in range(MAX_PAGES):
            items = answer.get("data") or []
            yield from (item for item in items if isinstance(item, dict))
            paging = answer.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not items or not paging.get("next") or not after:
                return
            answer = self.get(path, **{**params, "after": after})

    def edge_of(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Like `pages`, but an object the platform no longer has (a deleted post) has
        nothing rather than failing the whole fetch."""
        try:
            first = self.get(path, **{"limit": PAGE_SIZE, **params})
        except Refusal as refusal:
            if refusal.kind == NOT_FOUND:
                return
            raise
        yield from self.pages(path, params, first)

    @staticmethod
    def newer(items: Iterator[dict[str, Any]], since: datetime,
              key: str) -> Iterator[dict[str, Any]]:
        """Items of a newest-first listing until the first one older than `since`."""
        for item in items:
            if parse_time(item.get(key), since) < since:
                return
            yield item

    def direct_messages(self, owner: str, since: datetime) -> Iterator[InboundInteraction]:
        """Messages people sent us since `since`, by conversation (ours are skipped)."""
        listing = self.pages(f"/{owner}/conversations", {
            "platform": self.messaging_platform, "fields": "id,updated_time"})
        for conversation in self.newer(listing, since, "updated_time"):
            for message in self.newer(self.messages(s(conversation["id"])), since,
                                      "created_time"):
                sender = message.get("from") or {}
                sender_id = s(sender.get("id"))
                if not sender_id or sender_id == self.own_id or not message.get("message"):
                    continue  # our own answers, and attachments without text
                yield InboundInteraction(
                    self.platform, InteractionKind.DIRECT_MESSAGE, s(message["id"]),
                    sender_id, s(message["message"]),
                    parse_time(message.get("created_time"), self.clock()),
                    author_name=s(sender.get("username") or sender.get("name")),
                    thread_id=dm_thread(sender_id))

    def messages(self, conversation_id: str) -> Iterator[dict[str, Any]]:
        return self.pages(f"/{conversation_id}/messages",
                          {"fields": "id,created_time,from,to,message"})

    # ------------------------------------------------------------------ replying

    def create(self, deadline: Deadline, reply_key: str, path: str, probe: Probe | None,
               **request: Any) -> str:
        """Send the one request that creates a reply and return the new id, at most once
        (`create_once`); `probe` finds our reply with the same text in the thread."""
        receipt_probe = None if probe is None else (lambda: self._receipt(probe))

        def send() -> str:
            response = self.api.send("POST", path, deadline, creates=True,
                                     probe=receipt_probe, classify=self.classify, **request)
            answer = json_body(response)
            reply_id = s(answer.get("id") or answer.get("message_id"))
            if not reply_id:
                raise PublishError(f"{self.platform.label} accepted the reply without an id; "
                                   "check the thread before sending it again", False)
            return reply_id

        return self.create_once(reply_key, send, receipt_probe)

    def _receipt(self, probe: Probe) -> PostReceipt | None:
        found = probe()
        return None if found is None else PostReceipt(found, "", self.clock())

    def mine(self, items: Iterator[dict[str, Any]], text: str, text_key: str,
             time_key: str) -> str | None:
        """The id of our own item with this text, posted at most PROBE_SLACK ago."""
        since = self.clock() - PROBE_SLACK
        for item in items:
            if s((item.get("from") or {}).get("id")) == self.own_id \
                    and parse_time(item.get(time_key), since) >= since \
                    and same_text(item.get(text_key), text):
                return s(item["id"])
        return None

    def find_message(self, owner: str, recipient: str, text: str) -> str | None:
        """Our message with this text in the conversation with `recipient`, if sent."""
        for conversation in self.pages(f"/{owner}/conversations", {
                "platform": self.messaging_platform, "user_id": recipient, "fields": "id"}):
            found = self.mine(self.messages(s(conversation["id"])), text, "message",
                              "created_time")
            if found:
                return found
        return None

    def send_message(self, deadline: Deadline, owner: str, reply_key: str, recipient: str,
                     text: str, **extra: Any) -> str:
        body = {"recipient": {"id": recipient}, **extra, "message": {"text": text}}
        return self.create(deadline, reply_key, f"/{owner}/messages",
                           lambda: self.find_message(owner, recipient, text), json=body)

