"""A local LinkedIn versioned REST API: /rest/posts (create, get, author finder), image and
video uploads, the "little" text format's silent truncation at a reserved character, and the
reads of statistics: organizationalEntityShareStatistics, socialActions and networkSizes.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from socmed_adapters.platforms.local.common import (
    DUPLICATE,
    EXPIRED_TOKEN,
    RATE_LIMIT,
    REJECTED_MEDIA,
    UNAVAILABLE,
    Fault,
    LocalPlatformServer,
    Recorded,
    Reply,
    newest_first,
)
from socmed_domain.platforms import Platform

LITTLE_RESERVED = set("|{}@[]()<>#\\*_~")


class LocalLinkedIn(LocalPlatformServer):
    """LinkedIn's versioned REST API: /rest/posts, /rest/images, /rest/videos, uploads."""

    platform = Platform.LINKEDIN
    author = "urn:li:organization:5515715"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.uploads: dict[str, dict[str, Any]] = {}  # media URN -> upload state

    def route(self, request: Recorded) -> str:
        path, method, action = request.path, request.method, request.query.get("action")
        if path.startswith("/upload/") and method == "PUT":
            return "upload"
        if path == "/rest/posts":
            return "publish" if method == "POST" else "find"
        if path.startswith("/rest/posts/") and method == "GET":
            return "get"
        if path in ("/rest/images", "/rest/videos") and action == "initializeUpload":
            return "initialize"
        if path == "/rest/videos" and action == "finalizeUpload":
            return "finalize"
        if method == "GET" and (path == "/rest/organizationalEntityShareStatistics"
                                or path.startswith("/rest/socialActions/")):
            return "insights"
        if method == "GET" and path.startswith("/rest/networkSizes/"):
            return "account"
        return "unknown"

    @staticmethod
    def error(status: int, code: str, message: str, **extra: Any) -> Reply:
        return Reply(status, {"status": status, "code": code, "message": message, **extra})

    def auth_error(self, expired: bool) -> Reply:
        if expired:
            return self.error(401, "EXPIRED_ACCESS_TOKEN", "The token used in the request has "
                              "expired", serviceErrorCode=65601)
        return self.error(401, "INVALID_ACCESS_TOKEN", "Invalid access token",
                          serviceErrorCode=65600)

    def fault_reply(self, fault: Fault) -> Reply:
        if fault.kind == RATE_LIMIT:
            reply = self.error(429, "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION "
                               "DAY limit for calls to this resource is reached.")
            if "retry_after" in fault.options:
                reply.headers["Retry-After"] = str(fault.options["retry_after"])
            return reply
        if fault.kind == UNAVAILABLE:
            return self.error(503, "SERVICE_UNAVAILABLE", "Service Unavailable")
        if fault.kind == EXPIRED_TOKEN:
            return self.auth_error(expired=True)
        return self.error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        kind = fault.kind if fault else ""
        if request.path.startswith("/rest/"):
            version = request.headers.get("linkedin-version", "")
            if not re.fullmatch(r"\d{6}", version):
                self.violation(request, "LinkedIn-Version: YYYYMM is required")
                return self.error(400, "VERSION_MISSING", "A version must be present.")
            if request.headers.get("x-restli-protocol-version") != "2.0.0":
                self.violation(request, "X-Restli-Protocol-Version: 2.0.0 is required")
        if route == "publish":
            return self._publish(request, fault)
        if route == "get":
            urn = unquote(request.path.removeprefix("/rest/posts/"))
            post = next((p for p in self.posts if p["id"] == urn), None)
            if post is None:
                return self.error(404, "NOT_FOUND", f"Not Found: {urn}")
            return Reply(200, self._element(post))
        if route == "find":
            return self._find(request)
        if route == "initialize":
            return self._initialize(request)
        if route == "insights":
            return self._insights(request)
        if route == "account":
            if unquote(request.path.rsplit("/", 1)[-1]) != self.author or request.query.get(
                    "edgeType") != "COMPANY_FOLLOWED_BY_MEMBER":
                self.violation(request, "networkSizes/{encoded org URN}?edgeType="
                               "COMPANY_FOLLOWED_BY_MEMBER")
            return Reply(200, {"firstDegreeSize": self.followers()})
        if route == "upload":
            if kind == REJECTED_MEDIA:
                return self.error(400, "BAD_REQUEST", "Invalid image: unsupported format")
            return self._upload(request)
        if route == "finalize":
            body = (request.json or {}).get("finalizeUploadRequest") or {}
            state = self.uploads.get(body.get("video", ""))
            if state is None or body.get("uploadedPartIds") != state["etags"]:
                self.violation(request, "finalize needs the video URN and the part ETags")
            elif state is not None:
                state["ready"] = True
            return Reply(200, None)
        return self.unknown_endpoint(request)

    def _publish(self, request: Recorded, fault: Fault | None) -> Reply:
        body = request.json or {}
        for key in ("author", "commentary", "visibility", "distribution", "lifecycleState"):
            if key not in body:
                self.violation(request, f"{key} is required")
        if body.get("author") != self.author:
            self.violation(request, f"author must be {self.author}")
        if (body.get("distribution") or {}).get("feedDistribution") != "MAIN_FEED":
            self.violation(request, "distribution.feedDistribution must be MAIN_FEED")
        commentary = str(body.get("commentary", ""))
        kept = _little_text_kept(commentary)
        if kept != commentary:
            self.violation(request, "commentary has an unescaped reserved character")
        content = body.get("content") or {}
        for media in _content_media(content):
            state = self.uploads.get(media)
            if state is None or not state["ready"]:
                self.violation(request, f"{media} was not uploaded")
        if fault is not None and fault.kind == DUPLICATE:
            urn = fault.options.get("urn", "urn:li:share:6999999999999999999")
            return self._duplicate(urn)
        for post in self.posts if self.refuse_duplicates else ():
            if post["commentary"] == kept:
                return self._duplicate(post["id"])
        urn = f"urn:li:share:{7000000000000000000 + self.next_number()}"
        now_ms = int(self.now() * 1000)
        self.posts.append({"id": urn, "commentary": kept, "text": _unescape(kept),
                           "content": content or None, "created": now_ms / 1000,
                           "createdAt": now_ms, "publishedAt": now_ms})
        return Reply(201, None, {"x-restli-id": urn})

    def _duplicate(self, urn: str) -> Reply:
        return Reply(422, {
            "errorDetailType": "com.linkedin.common.error.BadRequest",
            "message": "com.linkedin.content.common.exception.BadRequestResponseException: "
                       f"Content is a duplicate of {urn}",
            "errorDetails": {"inputErrors": [{"description": "Duplicate post is detected",
                                              "input": {}, "code": "DUPLICATE_POST"}]},
            "status": 422})

    def _element(self, post: dict[str, Any]) -> dict[str, Any]:
        element = {"id": post["id"], "author": self.author, "commentary": post["commentary"],
                   "visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
                   "createdAt": post["createdAt"], "publishedAt": post["publishedAt"],
                   "lastModifiedAt": post["createdAt"]}
        if post.get("content"):
            element["content"] = post["content"]
        return element

    def _find(self, request: Recorded) -> Reply:
        if request.headers.get("x-restli-method") != "FINDER":
            self.violation(request, "finders need X-RestLi-Method: FINDER")
        if request.query.get("q") != "author" or request.query.get("author") != self.author:
            self.violation(request, "find posts with q=author&author=<encoded URN>")
        if "urn:li:" in request.raw_query:
            self.violation(request, "the author URN must be URL-encoded")
        start, count = int(request.query.get("start", 0)), int(request.query.get("count", 10))
        items = newest_first(self.posts)
        page = items[start:start + count]
        return Reply(200, {"elements": [self._element(p) for p in page],
                           "paging": {"start": start, "count": count, "links": []}})

    def _insights(self, request: Recorded) -> Reply:
        if request.path.startswith("/rest/socialActions/"):
            urn = unquote(request.path.removeprefix("/rest/socialActions/"))
            post = next((p for p in self.posts if p["id"] == urn), None)
            if post is None:
                return self.error(404, "NOT_FOUND", f"Not Found: {urn}")
            n = self.insights_of(post)
            return Reply(200, {"$URN": urn, "target": urn,
                               "likesSummary": {"totalLikes": n["likes"]},
                               "commentsSummary": {"aggregatedTotalComments": n["comments"],
                                                   "topLevelCount": n["comments"]}})
        query = request.query
        if query.get("q") != "organizationalEntity" or query.get(
                "organizationalEntity") != self.author:
            self.violation(request, "q=organizationalEntity&organizationalEntity=<encoded URN>")
        if "urn:li:" in request.raw_query:
            self.violation(request, "URNs in the query must be URL-encoded")
        urns: list[str] = []
        for name in ("shares", "ugcPosts"):
            listed = query.get(name, "")
            if listed and not (listed.startswith("List(") and listed.endswith(")")):
                self.violation(request, f"{name} must be List(...)")
            urns += [u for u in listed.removeprefix("List(").removesuffix(")").split(",") if u]
        if len(urns) > 20:
            self.violation(request, "at most 20 posts a request")
        elements = []
        for post in (p for p in self.posts if p["id"] in urns):
            n = self.insights_of(post)
            elements.append({"organizationalEntity": self.author, "share": post["id"],
                             "totalShareStatistics": {
                                 "impressionCount": n["impressions"],
                                 "uniqueImpressionsCount": n["reach"],
                                 "likeCount": n["likes"], "commentCount": n["comments"],
                                 "shareCount": n["shares"], "clickCount": n["clicks"],
                                 "engagement": 0.0}})
        return Reply(200, {"paging": {"start": 0, "count": 10, "links": []},
                           "elements": elements})

    def _initialize(self, request: Recorded) -> Reply:
        body = (request.json or {}).get("initializeUploadRequest") or {}
        if body.get("owner") != self.author:
            self.violation(request, "the media owner must be the author")
        number = self.next_number()
        expires = int(time.time() * 1000) + 3600_000
        if request.path == "/rest/images":
            urn = f"urn:li:image:C4E{number}"
            self.uploads[urn] = {"ready": False, "bytes": b"", "etags": []}
            return Reply(200, {"value": {"uploadUrlExpiresAt": expires,
                                         "uploadUrl": f"{self.url}/upload/image/{number}",
                                         "image": urn}})
        size = int(body.get("fileSizeBytes") or 0)
        if size <= 0:
            self.violation(request, "videos need fileSizeBytes")
        urn = f"urn:li:video:C5F{number}"
        half = size // 2
        parts = [(0, half - 1), (half, size - 1)]
        self.uploads[urn] = {"ready": False, "bytes": b"", "etags": [], "size": size}
        return Reply(200, {"value": {
            "uploadUrlsExpireAt": expires, "video": urn, "uploadToken": "",
            "uploadInstructions": [
                {"uploadUrl": f"{self.url}/upload/video/{number}/{index}", "firstByte": first,
                 "lastByte": last} for index, (first, last) in enumerate(parts)]}})

    def _upload(self, request: Recorded) -> Reply:
        parts = request.path.split("/")  # /upload/image/N or /upload/video/N/part
        kind, number = parts[2], parts[3]
        prefix = "urn:li:image:C4E" if kind == "image" else "urn:li:video:C5F"
        state = self.uploads.get(prefix + number)
        if state is None:
            self.violation(request, "upload to an unknown URL")
            return self.error(404, "NOT_FOUND", "no upload")
        state["bytes"] += request.body
        if kind == "image":
            state["ready"] = True
            return Reply(201, None)
        etag = f"etag-{number}-{parts[4]}"
        state["etags"].append(etag)
        return Reply(200, None, {"ETag": etag})

    def seed_post(self, text: str, *, age: timedelta = timedelta(0)) -> dict[str, Any]:
        ms = int((self.now() - age.total_seconds()) * 1000)
        escaped = "".join(f"\\{c}" if c in LITTLE_RESERVED else c for c in text)
        post = {"id": f"urn:li:share:{6000000000000000000 + self.next_number()}",
                "commentary": escaped, "text": text, "content": None, "created": ms / 1000,
                "createdAt": ms, "publishedAt": ms}
        self.posts.append(post)
        return post


def _little_text_kept(commentary: str) -> str:
    """What LinkedIn keeps of a commentary: everything before the first unescaped reserved
    character (the documented failure is a silently truncated post)."""
    index = 0
    while index < len(commentary):
        char = commentary[index]
        if char == "\\" and index + 1 < len(commentary):
            index += 2
            continue
        if char in LITTLE_RESERVED:
            return commentary[:index]
        index += 1
    return commentary


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _content_media(content: dict[str, Any]) -> list[str]:
    if "media" in content:
        return [content["media"].get("id", "")]
    return [image.get("id", "") for image in (content.get("multiImage") or {}).get("images", [])]
