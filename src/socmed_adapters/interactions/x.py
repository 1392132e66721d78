"""X (API v2): mentions, replies to our posts and direct messages, and replies back.

Read (OAuth 2.0 user token; scopes tweet.read, users.read, dm.read):
- GET /2/users/{id}/mentions?start_time=&max_results=100&expansions=author_id
  &user.fields=username,name&tweet.fields=created_at,conversation_id,in_reply_to_user_id,
  referenced_tweets, paged with `meta.next_token` -> `pagination_token`. Every reply to us
  mentions us, so this one timeline holds both: a reply to one of our posts
  (`in_reply_to_user_id` is us and it has a `replied_to` reference) is a COMMENT on that post,
  anything else a MENTION, exactly as `webhook_payloads._tweet` decides for Account Activity
  deliveries. Our own posts and retweets are skipped.
- GET /2/dm_events?event_types=MessageCreate&dm_event.fields=id,text,sender_id,created_at,
  dm_conversation_id,event_type&expansions=sender_id&user.fields=username, newest first,
  paged until older than `since`; thread `dm:<sender id>`, our own messages skipped.

Reply (scopes tweet.write, dm.write): POST /2/tweets with `reply.in_reply_to_tweet_id`, or
POST /2/dm_conversations/with/{participant_id}/messages for a `dm:` thread. A reply whose
answer is lost is looked for among our recent posts (GET /2/users/{id}/tweets) or in the DM
conversation (GET /2/dm_conversations/with/{id}/dm_events) before anything is sent again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from socmed_adapters.interactions.client import InteractionClient, dm_recipient, dm_thread
from socmed_adapters.platforms.base import Deadline, json_body, parse_time
from socmed_adapters.platforms.x import XPublisher, post_url, x_text_key
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.monitoring.replies import OutboundReply
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.publication.ports import PublishError

TWEET_FIELDS = "created_at,conversation_id,in_reply_to_user_id,referenced_tweets"
DM_FIELDS = "id,text,sender_id,created_at,dm_conversation_id,event_type"
#: How far before a lost reply's send its look-up starts (clocks differ a little).
PROBE_MARGIN = timedelta(minutes=10)
LEADING_MENTIONS = re.compile(r"^(?:@\w+\s+)+")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parent(tweet: Mapping[str, Any]) -> str:
    for ref in tweet.get("referenced_tweets") or ():
        if ref.get("type") == "replied_to":
            return str(ref.get("id") or "")
    return ""


def _users(answer: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(u.get("id")): u for u in (answer.get("includes") or {}).get("users") or ()}


def _reply_key(text: str) -> str:
    """A reply's text as X returns it, without the @handles X puts in front."""
    return x_text_key(LEADING_MENTIONS.sub("", text.strip()))


class XInteractions(InteractionClient):
    platform = Platform.X
    publisher_class = XPublisher

    @property
    def publisher(self) -> XPublisher:
        assert isinstance(self.adapter, XPublisher)
        return self.adapter

    def user(self, deadline: Deadline) -> str:
        return self.publisher._user(deadline)

    # ------------------------------------------------------------------ read

    def read(self, since: datetime, posts: Sequence[PostRef]) -> Iterator[InboundInteraction]:
        own = self.user(self.deadline())
        yield from self._mentions(own, since)
        yield from self._messages(own, since)

    def _mentions(self, own: str, since: datetime) -> Iterator[InboundInteraction]:
        params: dict[str, Any] = {
            "start_time": _iso(since), "max_results": 100, "expansions": "author_id",
            "user.fields": "username,name", "tweet.fields": TWEET_FIELDS}
        while True:
            answer = self.get(f"/2/users/{own}/mentions", **params)
            users = _users(answer)
            for tweet in answer.get("data") or ():
                found = self._tweet(own, tweet, users)
                if found is not None:
                    yield found
            token = (answer.get("meta") or {}).get("next_token")
            if not answer.get("data") or not token:
                return
            params["pagination_token"] = token

    def _tweet(self, own: str, tweet: Mapping[str, Any],
               users: Mapping[str, Mapping[str, Any]]) -> InboundInteraction | None:
        author = str(tweet.get("author_id") or "")
        kinds = {ref.get("type") for ref in tweet.get("referenced_tweets") or ()}
        if author == own or "retweeted" in kinds:
            return None
        tweet_id, parent = str(tweet["id"]), _parent(tweet)
        to_us = str(tweet.get("in_reply_to_user_id") or "") == own and bool(parent)
        user = users.get(author) or {}
        return InboundInteraction(
            self.platform, InteractionKind.COMMENT if to_us else InteractionKind.MENTION,
            tweet_id, str(user.get("username") or author), str(tweet.get("text") or ""),
            parse_time(tweet.get("created_at"), self.clock()),
            author_name=str(user.get("name") or ""),
            thread_id=tweet_id if to_us or not parent else parent,
            post_id=parent if to_us else "")

    def _messages(self, own: str, since: datetime) -> Iterator[InboundInteraction]:
        params: dict[str, Any] = {
            "event_types": "MessageCreate", "dm_event.fields": DM_FIELDS,
            "expansions": "sender_id", "user.fields": "username", "max_results": 100}
        while True:
            answer = self.get("/2/dm_events", **params)
            users = _users(answer)
            events = answer.get("data") or []
            older = False
            for event in events:
                sent = parse_time(event.get("created_at"), self.clock())
                older = older or sent < since
                sender = str(event.get("sender_id") or "")
                if (event.get("event_type", "MessageCreate") != "MessageCreate"
                        or sender == own or not event.get("text") or sent < since):
                    continue
                yield InboundInteraction(
                    self.platform, InteractionKind.DIRECT_MESSAGE, str(event["id"]),
                    str((users.get(sender) or {}).get("username") or sender),
                    str(event["text"]), sent, thread_id=dm_thread(sender))
            token = (answer.get("meta") or {}).get("next_token")
            if not events or not token or older:  # newest first: the rest is older
                return
            params["pagination_token"] = token

    # ------------------------------------------------------------------ reply

    def post_reply(self, reply: OutboundReply, deadline: Deadline) -> str:
        recipient = dm_recipient(reply.thread_id)
        started = self.clock() - PROBE_MARGIN
        body: dict[str, Any] = {"text": reply.text}
        if recipient is not None:
            path = f"/2/dm_conversations/with/{recipient}/messages"
            probe = partial(self._find_message, recipient, reply.text, started, deadline)
        else:
            target = reply.in_reply_to or reply.thread_id
            path = "/2/tweets"
            body["reply"] = {"in_reply_to_tweet_id": target}
            probe = partial(self._find_reply, target, reply.text, started, deadline)

        def send() -> str:
            response = self.api.send("POST", path, deadline, creates=True, probe=probe,
                                     json=body, classify=self.classify)
            data = json_body(response).get("data") or {}
            reply_id = str(data.get("dm_event_id") or data.get("id") or "")
            if not reply_id:
                raise PublishError(f"X: POST {path} answered without an id; the reply may "
                                   "exist: look in the thread before replying again", False)
            return reply_id

        return self.create_once(reply.idempotency_key, send, probe)

    def _find_reply(self, target: str, text: str, since: datetime,
                    deadline: Deadline) -> PostReceipt | None:
        wanted = _reply_key(text)
        params: dict[str, Any] = {"max_results": 100, "start_time": _iso(since),
                                  "tweet.fields": "created_at,referenced_tweets"}
        own = self.user(deadline)
        while True:
            answer = json_body(self.api.send("GET", f"/2/users/{own}/tweets", deadline,
                                             params=params, classify=self.classify))
            for tweet in answer.get("data") or ():
                if _parent(tweet) == target and _reply_key(str(tweet.get("text"))) == wanted:
                    return PostReceipt(str(tweet["id"]), post_url(str(tweet["id"])),
                                       parse_time(tweet.get("created_at"), self.clock()))
            token = (answer.get("meta") or {}).get("next_token")
            if not answer.get("data") or not token:
                return None
            params["pagination_token"] = token

    def _find_message(self, recipient: str, text: str, since: datetime,
                      deadline: Deadline) -> PostReceipt | None:
        own = self.user(deadline)
        answer = json_body(self.api.send(
            "GET", f"/2/dm_conversations/with/{recipient}/dm_events", deadline,
            classify=self.classify, params={"event_types": "MessageCreate",
                                            "dm_event.fields": DM_FIELDS, "max_results": 100}))
        for event in answer.get("data") or ():
            sent = parse_time(event.get("created_at"), self.clock())
            if (str(event.get("sender_id")) == own and sent >= since
                    and x_text_key(str(event.get("text") or "")) == x_text_key(text)):
                return PostReceipt(str(event["id"]), "", sent)
        return None

