"""Facebook Page posts through the Graph API: /feed for text, /photos and /videos for media.

Facebook pulls photos and videos from their URLs (`url`, `file_url`), so the media never passes
through us. Several photos are uploaded unpublished and attached to one /feed post
(`attached_media`). The Graph API has no idempotency key; find() reads the Page's recent posts
(/posts, newest first, `since` the find window) and matches the message exactly. Graph error
envelopes (`{"error": {"code", "error_subcode", ...}}`) are shared with Instagram, so their
reading lives here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

import httpx

from socmed_adapters.platforms.base import (
    DUPLICATE,
    MEDIA,
    REJECTED,
    Deadline,
    PlatformPublisher,
    Probe,
    Refusal,
    Transient,
    Verdict,
    json_body,
    media_kinds,
    parse_time,
    require_urls,
    retry_after_seconds,
    same_text,
)
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

GRAPH_BASE_URL = "https://graph.facebook.com/v24.0"

# https://developers.facebook.com/docs/graph-api/guides/error-handling
GRAPH_AUTH_CODES = frozenset({102, 190})
GRAPH_THROTTLE_CODES = frozenset({4, 17, 32, 341, 613, *range(80001, 80015)})
GRAPH_TEMPORARY_CODES = frozenset({1, 2})
GRAPH_PERMISSION_CODES = frozenset({10, *range(200, 300)})
GRAPH_POLICY_BLOCK = 368
GRAPH_DUPLICATE = 506
# Photo and video problems on /photos and /videos.
FACEBOOK_MEDIA_CODES = frozenset({324, 351, 352, 6000})


def graph_error(response: httpx.Response) -> dict[str, Any]:
    error = json_body(response).get("error")
    return error if isinstance(error, dict) else {}


def graph_detail(error: dict[str, Any]) -> str:
    """'#code/subcode message' for people and logs."""
    code, subcode = error.get("code"), error.get("error_subcode")
    tag = f"#{code}/{subcode}" if subcode else f"#{code}"
    message = error.get("error_user_msg") or error.get("message") or ""
    return f"{tag} {message}".strip()


def graph_verdict(publisher: PlatformPublisher, response: httpx.Response) -> Verdict:
    """What a Graph API answer means, by its error code (the HTTP status is mostly 400)."""
    if response.is_success:
        return None
    error = graph_error(response)
    if not error:
        return publisher.http_verdict(response, "")
    code, detail = error.get("code"), graph_detail(error)
    label = publisher.label
    if code in GRAPH_AUTH_CODES:
        return publisher.refresh_hint(detail)
    if code in GRAPH_THROTTLE_CODES:
        return Transient(f"rate limited ({detail})",
                         retry_after_seconds(response, publisher.clock()), processed=False)
    if code in GRAPH_TEMPORARY_CODES or error.get("is_transient") is True:
        return Transient(f"temporary error ({detail})")
    if code == GRAPH_DUPLICATE:
        return Refusal(DUPLICATE, f"{label} refused a duplicate post ({detail})")
    if code == GRAPH_POLICY_BLOCK:
        return Refusal(REJECTED, f"{label} temporarily blocks posting for policy reasons "
                       f"({detail}); try again later", retryable=True)
    if code in GRAPH_PERMISSION_CODES:
        return Refusal(REJECTED, f"{label}: the token lacks a permission ({detail}); grant it "
                       "to the app and publish again")
    if response.status_code >= 500:
        return Transient(f"server error ({detail})")
    return Refusal(REJECTED, f"{label} refused the post ({detail})")


def graph_items(api: Any, path: str, params: dict[str, Any], deadline: Deadline,
                limit: int) -> Iterator[dict[str, Any]]:
    """A Graph API listing's items, page after page by cursor, until `limit` items were
    read (whole pages: a page is never cut short) or the listing ends."""
    params = dict(params)
    seen = 0
    while seen < limit:
        answer = json_body(api.send("GET", path, deadline, params=params))
        items = answer.get("data") or []
        for item in items:
            seen += 1
            yield item
        paging = answer.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        if not items or not paging.get("next") or not after:
            return
        params["after"] = after


def graph_id(response: httpx.Response, key: str, label: str, what: str) -> str:
    """The id in a successful answer to the request that created the post."""
    value = json_body(response).get(key)
    if not value:
        raise OutcomeUnknownError(f"{label}: {what} answered HTTP {response.status_code} "
                                  "without an id; the post may exist: look it up")
    return str(value)


class FacebookPublisher(PlatformPublisher):
    """Posts on one Facebook Page (SOCMED_FACEBOOK_PAGE_ID) with a Page access token."""

    platform = Platform.FACEBOOK
    default_base_url = GRAPH_BASE_URL

    def classify(self, response: httpx.Response) -> Verdict:
        error = graph_error(response)
        if error.get("code") in FACEBOOK_MEDIA_CODES:
            return Refusal(MEDIA, f"Facebook refused the media ({graph_detail(error)}); fix "
                           "the media and publish again")
        return graph_verdict(self, response)

    @property
    def page(self) -> str:
        return self.credentials.account_id

    def _publish(self, post: OutboundPost, deadline: Deadline) -> PostReceipt:
        require_urls(self.label, post.media_uris)
        probe = partial(self._find, post, deadline)
        try:
            post_id = self._create(post, deadline, probe)
        except Refusal as refusal:
            if refusal.kind != DUPLICATE:
                raise
            found = self._find(post, deadline)
            if found is not None:
                return found
            days = self.policy.find_window.days
            raise Refusal(DUPLICATE, f"{refusal.reason}, and no post of the Page with the same "
                          f"text was found in the last {days} days: change the text, or "
                          "reconcile by hand if it was posted outside socmed") from None
        return self._receipt(post_id, deadline)

    def _create(self, post: OutboundPost, deadline: Deadline, probe: Probe) -> str:
        media = media_kinds(post)
        videos = [uri for uri, kind in media if kind == "video"]
        images = [uri for uri, kind in media if kind == "image"]
        send = partial(self.api.send, "POST", deadline=deadline, creates=True, probe=probe)
        if not media:
            response = send(f"/{self.page}/feed", data={"message": post.body})
            return graph_id(response, "id", self.label, "POST /feed")
        if videos:
            if len(media) > 1:
                raise Refusal(MEDIA, "Facebook posts carry either photos or one video: split "
                              "this content into separate posts")
            response = send(f"/{self.page}/videos",
                            data={"file_url": videos[0], "description": post.body})
            return graph_id(response, "id", self.label, "POST /videos")
        if len(images) == 1:
            response = send(f"/{self.page}/photos", data={"url": images[0], "message": post.body})
            answer = json_body(response)
            return str(answer.get("post_id") or graph_id(response, "id", self.label,
                                                         "POST /photos"))
        photo_ids = [self._unpublished_photo(uri, deadline) for uri in images]
        data = {"message": post.body}
        for index, photo_id in enumerate(photo_ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        response = send(f"/{self.page}/feed", data=data)
        return graph_id(response, "id", self.label, "POST /feed")

    def _unpublished_photo(self, uri: str, deadline: Deadline) -> str:
        # Unpublished photos are invisible until attached, so re-sending one is harmless.
        response = self.api.send("POST", f"/{self.page}/photos", deadline,
                                 data={"url": uri, "published": "false"})
        photo_id = json_body(response).get("id")
        if not photo_id:
            raise PublishError(f"Facebook accepted the photo {uri} without an id", True)
        return str(photo_id)

    def _receipt(self, post_id: str, deadline: Deadline) -> PostReceipt:
        now = self.clock()
        fallback = PostReceipt(post_id, f"https://www.facebook.com/{post_id}", now)
        try:
            response = self.api.send("GET", f"/{post_id}", deadline,
                                     params={"fields": "permalink_url,created_time"})
        except PublishError:
            return fallback  # published for sure; only the link could not be read
        answer = json_body(response)
        return PostReceipt(post_id, str(answer.get("permalink_url") or fallback.url),
                           parse_time(answer.get("created_time"), now))

    def _find(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        since = self.window_start()
        params: dict[str, Any] = {"fields": "id,message,created_time,permalink_url",
                                  "limit": 25, "since": int(since.timestamp())}
        for item in graph_items(self.api, f"/{self.page}/posts", params, deadline,
                                self.policy.find_limit):
            created = parse_time(item.get("created_time"), self.clock())
            if created < since:
                return None
            if same_text(item.get("message"), post.body):
                return PostReceipt(str(item["id"]), str(item.get("permalink_url") or
                                   f"https://www.facebook.com/{item['id']}"), created)
        return None
