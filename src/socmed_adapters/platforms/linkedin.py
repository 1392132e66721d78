"""LinkedIn posts through the versioned Posts API (POST /rest/posts).

Every request carries `LinkedIn-Version: YYYYMM` (SOCMED_LINKEDIN_VERSION, default
`DEFAULT_VERSION`) and `X-Restli-Protocol-Version: 2.0.0`. The commentary is in LinkedIn's
"little" text format, where `| { } @ [ ] ( ) < > # \\ * _ ~` are reserved: unescaped, LinkedIn
may cut the post at the first one, so every reserved character is escaped and the text appears
exactly as approved (hashtags and mentions stay plain text). The new post's URN comes back in
the `x-restli-id` header.

LinkedIn does not pull media from URLs: images go through the Images API and videos through
the Videos API (initializeUpload, PUT the bytes, finalizeUpload for videos), with the bytes
fetched from the media URI first. The token is sent only to LinkedIn upload hosts.

A duplicate is refused with 422 "Content is a duplicate of urn:li:share:...": that post is
read back and returned as the receipt; if it no longer exists (LinkedIn remembers deleted
posts for a while) the attempt fails with a clear reason. find() reads the author's recent
posts (GET /rest/posts?q=author) and matches the commentary and media count.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from socmed_adapters.platforms.base import (
    DUPLICATE,
    MEDIA,
    NOT_FOUND,
    REJECTED,
    Deadline,
    PlatformPublisher,
    Refusal,
    Transient,
    Verdict,
    approved_probe,
    json_body,
    media_kinds,
    parse_time,
    retry_after_seconds,
    same_text,
)
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import MediaProbe
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

DEFAULT_VERSION = "202605"
RESERVED = frozenset("|{}@[]()<>#\\*_~")
POST_URN = re.compile(r"urn:li:(?:share|ugcPost):\d+")
TRUSTED_UPLOAD_SUFFIX = ".linkedin.com"


def escape_little_text(text: str) -> str:
    """Backslash-escape the little text format's reserved characters."""
    return "".join(f"\\{char}" if char in RESERVED else char for char in text)


def unescape_little_text(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


class LinkedInPublisher(PlatformPublisher):
    """Posts as one author (SOCMED_LINKEDIN_AUTHOR_URN: an organization or a member)."""

    platform = Platform.LINKEDIN
    default_base_url = "https://api.linkedin.com"

    def headers(self) -> dict[str, str]:
        return {**super().headers(),
                "LinkedIn-Version": self.credentials.option("version", DEFAULT_VERSION),
                "X-Restli-Protocol-Version": "2.0.0"}

    @property
    def author(self) -> str:
        return self.credentials.account_id

    def classify(self, response: httpx.Response) -> Verdict:
        if response.is_success:
            return None
        answer = json_body(response)
        message = str(answer.get("message") or "")
        codes = [str(error.get("code")) for error in
                 (answer.get("errorDetails") or {}).get("inputErrors") or []]
        status = response.status_code
        if status == 422 and ("DUPLICATE_POST" in codes or "duplicate" in message.lower()):
            match = POST_URN.search(message)
            return Refusal(DUPLICATE, f"LinkedIn refused a duplicate post ({message})",
                           detail=match.group(0) if match else None)
        if status == 401:
            return self.refresh_hint(message or "HTTP 401")
        if status == 403:
            return Refusal(REJECTED, f"LinkedIn denied the post ({message or 'HTTP 403'}); "
                           "check the token's w_organization_social / w_member_social "
                           "permission and the member's role on the page")
        if status == 429:
            return Transient(f"rate limited (HTTP 429{': ' + message if message else ''})",
                             retry_after_seconds(response, self.clock()), processed=False)
        return self.http_verdict(response, message)

    # ------------------------------------------------------------------ publish

    def _publish(self, post: OutboundPost, deadline: Deadline) -> PostReceipt:
        content = self._content(post, deadline)
        body: dict[str, Any] = {
            "author": self.author,
            "commentary": escape_little_text(post.body),
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if content:
            body["content"] = content
        try:
            response = self.api.send("POST", "/rest/posts", deadline, creates=True,
                                     probe=partial(self._find, post, deadline), json=body)
        except Refusal as refusal:
            if refusal.kind != DUPLICATE:
                raise
            return self._duplicate_of(refusal, post, deadline)
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise OutcomeUnknownError("LinkedIn: POST /rest/posts answered "
                                      f"HTTP {response.status_code} without x-restli-id; the "
                                      "post may exist: look it up")
        return PostReceipt(urn, post_url(urn), self.clock())

    def _duplicate_of(self, refusal: Refusal, post: OutboundPost,
                      deadline: Deadline) -> PostReceipt:
        urn = refusal.detail
        if urn:
            try:
                response = self.api.send("GET", f"/rest/posts/{quote(urn, safe='')}", deadline)
            except Refusal as missing:
                if missing.kind != NOT_FOUND:
                    raise
                raise Refusal(DUPLICATE, f"LinkedIn says this post duplicates {urn}, which no "
                              "longer exists (LinkedIn remembers deleted posts for a while): "
                              "change the text or publish again later") from None
            answer = json_body(response)
            return PostReceipt(urn, post_url(urn), parse_time(
                _epoch(answer.get("publishedAt") or answer.get("createdAt")), self.clock()))
        found = self._find(post, deadline)
        if found is None:
            raise Refusal(DUPLICATE, f"{refusal.reason}; no recent post of the author has the "
                          "same text: change the text or reconcile by hand") from None
        return found

    def _content(self, post: OutboundPost, deadline: Deadline) -> dict[str, Any] | None:
        media = media_kinds(post)
        if not media:
            return None
        if len(media) > 1 and any(kind == "video" for _, kind in media):
            raise Refusal(MEDIA, "LinkedIn posts carry several images or one video, not both")
        urns = [self._upload(uri, kind, deadline, approved_probe(post, index))
                for index, (uri, kind) in enumerate(media)]
        if len(urns) == 1:
            return {"media": {"id": urns[0]}}
        return {"multiImage": {"images": [{"id": urn} for urn in urns]}}

    def _upload(self, uri: str, kind: str, deadline: Deadline,
                approved: MediaProbe | None = None) -> str:
        """Fetch the media (the approved bytes only) and upload it with the type read from
        them; images and videos are registered as the author's."""
        media = self.api.fetch_media(uri, deadline, approved)
        kind = media.kind  # what the bytes are, whatever the name says
        refuse = partial(self._media_verdict, uri)
        send = partial(self.api.send, deadline=deadline, classify=refuse)
        if kind == "image":
            answer = json_body(send("POST", "/rest/images?action=initializeUpload", json={
                "initializeUploadRequest": {"owner": self.author}}))
            value = answer.get("value") or {}
            self._put(str(value.get("uploadUrl") or ""), media.content, media.content_type,
                      deadline, uri)
            return self._urn(value.get("image"), uri)
        answer = json_body(send("POST", "/rest/videos?action=initializeUpload", json={
            "initializeUploadRequest": {"owner": self.author,
                                        "fileSizeBytes": len(media.content),
                                        "uploadCaptions": False, "uploadThumbnail": False}}))
        value = answer.get("value") or {}
        video = self._urn(value.get("video"), uri)
        etags = []
        for part in value.get("uploadInstructions") or []:
            chunk = media.content[int(part["firstByte"]):int(part["lastByte"]) + 1]
            uploaded = self._put(str(part.get("uploadUrl") or ""), chunk,
                                 "application/octet-stream", deadline, uri)
            etags.append(uploaded.headers.get("etag", ""))
        send("POST", "/rest/videos?action=finalizeUpload", json={"finalizeUploadRequest": {
            "video": video, "uploadToken": value.get("uploadToken", ""),
            "uploadedPartIds": etags}})
        return video

    def _put(self, url: str, content: bytes, content_type: str, deadline: Deadline,
             uri: str) -> httpx.Response:
        if not url:
            raise PublishError(f"LinkedIn gave no upload URL for {uri}", True)
        host = urlsplit(url).netloc
        trusted = host == self.api.host or host.endswith(TRUSTED_UPLOAD_SUFFIX)
        client = self.api.http if trusted else self.api.media_http
        return self.api.send("PUT", url, deadline, client=client, content=content,
                             headers={"Content-Type": content_type},
                             classify=partial(self._media_verdict, uri))

    def _media_verdict(self, uri: str, response: httpx.Response) -> Verdict:
        verdict = self.classify(response)
        if isinstance(verdict, Refusal) and verdict.kind == REJECTED:
            return Refusal(MEDIA, f"LinkedIn refused the media {uri} ({verdict.reason}); fix "
                           "the media and publish again")
        return verdict

    @staticmethod
    def _urn(value: Any, uri: str) -> str:
        if not value:
            raise PublishError(f"LinkedIn registered {uri} without a media URN", True)
        return str(value)

    # ------------------------------------------------------------------ find

    def _find(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        since = self.window_start()
        wanted_media = len(post.media_uris)
        start, count = 0, 20
        while start < self.policy.find_limit:
            url = (f"/rest/posts?author={quote(self.author, safe='')}&q=author"
                   f"&count={count}&start={start}&sortBy=CREATED")
            answer = json_body(self.api.send("GET", url, deadline,
                                             headers={"X-RestLi-Method": "FINDER"}))
            elements = answer.get("elements") or []
            for element in elements:
                created = parse_time(_epoch(element.get("createdAt")), self.clock())
                if created < since:
                    return None
                commentary = str(element.get("commentary") or "")
                if (same_text(unescape_little_text(commentary), post.body)
                        and _media_count(element.get("content")) == wanted_media
                        and element.get("lifecycleState", "PUBLISHED") == "PUBLISHED"):
                    urn = str(element["id"])
                    published = parse_time(_epoch(element.get("publishedAt")), created)
                    return PostReceipt(urn, post_url(urn), published)
            if len(elements) < count:
                return None
            start += count
        return None


def _epoch(milliseconds: Any) -> float | None:
    return milliseconds / 1000 if isinstance(milliseconds, int | float) else None


def _media_count(content: Any) -> int:
    if not isinstance(content, dict):
        return 0
    if "multiImage" in content:
        return len((content["multiImage"] or {}).get("images") or [])
    return 1 if "media" in content else 0
