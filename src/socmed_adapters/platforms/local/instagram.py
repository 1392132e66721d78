"""A local Instagram Graph API: content publishing limit, containers (image, REELS,
carousel), container status, media_publish, permalinks and the media listing, and the reads
of insights: /{ig-media-id}/insights and /{ig-user-id}?fields=followers_count.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from socmed_adapters.platforms.local.common import (
    CONTAINER_ERROR,
    CONTAINER_EXPIRED,
    QUOTA_EXHAUSTED,
    REJECTED_MEDIA,
    Fault,
    Recorded,
    Reply,
    is_url,
    newest_first,
)
from socmed_adapters.platforms.local.graph import LocalGraphServer
from socmed_domain.platforms import Platform

#: The media metrics this server answers, and which of its numbers each one is.
MEDIA_METRICS = {"reach": "reach", "likes": "likes", "comments": "comments",
                 "shares": "shares", "saved": "saves", "views": "views",
                 "total_interactions": "likes"}


class LocalInstagram(LocalGraphServer):
    """Instagram's container flow: /media, /{container}?fields=status_code, /media_publish."""

    platform = Platform.INSTAGRAM
    user_id = "17841400000000001"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.containers: dict[str, dict[str, Any]] = {}
        self.quota_total = 100
        self.processing_reads = 0  # status reads that still say IN_PROGRESS

    def route(self, request: Recorded) -> str:
        parts = self.segments(request)
        if parts == [self.user_id, "content_publishing_limit"] and request.method == "GET":
            return "limit"
        if parts == [self.user_id, "media"]:
            return "container" if request.method == "POST" else "find"
        if parts == [self.user_id, "media_publish"] and request.method == "POST":
            return "publish"
        if len(parts) == 2 and parts[1] == "insights" and request.method == "GET":
            return "insights"
        if parts == [self.user_id] and request.method == "GET":
            return "account"
        if len(parts) == 1 and request.method == "GET":
            return "status" if parts[0] in self.containers else "permalink"
        return "unknown"

    def published_today(self) -> int:
        return sum(1 for p in self.posts if p["created"] > self.now() - 86400)

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        kind = fault.kind if fault else ""
        if route == "limit":
            if "quota_usage" not in request.query.get("fields", ""):
                self.violation(request, "fields must ask for quota_usage")
            return Reply(200, {"data": [{"quota_usage": self.published_today(), "config": {
                "quota_total": self.quota_total, "quota_duration": 86400}}]})
        if route == "container":
            return self._container(request, kind)
        if route == "status":
            return self._status(request)
        if route == "publish":
            return self._publish(request, kind)
        if route == "permalink":
            return self._permalink(request)
        if route == "insights":
            return self._insights(request)
        if route == "account":
            if "followers_count" not in request.query.get("fields", ""):
                self.violation(request, "fields must ask for followers_count")
            return Reply(200, {"followers_count": self.followers(), "id": self.user_id})
        if route == "find":
            items = newest_first(self.posts)
            return self.page_of(request, items, lambda p: {
                "id": p["id"], "caption": p["text"], "media_type": p["media_type"],
                "permalink": p["permalink"], "timestamp": self.graph_time(p["created"])})
        return self.unknown_endpoint(request)

    def _container(self, request: Recorded, kind: str) -> Reply:
        form = request.form
        if kind == REJECTED_MEDIA:
            return self.error(400, 9004, "The media could not be fetched from this uri", 2207052,
                              error_user_title="Media download has failed")
        media_type = form.get("media_type")
        child = form.get("is_carousel_item") == "true"
        if media_type == "CAROUSEL":
            children = form.get("children", "").split(",")
            if not 2 <= len(children) <= 10:
                self.violation(request, "a carousel has 2 to 10 children")
            for child_id in children:
                info = self.containers.get(child_id)
                if info is None or not info["child"] or info["final"] != "FINISHED":
                    self.violation(request, f"child {child_id} is not a finished carousel item")
        elif media_type in ("REELS", "VIDEO"):
            if not is_url(form.get("video_url")):
                self.violation(request, "video containers need a video_url")
            if media_type == "VIDEO" and not child:
                self.violation(request, "VIDEO is only for carousel items; single videos are "
                               "REELS")
        elif media_type is None:
            if not is_url(form.get("image_url")):
                self.violation(request, "image containers need an image_url")
        else:
            self.violation(request, f"unexpected media_type {media_type}")
        if child and "caption" in form:
            self.violation(request, "carousel items take no caption")
        container_id = f"1789{self.next_number():011d}"
        final = {CONTAINER_ERROR: "ERROR", CONTAINER_EXPIRED: "EXPIRED"}.get(kind, "FINISHED")
        self.containers[container_id] = {
            "fields": dict(form), "child": child, "final": final, "published": False,
            "reads_left": self.processing_reads}
        return Reply(200, {"id": container_id})

    def _status(self, request: Recorded) -> Reply:
        if "status_code" not in request.query.get("fields", ""):
            self.violation(request, "fields must ask for status_code")
        container_id = request.path.rsplit("/", 1)[-1]
        info = self.containers[container_id]
        if info["reads_left"] > 0:
            info["reads_left"] -= 1
            code = "IN_PROGRESS"
        else:
            code = "PUBLISHED" if info["published"] else info["final"]
        body = {"status_code": code, "id": container_id}
        if code == "ERROR":
            body["status"] = "Error: 2207026 unsupported video format"
        return Reply(200, body)

    def _publish(self, request: Recorded, kind: str) -> Reply:
        container_id = request.form.get("creation_id", "")
        info = self.containers.get(container_id)
        if info is None or info["child"]:
            self.violation(request, f"creation_id {container_id!r} is not a publishable "
                           "container")
            return self.error(400, 100, "Invalid parameter")
        if info["published"]:
            self.violation(request, f"container {container_id} was published already")
            return self.error(400, 9007, "Media ID is not available", 2207027)
        if info["reads_left"] > 0 or info["final"] != "FINISHED":
            self.violation(request, "published a container that is not FINISHED")
            return self.error(400, 9007, "The media is not ready for publishing", 2207027)
        if kind == QUOTA_EXHAUSTED or self.published_today() >= self.quota_total:
            return self.error(400, 9, "Application request limit reached", 2207042,
                              error_user_msg="You reached maximum number of posts that is "
                              "allowed to be published by Content Publishing API.")
        fields = info["fields"]
        media_type = {"CAROUSEL": "CAROUSEL_ALBUM", "REELS": "VIDEO"}.get(
            fields.get("media_type", ""), "IMAGE")
        media_id = f"1790{self.next_number():011d}"
        info["published"] = True
        self.posts.append({"id": media_id, "text": fields.get("caption"),
                           "media_type": media_type, "container": container_id,
                           "permalink": f"https://www.instagram.com/p/Fake{media_id[-6:]}/",
                           "created": self.now()})
        return Reply(200, {"id": media_id})

    def _permalink(self, request: Recorded) -> Reply:
        media_id = request.path.rsplit("/", 1)[-1]
        post = next((p for p in self.posts if p["id"] == media_id), None)
        if post is None:
            return self.error(400, 100, "Unsupported get request. Object does not exist", 33)
        return Reply(200, {"permalink": post["permalink"], "id": media_id,
                           "timestamp": self.graph_time(post["created"])})

    def _insights(self, request: Recorded) -> Reply:
        """Lifetime values in the documented `data` shape; unknown metrics are refused as the
        Graph API does (#100), deprecated ones included."""
        media_id = self.segments(request)[0]
        post = next((p for p in self.posts if p["id"] == media_id), None)
        if post is None:
            return self.error(400, 100, "Unsupported get request. Object with ID "
                              f"'{media_id}' does not exist", 33)
        names = [m for m in request.query.get("metric", "").split(",") if m]
        unknown = [m for m in names if m not in MEDIA_METRICS]
        if not names or unknown:
            self.violation(request, f"metric must list media metrics (unknown: {unknown})")
            return self.error(400, 100, "(#100) metric[0] must be one of the following "
                              f"values: {', '.join(MEDIA_METRICS)}")
        numbers = self.insights_of(post)
        return Reply(200, {"data": [{
            "name": name, "period": "lifetime",
            "values": [{"value": numbers[MEDIA_METRICS[name]]}],
            "title": name.title(), "id": f"{media_id}/insights/{name}/lifetime"}
            for name in names]})

    def seed_post(self, caption: str, *, age: timedelta = timedelta(0),
                  media_type: str = "IMAGE") -> dict[str, Any]:
        post = {"id": f"1790{self.next_number():011d}", "text": caption,
                "media_type": media_type, "container": "",
                "permalink": "https://www.instagram.com/p/Seeded/",
                "created": self.now() - age.total_seconds()}
        self.posts.append(post)
        return post
