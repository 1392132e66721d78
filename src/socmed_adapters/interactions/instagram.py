"""Instagram comments, direct messages and tags through the Graph API, and replies to them.

Read:
- GET /{ig-media-id}/comments?fields=id,text,timestamp,username,from,replies{...}: the
  top-level comments on each of our posts, with their replies (a longer reply list is read
  on through GET /{ig-comment-id}/replies). Instagram has no `since` on comments, so every
  page of each post is read and `fetch` keeps what is new.
- GET /me/conversations?platform=instagram, then GET /{conversation-id}/messages: direct
  messages (see `meta`). `/me` is the Instagram account with an Instagram User token
  (graph.instagram.com) and the linked Page with a Page token (graph.facebook.com).
- GET /{ig-user-id}/tags?fields=id,caption,username,timestamp: posts we are tagged in, as
  mentions (thread `mention:<media id>`). Caption and comment @mentions have no listing to
  poll: the `mentions` webhook gives their ids only, and `mentioned()` reads one
  (GET /{ig-user-id}?fields=mentioned_media.media_id(<id>){...} or
  mentioned_comment.comment_id(<id>){...}; thread `mention:<media id>[:<comment id>]`). The
  mentioned_comment fields name no author, so such a mention's author is "unknown".

Reply:
- comment thread: POST /{ig-comment-id}/replies (message); Instagram adds it under the
  top-level comment. Look-up: GET /{ig-comment-id}/replies for our same text.
- `dm:<IGSID>`: POST /me/messages (recipient, message); look-up in that conversation.
- `mention:<media id>[:<comment id>]`: POST /{ig-user-id}/mentions (media_id, comment_id,
  message). Instagram refuses this on posts we are only tagged in, and has no documented
  read of our comment back, so a lost answer there is reported, never re-sent.

Our own comments and messages (`from.id` is the account id) are never delivered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from socmed_adapters.interactions.client import dm_recipient
from socmed_adapters.interactions.meta import MetaInteractions, s
from socmed_adapters.platforms.base import Deadline, parse_time
from socmed_adapters.platforms.instagram import InstagramPublisher
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.monitoring.replies import OutboundReply
from socmed_domain.platforms import Platform

COMMENT_FIELDS = "id,text,timestamp,username,from"
MENTION_PREFIX = "mention:"


class InstagramInteractions(MetaInteractions):
    platform = Platform.INSTAGRAM
    publisher_class = InstagramPublisher

    def read(self, since: datetime, posts: Sequence[PostRef]) -> Iterator[InboundInteraction]:
        for post in posts:
            yield from self.comments(post.post_id)
        yield from self.direct_messages("me", since)
        yield from self.tags(since)

    def comments(self, media_id: str) -> Iterator[InboundInteraction]:
        fields = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"
        for comment in self.edge_of(f"/{media_id}/comments", {"fields": fields}):
            top = s(comment["id"])
            yield from self._comment(comment, top, media_id)
            replies = comment.get("replies")
            if isinstance(replies, dict):
                for reply in self.pages(f"/{top}/replies", {"fields": COMMENT_FIELDS},
                                        replies):
                    yield from self._comment(reply, top, media_id)

    def _comment(self, item: dict[str, Any], thread: str,
                 media_id: str) -> Iterator[InboundInteraction]:
        sender = item.get("from") or {}
        if s(sender.get("id")) == self.own_id:
            return
        yield InboundInteraction(
            self.platform, InteractionKind.COMMENT, s(item["id"]),
            s(item.get("username") or sender.get("username") or sender.get("id")),
            s(item.get("text")), parse_time(item.get("timestamp"), self.clock()),
            thread_id=thread, post_id=media_id)

    def tags(self, since: datetime) -> Iterator[InboundInteraction]:
        listing = self.pages(f"/{self.own_id}/tags",
                             {"fields": "id,caption,username,timestamp,permalink"})
        for media in self.newer(listing, since, "timestamp"):
            media_id = s(media["id"])
            yield InboundInteraction(
                self.platform, InteractionKind.MENTION, media_id,
                s(media.get("username") or "unknown"),
                s(media.get("caption") or media.get("permalink")),
                parse_time(media.get("timestamp"), self.clock()),
                thread_id=MENTION_PREFIX + media_id)

    def mentioned(self, media_id: str, comment_id: str = "") -> InboundInteraction | None:
        """The caption (or, with `comment_id`, comment) @mention a webhook announced by id;
        None when Instagram no longer has it. InteractionsUnavailable when it cannot say."""
        with self.failures():
            if not comment_id:
                answer = self.get_one(f"/{self.own_id}", fields=(
                    f"mentioned_media.media_id({media_id}){{id,caption,username,timestamp}}"))
                media = (answer or {}).get("mentioned_media")
                if not isinstance(media, dict):
                    return None
                return InboundInteraction(
                    self.platform, InteractionKind.MENTION, s(media.get("id") or media_id),
                    s(media.get("username") or "unknown"), s(media.get("caption")),
                    parse_time(media.get("timestamp"), self.clock()),
                    thread_id=MENTION_PREFIX + media_id)
            answer = self.get_one(f"/{self.own_id}", fields=(
                f"mentioned_comment.comment_id({comment_id}){{id,text,timestamp,media{{id}}}}"))
            comment = (answer or {}).get("mentioned_comment")
            if not isinstance(comment, dict):
                return None
            on = s((comment.get("media") or {}).get("id")) or media_id
            return InboundInteraction(
                self.platform, InteractionKind.MENTION, s(comment.get("id") or comment_id),
                "unknown", s(comment.get("text")),
                parse_time(comment.get("timestamp"), self.clock()),
                thread_id=f"{MENTION_PREFIX}{on}:{comment_id}")

    def post_reply(self, reply: OutboundReply, deadline: Deadline) -> str:
        key, text, thread = reply.idempotency_key, reply.text, reply.thread_id
        recipient = dm_recipient(thread)
        if recipient is not None:
            return self.send_message(deadline, "me", key, recipient, text)
        if thread.startswith(MENTION_PREFIX):
            media_id, _, comment_id = thread[len(MENTION_PREFIX):].partition(":")
            target = {"media_id": media_id, **({"comment_id": comment_id} if comment_id
                                                else {}), "message": text}
            return self.create(deadline, key, f"/{self.own_id}/mentions", None, data=target)
        return self.create(deadline, key, f"/{thread}/replies",
                           lambda: self.mine(self.pages(f"/{thread}/replies", {
                               "fields": COMMENT_FIELDS}), text, "text", "timestamp"),
                           data={"message": text})
