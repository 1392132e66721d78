"""X posts through API v2: POST /2/tweets, with media uploaded first (POST /2/media/upload).

X does not pull media from URLs, so each media file is fetched from its URI and uploaded: an
image in one request (media_category tweet_image), a video in chunks (initialize, append,
finalize, then STATUS until processing succeeds). The post then names the media ids.

X refuses an identical text with 403 "You are not allowed to create a Tweet with duplicate
content." without saying which post it duplicates, so the adapter looks for it (find()) and
returns it as already posted, or fails without retry. 429 carries `x-rate-limit-reset` (epoch
seconds): the wait until then counts against the call's deadline. find() reads the account's
recent posts (GET /2/users/{id}/tweets since the find window) and compares text the way X
stores it: HTML entities unescaped, every link rewritten to t.co, media links appended.
"""

from __future__ import annotations

import html
from datetime import UTC
from functools import partial
from typing import Any

import httpx

from socmed_adapters.platforms.base import (
    DUPLICATE,
    MEDIA,
    REJECTED,
    Deadline,
    PlatformPublisher,
    Refusal,
    Transient,
    Verdict,
    approved_probe,
    json_body,
    media_kinds,
    normalised,
    parse_time,
    retry_after_seconds,
)
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import MediaProbe
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError
from socmed_domain.text_length import PLAIN_URL_RE

CHUNK_BYTES = 4 * 1024 * 1024
PROCESSING = ("pending", "in_progress")


def x_text_key(text: str) -> str:
    """Text as X gives it back, reduced to what survives: links and trailing media links
    become one placeholder, entities are unescaped."""
    key = PLAIN_URL_RE.sub("<url>", normalised(html.unescape(text)))
    while key.endswith(" <url>") or key == "<url>":
        key = key[: -len("<url>")].rstrip()
    return key


def refuse_mixed_media(post: OutboundPost, media: list[tuple[str, str]]) -> None:
    """X takes up to 4 photos, or 1 animated GIF, or 1 video in a post (the final check
    says so first; this guards posts that did not come through it)."""
    if len(media) < 2:
        return
    gifs = [m for m in post.media if m.category == "gif"]
    if any(kind == "video" for _, kind in media) or gifs:
        raise Refusal(MEDIA, "X takes up to 4 photos, or 1 GIF, or 1 video in a post, not "
                      "several kinds together: split the post")


def post_url(post_id: str) -> str:
    return f"https://x.com/i/web/status/{post_id}"


class XPublisher(PlatformPublisher):
    """Posts as the account of an OAuth 2.0 user token (SOCMED_X_TOKEN, scope tweet.write)."""

    platform = Platform.X
    default_base_url = "https://api.x.com"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._user_id = self.credentials.account_id

    def classify(self, response: httpx.Response) -> Verdict:
        if response.is_success:
            return None
        answer = json_body(response)
        errors = answer.get("errors") or [{}]
        detail = str(answer.get("detail") or errors[0].get("message") or
                     answer.get("title") or "")
        status = response.status_code
        if status == 401:
            return self.refresh_hint(detail or "HTTP 401")
        if status == 403 and "duplicate" in detail.lower():
            return Refusal(DUPLICATE, f"X refused a duplicate post ({detail})")
        if status == 403:
            return Refusal(REJECTED, f"X refused the post ({detail}); check the app's access "
                           "level and the token's tweet.write scope")
        if status == 429:
            return Transient(f"rate limited (HTTP 429{': ' + detail if detail else ''})",
                             self._reset_wait(response), processed=False)
        if status == 400 and "media" in detail.lower():
            return Refusal(MEDIA, f"X refused the media ({detail}); fix the media and publish "
                           "again")
        return self.http_verdict(response, detail)

    def _reset_wait(self, response: httpx.Response) -> float | None:
        wait = retry_after_seconds(response, self.clock())
        reset = response.headers.get("x-rate-limit-reset", "")
        if wait is None and reset.isdigit():
            wait = max(0.0, int(reset) - self.clock().timestamp())
        return wait

    # ------------------------------------------------------------------ publish

    def _publish(self, post: OutboundPost, deadline: Deadline) -> PostReceipt:
        payload: dict[str, Any] = {"text": post.body}
        media = media_kinds(post)
        refuse_mixed_media(post, media)
        media_ids = [self._upload(uri, kind, deadline, approved_probe(post, index))
                     for index, (uri, kind) in enumerate(media)]
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        try:
            response = self.api.send("POST", "/2/tweets", deadline, creates=True,
                                     probe=partial(self._find, post, deadline), json=payload)
        except Refusal as refusal:
            if refusal.kind != DUPLICATE:
                raise
            found = self._find(post, deadline)
            if found is not None:
                return found
            raise Refusal(DUPLICATE, f"{refusal.reason}; the earlier post was not found among "
                          f"the account's posts of the last {self.policy.find_window.days} "
                          "days: change the text") from None
        post_id = str((json_body(response).get("data") or {}).get("id") or "")
        if not post_id:
            raise OutcomeUnknownError(f"X: POST /2/tweets answered HTTP {response.status_code} "
                                      "without a post id; the post may exist: look it up")
        return PostReceipt(post_id, post_url(post_id), self.clock())

    def _upload(self, uri: str, kind: str, deadline: Deadline,
                approved: MediaProbe | None = None) -> str:
        """Upload the approved bytes with the MIME type read from them (`media_type` is
        never the media host's Content-Type, which X may not accept)."""
        media = self.api.fetch_media(uri, deadline, approved)
        kind = media.kind  # what the bytes are, whatever the name says
        send = partial(self.api.send, deadline=deadline, classify=self._media_verdict)
        name = uri.rsplit("/", 1)[-1] or "media"
        if kind == "image":
            answer = json_body(send("POST", "/2/media/upload",
                                    files={"media": (name, media.content, media.content_type)},
                                    data={"media_category": "tweet_image"}))
            return self._media_id(answer, uri)
        answer = json_body(send("POST", "/2/media/upload/initialize", json={
            "media_type": media.content_type, "total_bytes": len(media.content),
            "media_category": "tweet_video"}))
        media_id = self._media_id(answer, uri)
        for index, start in enumerate(range(0, len(media.content), CHUNK_BYTES)):
            chunk = media.content[start:start + CHUNK_BYTES]
            send("POST", f"/2/media/upload/{media_id}/append",
                 files={"media": (name, chunk, "application/octet-stream")},
                 data={"segment_index": str(index)})
        answer = json_body(send("POST", f"/2/media/upload/{media_id}/finalize"))
        self._wait_for_processing(media_id, answer, uri, deadline)
        return media_id

    def _wait_for_processing(self, media_id: str, answer: dict[str, Any], uri: str,
                             deadline: Deadline) -> None:
        for _check in range(self.policy.poll_limit):
            info = (answer.get("data") or {}).get("processing_info") or {}
            state = info.get("state")
            if state == "failed":
                error = info.get("error") or {}
                raise Refusal(MEDIA, f"X could not process the video {uri} "
                              f"({error.get('message') or error.get('name') or 'failed'}); fix "
                              "the media and publish again")
            if state not in PROCESSING:
                return
            wait = float(info.get("check_after_secs") or self.policy.poll_interval)
            if not self.api.pause(deadline, wait):
                break
            answer = json_body(self.api.send(
                "GET", "/2/media/upload", deadline, classify=self._media_verdict,
                params={"command": "STATUS", "media_id": media_id}))
        raise PublishError(f"X is still processing the video {uri}; publish again later",
                           retryable=True)

    def _media_verdict(self, response: httpx.Response) -> Verdict:
        verdict = self.classify(response)
        if isinstance(verdict, Refusal) and verdict.kind == REJECTED:
            return Refusal(MEDIA, f"X refused the media ({verdict.reason})")
        return verdict

    @staticmethod
    def _media_id(answer: dict[str, Any], uri: str) -> str:
        media_id = (answer.get("data") or {}).get("id")
        if not media_id:
            raise PublishError(f"X accepted the media {uri} without a media id", True)
        return str(media_id)

    # ------------------------------------------------------------------ find

    def _find(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        since = self.window_start()
        wanted = x_text_key(post.body)
        params: dict[str, Any] = {
            "max_results": 100, "exclude": "replies,retweets",
            "tweet.fields": "created_at,attachments",
            "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        user = self._user(deadline)
        seen = 0
        while seen < self.policy.find_limit:
            answer = json_body(self.api.send("GET", f"/2/users/{user}/tweets", deadline,
                                             params=params))
            tweets = answer.get("data") or []
            for tweet in tweets:
                seen += 1
                keys = (tweet.get("attachments") or {}).get("media_keys") or []
                if (x_text_key(str(tweet.get("text") or "")) == wanted
                        and len(keys) == len(post.media_uris)):
                    post_id = str(tweet["id"])
                    return PostReceipt(post_id, post_url(post_id),
                                       parse_time(tweet.get("created_at"), self.clock()))
            token = (answer.get("meta") or {}).get("next_token")
            if not tweets or not token:
                return None
            params["pagination_token"] = token
        return None

    def _user(self, deadline: Deadline) -> str:
        if not self._user_id:
            answer = json_body(self.api.send("GET", "/2/users/me", deadline))
            self._user_id = str((answer.get("data") or {}).get("id") or "")
            if not self._user_id:
                raise PublishError("X did not say which account the token belongs to", True)
        return self._user_id
