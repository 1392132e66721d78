"""A local LinkedIn versioned REST API: /rest/posts (create, get, author finder), image and
video uploads, the "little" text format's silent truncation at a reserved character, and the
reads of statistics: organizationalEntityShareStatistics, socialActions and networkSizes, and
the inbox: comments on posts and on comments (GET/POST /rest/socialActions/{urn}/comments)
and the organization's mention notifications (organizationalEntityNotifications). Seed the
audience with `seed_comment` and `seed_mention`; `replies` records what the page answered.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote, unquote

from socmed_domain.platforms import Platform
from socmed_testing.platforms.common import (
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

LITTLE_RESERVED = set("|{}@[]()<>#\\*_~")


class LocalLinkedIn(LocalPlatformServer):
    """LinkedIn's versioned REST API: /rest/posts, /rest/images, /rest/videos, uploads."""

    platform = Platform.LINKEDIN
    author = "urn:li:organization:5515715"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.uploads: dict[str, dict[str, Any]] = {}  # media URN -> upload state
        self.inbox = LinkedInInbox(self)

    @property
    def replies(self) -> list[dict[str, Any]]:
        """The comments the organization posted (its replies)."""
        return [c for c in self.inbox.comments if c["actor"] == self.author]

    def seed_comment(self, post_urn: str, text: str, **kwargs: Any) -> dict[str, Any]:
        """A member's comment on a post, or (`parent`: a comment) a reply under it."""
        return self.inbox.comment(post_urn, text, **kwargs)

    def seed_mention(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """A member's share (or, `on`: a post URN, comment) that mentions the page."""
        return self.inbox.mention(text, **kwargs)

    def route(self, request: Recorded) -> str:
        path, method, action = request.path, request.method, request.query.get("action")
        inbox = self.inbox.route(request)
        if inbox:
            return inbox
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
        if route in LinkedInInbox.ROUTES:
            return self.inbox.handle(request, route)
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


def _encoded_path(request: Recorded, prefix: str, suffix: str = "") -> str:
    """The URN in a /rest/ path, which Rest.li 2.0 wants URL-encoded."""
    raw = request.path.removeprefix(prefix).removesuffix(suffix)
    return unquote(raw)


class LinkedInInbox:
    """Comments, replies and mention notifications of the local organization."""

    ROUTES = frozenset({"comments", "reply", "notifications", "mention_post"})
    PREFIX = "/rest/socialActions/"

    def __init__(self, server: LocalLinkedIn) -> None:
        self.server = server
        self.comments: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []

    # -- seeding

    def _number(self) -> int:
        return 7100000000000000000 + self.server.next_number()

    @staticmethod
    def activity(post_urn: str) -> str:
        return "urn:li:activity:" + post_urn.rsplit(":", 1)[-1]

    def comment(self, post_urn: str, text: str, *, author: str = "urn:li:person:fajar01",
                parent: str = "", age: timedelta = timedelta(0)) -> dict[str, Any]:
        number = str(self._number())
        activity = self.activity(post_urn)
        comment = {"id": number, "urn": f"urn:li:comment:({activity},{number})",
                   "post": post_urn, "object": activity, "actor": author, "text": text,
                   "parent": parent, "created": self.server.now() - age.total_seconds()}
        self.comments.append(comment)
        return comment

    def mention(self, text: str, *, author: str = "urn:li:person:lia02", on: str = "",
                age: timedelta = timedelta(0), decorated: bool = True) -> dict[str, Any]:
        created = self.server.now() - age.total_seconds()
        if on:
            urn = self.comment(on, text, author=author, age=age)["urn"]
        else:
            urn = f"urn:li:share:{self._number()}"
        mention = {"urn": urn, "post": on or urn, "actor": author, "text": text,
                   "created": created, "decorated": decorated,
                   "action": "COMMENT_MENTION" if on else "SHARE_MENTION"}
        self.mentions.append(mention)
        return mention

    # -- serving

    def route(self, request: Recorded) -> str:
        path, method = request.path, request.method
        if path.startswith(self.PREFIX) and path.endswith("/comments"):
            return "comments" if method == "GET" else "reply" if method == "POST" else ""
        if path == "/rest/organizationalEntityNotifications" and method == "GET":
            return "notifications"
        if method == "GET" and path.startswith("/rest/posts/") and any(
                m["urn"] == unquote(path.removeprefix("/rest/posts/")) for m in self.mentions):
            return "mention_post"
        return ""

    def handle(self, request: Recorded, route: str) -> Reply:
        if route == "notifications":
            return self._notifications(request)
        if route == "mention_post":
            urn = unquote(request.path.removeprefix("/rest/posts/"))
            mention = next(m for m in self.mentions if m["urn"] == urn)
            ms = int(mention["created"] * 1000)
            return Reply(200, {"id": urn, "author": mention["actor"],
                               "commentary": mention["text"], "visibility": "PUBLIC",
                               "lifecycleState": "PUBLISHED", "createdAt": ms,
                               "publishedAt": ms})
        if "urn:li:" in request.path:
            self.server.violation(request, "the URN in the path must be URL-encoded")
        target = _encoded_path(request, self.PREFIX, "/comments")
        if route == "reply":
            return self._reply(request, target)
        return self._list(request, target)

    def _find(self, urn: str) -> dict[str, Any] | None:
        return next((c for c in self.comments if c["urn"] == urn), None)

    def _known_post(self, urn: str) -> str | None:
        """The post a post or activity URN names, if it exists here."""
        for post in [str(p["id"]) for p in self.server.posts] + [
                str(m["urn"]) for m in self.mentions if m["action"] == "SHARE_MENTION"]:
            if urn in (post, self.activity(post)):
                return post
        return None

    def element(self, comment: dict[str, Any]) -> dict[str, Any]:
        ms = int(comment["created"] * 1000)
        replies = sum(1 for c in self.comments if c["parent"] == comment["urn"])
        element: dict[str, Any] = {
            "id": comment["id"], "$URN": comment["urn"], "commentUrn": comment["urn"],
            "actor": comment["actor"], "object": comment["object"],
            "message": {"text": comment["text"], "attributes": []},
            "created": {"actor": comment["actor"], "time": ms},
            "lastModified": {"actor": comment["actor"], "time": ms},
            "commentsSummary": {"aggregatedTotalComments": replies,
                                "totalFirstLevelComments": replies},
            "likesSummary": {"totalLikes": 0, "likedByCurrentUser": False}}
        if comment["parent"]:
            element["parentComment"] = comment["parent"]
        return element

    def _list(self, request: Recorded, target: str) -> Reply:
        start, count = int(request.query.get("start", 0)), int(request.query.get("count", 10))
        if not 1 <= count <= 100:
            self.server.violation(request, "count must be 1 to 100")
        if target.startswith("urn:li:comment:"):
            if self._find(target) is None:
                return self.server.error(404, "NOT_FOUND", f"Not Found: {target}")
            listed = [c for c in self.comments if c["parent"] == target]
        else:
            post = self._known_post(target)
            if post is None:
                return self.server.error(404, "NOT_FOUND", f"Not Found: {target}")
            listed = [c for c in self.comments if c["post"] == post and not c["parent"]]
        listed.sort(key=lambda c: c["created"])
        page = listed[start:start + count]
        return Reply(200, {"paging": {"start": start, "count": count, "total": len(listed),
                                      "links": []},
                           "elements": [self.element(c) for c in page]})

    def _reply(self, request: Recorded, target: str) -> Reply:
        body = request.json if isinstance(request.json, dict) else {}
        text = (body.get("message") or {}).get("text")
        if body.get("actor") != self.server.author:
            self.server.violation(request, f"actor must be {self.server.author}")
        if not isinstance(text, str) or not text.strip():
            self.server.violation(request, "message.text is required")
        if target.startswith("urn:li:comment:"):
            parent = self._find(target)
            if parent is None:
                return self.server.error(404, "NOT_FOUND", f"Not Found: {target}")
            if parent["parent"]:
                return self.server.error(400, "INVALID_ARGUMENT", "Nested comments are "
                                         "supported one level deep only")
            if body.get("parentComment") != target or body.get("object") != parent["object"]:
                self.server.violation(request, "a reply names parentComment (the comment) and "
                                      "object (its post's activity)")
            post = parent["post"]
        else:
            found = self._known_post(target)
            if found is None:
                return self.server.error(404, "NOT_FOUND", f"Not Found: {target}")
            if body.get("object") not in (found, self.activity(found)):
                self.server.violation(request, "object must be the post")
            post = found
        created = self.comment(post, str(text or ""), author=self.server.author,
                               parent=target if target.startswith("urn:li:comment:") else "")
        return Reply(201, self.element(created), {"x-restli-id": quote(created["urn"],
                                                                          safe="")})

    def _notifications(self, request: Recorded) -> Reply:
        query = request.query
        if query.get("q") != "criteria" or query.get(
                "organizationalEntity") != self.server.author:
            self.server.violation(request, "q=criteria&organizationalEntity=<encoded URN>")
        if "urn:li:" in request.raw_query:
            self.server.violation(request, "URNs in the query must be URL-encoded")
        actions = query.get("actions", "")
        if not (actions.startswith("List(") and actions.endswith(")")):
            self.server.violation(request, "actions must be List(...)")
        wanted = set(actions.removeprefix("List(").removesuffix(")").split(","))
        match = re.fullmatch(r"\(start:(\d+),end:(\d+)\)", query.get("timeRange", ""))
        if match is None:
            self.server.violation(request, "timeRange=(start:<ms>,end:<ms>) is required")
            low, high = 0.0, float("inf")
        else:
            low, high = int(match.group(1)) / 1000, int(match.group(2)) / 1000
        start, count = int(query.get("start", 0)), int(query.get("count", 10))
        listed = sorted((m for m in self.mentions if m["action"] in wanted
                         and low <= m["created"] <= high), key=lambda m: -m["created"])
        elements = []
        for mention in listed[start:start + count]:
            element: dict[str, Any] = {
                "action": mention["action"], "organizationalEntity": self.server.author,
                "sourcePost": mention["post"], "generatedActivity": mention["urn"],
                "lastModifiedAt": int(mention["created"] * 1000)}
            if mention["decorated"] and mention["action"] == "COMMENT_MENTION":
                element["decoratedGeneratedActivity"] = {"comment": {
                    "owner": mention["actor"], "entity": mention["urn"],
                    "object": self.activity(mention["post"]),
                    "message": {"text": mention["text"]}}}
            elif mention["decorated"]:
                element["decoratedGeneratedActivity"] = {"share": {
                    "owner": mention["actor"], "entity": mention["urn"],
                    "text": mention["text"]}}
            elements.append(element)
        return Reply(200, {"paging": {"start": start, "count": count, "links": []},
                           "elements": elements})
