"""A local Facebook Page on the Graph API: /feed, /photos (published or not), /videos, the
Page's posts and post objects, and the reads of insights: /{post-id}/insights and the Page's
followers_count and fan_count.

The inbox: comments on the Page's posts (/{object-id}/comments with `filter` and `order`,
GET and POST), public posts that tag the Page (/{page-id}/tagged) and Messenger through the
conversations and Send API (`graph`). Seed them with `seed_comment`, `seed_tagged`,
`seed_dm`.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from socmed_domain.platforms import Platform
from socmed_testing.platforms.common import (
    DUPLICATE,
    REJECTED_MEDIA,
    Fault,
    Recorded,
    Reply,
    is_url,
    newest_first,
)
from socmed_testing.platforms.graph import LocalGraphServer

POST_METRICS = ("post_impressions", "post_impressions_unique", "post_clicks",
                "post_reactions_by_type_total", "post_activity_by_action_type")


class LocalFacebook(LocalGraphServer):
    """A Facebook Page: /feed, /photos, /videos, /posts and post objects."""

    platform = Platform.FACEBOOK
    page_id = "104000000000001"
    messaging_platform = "messenger"
    name_key = "name"
    own_name = "Local Brand"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.photos: dict[str, dict[str, Any]] = {}  # unpublished photos by id
        self.comments: list[dict[str, Any]] = []
        self.tagged: list[dict[str, Any]] = []  # public posts that tag the Page

    @property
    def own_id(self) -> str:
        return self.page_id

    def route(self, request: Recorded) -> str:
        parts = self.segments(request)
        if len(parts) == 2:
            owner, edge, method = parts[0] in (self.page_id, "me"), parts[1], request.method
            if edge == "comments":
                return "comments" if method == "GET" else "reply"
            if edge == "messages":
                return "send" if owner and method == "POST" else "messages"
            if owner and (edge, method) in (("conversations", "GET"), ("tagged", "GET")):
                return edge
        if len(parts) == 2 and parts[0] == self.page_id:
            edge = parts[1]
            if request.method == "POST" and edge == "photos":
                return "photo" if request.form.get("published") == "false" else "publish"
            if request.method == "POST" and edge in ("feed", "videos"):
                return "publish"
            if request.method == "GET" and edge == "posts":
                return "find"
        if len(parts) == 2 and parts[1] == "insights" and request.method == "GET":
            return "insights"
        if parts == [self.page_id] and request.method == "GET":
            return "account"
        if len(parts) == 1 and request.method == "GET":
            return "permalink"
        return "unknown"

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        kind = fault.kind if fault else ""
        if route == "photo":
            if kind == REJECTED_MEDIA:
                return self.error(400, 324, "(#324) Missing or invalid image file")
            if not is_url(request.form.get("url")):
                self.violation(request, "photos need a url")
            photo_id = f"5{self.next_number():014d}"
            self.photos[photo_id] = {"url": request.form.get("url"), "attached": False}
            return Reply(200, {"id": photo_id})
        if route == "publish":
            return self._publish(request, kind)
        if route == "permalink":
            post_id = request.path.rsplit("/", 1)[-1]
            post = next((p for p in self.posts if p["id"] == post_id), None)
            if "permalink_url" not in request.query.get("fields", ""):
                self.violation(request, "fields must ask for permalink_url")
            if post is None:
                return self.error(400, 100, "Unsupported get request.", 33)
            return Reply(200, {"id": post_id, "permalink_url": post["permalink_url"],
                               "created_time": self.graph_time(post["created"])})
        if route == "insights":
            return self._insights(request)
        if route == "account":
            if "followers_count" not in request.query.get("fields", ""):
                self.violation(request, "fields must ask for followers_count")
            followers = self.followers()
            return Reply(200, {"id": self.page_id, "followers_count": followers,
                               "fan_count": followers - followers // 20})
        if route == "comments":
            return self._comments(request)
        if route == "reply":
            return self._reply(request)
        if route == "conversations":
            return self.conversations_reply(request)
        if route == "messages":
            return self.messages_reply(request, self.segments(request)[0])
        if route == "send":
            return self.send_message(request, messaging_type=True)
        if route == "tagged":
            items = sorted(self.tagged, key=lambda p: p["created"], reverse=True)
            return self.page_of(request, items, self._render_tagged)
        if route == "find":
            since = float(request.query.get("since") or 0)
            items = [p for p in newest_first(self.posts) if p["created"] >= since]
            return self.page_of(request, items, lambda p: {
                "id": p["id"], "message": p["text"], "permalink_url": p["permalink_url"],
                "created_time": self.graph_time(p["created"])})
        return self.unknown_endpoint(request)

    def _publish(self, request: Recorded, kind: str) -> Reply:
        form, edge = request.form, request.path.rsplit("/", 1)[-1]
        text = form.get("description") if edge == "videos" else form.get("message")
        if kind == REJECTED_MEDIA:
            return self.error(400, 324, "(#324) Missing or invalid image file")
        latest = newest_first(self.posts)[:1] if self.refuse_duplicates else []
        if kind == DUPLICATE or (latest and latest[0]["text"] == text):
            return self.error(400, 506, "(#506) Duplicate status message")
        media: list[str] = []
        if edge == "feed":
            for key in sorted(k for k in form if k.startswith("attached_media[")):
                photo_id = json.loads(form[key]).get("media_fbid")
                photo = self.photos.get(photo_id)
                if photo is None or photo["attached"]:
                    self.violation(request, f"{key} is not an unpublished photo")
                    continue
                photo["attached"] = True
                media.append(photo["url"])
            if not text and not media:
                self.violation(request, "a feed post needs a message or attached media")
        elif edge == "photos":
            if not is_url(form.get("url")):
                self.violation(request, "photos need a url")
            media = [form.get("url", "")]
        elif not is_url(form.get("file_url")):
            self.violation(request, "videos need a file_url")
        number = self.next_number()
        object_id = f"{900000 + number}"
        post_id = object_id if edge == "videos" else f"{self.page_id}_{object_id}"
        self.posts.append({"id": post_id, "text": text, "media": media, "edge": edge,
                           "created": self.now(),
                           "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/"
                                            f"{object_id}"})
        if edge == "photos":
            return Reply(200, {"id": f"5{number:014d}", "post_id": post_id})
        return Reply(200, {"id": post_id})

    def _insights(self, request: Recorded) -> Reply:
        post_id = self.segments(request)[0]
        post = next((p for p in self.posts if p["id"] == post_id), None)
        if post is None:
            return self.error(400, 100, "Unsupported get request. Object with ID "
                              f"'{post_id}' does not exist", 33)
        names = [m for m in request.query.get("metric", "").split(",") if m]
        unknown = [m for m in names if m not in POST_METRICS]
        if not names or unknown:
            self.violation(request, f"metric must list post metrics (unknown: {unknown})")
            return self.error(400, 100, "(#100) The value must be a valid insights metric")
        n = self.insights_of(post)
        values: dict[str, Any] = {
            "post_impressions": n["impressions"], "post_impressions_unique": n["reach"],
            "post_clicks": n["clicks"],
            "post_reactions_by_type_total": {"like": n["likes"] - n["likes"] // 5,
                                             "love": n["likes"] // 5},
            "post_activity_by_action_type": {"comment": n["comments"], "share": n["shares"],
                                             "like": n["likes"]}}
        return Reply(200, {"data": [{
            "name": name, "period": "lifetime", "values": [{"value": values[name]}],
            "title": name, "id": f"{post_id}/insights/{name}/lifetime"} for name in names]})

    def seed_post(self, message: str, *, age: timedelta = timedelta(0),
                  post_id: str = "") -> dict[str, Any]:
        object_id = post_id.partition("_")[2] or f"{800000 + self.next_number()}"
        post = {"id": post_id or f"{self.page_id}_{object_id}", "text": message, "media": [],
                "edge": "feed", "created": self.now() - age.total_seconds(),
                "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{object_id}"}
        self.posts.append(post)
        return post

    # ------------------------------------------------------------------ the inbox

    def seed_comment(self, object_id: str, message: str, *, author: str = "Rudi Hartono",
                     author_id: str = "2450000000000011", age: timedelta = timedelta(0),
                     comment_id: str = "", ours: bool = False) -> dict[str, Any]:
        """A comment on a post, or a reply when `object_id` is a comment's id."""
        parent = next((c for c in self.comments if c["id"] == object_id), None)
        if parent is not None and parent["parent"]:
            parent = next(c for c in self.comments if c["id"] == parent["parent"])
        post_id = parent["post_id"] if parent else object_id
        sender = {"id": self.page_id, "name": self.own_name} if ours else \
            {"id": author_id, "name": author}
        comment = {"id": comment_id or f"{post_id.rpartition('_')[2]}_"
                                        f"{1200000000000000 + self.next_number()}",
                   "post_id": post_id, "parent": parent["id"] if parent else "",
                   "message": message, "from": sender,
                   "created": self.now() - age.total_seconds()}
        self.comments.append(comment)
        return comment

    def seed_tagged(self, message: str, *, author_id: str = "2450000000000013",
                    author: str = "Agus Salim", age: timedelta = timedelta(0),
                    post_id: str = "", by_page: bool = False) -> dict[str, Any]:
        """A public post that tags the Page (`from` is shown only when a Page wrote it)."""
        post = {"id": post_id or f"{author_id}_{990000000000000 + self.next_number()}",
                "message": message, "from": {"id": author_id, "name": author},
                "by_page": by_page, "created": self.now() - age.total_seconds()}
        self.tagged.append(post)
        return post

    def _render_tagged(self, post: dict[str, Any]) -> dict[str, Any]:
        shown = {"id": post["id"], "message": post["message"],
                 "created_time": self.graph_time(post["created"])}
        if post["by_page"]:
            shown["from"] = post["from"]
        return shown

    def _render_comment(self, comment: dict[str, Any]) -> dict[str, Any]:
        shown = {"id": comment["id"], "message": comment["message"], "from": comment["from"],
                 "created_time": self.graph_time(comment["created"])}
        if comment["parent"]:
            shown["parent"] = {"id": comment["parent"]}
        return shown

    def _known(self, object_id: str) -> str:
        """'post', 'comment' or '' for an id that takes comments."""
        if any(p["id"] == object_id for p in (*self.posts, *self.tagged)):
            return "post"
        return "comment" if any(c["id"] == object_id for c in self.comments) else ""

    def _comments(self, request: Recorded) -> Reply:
        object_id = self.segments(request)[0]
        kind, query = self._known(object_id), request.query
        if not kind:
            return self.gone(object_id)
        if kind == "comment":
            found = [c for c in self.comments if c["parent"] == object_id]
        elif query.get("filter") == "stream":
            found = [c for c in self.comments if c["post_id"] == object_id]
        else:  # the documented default: top-level comments only
            found = [c for c in self.comments if c["post_id"] == object_id
                     and not c["parent"]]
        newest = query.get("order") == "reverse_chronological"
        found.sort(key=lambda c: c["created"], reverse=newest)
        return self.page_of(request, found, self._render_comment)

    def _reply(self, request: Recorded) -> Reply:
        object_id = self.segments(request)[0]
        message = request.form.get("message") or request.query.get("message") or ""
        if not message:
            self.violation(request, "message is required")
        if not self._known(object_id):
            return self.gone(object_id)
        made = self.seed_comment(object_id, message, ours=True)
        self.replies.append({"kind": "comment", "to": object_id, "text": message,
                             "id": made["id"]})
        return Reply(200, {"id": made["id"]})
