"""Real HTTP on 127.0.0.1 for the webhook endpoints: the Litestar app on uvicorn in a thread,
on a port the OS picks, over a real store; and the signatures each platform sends."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from litestar import Litestar

from socmed_adapters.bootstrap import Services
from socmed_adapters.monitoring.webhook_inbox import WebhookInbox
from socmed_adapters.monitoring.webhook_receiver import Receiver
from socmed_web.webhooks import WebhookEndpoints, endpoints_router

DATA = Path(__file__).parents[1] / "data" / "webhooks"
ENV = {"SOCMED_META_APP_SECRET": "meta-secret", "SOCMED_X_CONSUMER_SECRET": "x-secret",
       "SOCMED_TIKTOK_CLIENT_SECRET": "tiktok-secret",
       "SOCMED_LINKEDIN_CLIENT_SECRET": "linkedin-secret",
       "SOCMED_META_VERIFY_TOKEN": "nusa-verify"}
FIXTURES = {"meta": "instagram_comments.json", "x": "x_activity.json",
            "tiktok": "tiktok_comment.json", "linkedin": "linkedin_notifications.json"}


def sign(family: str, body: bytes) -> dict[str, str]:
    """The header each platform would send with this body."""
    if family == "meta":
        digest = hmac.new(b"meta-secret", body, hashlib.sha256).hexdigest()
        return {"X-Hub-Signature-256": f"sha256={digest}"}
    if family == "x":
        raw = hmac.new(b"x-secret", body, hashlib.sha256).digest()
        return {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(raw).decode()}
    if family == "tiktok":
        stamp = int(time.time())
        digest = hmac.new(b"tiktok-secret", f"{stamp}.".encode() + body,
                          hashlib.sha256).hexdigest()
        return {"TikTok-Signature": f"t={stamp},s={digest}"}
    digest = hmac.new(b"linkedin-secret", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    return {"X-LI-Signature": digest}


def linkedin_comment(n: int) -> bytes:
    """A LinkedIn delivery with one comment of its own (its own message id)."""
    urn = f"urn:li:comment:(urn:li:activity:7420000000000000000,74200000000000{n:05d})"
    return json.dumps({"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": [{
        "notificationId": 9000 + n, "organizationalEntity": "urn:li:organization:96072893",
        "action": "COMMENT", "sourcePost": "urn:li:share:7420000000000000000",
        "lastModifiedAt": 1798536000000 + n * 1000, "generatedActivity": urn,
        "decoratedGeneratedActivity": {"comment": {
            "entity": urn, "owner": f"urn:li:person:member{n}",
            "text": f"Pertanyaan nomor {n} soal kartu kredit"}}}]}).encode()


class LiveWebhooks:
    """`create_webhook_app` served by uvicorn on a thread, with its log lines kept."""

    def __init__(self, services: Services, app: Litestar | None = None,
                 **options: Any) -> None:
        self.services = services
        self.lines: list[str] = []
        environ = options.pop("environ", ENV)
        self.endpoints = WebhookEndpoints(Receiver(WebhookInbox.of(services), environ=environ,
                                                   lang=options.get("lang", "en")),
                                          log_line=self.lines.append, **options)
        self.app = app or Litestar(route_handlers=[endpoints_router(self.endpoints)])
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.server = uvicorn.Server(uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="on",
            timeout_graceful_shutdown=5))
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "not started"
            time.sleep(0.01)
        self.inbox = WebhookInbox.of(services)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def post(self, family: str, body: bytes, headers: dict[str, str] | None = None,
             prefix: str = "/webhooks") -> tuple[int, Any]:
        status, _, data = self.request("POST", f"{prefix}/{family}", body,
                                       sign(family, body) if headers is None else headers)
        return status, json.loads(data)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def raw(port: int, data: bytes, close_early: bool = False) -> bytes:
    """Bytes sent as they are on a new connection; everything answered until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        if close_early:
            return b""
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        return answer
