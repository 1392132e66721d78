"""Instagram posts through the Graph API's container flow: create, wait until FINISHED, publish.

1. GET /{ig-user-id}/content_publishing_limit: refuse early (retryable) when the 24-hour
   quota is used up, rather than building containers that cannot be published.
2. POST /{ig-user-id}/media: one container (image_url, or video_url with media_type=REELS), or
   one per carousel item (is_carousel_item=true) and then a CAROUSEL container with children.
3. GET /{container-id}?fields=status_code,status until FINISHED, a bounded number of times;
   ERROR and EXPIRED end the attempt.
4. POST /{ig-user-id}/media_publish with creation_id: the only request that creates the post.
5. GET /{media-id}?fields=permalink,timestamp for the receipt.

Containers publish nothing, so they are created freely; the container of a post is remembered
under the post's idempotency key until it is published. A later attempt reuses a FINISHED
container, and a container that reads PUBLISHED proves the post exists (then find() locates
it). Across processes find() reads the account's recent media and matches caption and media
type exactly.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import httpx

from socmed_adapters.platforms.base import (
    MEDIA,
    NOT_FOUND,
    QUOTA,
    REJECTED,
    AlreadyPosted,
    Deadline,
    PlatformPublisher,
    Refusal,
    Transient,
    Verdict,
    json_body,
    media_kinds,
    parse_time,
    require_urls,
    same_text,
)
from socmed_adapters.platforms.facebook import (
    GRAPH_BASE_URL,
    graph_detail,
    graph_error,
    graph_id,
    graph_items,
    graph_verdict,
)
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

# https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
QUOTA_SUBCODE = 2207042  # "You reached maximum number of posts that is allowed to be published"
SPAM_SUBCODE = 2207051  # activity restricted to protect the community
TRANSIENT_SUBCODES = frozenset({2207001, 2207003, 2207032, 2207053})  # "try again"
MEDIA_CODES = frozenset({9004, 36000, 36001, 36003, 36004, 352})
MEDIA_SUBCODES = frozenset({2207004, 2207005, 2207009, 2207026, 2207052, 2207023})
EXPIRED_SUBCODE = 2207020

FINISHED, IN_PROGRESS, ERROR, EXPIRED, PUBLISHED = (
    "FINISHED", "IN_PROGRESS", "ERROR", "EXPIRED", "PUBLISHED")
MEDIA_TYPES = {"image": "IMAGE", "video": "VIDEO"}  # what /media reports per post


class InstagramPublisher(PlatformPublisher):
    """Posts on one Instagram professional account (SOCMED_INSTAGRAM_ACCOUNT_ID)."""

    platform = Platform.INSTAGRAM
    default_base_url = GRAPH_BASE_URL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._containers: dict[str, str] = {}  # idempotency key -> container not yet published

    @property
    def user(self) -> str:
        return self.credentials.account_id

    def classify(self, response: httpx.Response) -> Verdict:
        error = graph_error(response)
        code, subcode, detail = error.get("code"), error.get("error_subcode"), graph_detail(error)
        if subcode == QUOTA_SUBCODE:
            return Refusal(QUOTA, f"Instagram's publishing quota for this account is used up "
                           f"({detail}); publish again after the 24-hour window moves on",
                           retryable=True)
        if subcode == SPAM_SUBCODE:
            return Refusal(REJECTED, f"Instagram restricted this action as possible spam "
                           f"({detail}); check the account before publishing again")
        if subcode in TRANSIENT_SUBCODES:
            return Transient(f"temporary Instagram error ({detail})")
        if subcode == EXPIRED_SUBCODE:
            return Refusal(MEDIA, f"the media container expired ({detail}); publish again to "
                           "create a new one", retryable=True)
        if code in MEDIA_CODES or subcode in MEDIA_SUBCODES:
            return Refusal(MEDIA, f"Instagram refused the media ({detail}); fix the media and "
                           "publish again")
        return graph_verdict(self, response)

    # ------------------------------------------------------------------ publish

    def _publish(self, post: OutboundPost, deadline: Deadline) -> PostReceipt:
        if not post.media_uris:
            raise Refusal(MEDIA, "Instagram posts need at least one image or video")
        require_urls(self.label, post.media_uris)
        container = self._reusable_container(post, deadline)
        if container is None:
            self._check_quota(deadline)
            container = self._create_container(post, deadline)
            self._containers[post.idempotency_key] = container
        self._wait_until_finished(container, deadline, post.idempotency_key)
        response = self.api.send(
            "POST", f"/{self.user}/media_publish", deadline, creates=True,
            probe=partial(self._lookup, post, deadline), data={"creation_id": container})
        media_id = graph_id(response, "id", self.label, "POST /media_publish")
        self._containers.pop(post.idempotency_key, None)
        return self._receipt(media_id, deadline)

    def _check_quota(self, deadline: Deadline) -> None:
        response = self.api.send("GET", f"/{self.user}/content_publishing_limit", deadline,
                                 params={"fields": "quota_usage,config"})
        rows = json_body(response).get("data") or [{}]
        usage = rows[0].get("quota_usage")
        total = (rows[0].get("config") or {}).get("quota_total")
        if isinstance(usage, int) and isinstance(total, int) and usage >= total:
            hours = ((rows[0].get("config") or {}).get("quota_duration") or 86400) / 3600
            raise Refusal(QUOTA, f"Instagram's publishing quota is used up ({usage} of {total} "
                          f"posts in {hours:g} h); publish again later", retryable=True)

    def _create_container(self, post: OutboundPost, deadline: Deadline) -> str:
        media = media_kinds(post)
        if len(media) == 1:
            uri, kind = media[0]
            fields = ({"media_type": "REELS", "video_url": uri} if kind == "video"
                      else {"image_url": uri})
            return self._container(deadline, caption=post.body, **fields)
        children = []
        for uri, kind in media:
            fields = ({"media_type": "VIDEO", "video_url": uri} if kind == "video"
                      else {"image_url": uri})
            child = self._container(deadline, is_carousel_item="true", **fields)
            self._wait_until_finished(child, deadline, None)
            children.append(child)
        return self._container(deadline, media_type="CAROUSEL", children=",".join(children),
                               caption=post.body)

    def _container(self, deadline: Deadline, **fields: str) -> str:
        response = self.api.send("POST", f"/{self.user}/media", deadline, data=fields)
        container = json_body(response).get("id")
        if not container:
            raise PublishError("Instagram created a media container without an id", True)
        return str(container)

    def _status(self, container: str, deadline: Deadline) -> tuple[str, str]:
        response = self.api.send("GET", f"/{container}", deadline,
                                 params={"fields": "status_code,status"})
        answer = json_body(response)
        return str(answer.get("status_code") or ""), str(answer.get("status") or "")

    def _wait_until_finished(self, container: str, deadline: Deadline, key: str | None) -> None:
        for check in range(1, self.policy.poll_limit + 1):
            code, status = self._status(container, deadline)
            if code == FINISHED:
                return
            if code in (ERROR, EXPIRED) and key is not None:
                self._containers.pop(key, None)
            if code == EXPIRED:
                raise Refusal(MEDIA, f"Instagram's media container {container} expired before "
                              "it was published; publish again to create a new one",
                              retryable=True)
            if code == ERROR:
                transient = any(str(subcode) in status for subcode in TRANSIENT_SUBCODES)
                advice = "publish again" if transient else "fix the media and publish again"
                raise Refusal(MEDIA, f"Instagram could not process the media (container "
                              f"{container}: {f'ERROR {status}'.strip()}); {advice}",
                              retryable=transient)
            if code == PUBLISHED:  # only a remembered container can be in this state
                raise PublishError(f"container {container} is already published", False)
            if check == self.policy.poll_limit or not self.api.pause(
                    deadline, self.policy.poll_interval):
                break
        raise PublishError(f"Instagram is still processing the media (container {container} "
                           f"{code or 'without status'} after {check} check(s)); publish again "
                           "later to reuse it", retryable=True)

    def _reusable_container(self, post: OutboundPost, deadline: Deadline) -> str | None:
        """The remembered container of an earlier attempt, if it can still be published."""
        container = self._containers.get(post.idempotency_key)
        if container is None:
            return None
        try:
            code, _ = self._status(container, deadline)
        except Refusal as refusal:
            if refusal.kind != NOT_FOUND:
                raise
            code = EXPIRED
        if code == PUBLISHED:
            self._containers.pop(post.idempotency_key, None)
            found = self._lookup(post, deadline)
            if found is None:
                raise OutcomeUnknownError(
                    f"Instagram: container {container} of this post is already published, but "
                    "the post is not among the account's recent media yet: look it up later")
            raise AlreadyPosted(found)
        if code in (FINISHED, IN_PROGRESS):
            return container
        self._containers.pop(post.idempotency_key, None)
        return None

    def _receipt(self, media_id: str, deadline: Deadline) -> PostReceipt:
        now = self.clock()
        try:
            response = self.api.send("GET", f"/{media_id}", deadline,
                                     params={"fields": "permalink,timestamp"})
        except PublishError:
            return PostReceipt(media_id, "", now)  # published; only the link is missing
        answer = json_body(response)
        return PostReceipt(media_id, str(answer.get("permalink") or ""),
                           parse_time(answer.get("timestamp"), now))

    # ------------------------------------------------------------------ find

    def _find(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        container = self._containers.get(post.idempotency_key)
        if container is not None:
            code, _ = self._status(container, deadline)
            if code in (FINISHED, IN_PROGRESS, ERROR, EXPIRED):
                return None  # the remembered container was never published
        return self._lookup(post, deadline)

    def _lookup(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        """The account's recent media with this exact caption and media type."""
        since = self.window_start()
        kinds = [kind for _, kind in media_kinds(post)]
        wanted = "CAROUSEL_ALBUM" if len(kinds) > 1 else MEDIA_TYPES.get(kinds[0] if kinds
                                                                         else "", "")
        params: dict[str, Any] = {"fields": "id,caption,media_type,permalink,timestamp",
                                  "limit": 25}
        for item in graph_items(self.api, f"/{self.user}/media", params, deadline,
                                self.policy.find_limit):
            published = parse_time(item.get("timestamp"), self.clock())
            if published < since:
                return None
            if (same_text(item.get("caption"), post.body)
                    and item.get("media_type") in (wanted, None)):
                return PostReceipt(str(item["id"]), str(item.get("permalink") or ""), published)
        return None
