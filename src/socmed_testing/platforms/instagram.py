"""A local Instagram Graph API: content publishing limit, containers (image, REELS,
carousel), container status, media_publish, permalinks and the media listing, and the reads
of insights: /{ig-media-id}/insights and /{ig-user-id}?fields=followers_count.

The inbox: comments on our media with their replies (/{ig-media-id}/comments,
/{ig-comment-id}/replies, GET and POST), media we are tagged in (/{ig-user-id}/tags) and the
replies to caption and comment @mentions (GET /{ig-user-id}?fields=mentioned_media... and
mentioned_comment..., POST /{ig-user-id}/mentions), and direct messages through the
conversations and Send API (`graph`). Seed them with `seed_comment`, `seed_tag`,
`seed_comment_mention` and `seed_dm`.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import re
import zlib
from datetime import timedelta
from typing import Any

from socmed_domain.platforms import Platform
from socmed_testing.platforms.common import (
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
from socmed_testing.platforms.graph import LocalGraphServer

INBOX_ROUTES = frozenset({"comments", "replies", "reply", "messages", "conversations", "send",
                          "tags", "mention"})
#: The media metrics this server answers, and which of its numbers each one is.
MEDIA_METRICS = {"reach": "reach", "likes": "likes", "comments": "comments",
                 "shares": "shares", "saved": "saves", "views": "views",
                 "total_interactions": "likes"}


class LocalInstagram(LocalGraphServer):
    """Instagram's container flow: /media, /{container}?fields=status_code, /media_publish."""

    platform = Platform.INSTAGRAM
    user_id = "17841400000000001"
    messaging_platform = "instagram"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.containers: dict[str, dict[str, Any]] = {}
        self.quota_total = 100
        self.processing_reads = 0  # status reads that still say IN_PROGRESS
        self.comments: list[dict[str, Any]] = []
        self.tagged: list[dict[str, Any]] = []  # others' media we are tagged or mentioned in
        self.mentioning: list[dict[str, Any]] = []  # comments on others' media that @mention us

    @property
    def own_id(self) -> str:
        return self.user_id

    def route(self, request: Recorded) -> str:
        parts = self.segments(request)
        inbox = self._inbox_route(parts, request.method)
        if inbox:
            return inbox
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

    def _inbox_route(self, parts: list[str], method: str) -> str:
        if len(parts) != 2:
            return ""
        owner, edge = parts[0] in (self.user_id, "me"), parts[1]
        routes = {("comments", "GET"): "comments", ("replies", "GET"): "replies",
                  ("replies", "POST"): "reply", ("messages", "GET"): "messages"}
        if owner:
            routes.update({("conversations", "GET"): "conversations",
                           ("messages", "POST"): "send", ("tags", "GET"): "tags",
                           ("mentions", "POST"): "mention"})
        return routes.get((edge, method), "")

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
            if request.query.get("fields", "").startswith("mentioned_"):
                return self._mentioned(request)
            if "followers_count" not in request.query.get("fields", ""):
                self.violation(request, "fields must ask for followers_count")
            return Reply(200, {"followers_count": self.followers(), "id": self.user_id})
        if route in INBOX_ROUTES:
            return self._inbox(request, route)
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
                  media_type: str = "IMAGE", media_id: str = "") -> dict[str, Any]:
        post = {"id": media_id or f"1790{self.next_number():011d}", "text": caption,
                "media_type": media_type, "container": "",
                "permalink": "https://www.instagram.com/p/Seeded/",
                "created": self.now() - age.total_seconds()}
        self.posts.append(post)
        return post

    # ------------------------------------------------------------------ the inbox

    def seed_comment(self, media_id: str, text: str, *, author: str = "dinda.rahma",
                     author_id: str = "", age: timedelta = timedelta(0), parent: str = "",
                     comment_id: str = "", ours: bool = False) -> dict[str, Any]:
        """A comment on `media_id` (a reply when `parent` is a top-level comment's id)."""
        if ours:
            author, author_id = self.own_name, self.user_id
        comment = {"id": comment_id or f"178{self.next_number():014d}", "media_id": media_id,
                   "parent": parent, "text": text, "username": author,
                   "from": {"id": author_id or f"55{zlib.crc32(author.encode()) % 10**8:08d}",
                            "username": author},
                   "created": self.now() - age.total_seconds()}
        self.comments.append(comment)
        return comment

    def seed_tag(self, caption: str, *, author: str = "agus.salim",
                 age: timedelta = timedelta(0), media_id: str = "",
                 mentions_caption: bool = True) -> dict[str, Any]:
        """Someone's media that tags us (and @mentions us in its caption, by default)."""
        media = {"id": media_id or f"180{self.next_number():014d}", "caption": caption,
                 "username": author, "created": self.now() - age.total_seconds(),
                 "mentions_caption": mentions_caption,
                 "permalink": "https://www.instagram.com/p/Tagged/"}
        self.tagged.append(media)
        return media

    def seed_comment_mention(self, text: str, *, media_id: str = "", comment_id: str = "",
                             age: timedelta = timedelta(0)) -> dict[str, Any]:
        """A comment on someone else's media that @mentions us (a webhook gives its ids)."""
        comment = {"id": comment_id or f"179{self.next_number():014d}", "text": text,
                   "media_id": media_id or f"180{self.next_number():014d}",
                   "created": self.now() - age.total_seconds()}
        self.mentioning.append(comment)
        return comment

    def _mentioned(self, request: Recorded) -> Reply:
        """GET /{ig-user-id}?fields=mentioned_media.media_id(..){..} or
        mentioned_comment.comment_id(..){..}: one mention by the id a webhook gave."""
        match = re.fullmatch(r"mentioned_(media|comment)\.(\w+)\(([^)]*)\)(\{.*\})?",
                             request.query.get("fields", ""))
        if match is None or match[2] != f"{match[1]}_id":
            self.violation(request, "fields must be mentioned_media.media_id(<id>){...} or "
                           "mentioned_comment.comment_id(<id>){...}")
            return self.error(400, 100, "(#100) Invalid parameter")
        wanted = match[3]
        if match[1] == "media":
            media = next((m for m in self.tagged if m["id"] == wanted
                          and m["mentions_caption"]), None)
            if media is None:
                return self.gone(wanted)
            return Reply(200, {"id": self.user_id, "mentioned_media": {
                "id": media["id"], "caption": media["caption"], "username": media["username"],
                "timestamp": self.graph_time(media["created"])}})
        comment = next((c for c in self.mentioning if c["id"] == wanted), None)
        if comment is None:
            return self.gone(wanted)
        return Reply(200, {"id": self.user_id, "mentioned_comment": {
            "id": comment["id"], "text": comment["text"], "media": {"id": comment["media_id"]},
            "timestamp": self.graph_time(comment["created"])}})

    def _render_comment(self, comment: dict[str, Any]) -> dict[str, Any]:
        return {"id": comment["id"], "text": comment["text"], "username": comment["username"],
                "from": comment["from"], "timestamp": self.graph_time(comment["created"])}

    def _replies_of(self, comment_id: str) -> list[dict[str, Any]]:
        return sorted((c for c in self.comments if c["parent"] == comment_id),
                      key=lambda c: c["created"])

    def _inbox(self, request: Recorded, route: str) -> Reply:
        parts = self.segments(request)
        target, fields = parts[0], request.query.get("fields", "")
        if route in ("comments", "replies") and not {"text", "timestamp"} <= set(
                fields.replace("{", ",").replace("}", ",").split(",")):
            self.violation(request, "fields must ask for text and timestamp")
        if route == "comments":
            if not any(p["id"] == target for p in self.posts):
                return self.gone(target)
            top = sorted((c for c in self.comments if c["media_id"] == target
                          and not c["parent"]), key=lambda c: c["created"], reverse=True)

            def render(comment: dict[str, Any]) -> dict[str, Any]:
                shown = self._render_comment(comment)
                replies = self._replies_of(comment["id"])
                if "replies" in fields and replies:
                    shown["replies"] = self.listing(
                        f"/{self.version}/{comment['id']}/replies", replies,
                        self._render_comment)
                return shown
            return self.page_of(request, top, render)
        if route == "replies":
            if not any(c["id"] == target for c in self.comments):
                return self.gone(target)
            return self.page_of(request, self._replies_of(target), self._render_comment)
        if route == "reply":
            return self._reply(request, target)
        if route == "mention":
            return self._mention_reply(request)
        if route == "tags":
            items = sorted(self.tagged, key=lambda m: m["created"], reverse=True)
            return self.page_of(request, items, lambda m: {
                "id": m["id"], "caption": m["caption"], "username": m["username"],
                "timestamp": self.graph_time(m["created"]), "permalink": m["permalink"],
                "media_type": "IMAGE"})
        if route == "conversations":
            return self.conversations_reply(request)
        if route == "messages":
            return self.messages_reply(request, target)
        return self.send_message(request, messaging_type=False)

    def _message(self, request: Recorded) -> str:
        text = request.form.get("message") or request.query.get("message") or ""
        if not text:
            self.violation(request, "message is required")
        return text

    def _reply(self, request: Recorded, comment_id: str) -> Reply:
        text = self._message(request)
        comment = next((c for c in self.comments if c["id"] == comment_id), None)
        if comment is None:
            return self.gone(comment_id)
        top = comment["parent"] or comment["id"]  # a reply to a reply joins the thread
        made = self.seed_comment(comment["media_id"], text, parent=top, ours=True)
        self.replies.append({"kind": "comment", "to": comment_id, "text": text,
                             "id": made["id"]})
        return Reply(200, {"id": made["id"]})

    def _mention_reply(self, request: Recorded) -> Reply:
        text = self._message(request)
        media_id = request.form.get("media_id") or request.query.get("media_id") or ""
        comment_id = request.form.get("comment_id") or request.query.get("comment_id") or ""
        if comment_id:
            mentioning = next((c for c in self.mentioning if c["id"] == comment_id), None)
            if mentioning is None or mentioning["media_id"] != media_id:
                self.violation(request, f"comment {comment_id!r} on {media_id!r} does not "
                               "mention us")
                return self.gone(comment_id)
            made = self.seed_comment(media_id, text, parent=comment_id, ours=True)
            self.replies.append({"kind": "mention", "to": comment_id, "text": text,
                                 "id": made["id"]})
            return Reply(200, {"id": made["id"]})
        media = next((m for m in self.tagged if m["id"] == media_id), None)
        if media is None:
            self.violation(request, f"media_id {media_id!r} is not a media that mentions us")
            return self.gone(media_id)
        if not media["mentions_caption"]:
            # Documented: commenting on media you are only tagged in is not supported.
            return self.error(400, 100, "(#100) The user is not mentioned in the caption of "
                              "this media")
        made = self.seed_comment(media_id, text, ours=True)
        self.replies.append({"kind": "mention", "to": media_id, "text": text,
                             "id": made["id"]})
        return Reply(200, {"id": made["id"]})
