"""TikTok: comments on our videos, and replies to them, through the TikTok API for Business
(Accounts API, https://business-api.tiktok.com/open_api/v1.3/, header `Access-Token`, answers
`{"code": 0, "message": "OK", "request_id": ..., "data": ...}`, errors mostly as HTTP 200
with a non-zero code).

Only comments are read (`kinds`): the Display and Content Posting APIs have no messages or
mentions, and the API for Business's Business Messaging API and Mentions API are separately
gated products whose request shapes are not public, so they are not guessed at here.

Read (scope comment.list), per video in `posts`:
- GET business/comment/list/?business_id=&video_id=&sort_field=create_time&sort_order=desc
  &max_count=30&cursor=: top-level comments, paged while `has_more`;
- GET business/comment/reply/list/?...&comment_id=: the replies of each comment that has any.
message_id is the comment_id, thread_id the top-level comment's id, post_id the video id and
the author the `username`, as `webhook_payloads._tiktok` reads `comment.*` events. Comments
with `owner` true (ours) are skipped.

Reply (scope comment.list.manage): POST business/comment/reply/create/ with business_id,
video_id, comment_id (the top-level comment) and text (at most 150 characters). The video
of a thread is remembered from the reads, or found by listing the account's videos
(business/video/list/) and their comments by id. A lost answer is looked for among the
comment's replies before anything is sent again.

`business_id` is the TikTok account's id for the Business API: the `business_id` credential
option, or else the token's open_id (GET /v2/user/info/?fields=open_id). The token is
SOCMED_TIKTOK_TOKEN, or the `business_token` option where the Business API token differs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import httpx

from socmed_adapters.interactions.client import InteractionClient, dm_recipient
from socmed_adapters.platforms.base import (
    REJECTED,
    Deadline,
    Refusal,
    Transient,
    Verdict,
    json_body,
    parse_time,
    retry_after_seconds,
    same_text,
)
from socmed_adapters.platforms.tiktok import TikTokPublisher
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.monitoring.replies import OutboundReply
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.publication.ports import PublishError

BUSINESS_URL = "https://business-api.tiktok.com"
PREFIX = "/open_api/v1.3/business"
PAGE = 30
REPLY_LIMIT = 150
PROBE_MARGIN = timedelta(minutes=10)
RATE_LIMITED = 40100
AUTH_CODES = frozenset({40102, 40104, 40105})


def _epoch(value: Any) -> Any:
    """Business API times are epoch seconds, as a number or a string of digits."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _code(answer: Mapping[str, Any]) -> int:
    try:
        return int(answer.get("code", 0))
    except (TypeError, ValueError):
        return -1


class TikTokInteractions(InteractionClient):
    platform = Platform.TIKTOK
    publisher_class = TikTokPublisher
    kinds = frozenset({InteractionKind.COMMENT})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = (self.credentials.base_url or BUSINESS_URL).rstrip("/")
        self.business_url = root + PREFIX
        self._business_id = self.credentials.option("business_id")
        self._videos: dict[str, str] = {}  # comment id -> video id, from reads

    # ------------------------------------------------------------------ Business API

    def classify(self, response: httpx.Response) -> Verdict:
        """The Business API's envelope; other answers (the Display API) as the publisher's."""
        answer = json_body(response)
        if "code" not in answer or isinstance(answer.get("code"), str):
            return self.adapter.classify(response)
        code, message = _code(answer), str(answer.get("message") or "")
        detail = f"{code}: {message}" if message else str(code)
        if response.is_success and code == 0:
            return None
        if code == RATE_LIMITED or response.status_code == 429:
            return Transient(f"rate limited ({detail})",
                             retry_after_seconds(response, self.clock()), processed=False)
        if code in AUTH_CODES or response.status_code == 401:
            return self.adapter.refresh_hint(detail)
        if code >= 50000 or response.status_code >= 500:
            return Transient(f"server error ({detail})")
        return Refusal(REJECTED, f"TikTok refused the request ({detail})")

    def business(self, method: str, path: str, deadline: Deadline | None = None, *,
                 creates: bool = False, probe: Any = None, **kwargs: Any) -> dict[str, Any]:
        token = self.credentials.option("business_token", self.credentials.token)
        response = self.api.send(
            method, f"{self.business_url}/{path}", deadline or self.deadline(),
            creates=creates, probe=probe, classify=self.classify, client=self.api.media_http,
            headers={"Access-Token": token}, **kwargs)
        data = json_body(response).get("data")
        return data if isinstance(data, dict) else {}

    def business_id(self) -> str:
        if not self._business_id:
            answer = self.get("/v2/user/info/", fields="open_id")
            self._business_id = str(((answer.get("data") or {}).get("user") or {})
                                    .get("open_id") or "")
            if not self._business_id:
                raise PublishError("TikTok did not say which account the token belongs to "
                                   "(no open_id): set the business_id option", retryable=False)
        return self._business_id

    def _pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        cursor = 0
        while True:
            data = self.business("GET", path, params={**params, "cursor": cursor,
                                                      "max_count": PAGE})
            comments = data.get("comments") or []
            yield from comments
            if not comments or not data.get("has_more"):
                return
            cursor = int(data.get("cursor") or cursor + len(comments))

    # ------------------------------------------------------------------ read

    def read(self, since: datetime, posts: Sequence[PostRef]) -> Iterator[InboundInteraction]:
        videos = [post.post_id for post in posts if post.post_id.isdigit()]
        if not videos:
            return
        account = self.business_id()
        order = {"sort_field": "create_time", "sort_order": "desc"}
        for video in videos:
            for comment in self._pages("comment/list/", business_id=account, video_id=video,
                                       **order):
                comment_id = str(comment.get("comment_id") or "")
                found = self._comment(comment, video, comment_id, since)
                if found is not None:
                    yield found
                if int(comment.get("replies") or 0) > 0:
                    for reply in self._pages("comment/reply/list/", business_id=account,
                                             video_id=video, comment_id=comment_id, **order):
                        found = self._comment(reply, video, comment_id, since)
                        if found is not None:
                            yield found

    def _comment(self, comment: Mapping[str, Any], video: str, thread: str,
                 since: datetime) -> InboundInteraction | None:
        comment_id = str(comment.get("comment_id") or "")
        self._videos[comment_id] = video
        created = parse_time(_epoch(comment.get("create_time")), self.clock())
        author = str(comment.get("username") or comment.get("unique_identifier") or "")
        if comment.get("owner") or not comment.get("text") or not author or created < since:
            return None
        return InboundInteraction(
            self.platform, InteractionKind.COMMENT, comment_id, author, str(comment["text"]),
            created, author_name=str(comment.get("display_name") or ""),
            thread_id=thread or comment_id, post_id=video)

    # ------------------------------------------------------------------ reply

    def post_reply(self, reply: OutboundReply, deadline: Deadline) -> str:
        if dm_recipient(reply.thread_id) is not None:
            raise PublishError("TikTok direct messages are not read or answered through "
                               "the API here: answer it in the TikTok app",
                               retryable=False)
        if len(reply.text) > REPLY_LIMIT:
            raise PublishError(f"TikTok takes replies of at most {REPLY_LIMIT} characters; "
                               f"this one has {len(reply.text)}: shorten it", retryable=False)
        account = self.business_id()
        thread = reply.thread_id or reply.in_reply_to
        video = self._video_of(account, thread, deadline)
        probe = partial(self._find_reply, account, video, thread, reply.text,
                        self.clock() - PROBE_MARGIN, deadline)

        def send() -> str:
            data = self.business("POST", "comment/reply/create/", deadline, creates=True,
                                 probe=probe, json={"business_id": account, "video_id": video,
                                                    "comment_id": thread, "text": reply.text})
            reply_id = str(data.get("comment_id") or "")
            if not reply_id:
                raise PublishError("TikTok accepted the reply without a comment_id; look in "
                                   "the thread before replying again", False)
            return reply_id

        return self.create_once(reply.idempotency_key, send, probe)

    def _video_of(self, account: str, comment_id: str, deadline: Deadline) -> str:
        """The video a comment is on: remembered from a read, or found among the account's
        recent videos (the reply port names only the thread)."""
        if comment_id in self._videos:
            return self._videos[comment_id]
        params: dict[str, Any] = {"business_id": account, "max_count": 20,
                                  "fields": json.dumps(["item_id"])}
        seen = 0
        while seen < self.policy.find_limit:
            data = self.business("GET", "video/list/", deadline, params=params)
            videos = data.get("videos") or []
            for video in videos:
                seen += 1
                video_id = str(video.get("item_id") or "")
                listed = self.business("GET", "comment/list/", deadline, params={
                    "business_id": account, "video_id": video_id,
                    "comment_ids": json.dumps([comment_id])})
                if listed.get("comments"):
                    self._videos[comment_id] = video_id
                    return video_id
            if not videos or not data.get("has_more"):
                break
            params["cursor"] = data.get("cursor")
        raise PublishError(f"TikTok: the comment {comment_id} was not found on the account's "
                           "recent videos, so it cannot be answered (deleted?)",
                           retryable=False)

    def _find_reply(self, account: str, video: str, thread: str, text: str, since: datetime,
                    deadline: Deadline) -> PostReceipt | None:
        data = self.business("GET", "comment/reply/list/", deadline, params={
            "business_id": account, "video_id": video, "comment_id": thread,
            "sort_field": "create_time", "sort_order": "desc", "max_count": PAGE})
        for comment in data.get("comments") or ():
            created = parse_time(_epoch(comment.get("create_time")), self.clock())
            if comment.get("owner") and created >= since and same_text(
                    str(comment.get("text") or ""), text):
                return PostReceipt(str(comment["comment_id"]), "", created)
        return None

