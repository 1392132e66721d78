"""A local X API v2: /2/tweets, simple and chunked media upload with its STATUS step,
/2/users/me and the user's posts, with X's text rewriting (entities, t.co links), and the
reads of metrics: GET /2/tweets?ids= (public and non-public metrics) and /2/users/{id}.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

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

URL_IN_TEXT = re.compile(r"https?://\S+")


class LocalX(LocalPlatformServer):
    """X API v2: /2/tweets, /2/media/upload (simple and chunked), users/me, user tweets."""

    platform = Platform.X
    user_id = "1580661436132757506"
    username = "banknusa"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.media: dict[str, dict[str, Any]] = {}
        self.processing_reads = 0

    def route(self, request: Recorded) -> str:
        path, method = request.path, request.method
        if path == "/2/tweets" and method == "POST":
            return "publish"
        if path in ("/2/media/upload", "/2/media/upload/initialize") and method == "POST":
            return "media_upload"
        if re.fullmatch(r"/2/media/upload/\d+/append", path):
            return "media_append"
        if re.fullmatch(r"/2/media/upload/\d+/finalize", path):
            return "media_finalize"
        if path == "/2/media/upload" and method == "GET":
            return "media_status"
        if path == "/2/users/me":
            return "me"
        if path == "/2/tweets" and method == "GET":
            return "insights"
        if re.fullmatch(r"/2/users/\d+", path) and method == "GET":
            return "account"
        if re.fullmatch(r"/2/users/\d+/tweets", path) and method == "GET":
            return "find"
        return "unknown"

    @staticmethod
    def problem(status: int, title: str, detail: str, **extra: Any) -> Reply:
        return Reply(status, {"title": title, "detail": detail, "type": "about:blank",
                              "status": status, **extra})

    def auth_error(self, expired: bool) -> Reply:
        return self.problem(401, "Unauthorized", "Unauthorized")

    def fault_reply(self, fault: Fault) -> Reply:
        if fault.kind == RATE_LIMIT:
            reset = int(time.time()) + int(fault.options.get("reset_in", 2))
            reply = self.problem(429, "Too Many Requests", "Too Many Requests")
            reply.headers.update({"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0",
                                  "x-rate-limit-reset": str(reset)})
            return reply
        if fault.kind == UNAVAILABLE:
            return self.problem(503, "Service Unavailable", "Service Unavailable")
        if fault.kind == EXPIRED_TOKEN:
            return self.auth_error(expired=True)
        return self.problem(500, "Internal Server Error", "Internal Server Error")

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        kind = fault.kind if fault else ""
        if route == "publish":
            return self._publish(request, kind)
        if route == "media_upload":
            return self._upload(request, kind)
        if route == "media_append":
            media = self.media.get(request.path.split("/")[4])
            index = int(request.form.get("segment_index", -1))
            if media is None or "media" not in request.files or index != media["segments"]:
                self.violation(request, "append needs the media part and the next "
                               "segment_index")
                return self.problem(400, "Invalid Request", "bad append")
            media["segments"] += 1
            media["bytes"] += request.files["media"][1]
            return Reply(200, {"data": {"expires_at": int(time.time()) + 86400}})
        if route == "media_finalize":
            media_id = request.path.split("/")[4]
            media = self.media.get(media_id)
            if media is None or len(media["bytes"]) != media["total"]:
                self.violation(request, "finalize before every byte was appended")
                return self.problem(400, "Invalid Request", "incomplete upload")
            media["state"] = "failed" if kind == REJECTED_MEDIA else "pending"
            media["reads_left"] = self.processing_reads
            return Reply(200, {"data": {"id": media_id, "media_key": f"7_{media_id}",
                                        "size": media["total"], "expires_after_secs": 86400,
                                        "processing_info": {"state": "pending",
                                                            "check_after_secs": 1}}})
        if route == "media_status":
            return self._media_status(request)
        if route == "me":
            return Reply(200, {"data": {"id": self.user_id, "name": "Bank Nusa",
                                        "username": self.username}})
        if route == "find":
            return self._find(request)
        if route == "insights":
            return self._metrics(request)
        if route == "account":
            if request.path.rsplit("/", 1)[-1] != self.user_id:
                return self.problem(404, "Not Found Error", "Could not find user")
            if "public_metrics" not in request.query.get("user.fields", ""):
                self.violation(request, "user.fields must ask for public_metrics")
            return Reply(200, {"data": {"id": self.user_id, "name": "Bank Nusa",
                                        "username": self.username, "public_metrics": {
                                            "followers_count": self.followers(),
                                            "following_count": 120,
                                            "tweet_count": len(self.posts),
                                            "listed_count": 3}}})
        return self.unknown_endpoint(request)

    def _upload(self, request: Recorded, kind: str) -> Reply:
        media_id = str(1880028106020515840 + self.next_number())
        if request.path.endswith("/initialize"):
            body = request.json or {}
            if body.get("media_category") != "tweet_video" or not body.get("total_bytes"):
                self.violation(request, "initialize needs media_type, total_bytes and "
                               "media_category tweet_video")
            self.media[media_id] = {"kind": "video", "total": int(body.get("total_bytes", 0)),
                                    "bytes": b"", "segments": 0, "state": "uploading"}
            return Reply(200, {"data": {"id": media_id, "media_key": f"7_{media_id}",
                                        "expires_after_secs": 86400}})
        if "media" not in request.files or request.form.get("media_category") != "tweet_image":
            self.violation(request, "image uploads are multipart with media and "
                           "media_category=tweet_image")
        if kind == REJECTED_MEDIA:
            return Reply(400, {"errors": [{"message": "media type unrecognized."}],
                               "title": "Invalid Request", "detail": "One or more parameters "
                               "to your request was invalid.",
                               "type": "https://api.twitter.com/2/problems/invalid-request"})
        content = request.files.get("media", ("", b""))[1]
        self.media[media_id] = {"kind": "image", "total": len(content), "bytes": content,
                                "segments": 1, "state": "succeeded"}
        return Reply(200, {"data": {"id": media_id, "media_key": f"3_{media_id}",
                                    "size": len(content), "expires_after_secs": 86400,
                                    "image": {"image_type": "image/jpeg", "w": 1, "h": 1}}})

    def _media_status(self, request: Recorded) -> Reply:
        media = self.media.get(request.query.get("media_id", ""))
        if request.query.get("command") != "STATUS" or media is None:
            self.violation(request, "STATUS needs command=STATUS and a known media_id")
            return self.problem(400, "Invalid Request", "bad status request")
        if media["state"] == "failed":
            info: dict[str, Any] = {"state": "failed", "progress_percent": 100, "error": {
                "code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}}
        elif media["reads_left"] > 0:
            media["reads_left"] -= 1
            info = {"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
        else:
            media["state"] = "succeeded"
            info = {"state": "succeeded", "progress_percent": 100}
        return Reply(200, {"data": {"id": request.query["media_id"], "processing_info": info}})

    def _publish(self, request: Recorded, kind: str) -> Reply:
        body = request.json or {}
        text = body.get("text")
        media_ids = (body.get("media") or {}).get("media_ids") or []
        if not isinstance(text, str) and not media_ids:
            self.violation(request, "a post needs text or media")
        if len(media_ids) > 4:
            self.violation(request, "at most 4 media")
        for media_id in media_ids:
            media = self.media.get(media_id)
            if media is None or media["state"] != "succeeded":
                return Reply(400, {"errors": [{"parameters": {"media.media_ids": [media_id]},
                                               "message": "Your media IDs are invalid."}],
                                   "title": "Invalid Request", "detail": "One or more "
                                   "parameters to your request was invalid.",
                                   "type": "https://api.twitter.com/2/problems/invalid-request"})
        repeated = self.refuse_duplicates and any(p["source_text"] == text for p in self.posts)
        if kind == DUPLICATE or repeated:
            return self.problem(403, "Forbidden", "You are not allowed to create a Tweet with "
                                "duplicate content.")
        post_id = str(1870000000000000000 + self.next_number())
        rendered = self._render(text or "", bool(media_ids))
        self.posts.append({"id": post_id, "source_text": text, "text": rendered,
                           "media_keys": [f"3_{m}" for m in media_ids], "created": self.now()})
        return Reply(201, {"data": {"id": post_id, "text": rendered,
                                    "edit_history_tweet_ids": [post_id]}})

    def _render(self, text: str, has_media: bool) -> str:
        """Text as X stores it: entities escaped, links shortened, a media link appended."""
        escaped = html.escape(text, quote=False)
        rendered = URL_IN_TEXT.sub(lambda _: f"https://t.co/{self.next_number():010d}", escaped)
        return f"{rendered} https://t.co/m{self.next_number():09d}" if has_media else rendered

    def _find(self, request: Recorded) -> Reply:
        if request.path.split("/")[3] != self.user_id:
            self.violation(request, "not this account's id")
        query = request.query
        count = int(query.get("max_results", 10))
        if not 5 <= count <= 100:
            self.violation(request, "max_results must be 5 to 100")
        since = datetime.fromisoformat(query["start_time"].replace("Z", "+00:00")).timestamp() \
            if "start_time" in query else 0.0
        start = int(query.get("pagination_token", "0"))
        listed = [p for p in newest_first(self.posts) if p["created"] >= since]
        page = listed[start:start + count]
        if not page:
            return Reply(200, {"meta": {"result_count": 0}})
        data = []
        for post in page:
            item: dict[str, Any] = {
                "id": post["id"], "text": post["text"], "edit_history_tweet_ids": [post["id"]],
                "created_at": datetime.fromtimestamp(post["created"], UTC).strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z")}
            if post["media_keys"]:
                item["attachments"] = {"media_keys": post["media_keys"]}
            data.append(item)
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0]["id"],
                                "oldest_id": page[-1]["id"]}
        if start + count < len(listed):
            meta["next_token"] = str(start + count)
        return Reply(200, {"data": data, "meta": meta})

    def _metrics(self, request: Recorded) -> Reply:
        """Posts by id with their metrics; non-public metrics only for posts of the last 30
        days (X refuses the whole request otherwise), unknown ids as errors."""
        ids = [i for i in request.query.get("ids", "").split(",") if i]
        fields = request.query.get("tweet.fields", "").split(",")
        if not 1 <= len(ids) <= 100:
            self.violation(request, "ids must list 1 to 100 posts")
        data, errors = [], []
        for post_id in ids:
            post = next((p for p in self.posts if p["id"] == post_id), None)
            if post is None:
                errors.append({"value": post_id, "detail": f"Could not find tweet with ids: "
                               f"[{post_id}].", "title": "Not Found Error",
                               "resource_type": "tweet", "parameter": "ids",
                               "resource_id": post_id,
                               "type": "https://api.twitter.com/2/problems/resource-not-found"})
                continue
            if "non_public_metrics" in fields and self.now() - post["created"] > 30 * 86400:
                return self.problem(400, "Invalid Request", "Sorry, you are not authorized to "
                                    "access non_public_metrics on Tweets older than 30 days")
            n = self.insights_of(post)
            item: dict[str, Any] = {"id": post_id, "text": post["text"],
                                    "edit_history_tweet_ids": [post_id]}
            if "public_metrics" in fields:
                item["public_metrics"] = {
                    "retweet_count": n["shares"], "reply_count": n["comments"],
                    "like_count": n["likes"], "quote_count": n["shares"] // 3,
                    "bookmark_count": n["saves"], "impression_count": n["impressions"]}
            if "non_public_metrics" in fields:
                item["non_public_metrics"] = {
                    "impression_count": n["impressions"], "url_link_clicks": n["clicks"],
                    "user_profile_clicks": n["clicks"] // 4}
            data.append(item)
        body: dict[str, Any] = {"data": data} if data else {}
        if errors:
            body["errors"] = errors
        return Reply(200, body)

    def seed_post(self, text: str, *, age: timedelta = timedelta(0)) -> dict[str, Any]:
        post = {"id": str(1860000000000000000 + self.next_number()), "source_text": text,
                "text": self._render(text, False), "media_keys": [],
                "created": self.now() - age.total_seconds()}
        self.posts.append(post)
        return post
