"""Fake platform APIs on 127.0.0.1, one per platform, for the publishing adapters' tests.

Each fake is a stdlib ThreadingHTTPServer on port 0 in a background thread, used as a context
manager. It checks every request against the platform's documented shape (the bearer token,
API-version headers, required fields, the order of calls) and records what does not fit in
`violations`; it answers with the documented response and error envelopes; and it keeps the
posts it accepted in `posts`, so a test can assert that nothing was posted twice.

`inject(kind, route=..., times=...)` makes the next matching requests fail:

- answered instead of handled: RATE_LIMIT (429 and the platform's wait header), SERVER_ERROR
  (500), UNAVAILABLE (503), EXPIRED_TOKEN;
- handled (the post is accepted), then: HANG (no answer for longer than the client waits),
  DROP (the connection closes without an answer), ERROR_AFTER_ACCEPT (a 500);
- platform faults: DUPLICATE, REJECTED_MEDIA, QUOTA_EXHAUSTED, CONTAINER_ERROR and
  CONTAINER_EXPIRED (Instagram), PUBLISH_FAILED (TikTok).

Every fake also serves media files at /media/<name> (no token), for the platforms that take
bytes rather than URLs.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from attrs import evolve

from socmed_adapters.platforms.base import HttpPolicy, Timing

TOKEN = "test-token"

RATE_LIMIT = "rate_limit"
SERVER_ERROR = "server_error"
UNAVAILABLE = "unavailable"
EXPIRED_TOKEN = "expired_token"
HANG = "hang"
DROP = "drop"
ERROR_AFTER_ACCEPT = "error_after_accept"
DUPLICATE = "duplicate"
REJECTED_MEDIA = "rejected_media"
QUOTA_EXHAUSTED = "quota_exhausted"
CONTAINER_ERROR = "container_error"
CONTAINER_EXPIRED = "container_expired"
PUBLISH_FAILED = "publish_failed"
ANSWERED = frozenset({RATE_LIMIT, SERVER_ERROR, UNAVAILABLE, EXPIRED_TOKEN})

URL_IN_TEXT = re.compile(r"https?://\S+")


# ---------------------------------------------------------------------- test helpers


class FakeTime:
    """An injected sleep that only records, and a monotonic clock that the sleeps advance."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def monotonic(self) -> float:
        return time.monotonic() + sum(self.slept)

    def timing(self) -> Timing:
        return Timing(sleep=self.sleep, monotonic=self.monotonic, jitter=lambda: 0.5)


def fast_policy(**changes: Any) -> HttpPolicy:
    """A policy for tests: real requests answer in milliseconds, waits are fake."""
    base = HttpPolicy(request_timeout=2.0, connect_timeout=1.0, deadline=120.0,
                      max_attempts=4, backoff_base=1.0, backoff_cap=8.0, poll_interval=2.0,
                      poll_limit=5)
    return evolve(base, **changes)


def unused_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connections are refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------------- the server core


@dataclass
class Recorded:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    route: str = ""
    raw_query: str = ""


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # a dict or list is sent as JSON, bytes as they are
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    kind: str
    route: str
    times: int
    options: dict[str, Any]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.fake.serve(self)

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: FakePlatformServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out leaves a broken pipe behind; that is the point


class FakePlatformServer:
    """The shared machinery; each platform implements route(), handle() and its errors."""

    def __init__(self, token: str = TOKEN, hang_seconds: float = 10.0) -> None:
        self.token = token
        self.hang_seconds = hang_seconds
        self.requests: list[Recorded] = []
        self.posts: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.media_files: dict[str, tuple[bytes, str]] = {
            "photo.jpg": (b"\xff\xd8\xff\xe0 fake jpeg one", "image/jpeg"),
            "second.jpg": (b"\xff\xd8\xff\xe0 fake jpeg two", "image/jpeg"),
            "clip.mp4": (b"\x00\x00\x00\x18ftypmp42" + bytes(range(40)), "video/mp4"),
        }
        self._faults: list[Fault] = []
        self._lock = threading.RLock()
        self._closing = threading.Event()
        self._counter = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def url(self) -> str:
        assert self._server is not None, "use the fake as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def media_url(self, name: str) -> str:
        return f"{self.url}/media/{name}"

    def inject(self, kind: str, *, route: str = "publish", times: int = 1,
               **options: Any) -> None:
        """Fail the next `times` requests to `route` ('*' for any) with `kind`."""
        with self._lock:
            self._faults.append(Fault(kind, route, times, options))

    def calls(self, *routes: str) -> list[Recorded]:
        return [r for r in self.requests if not routes or r.route in routes]

    def trail(self) -> list[tuple[str, str]]:
        """(method, path) of every request, in order."""
        return [(r.method, r.path) for r in self.requests]

    def next_number(self) -> int:
        return next(self._counter)

    def violation(self, request: Recorded, message: str) -> None:
        self.violations.append(f"{request.method} {request.path}: {message}")

    # -- to implement per platform

    def route(self, request: Recorded) -> str:
        raise NotImplementedError

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        raise NotImplementedError

    def fault_reply(self, fault: Fault) -> Reply:
        raise NotImplementedError

    def auth_error(self, expired: bool) -> Reply:
        raise NotImplementedError

    def authorized(self, request: Recorded) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    # -- serving

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        request = _parse(handler)
        request.route = "media_file" if request.path.startswith("/media/") else \
            self.route(request)
        with self._lock:
            self.requests.append(request)
        if request.route == "media_file":
            _send(handler, self._media(request))
            return
        if not self.authorized(request):
            _send(handler, self.auth_error(expired=False))
            return
        fault = self._take_fault(request.route)
        if fault is not None and fault.kind in ANSWERED:
            _send(handler, self.fault_reply(fault))
            return
        with self._lock:
            reply = self.handle(request, request.route, fault)
        kind = fault.kind if fault else ""
        if kind == HANG:
            self._closing.wait(self.hang_seconds)
        elif kind == DROP:
            handler.close_connection = True
            return
        elif kind == ERROR_AFTER_ACCEPT:
            reply = self.fault_reply(Fault(SERVER_ERROR, request.route, 0, {}))
        _send(handler, reply)

    def _take_fault(self, route: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fault.route in (route, "*"):
                    fault.times -= 1
                    return fault
        return None

    def _media(self, request: Recorded) -> Reply:
        name = request.path.rsplit("/", 1)[-1]
        if name not in self.media_files:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        content, content_type = self.media_files[name]
        return Reply(200, content, {"Content-Type": content_type})

    def _unknown(self, request: Recorded) -> Reply:
        self.violation(request, "no such endpoint")
        return Reply(404, {"error": "not found"})


def _parse(handler: BaseHTTPRequestHandler) -> Recorded:
    parts = urlsplit(handler.path)
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    headers = {name.lower(): value for name, value in handler.headers.items()}
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    request = Recorded(handler.command, parts.path, query, headers, body,
                       raw_query=parts.query)
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/json") and body:
        try:
            request.json = json.loads(body)
        except ValueError:
            request.json = None
    elif content_type.startswith("application/x-www-form-urlencoded"):
        request.form = {k: v[-1] for k, v in
                        parse_qs(body.decode(), keep_blank_values=True).items()}
    elif content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=email_policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                request.files[name] = (str(filename), data)
            else:
                request.form[name] = data.decode()
    return request


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    headers = dict(reply.headers)
    if isinstance(reply.body, bytes):
        data = reply.body
    elif reply.body is None:
        data = b""
    else:
        data = json.dumps(reply.body).encode()
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    try:
        handler.send_response(reply.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        pass


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _newest_first(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(posts, key=lambda p: p["created"], reverse=True)


# ---------------------------------------------------------------------- Meta Graph API


class FakeGraphServer(FakePlatformServer):
    """What Instagram and Facebook share: versioned paths and the Graph error envelope."""

    version = "v24.0"

    def segments(self, request: Recorded) -> list[str]:
        parts = [p for p in request.path.split("/") if p]
        if not parts or not re.fullmatch(r"v\d+\.\d+", parts[0]):
            self.violation(request, "Graph API paths start with the API version")
            return parts
        return parts[1:]

    def authorized(self, request: Recorded) -> bool:
        return (super().authorized(request)
                or request.query.get("access_token") == self.token
                or request.form.get("access_token") == self.token)

    @staticmethod
    def error(status: int, code: int, message: str, subcode: int | None = None,
              **extra: Any) -> Reply:
        error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code,
                                 "fbtrace_id": "AbCdEfGhIjK"}
        if subcode is not None:
            error["error_subcode"] = subcode
        error.update(extra)
        return Reply(status, {"error": error})

    def auth_error(self, expired: bool) -> Reply:
        if expired:
            return self.error(400, 190, "Error validating access token: Session has expired "
                              "on Tuesday, 01-Dec-26 01:00:00 PST.", 463)
        return self.error(400, 190, "Invalid OAuth access token - Cannot parse access token")

    def fault_reply(self, fault: Fault) -> Reply:
        if fault.kind == RATE_LIMIT:
            reply = self.error(400, 4, "(#4) Application request limit reached",
                               is_transient=True)
            if "retry_after" in fault.options:
                reply.headers["Retry-After"] = str(fault.options["retry_after"])
            return reply
        if fault.kind == UNAVAILABLE:
            return self.error(503, 2, "Service temporarily unavailable", is_transient=True)
        if fault.kind == EXPIRED_TOKEN:
            return self.auth_error(expired=True)
        return self.error(500, 1, "An unknown error has occurred.", is_transient=True)

    @staticmethod
    def graph_time(epoch: float) -> str:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")

    def page_of(self, request: Recorded, items: list[dict[str, Any]],
                render: Callable[[dict[str, Any]], dict[str, Any]]) -> Reply:
        """Cursor paging as the Graph API does it: data, paging.cursors, paging.next."""
        limit = int(request.query.get("limit") or 25)
        start = int(request.query.get("after", "cursor-0").split("-")[1])
        window = items[start:start + limit]
        paging: dict[str, Any] = {"cursors": {"before": f"cursor-{start}",
                                              "after": f"cursor-{start + len(window)}"}}
        if start + limit < len(items):
            paging["next"] = f"{self.url}{request.path}?after=cursor-{start + limit}"
        return Reply(200, {"data": [render(item) for item in window], "paging": paging})


class FakeInstagram(FakeGraphServer):
    """Instagram's container flow: /media, /{container}?fields=status_code, /media_publish."""

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
        if len(parts) == 1 and request.method == "GET":
            return "status" if parts[0] in self.containers else "permalink"
        return "unknown"

    def published_today(self) -> int:
        return sum(1 for p in self.posts if p["created"] > time.time() - 86400)

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
        if route == "find":
            items = _newest_first(self.posts)
            return self.page_of(request, items, lambda p: {
                "id": p["id"], "caption": p["text"], "media_type": p["media_type"],
                "permalink": p["permalink"], "timestamp": self.graph_time(p["created"])})
        return self._unknown(request)

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
            if not _is_url(form.get("video_url")):
                self.violation(request, "video containers need a video_url")
            if media_type == "VIDEO" and not child:
                self.violation(request, "VIDEO is only for carousel items; single videos are "
                               "REELS")
        elif media_type is None:
            if not _is_url(form.get("image_url")):
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
                           "created": time.time()})
        return Reply(200, {"id": media_id})

    def _permalink(self, request: Recorded) -> Reply:
        media_id = request.path.rsplit("/", 1)[-1]
        post = next((p for p in self.posts if p["id"] == media_id), None)
        if post is None:
            return self.error(400, 100, "Unsupported get request. Object does not exist", 33)
        return Reply(200, {"permalink": post["permalink"], "id": media_id,
                           "timestamp": self.graph_time(post["created"])})

    def seed_post(self, caption: str, *, age: timedelta = timedelta(0),
                  media_type: str = "IMAGE") -> dict[str, Any]:
        post = {"id": f"1790{self.next_number():011d}", "text": caption,
                "media_type": media_type, "container": "",
                "permalink": "https://www.instagram.com/p/Seeded/",
                "created": time.time() - age.total_seconds()}
        self.posts.append(post)
        return post


class FakeFacebook(FakeGraphServer):
    """A Facebook Page: /feed, /photos, /videos, /posts and post objects."""

    page_id = "104000000000001"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.photos: dict[str, dict[str, Any]] = {}  # unpublished photos by id

    def route(self, request: Recorded) -> str:
        parts = self.segments(request)
        if len(parts) == 2 and parts[0] == self.page_id:
            edge = parts[1]
            if request.method == "POST" and edge == "photos":
                return "photo" if request.form.get("published") == "false" else "publish"
            if request.method == "POST" and edge in ("feed", "videos"):
                return "publish"
            if request.method == "GET" and edge == "posts":
                return "find"
        if len(parts) == 1 and request.method == "GET":
            return "permalink"
        return "unknown"

    def handle(self, request: Recorded, route: str, fault: Fault | None) -> Reply:
        kind = fault.kind if fault else ""
        if route == "photo":
            if kind == REJECTED_MEDIA:
                return self.error(400, 324, "(#324) Missing or invalid image file")
            if not _is_url(request.form.get("url")):
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
        if route == "find":
            since = float(request.query.get("since") or 0)
            items = [p for p in _newest_first(self.posts) if p["created"] >= since]
            return self.page_of(request, items, lambda p: {
                "id": p["id"], "message": p["text"], "permalink_url": p["permalink_url"],
                "created_time": self.graph_time(p["created"])})
        return self._unknown(request)

    def _publish(self, request: Recorded, kind: str) -> Reply:
        form, edge = request.form, request.path.rsplit("/", 1)[-1]
        text = form.get("description") if edge == "videos" else form.get("message")
        if kind == REJECTED_MEDIA:
            return self.error(400, 324, "(#324) Missing or invalid image file")
        latest = _newest_first(self.posts)[:1]
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
            if not _is_url(form.get("url")):
                self.violation(request, "photos need a url")
            media = [form.get("url", "")]
        elif not _is_url(form.get("file_url")):
            self.violation(request, "videos need a file_url")
        number = self.next_number()
        object_id = f"{900000 + number}"
        post_id = object_id if edge == "videos" else f"{self.page_id}_{object_id}"
        self.posts.append({"id": post_id, "text": text, "media": media, "edge": edge,
                           "created": time.time(),
                           "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/"
                                            f"{object_id}"})
        if edge == "photos":
            return Reply(200, {"id": f"5{number:014d}", "post_id": post_id})
        return Reply(200, {"id": post_id})

    def seed_post(self, message: str, *, age: timedelta = timedelta(0)) -> dict[str, Any]:
        object_id = f"{800000 + self.next_number()}"
        post = {"id": f"{self.page_id}_{object_id}", "text": message, "media": [],
                "edge": "feed", "created": time.time() - age.total_seconds(),
                "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{object_id}"}
        self.posts.append(post)
        return post


# ---------------------------------------------------------------------- LinkedIn


LITTLE_RESERVED = set("|{}@[]()<>#\\*_~")


class FakeLinkedIn(FakePlatformServer):
    """LinkedIn's versioned REST API: /rest/posts, /rest/images, /rest/videos, uploads."""

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
        return self._unknown(request)

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
        for post in self.posts:
            if post["commentary"] == kept:
                return self._duplicate(post["id"])
        urn = f"urn:li:share:{7000000000000000000 + self.next_number()}"
        now_ms = int(time.time() * 1000)
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
        items = _newest_first(self.posts)
        page = items[start:start + count]
        return Reply(200, {"elements": [self._element(p) for p in page],
                           "paging": {"start": start, "count": count, "links": []}})

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
        ms = int((time.time() - age.total_seconds()) * 1000)
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


# ---------------------------------------------------------------------- TikTok


class FakeTikTok(FakePlatformServer):
    """TikTok's Content Posting API and the Display API's video list."""

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
        return self._unknown(request)

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
            if not 1 <= len(media) <= 35 or not all(_is_url(u) for u in media):
                self.violation(request, "photo_images must be 1 to 35 URLs")
            if not 0 <= int(source.get("photo_cover_index", -1)) < max(len(media), 1):
                self.violation(request, "photo_cover_index must point at a photo")
            inbox = body.get("post_mode") == "MEDIA_UPLOAD"
        else:
            media = [source.get("video_url")]
            if not _is_url(media[0]):
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
            "privacy": info.get("privacy_level"), "media": media, "created": time.time(),
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
        listed = [p for p in _newest_first(self.posts) if p["final"] == "PUBLISH_COMPLETE"
                  and p["mode"] == "direct"]
        page = listed[start:start + count]
        videos = [{"id": p["video_id"], "title": (p["title"] or "")[:150],
                   "video_description": (p["description"] or p["title"] or "")[:150],
                   "create_time": int(p["created"]),
                   "share_url": f"https://www.tiktok.com/@{self.username}/video/{p['video_id']}"}
                  for p in page]
        return self.answer({"videos": videos, "cursor": start + len(page),
                            "has_more": start + count < len(listed)})

    def seed_post(self, title: str, *, age: timedelta = timedelta(0)) -> dict[str, Any]:
        number = self.next_number()
        post = {"publish_id": f"v_pub_url~seed.{number}",
                "video_id": str(7200000000000000000 + number), "mode": "direct",
                "photo": False, "title": title, "description": "", "text": title,
                "privacy": "PUBLIC_TO_EVERYONE", "media": [],
                "created": time.time() - age.total_seconds(), "final": "PUBLISH_COMPLETE",
                "fail_reason": "", "reads_left": 0}
        self.posts.append(post)
        return post


# ---------------------------------------------------------------------- X


class FakeX(FakePlatformServer):
    """X API v2: /2/tweets, /2/media/upload (simple and chunked), users/me, user tweets."""

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
        return self._unknown(request)

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
        if kind == DUPLICATE or any(p["source_text"] == text for p in self.posts):
            return self.problem(403, "Forbidden", "You are not allowed to create a Tweet with "
                                "duplicate content.")
        post_id = str(1870000000000000000 + self.next_number())
        rendered = self._render(text or "", bool(media_ids))
        self.posts.append({"id": post_id, "source_text": text, "text": rendered,
                           "media_keys": [f"3_{m}" for m in media_ids], "created": time.time()})
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
        listed = [p for p in _newest_first(self.posts) if p["created"] >= since]
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

    def seed_post(self, text: str, *, age: timedelta = timedelta(0)) -> dict[str, Any]:
        post = {"id": str(1860000000000000000 + self.next_number()), "source_text": text,
                "text": self._render(text, False), "media_keys": [],
                "created": time.time() - age.total_seconds()}
        self.posts.append(post)
        return post
