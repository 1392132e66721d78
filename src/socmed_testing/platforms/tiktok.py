"""A local TikTok Content Posting API (creator info, direct and inbox video, photo posts,
publish status), the Display API's video list, video query (counts) and user info
(follower_count, open_id), and the API for Business comment endpoints under
/open_api/v1.3/business/ (comment list, reply list, reply create, video list), which take
`Access-Token` and answer `{"code": 0, "message": "OK", "data": ...}` (errors as HTTP 200
with a code). Seed comments with `seed_comment`; `replies` records what the account answered.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

from socmed_domain.platforms import Platform
from socmed_testing.platforms.common import (
    EXPIRED_TOKEN,
    PUBLISH_FAILED,
    QUOTA_EXHAUSTED,
    RATE_LIMIT,
    REJECTED_MEDIA,
    UNAVAILABLE,
    Fault,
    LocalPlatformServer,
    Recorded,
    Reply,
    is_url,
    newest_first,
    post_insights,
)


class LocalTikTok(LocalPlatformServer):
    """TikTok's Content Posting API and the Display API's video list."""

    platform = Platform.TIKTOK
    username = "banknusa"
    open_id = "act.banknusa0000000000000000000000000"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.privacy_options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
        self.processing_reads = 0  # status reads that still say PROCESSING_DOWNLOAD
        #: creator_info queries not yet followed by an init: a count, not a flag, since
        #: several publishers (queue workers) may query and post at the same time.
        self._creator_queried = 0
        self.business = TikTokBusiness(self)
        self._local = threading.local()  # is this thread serving a Business API request?

    @property
    def replies(self) -> list[dict[str, Any]]:
        """The replies the account posted (business/comment/reply/create/)."""
        return [c for c in self.business.comments if c["owner"]]

    def seed_comment(self, video_id: str, text: str, **kwargs: Any) -> dict[str, Any]:
        """A viewer's comment on a video, or (`parent`: a comment id) a reply under it."""
        return self.business.comment(video_id, text, **kwargs)

    @property
    def serving_business(self) -> bool:
        return bool(getattr(self._local, "business", False))

    def authorized(self, request: Recorded) -> bool:
        if not self.serving_business:
            return super().authorized(request)
        if "authorization" in request.headers:
            self.violation(request, "the Business API takes Access-Token, not Authorization")
        return request.headers.get("access-token") == self.token

    def route(self, request: Recorded) -> str:
        self._local.business = request.path.startswith(TikTokBusiness.PREFIX)
        if self._local.business:
            return self.business.route(request)
        routes = {
            "/v2/post/publish/creator_info/query/": "creator_info",
            "/v2/post/publish/video/init/": "publish",
            "/v2/post/publish/inbox/video/init/": "publish",
            "/v2/post/publish/content/init/": "publish",
            "/v2/post/publish/status/fetch/": "status",
            "/v2/video/list/": "find",
        }
        if request.method == "GET":
            return "account" if request.path == "/v2/user/info/" else "unknown"
        if request.path == "/v2/video/query/":
            return "insights"
        return routes.get(request.path, "unknown") if request.method == "POST" else "unknown"

    @staticmethod
    def answer(data: Any, status: int = 200, code: str = "ok", message: str = "") -> Reply:
        return Reply(status, {"data": data, "error": {
            "code": code, "message": message, "log_id": "20261201090000ABCDEF0123456789"}})

    def auth_error(self, expired: bool) -> Reply:
        if self.serving_business:
            return self.business.error(40105, "Access token is incorrect or has been revoked.")
        message = ("The access token has expired." if expired
                   else "The access token is invalid or not found in the request.")
        return self.answer({}, 401, "access_token_invalid", message)

    def fault_reply(self, fault: Fault) -> Reply:
        if self.serving_business:
            return self.business.fault_reply(fault)
        if fault.kind == RATE_LIMIT:
            reply = self.answer({}, 429, "rate_limit_exceeded", "Rate limit exceeded")
            if "retry_after" in fault.options:
                reply.headers["Retry-After"] = str(fault.options["retry_after"])
            return reply
        if fault.kind == EXPIRED_TOKEN:
            return self.auth_error(expired=True)
        status = 503 if fault.kind == UNAVAILABLE else 500
        return self.answer({}, status, "internal_error", "Something went wrong")

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        if self.serving_business:
            return self.business.handle(request, route)
        if route == "account":
            fields = request.query.get("fields", "").split(",")
            user = {"follower_count": self.followers(), "open_id": self.open_id}
            if not set(fields) & set(user):
                self.violation(request, "user info needs ?fields= (follower_count, open_id)")
            return self.answer({"user": {k: v for k, v in user.items() if k in fields}})
        if not request.headers.get("content-type", "").startswith("application/json"):
            self.violation(request, "Content-Type: application/json; charset=UTF-8")
        body = request.json if isinstance(request.json, dict) else {}
        if route == "creator_info":
            self._creator_queried += 1
            return self.answer({
                "creator_avatar_url": "https://p16.tiktokcdn.example/avatar.jpeg",
                "creator_username": self.username, "creator_nickname": "Bank Nusa",
                "privacy_level_options": self.privacy_options, "comment_disabled": False,
                "duet_disabled": False, "stitch_disabled": True,
                "max_video_post_duration_sec": 600})
        if route == "publish":
            return self._publish(request, body, fault)
        if route == "status":
            return self._status(request, body)
        if route == "find":
            return self._find(request, body)
        if route == "insights":
            return self._query(request, body)
        return self.unknown_endpoint(request)

    def _publish(self, request: Recorded, body: dict[str, Any], fault: Fault | None) -> Reply:
        kind = fault.kind if fault else ""
        if not self._creator_queried:
            self.violation(request, "query creator_info before initialising a post")
        self._creator_queried = max(0, self._creator_queried - 1)
        inbox = request.path.endswith("/inbox/video/init/")
        photo = request.path.endswith("/content/init/")
        source = body.get("source_info") or {}
        info = body.get("post_info") or {}
        if source.get("source") != "PULL_FROM_URL":
            self.violation(request, "source_info.source must be PULL_FROM_URL here")
        if photo:
            media = source.get("photo_images") or []
            if body.get("media_type") != "PHOTO" or body.get("post_mode") not in (
                    "DIRECT_POST", "MEDIA_UPLOAD"):
                self.violation(request, "photo posts need media_type PHOTO and a post_mode")
            if not 1 <= len(media) <= 35 or not all(is_url(u) for u in media):
                self.violation(request, "photo_images must be 1 to 35 URLs")
            if not 0 <= int(source.get("photo_cover_index", -1)) < max(len(media), 1):
                self.violation(request, "photo_cover_index must point at a photo")
            inbox = body.get("post_mode") == "MEDIA_UPLOAD"
        else:
            media = [source.get("video_url")]
            if not is_url(media[0]):
                self.violation(request, "source_info.video_url must be a URL")
        if not inbox:
            if not isinstance(info.get("title"), str):
                self.violation(request, "post_info.title is required")
            if info.get("privacy_level") not in self.privacy_options:
                return self.answer({}, 400, "privacy_level_option_mismatch",
                                   "privacy_level is not one of the creator's options")
            for flag in ("brand_content_toggle", "brand_organic_toggle", "is_aigc"):
                if flag in info and not isinstance(info[flag], bool):
                    self.violation(request, f"post_info.{flag} must be a boolean")
            if info.get("brand_content_toggle") and info.get("privacy_level") == "SELF_ONLY":
                return self.answer({}, 400, "invalid_params",
                                   "Branded content cannot be posted as private (SELF_ONLY)")
        elif "post_info" in body and not photo:
            self.violation(request, "inbox uploads take source_info only")
        if kind == QUOTA_EXHAUSTED:
            return self.answer({}, 403, "spam_risk_too_many_posts",
                               "The daily post cap from the API is reached for this creator")
        if kind == REJECTED_MEDIA:
            return self.answer({}, 403, "url_ownership_unverified",
                               "The domain of the media URL is not verified")
        number = self.next_number()
        publish_id = f"{'p' if photo else 'v'}_pub_url~v2-1.{7400000000000000000 + number}"
        final = "SEND_TO_USER_INBOX" if inbox else "PUBLISH_COMPLETE"
        if kind == PUBLISH_FAILED:
            final = "FAILED"
        self.posts.append({
            "publish_id": publish_id, "video_id": str(7300000000000000000 + number),
            "mode": "inbox" if inbox else "direct", "photo": photo,
            "title": info.get("title", ""), "description": info.get("description", ""),
            "text": info.get("description") if photo else info.get("title"),
            "privacy": info.get("privacy_level"), "media": media, "created": self.now(),
            "branded": bool(info.get("brand_content_toggle")),
            "own_brand": bool(info.get("brand_organic_toggle")),
            "aigc": bool(info.get("is_aigc")),
            "final": final, "fail_reason": (fault.options.get("reason", "video_pull_failed")
                                            if fault else ""),
            "reads_left": self.processing_reads})
        return self.answer({"publish_id": publish_id})

    def _status(self, request: Recorded, body: dict[str, Any]) -> Reply:
        post = next((p for p in self.posts if p["publish_id"] == body.get("publish_id")), None)
        if post is None:
            self.violation(request, "unknown publish_id")
            return self.answer({}, 400, "invalid_params", "publish_id not found")
        if post["reads_left"] > 0:
            post["reads_left"] -= 1
            return self.answer({"status": "PROCESSING_DOWNLOAD", "uploaded_bytes": 0,
                                "downloaded_bytes": 1024})
        data: dict[str, Any] = {"status": post["final"]}
        if post["final"] == "FAILED":
            data["fail_reason"] = post["fail_reason"]
        if post["final"] == "PUBLISH_COMPLETE":
            public = post["privacy"] != "SELF_ONLY"
            data["publicaly_available_post_id"] = [int(post["video_id"])] if public else []
        return self.answer(data)

    def _find(self, request: Recorded, body: dict[str, Any]) -> Reply:
        fields = request.query.get("fields", "")
        if "id" not in fields.split(","):
            self.violation(request, "the video list needs ?fields=")
        count = int(body.get("max_count", 20))
        if not 1 <= count <= 20:
            self.violation(request, "max_count must be 1 to 20")
        start = int(body.get("cursor") or 0)
        listed = [p for p in newest_first(self.posts) if p["final"] == "PUBLISH_COMPLETE"
                  and p["mode"] == "direct"]
        page = listed[start:start + count]
        videos = [{"id": p["video_id"], "title": (p["title"] or "")[:150],
                   "video_description": (p["description"] or p["title"] or "")[:150],
                   "create_time": int(p["created"]),
                   "share_url": f"https://www.tiktok.com/@{self.username}/video/{p['video_id']}"}
                  for p in page]
        return self.answer({"videos": videos, "cursor": start + len(page),
                            "has_more": start + count < len(listed)})

    def _query(self, request: Recorded, body: dict[str, Any]) -> Reply:
        fields = request.query.get("fields", "").split(",")
        ids = (body.get("filters") or {}).get("video_ids") or []
        if "id" not in fields or not 1 <= len(ids) <= 20:
            self.violation(request, "video query needs ?fields=id,... and 1 to 20 video_ids")
        counts = {"view_count": "views", "like_count": "likes", "comment_count": "comments",
                  "share_count": "shares"}
        videos = []
        for post in (p for p in self.posts if p["video_id"] in ids
                     and p["final"] == "PUBLISH_COMPLETE"):
            numbers = self.insights_of(post)
            video: dict[str, Any] = {"id": post["video_id"]}
            video.update({field: numbers[counts[field]] for field in fields if field in counts})
            videos.append(video)
        return self.answer({"videos": videos, "cursor": 0, "has_more": False})

    def insights_of(self, post: dict[str, Any]) -> dict[str, int]:
        return post_insights(post["video_id"], float(post["created"]), self.now())

    def seed_post(self, title: str, *, age: timedelta = timedelta(0)) -> dict[str, Any]:
        number = self.next_number()
        post = {"publish_id": f"v_pub_url~seed.{number}",
                "video_id": str(7200000000000000000 + number), "mode": "direct",
                "photo": False, "title": title, "description": "", "text": title,
                "privacy": "PUBLIC_TO_EVERYONE", "media": [],
                "created": self.now() - age.total_seconds(), "final": "PUBLISH_COMPLETE",
                "fail_reason": "", "reads_left": 0}
        self.posts.append(post)
        return post


class TikTokBusiness:
    """The API for Business comment endpoints of the local TikTok account."""

    PREFIX = "/open_api/v1.3/business/"
    ROUTES = {"comment/list/": ("GET", "comments"), "comment/reply/list/": ("GET", "comments"),
              "video/list/": ("GET", "business_videos"),
              "comment/reply/create/": ("POST", "reply")}

    def __init__(self, server: LocalTikTok) -> None:
        self.server = server
        self.comments: list[dict[str, Any]] = []

    @staticmethod
    def error(code: int, message: str, status: int = 200) -> Reply:
        return Reply(status, {"code": code, "message": message,
                              "request_id": "2026120109000012345678", "data": {}})

    @staticmethod
    def ok(data: Any) -> Reply:
        return Reply(200, {"code": 0, "message": "OK", "request_id": "2026120109000012345678",
                           "data": data})

    def fault_reply(self, fault: Fault) -> Reply:
        if fault.kind == RATE_LIMIT:
            return self.error(40100, "Too many requests. Please retry in some time.")
        if fault.kind == EXPIRED_TOKEN:
            return self.error(40105, "Access token is incorrect or has been revoked.")
        if fault.kind == UNAVAILABLE:
            return self.error(50002, "Service unavailable.", 503)
        return self.error(50000, "Internal error. Please try again later.")

    def comment(self, video_id: str, text: str, *, author: str = "nadya.kirana",
                name: str = "", parent: str = "", age: timedelta = timedelta(0),
                owner: bool = False) -> dict[str, Any]:
        comment = {"comment_id": str(7452000000000000000 + self.server.next_number()),
                   "video_id": video_id, "parent": parent, "text": text,
                   "username": self.server.username if owner else author,
                   "display_name": "Bank Nusa" if owner else name or author.title(),
                   "owner": owner, "create_time": int(self.server.now() - age.total_seconds())}
        self.comments.append(comment)
        return comment

    def route(self, request: Recorded) -> str:
        method, route = self.ROUTES.get(request.path.removeprefix(self.PREFIX), ("", ""))
        return route if route and method == request.method else "unknown"

    def _videos(self) -> list[dict[str, Any]]:
        return [p for p in newest_first(self.server.posts)
                if p["final"] == "PUBLISH_COMPLETE" and p["mode"] == "direct"]

    def handle(self, request: Recorded, route: str) -> Reply:
        if route == "unknown":
            return self.server.unknown_endpoint(request)
        params = request.json if route == "reply" else request.query
        params = params if isinstance(params, dict) else {}
        if params.get("business_id") != self.server.open_id:
            self.server.violation(request, "business_id must be the account's open_id")
            return self.error(40001, "business_id is invalid.")
        if route == "business_videos":
            return self._video_list(request)
        video = str(params.get("video_id") or "")
        if not any(p["video_id"] == video for p in self._videos()):
            return self.error(40002, f"video_id {video} is not a video of this account.")
        if route == "reply":
            return self._reply(request, params, video)
        return self._list(request, video)

    def element(self, comment: dict[str, Any]) -> dict[str, Any]:
        return {"comment_id": comment["comment_id"], "video_id": comment["video_id"],
                "user_id": f"u{comment['username']}",
                "unique_identifier": f"uid.{comment['username']}",
                "create_time": comment["create_time"], "text": comment["text"],
                "likes": 0, "replies": sum(1 for c in self.comments
                                           if c["parent"] == comment["comment_id"]),
                "owner": comment["owner"], "liked": False, "pinned": False,
                "status": "PUBLIC", "username": comment["username"],
                "display_name": comment["display_name"],
                "profile_image": "https://p16.tiktokcdn.example/avatar.jpeg",
                "parent_comment_id": comment["parent"] or comment["video_id"]}

    def _list(self, request: Recorded, video: str) -> Reply:
        query = request.query
        count, cursor = int(query.get("max_count", 20)), int(query.get("cursor", 0))
        if not 1 <= count <= 30:
            self.server.violation(request, "max_count must be 1 to 30")
        parent = query.get("comment_id", "") if request.path.endswith("/reply/list/") else ""
        if request.path.endswith("/reply/list/") and not parent:
            self.server.violation(request, "the reply list needs comment_id")
        listed = [c for c in self.comments if c["video_id"] == video and c["parent"] == parent]
        if "comment_ids" in query:
            wanted = json.loads(query["comment_ids"])
            listed = [c for c in self.comments if c["video_id"] == video
                      and c["comment_id"] in wanted]
        descending = query.get("sort_order", "desc") == "desc"
        listed.sort(key=lambda c: (c["create_time"], c["comment_id"]), reverse=descending)
        page = listed[cursor:cursor + count]
        return self.ok({"comments": [self.element(c) for c in page],
                        "cursor": cursor + len(page), "has_more": cursor + count < len(listed)})

    def _video_list(self, request: Recorded) -> Reply:
        count, cursor = int(request.query.get("max_count", 20)), int(
            request.query.get("cursor") or 0)
        if not 1 <= count <= 20:
            self.server.violation(request, "max_count must be 1 to 20")
        listed = self._videos()
        page = listed[cursor:cursor + count]
        return self.ok({"videos": [{"item_id": p["video_id"], "create_time": int(p["created"])}
                                   for p in page],
                        "cursor": cursor + len(page), "has_more": cursor + count < len(listed)})

    def _reply(self, request: Recorded, body: dict[str, Any], video: str) -> Reply:
        if not request.headers.get("content-type", "").startswith("application/json"):
            self.server.violation(request, "Content-Type: application/json")
        text = body.get("text")
        if not isinstance(text, str) or not text:
            self.server.violation(request, "text is required")
            return self.error(40002, "text is required.")
        if len(text) > 150:
            return self.error(40002, "text must be at most 150 characters.")
        parent = next((c for c in self.comments if c["comment_id"] == body.get("comment_id")
                       and c["video_id"] == video), None)
        if parent is None:
            return self.error(40002, "comment_id is not a comment of this video.")
        if parent["parent"]:
            parent = next(c for c in self.comments if c["comment_id"] == parent["parent"])
        created = self.comment(video, text, parent=parent["comment_id"], owner=True)
        return self.ok(self.element(created))
