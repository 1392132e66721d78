"""Facebook Page comments, Messenger messages and mentions through the Graph API, and
replies to them.

Read:
- GET /{post-id}/comments?filter=stream&order=reverse_chronological&fields=id,message,from,
  created_time,parent{id}: every comment on each of our posts, replies included (`stream`;
  the default `toplevel` leaves replies out), newest first, until one older than `since`.
- GET /{page-id}/conversations?platform=messenger, then GET /{conversation-id}/messages:
  Messenger messages (see `meta`).
- GET /{page-id}/tagged?fields=id,message,from,created_time: public posts that tag the Page,
  newest first. Facebook returns `from` only for Page authors; a person's post id is
  `<author id>_<post>`, so the author id is read from it, as the webhook's `sender_id` is.

Reply (every non-DM thread is a Graph object that takes comments):
- comment thread: POST /{comment-id}/comments (message), under the top-level comment; a
  mention: POST /{post-id}/comments on the mentioning post. Look-up: GET /{id}/comments for
  the Page's same text.
- `dm:<PSID>`: POST /{page-id}/messages (recipient, messaging_type RESPONSE, message).

Ids follow the webhook's (`feed` comment_id, `mention` post_id, Messenger `mid`), and the
Page's own comments and messages are never delivered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from socmed_adapters.interactions.client import dm_recipient
from socmed_adapters.interactions.meta import MetaInteractions, s
from socmed_adapters.platforms.base import Deadline, parse_time
from socmed_adapters.platforms.facebook import FacebookPublisher
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.monitoring.replies import OutboundReply
from socmed_domain.platforms import Platform

COMMENT_FIELDS = "id,message,from,created_time,parent{id}"


class FacebookInteractions(MetaInteractions):
    platform = Platform.FACEBOOK
    publisher_class = FacebookPublisher

    def read(self, since: datetime, posts: Sequence[PostRef]) -> Iterator[InboundInteraction]:
        for post in posts:
            yield from self.comments(post.post_id, since)
        yield from self.direct_messages(self.own_id, since)
        yield from self.mentions(since)

    def comments(self, post_id: str, since: datetime) -> Iterator[InboundInteraction]:
        listing = self.edge_of(f"/{post_id}/comments", {
            "filter": "stream", "order": "reverse_chronological", "fields": COMMENT_FIELDS})
        for comment in self.newer(listing, since, "created_time"):
            sender = comment.get("from") or {}
            if s(sender.get("id")) == self.own_id or not comment.get("message"):
                continue
            comment_id = s(comment["id"])
            parent = s((comment.get("parent") or {}).get("id"))
            yield InboundInteraction(
                self.platform, InteractionKind.COMMENT, comment_id,
                s(sender.get("id")) or "unknown", s(comment["message"]),
                parse_time(comment.get("created_time"), self.clock()),
                author_name=s(sender.get("name")),
                thread_id=parent if parent and parent != post_id else comment_id,
                post_id=post_id)

    def mentions(self, since: datetime) -> Iterator[InboundInteraction]:
        listing = self.pages(f"/{self.own_id}/tagged",
                             {"fields": "id,message,from,created_time"})
        for post in self.newer(listing, since, "created_time"):
            post_id = s(post["id"])
            sender: dict[str, Any] = post.get("from") or {}
            author = s(sender.get("id")) or post_id.partition("_")[0]
            if author == self.own_id or not post.get("message"):
                continue
            yield InboundInteraction(
                self.platform, InteractionKind.MENTION, post_id, author, s(post["message"]),
                parse_time(post.get("created_time"), self.clock()),
                author_name=s(sender.get("name")), thread_id=post_id)

    def post_reply(self, reply: OutboundReply, deadline: Deadline) -> str:
        key, text, thread = reply.idempotency_key, reply.text, reply.thread_id
        recipient = dm_recipient(thread)
        if recipient is not None:
            return self.send_message(deadline, self.own_id, key, recipient, text,
                                     messaging_type="RESPONSE")
        return self.create(deadline, key, f"/{thread}/comments",
                           lambda: self.mine(self.pages(f"/{thread}/comments", {
                               "order": "reverse_chronological",
                               "fields": "id,message,from,created_time"}),
                               text, "message", "created_time"),
                           data={"message": text})
