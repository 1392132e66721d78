"""A local TikTok Content Posting API (creator info, direct and inbox video, photo posts,
publish status) and the Display API's video list, video query (counts) and user info
(follower_count).

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from socmed_adapters.platforms.local.common import (
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
from socmed_domain.platforms import Platform


class LocalTikTok(LocalPlatformServer):
    """TikTok's Content Posting API and the Display API's video list."""

    platform = Platform.TIKTOK
    username = "banknusa"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.privacy_options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
        self.processing_reads = 0  # status reads that still say PROCESSING_DOWNLOAD
        self._creator_queried = False

    def route(self, request: Recorded) -> str:
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
        message = ("The access token has expired." if expired
                   else "The access token is invalid or not found in the request.")
        return self.answer({}, 401, "access_token_invalid", message)

    def fault_reply(self, fault: Fault) -> Reply:
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
        if route == "account":
            if "follower_count" not in request.query.get("fields", "").split(","):
                self.violation(request, "user info needs ?fields=follower_count")
            return self.answer({"user": {"follower_count": self.followers()}})
        if not request.headers.get("content-type", "").startswith("application/json"):
            self.violation(request, "Content-Type: application/json; charset=UTF-8")
        body = request.json if isinstance(request.json, dict) else {}
        if route == "creator_info":
            self._creator_queried = True
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
        self._creator_queried = False
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
