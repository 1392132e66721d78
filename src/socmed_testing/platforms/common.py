"""The machinery every local platform server shares: an HTTP server, request records, faults.

The local platform servers are stand-ins for development, demos and tests. Each one speaks one
platform's documented request and answer shapes and its documented faults, on 127.0.0.1 only;
none of them is the platform, so never point real content or real tokens at them, and never
use them to decide whether something works on the real platform.

A server is a stdlib ThreadingHTTPServer on port 0 in a background thread, used as a context
manager. It checks every request against the platform's documented shape (the bearer token,
API-version headers, required fields, the order of calls) and records what does not fit in
`violations`; it answers with the documented response and error envelopes; and it keeps the
posts it accepted in `posts`, so a caller can check that nothing was posted twice.

`inject(kind, route=..., times=...)` makes the next matching requests fail:

- answered instead of handled: RATE_LIMIT (429 and the platform's wait header), SERVER_ERROR
  (500), UNAVAILABLE (503), EXPIRED_TOKEN;
- handled (the post is accepted), then: HANG (no answer for longer than the client waits),
  DROP (the connection closes without an answer), ERROR_AFTER_ACCEPT (a 500);
- SLOW: handled and answered normally, but `before` seconds late to handle it and `after`
  seconds late to answer (so a client can be stopped while its request is in flight);
- platform faults: DUPLICATE, REJECTED_MEDIA, QUOTA_EXHAUSTED, CONTAINER_ERROR and
  CONTAINER_EXPIRED (Instagram), PUBLISH_FAILED (TikTok).

Every server also answers its platform's insights reads (route "insights" for posts,
"account" for followers) with numbers derived from each accepted post: `post_insights()`
grows a post's running totals with its age on the server's clock, the same for the same post
and moment, so a fetch can be checked exactly and repeated.

Every server also serves media files at /media/<name> (no token), for the platforms that take
bytes rather than URLs: photo.jpg, second.jpg and clip.mp4.

`FakeTime` and `fast_policy()` make an adapter's retry loop run against these servers without
waiting.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy as email_policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs, urlsplit

from attrs import evolve

from socmed_adapters.platforms.base import HttpPolicy, Timing
from socmed_domain.platforms import Platform
from socmed_testing.samples import cached_image, cached_video, named_sample

TOKEN = "local-token"  # the token every local server accepts by default

RATE_LIMIT = "rate_limit"
SERVER_ERROR = "server_error"
UNAVAILABLE = "unavailable"
EXPIRED_TOKEN = "expired_token"
HANG = "hang"
DROP = "drop"
ERROR_AFTER_ACCEPT = "error_after_accept"
DUPLICATE = "duplicate"
REJECTED_MEDIA = "rejected_media"
MEDIA_BY_EXTENSION = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
                      "mp4": "video/mp4", "mov": "video/quicktime"}
QUOTA_EXHAUSTED = "quota_exhausted"
CONTAINER_ERROR = "container_error"
CONTAINER_EXPIRED = "container_expired"
PUBLISH_FAILED = "publish_failed"
SLOW = "slow"
ANSWERED = frozenset({RATE_LIMIT, SERVER_ERROR, UNAVAILABLE, EXPIRED_TOKEN})


# ---------------------------------------------------------------------- for tests


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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------------- insights

#: Followers before the first post, and gained with each accepted post.
FOLLOWERS_BASE = 48_000
FOLLOWERS_PER_POST = 25


def post_insights(post_id: str, created: float, now: float) -> dict[str, int]:
    """Deterministic running totals of one post at `now`: an audience size from its id, of
    which a growing share has seen it (half after a day, three quarters after three)."""
    seed = int.from_bytes(hashlib.sha256(post_id.encode()).digest()[:4], "big")
    hours = max(0.0, (now - created) / 3600)
    reach = int((1_000 + seed % 9_000) * hours / (hours + 24))
    return {"reach": reach, "impressions": reach * 5 // 4, "views": reach * 8 // 5,
            "likes": reach * (3 + seed % 5) // 100, "comments": reach * (1 + seed % 3) // 400,
            "shares": reach // 250, "saves": reach // 200, "clicks": reach // 90}


# ---------------------------------------------------------------------- the server core


@dataclass
class Recorded:
    """One request as the server saw it."""

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
    #: Fewer body bytes arrived than Content-Length announced (the client died).
    truncated: bool = False


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

    def __init__(self, fake: LocalPlatformServer, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out leaves a broken pipe behind; that is the point


class LocalPlatformServer:
    """The shared machinery; each platform implements route(), handle() and its errors.

    `refuse_duplicates` (on by default, as the platforms do) can be switched off where a
    platform refuses a repeated text, so that a caller that posts twice is seen doing it
    rather than being saved by the platform's duplicate check.
    """

    platform: ClassVar[Platform]

    def __init__(self, token: str = TOKEN, hang_seconds: float = 10.0, port: int = 0) -> None:
        self.token = token
        self.port = port  # 0: any free port (see `url` once started)
        self.hang_seconds = hang_seconds
        self.refuse_duplicates = True
        self.serve_any_media = False
        #: When posts are made, in epoch seconds: real time, or a demo's simulated clock so
        #: that look-ups over "recent posts" agree with the publisher's own clock.
        self.clock: Callable[[], float] = time.time
        self.requests: list[Recorded] = []
        self.posts: list[dict[str, Any]] = []
        self.violations: list[str] = []
        # Real, small files (made once per process), so media readers and the servers' own
        # checks see what a platform would.
        self.media_files: dict[str, tuple[bytes, str]] = {
            "photo.jpg": (cached_image(1080, 1080), "image/jpeg"),
            "second.jpg": (cached_image(1080, 1350, colour=(200, 40, 40)), "image/jpeg"),
            "clip.mp4": (cached_video(5.0, 360, 640), "video/mp4"),
        }
        self._faults: list[Fault] = []
        self._lock = threading.RLock()
        self._closing = threading.Event()
        self._counter = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._server = _Server(self, self.port)
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
        assert self._server is not None, "use the server as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """The API root an adapter takes as its base URL."""
        return self.url

    def media_url(self, name: str) -> str:
        return f"{self.url}/media/{name}"

    def inject(self, kind: str, *, route: str = "publish", times: int = 1,
               **options: Any) -> None:
        """Fail the next `times` requests to `route` ('*' for any) with `kind`."""
        with self._lock:
            self._faults.append(Fault(kind, route, times, options))

    def clear_faults(self) -> None:
        """Forget every injected fault not yet used."""
        with self._lock:
            self._faults.clear()

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
        request = parse_request(handler)
        if request.truncated:
            # the client died mid-body (a worker killed -9 in a test): a real server never
            # sees such a request, so neither does the platform's logic or its rule checks
            handler.close_connection = True
            return
        request.route = "media_file" if request.path.startswith("/media/") else \
            self.route(request)
        with self._lock:
            self.requests.append(request)
        if request.route == "media_file":
            send_reply(handler, self._media(request))
            return
        if not self.authorized(request):
            send_reply(handler, self.auth_error(expired=False))
            return
        fault = self._take_fault(request.route)
        if fault is not None and fault.kind in ANSWERED:
            send_reply(handler, self.fault_reply(fault))
            return
        kind, options = (fault.kind, fault.options) if fault else ("", {})
        if kind == SLOW:
            self._closing.wait(float(options.get("before", 0)))
        with self._lock:
            reply = self.handle(request, request.route, fault)
        if kind == SLOW:
            self._closing.wait(float(options.get("after", 0)))
        elif kind == HANG:
            self._closing.wait(self.hang_seconds)
        elif kind == DROP:
            handler.close_connection = True
            return
        elif kind == ERROR_AFTER_ACCEPT:
            reply = self.fault_reply(Fault(SERVER_ERROR, request.route, 0, {}))
        send_reply(handler, reply)

    def now(self) -> float:
        return self.clock()

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
            # With `serve_any_media`, any other picture or clip name gets stand-in bytes of
            # its kind, so a demo's media library can be mirrored here without files.
            kind = MEDIA_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower())
            if kind is None or not self.serve_any_media:
                return Reply(404, b"not found", {"Content-Type": "text/plain"})
            stand_in = named_sample(name)
            if stand_in is None:
                stand_in = self.media_files["photo.jpg" if kind.startswith("image/")
                                            else "clip.mp4"][0]
            return Reply(200, stand_in, {"Content-Type": kind})
        content, content_type = self.media_files[name]
        return Reply(200, content, {"Content-Type": content_type})

    def insights_of(self, post: dict[str, Any]) -> dict[str, int]:
        """The post's numbers now (see `post_insights`)."""
        return post_insights(str(post["id"]), float(post["created"]), self.now())

    def followers(self) -> int:
        return FOLLOWERS_BASE + FOLLOWERS_PER_POST * len(self.posts)

    def unknown_endpoint(self, request: Recorded) -> Reply:
        self.violation(request, "no such endpoint")
        return Reply(404, {"error": "not found"})


def parse_request(handler: BaseHTTPRequestHandler) -> Recorded:
    parts = urlsplit(handler.path)
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    truncated = len(body) < length
    headers = {name.lower(): value for name, value in handler.headers.items()}
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    request = Recorded(handler.command, parts.path, query, headers, body,
                       raw_query=parts.query)
    request.truncated = truncated
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


def send_reply(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
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


def is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def newest_first(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(posts, key=lambda p: p["created"], reverse=True)

