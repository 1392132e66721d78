"""A local X API v2: /2/tweets, simple and chunked media upload with its STATUS step,
/2/users/me and the user's posts, with X's text rewriting (entities, t.co links), the
reads of metrics: GET /2/tweets?ids= (public and non-public metrics) and /2/users/{id}, and
the inbox: the user's mentions timeline, DM events (all, and one conversation), replies
(POST /2/tweets with `reply`) and DMs sent (POST /2/dm_conversations/with/{id}/messages).
Seed the audience with `seed_reply`, `seed_mention` and `seed_dm`; `replies` and
`sent_messages` record what the account answered.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

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
        self.inbox = XInbox(self)

    @property
    def replies(self) -> list[dict[str, Any]]:
        """The replies the account posted (POST /2/tweets with `reply`)."""
        return self.inbox.replies

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """The direct messages the account sent."""
        return [e for e in self.inbox.events if e["sender_id"] == self.user_id]

    def seed_reply(self, post_id: str, text: str, **kwargs: Any) -> dict[str, Any]:
        """Someone's reply to one of our posts (a comment)."""
        return self.inbox.tweet(text, in_reply_to=post_id, to_us=True, **kwargs)

    def seed_mention(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """A post that mentions us (`in_reply_to` someone else's post, `retweet`)."""
        return self.inbox.tweet(text, **kwargs)

    def seed_dm(self, text: str, **kwargs: Any) -> dict[str, Any]:
        return self.inbox.message(text, **kwargs)

    def route(self, request: Recorded) -> str:
        path, method = request.path, request.method
        inbox = self.inbox.route(request)
        if inbox:
            return inbox
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
        if route in XInbox.ROUTES:
            return self.inbox.handle(request, route)
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
            if body.get("media_type") not in X_VIDEO_TYPES:
                return self._unrecognised()
            self.media[media_id] = {"kind": "video", "total": int(body.get("total_bytes", 0)),
                                    "bytes": b"", "segments": 0, "state": "uploading"}
            return Reply(200, {"data": {"id": media_id, "media_key": f"7_{media_id}",
                                        "expires_after_secs": 86400}})
        if "media" not in request.files or request.form.get("media_category") != "tweet_image":
            self.violation(request, "image uploads are multipart with media and "
                           "media_category=tweet_image")
        content = request.files.get("media", ("", b""))[1]
        category = _image_category(content)
        if kind == REJECTED_MEDIA or category is None:
            return self._unrecognised()
        self.media[media_id] = {"kind": category, "total": len(content), "bytes": content,
                                "segments": 1, "state": "succeeded"}
        return Reply(200, {"data": {"id": media_id, "media_key": f"3_{media_id}",
                                    "size": len(content), "expires_after_secs": 86400,
                                    "image": {"image_type": "image/jpeg", "w": 1, "h": 1}}})

    @staticmethod
    def _unrecognised() -> Reply:
        return Reply(400, {"errors": [{"message": "media type unrecognized."}],
                           "title": "Invalid Request", "detail": "One or more parameters "
                           "to your request was invalid.",
                           "type": "https://api.twitter.com/2/problems/invalid-request"})

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
        kinds = [self.media[m]["kind"] for m in media_ids if m in self.media]
        if len(media_ids) > 1 and ({"video", "gif"} & set(kinds)):
            # X: up to 4 photos, or 1 GIF, or 1 video in a post.
            return Reply(400, {"errors": [{"parameters": {"media.media_ids": media_ids},
                                           "message": "Your media IDs are invalid."}],
                               "title": "Invalid Request", "detail": "One or more parameters "
                               "to your request was invalid.",
                               "type": "https://api.twitter.com/2/problems/invalid-request"})
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
        timeline = self.posts if "replies" in query.get("exclude", "") else \
            self.posts + self.inbox.replies
        listed = [p for p in newest_first(timeline) if p["created"] >= since]
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
            if post.get("replied_to"):
                item["referenced_tweets"] = [{"type": "replied_to", "id": post["replied_to"]}]
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


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class XInbox:
    """The mentions timeline, DM events and replies of the local X account."""

    ROUTES = frozenset({"mentions", "dm_events", "dm_conversation", "reply", "dm_send"})

    def __init__(self, server: LocalX) -> None:
        self.server = server
        self.tweets: list[dict[str, Any]] = []  # the audience's posts that mention us
        self.replies: list[dict[str, Any]] = []  # ours, in the shape of `server.posts`
        self.events: list[dict[str, Any]] = []  # DM events, both directions
        self.accounts: dict[str, dict[str, str]] = {
            server.user_id: {"id": server.user_id, "username": server.username,
                             "name": "Bank Nusa"}}

    # -- seeding

    def account(self, username: str, name: str = "") -> str:
        for user in self.accounts.values():
            if user["username"] == username:
                return user["id"]
        user_id = str(1000 + len(self.accounts))
        self.accounts[user_id] = {"id": user_id, "username": username,
                                  "name": name or username.title()}
        return user_id

    def tweet(self, text: str, *, author: str = "fajar_nug", name: str = "",
              age: timedelta = timedelta(0), in_reply_to: str = "", to_us: bool = False,
              retweet: bool = False) -> dict[str, Any]:
        tweet = {"id": str(1873000000000000000 + self.server.next_number()), "text": text,
                 "author_id": self.account(author, name), "replied_to": in_reply_to,
                 "in_reply_to_user_id": self.server.user_id if to_us else (
                     "999" if in_reply_to else ""),
                 "retweet": retweet, "created": self.server.now() - age.total_seconds()}
        self.tweets.append(tweet)
        return tweet

    def message(self, text: str, *, author: str = "putri_ayu", name: str = "",
                age: timedelta = timedelta(0), ours_to: str = "") -> dict[str, Any]:
        """A DM from `author` to us, or (`ours_to`) one we sent to that username."""
        other = self.account(ours_to or author, name)
        event = {"id": str(1873000000000000100 + self.server.next_number()),
                 "event_type": "MessageCreate", "text": text,
                 "sender_id": self.server.user_id if ours_to else other, "other": other,
                 "created": self.server.now() - age.total_seconds()}
        self.events.append(event)
        return event

    # -- serving

    def route(self, request: Recorded) -> str:
        path, method = request.path, request.method
        if method == "GET" and re.fullmatch(r"/2/users/\d+/mentions", path):
            return "mentions"
        if method == "GET" and path == "/2/dm_events":
            return "dm_events"
        if method == "GET" and re.fullmatch(r"/2/dm_conversations/with/\d+/dm_events", path):
            return "dm_conversation"
        if method == "POST" and re.fullmatch(r"/2/dm_conversations/with/\d+/messages", path):
            return "dm_send"
        if method == "POST" and path == "/2/tweets" and isinstance(request.json, dict) \
                and "reply" in request.json:
            return "reply"
        return ""

    def handle(self, request: Recorded, route: str) -> Reply:
        if route == "mentions":
            return self._mentions(request)
        if route in ("dm_events", "dm_conversation"):
            return self._events(request, route)
        if route == "reply":
            return self._reply(request)
        return self._send(request)

    def _fields(self, request: Recorded, name: str, wanted: set[str]) -> None:
        missing = wanted - set(request.query.get(name, "").split(","))
        if missing:
            self.server.violation(request, f"{name} must ask for {', '.join(sorted(missing))}")

    def _page(self, request: Recorded, items: list[dict[str, Any]],
              render: Any) -> Reply:
        count = int(request.query.get("max_results", 100))
        if not 1 <= count <= 100:
            self.server.violation(request, "max_results must be 1 to 100")
        start = int(request.query.get("pagination_token", "0"))
        page = items[start:start + count]
        if not page:
            return Reply(200, {"meta": {"result_count": 0}})
        users = {key: self.accounts[key] for key in (
            str(item.get("author_id") or item.get("sender_id")) for item in page)}
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0]["id"],
                                "oldest_id": page[-1]["id"]}
        if start + count < len(items):
            meta["next_token"] = str(start + count)
        return Reply(200, {"data": [render(item) for item in page],
                           "includes": {"users": list(users.values())}, "meta": meta})

    def _mentions(self, request: Recorded) -> Reply:
        if request.path.split("/")[3] != self.server.user_id:
            self.server.violation(request, "not this account's id")
        self._fields(request, "tweet.fields", {"created_at", "referenced_tweets",
                                               "in_reply_to_user_id"})
        self._fields(request, "expansions", {"author_id"})
        self._fields(request, "user.fields", {"username"})
        query = request.query
        since = datetime.fromisoformat(query["start_time"].replace("Z", "+00:00")).timestamp() \
            if "start_time" in query else 0.0
        listed = [t for t in newest_first(self.tweets) if t["created"] >= since]

        def render(tweet: dict[str, Any]) -> dict[str, Any]:
            item: dict[str, Any] = {"id": tweet["id"], "text": tweet["text"],
                                    "author_id": tweet["author_id"],
                                    "created_at": _iso(tweet["created"]),
                                    "conversation_id": tweet["replied_to"] or tweet["id"],
                                    "edit_history_tweet_ids": [tweet["id"]]}
            if tweet["in_reply_to_user_id"]:
                item["in_reply_to_user_id"] = tweet["in_reply_to_user_id"]
            refs = [{"type": "replied_to", "id": tweet["replied_to"]}] \
                if tweet["replied_to"] else []
            if tweet["retweet"]:
                refs.append({"type": "retweeted", "id": "1860000000000000001"})
            if refs:
                item["referenced_tweets"] = refs
            return item

        return self._page(request, listed, render)

    def _events(self, request: Recorded, route: str) -> Reply:
        self._fields(request, "dm_event.fields", {"id", "text", "sender_id", "created_at"})
        if route == "dm_events":
            self._fields(request, "expansions", {"sender_id"})
            self._fields(request, "user.fields", {"username"})
        listed = newest_first(self.events)
        if route == "dm_conversation":
            other = request.path.split("/")[4]
            listed = [e for e in listed if e["other"] == other]

        def render(event: dict[str, Any]) -> dict[str, Any]:
            pair = sorted((self.server.user_id, event["other"]), key=int)
            return {"id": event["id"], "event_type": event["event_type"],
                    "text": event["text"], "sender_id": event["sender_id"],
                    "created_at": _iso(event["created"]),
                    "dm_conversation_id": "-".join(pair)}

        return self._page(request, listed, render)

    def _reply(self, request: Recorded) -> Reply:
        body = request.json or {}
        target = str((body.get("reply") or {}).get("in_reply_to_tweet_id") or "")
        text = body.get("text")
        if not isinstance(text, str) or not text:
            self.server.violation(request, "a reply needs text")
        known = {t["id"]: t for t in self.tweets}
        known.update({p["id"]: p for p in self.server.posts + self.replies})
        parent = known.get(target)
        if parent is None:
            return self.server.problem(403, "Forbidden", "You attempted to reply to a Tweet "
                                       "that is deleted or not visible to you.")
        author = self.accounts.get(parent.get("author_id", self.server.user_id)) or {}
        handle = author.get("username", self.server.username)
        rendered = f"@{handle} {text}" if handle != self.server.username else str(text)
        reply_id = str(1874000000000000000 + self.server.next_number())
        self.replies.append({"id": reply_id, "source_text": text, "text": rendered,
                             "media_keys": [], "replied_to": target,
                             "created": self.server.now()})
        return Reply(201, {"data": {"id": reply_id, "text": rendered,
                                    "edit_history_tweet_ids": [reply_id]}})

    def _send(self, request: Recorded) -> Reply:
        other = request.path.split("/")[4]
        text = (request.json or {}).get("text")
        if not isinstance(text, str) or not text:
            self.server.violation(request, "a message needs text")
        if other not in self.accounts or other == self.server.user_id:
            return self.server.problem(403, "Forbidden", "You cannot send messages to this "
                                       "user.")
        event = {"id": str(1875000000000000000 + self.server.next_number()),
                 "event_type": "MessageCreate", "text": text, "sender_id": self.server.user_id,
                 "other": other, "created": self.server.now()}
        self.events.append(event)
        pair = sorted((self.server.user_id, other), key=int)
        return Reply(201, {"data": {"dm_conversation_id": "-".join(pair),
                                    "dm_event_id": event["id"]}})


X_VIDEO_TYPES = ("video/mp4", "video/quicktime")
X_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


def _image_category(content: bytes) -> str | None:
    """'photo' or 'gif' (animated) for an image X takes, read from the bytes as X does;
    None for anything else (X answers 'media type unrecognized')."""
    from socmed_adapters.media.probe import UnknownMedia, probe_bytes

    try:
        probe = probe_bytes(content)
    except UnknownMedia:
        return None
    if probe.mime_type not in X_IMAGE_TYPES:
        return None
    return "gif" if probe.animated else "photo"
