"""Real local receivers for the notification tests: an SMTP server (aiosmtpd) and an HTTP
server for chat webhooks (apprise's json:// URLs post to it), both on 127.0.0.1. Each can be
told to refuse its first N deliveries."""

from __future__ import annotations

import email
import json
import socket
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpReceiver:
    """Collects every message; refuses the first `fail_first` with a 451."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.fail_first = 0
        self.refused = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.refused < self.fail_first:
                self.refused += 1
                return "451 try again later"
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def start(self) -> SmtpReceiver:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def notification_keys(self) -> list[str]:
        return [k for m in self.messages
                for k in str(m["X-Socmed-Notification-Key"]).split()]

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


class WebhookReceiver:
    """Collects every JSON body posted; answers 500 to the first `fail_first`."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.fail_first = 0
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if receiver.refused < receiver.fail_first:
                    receiver.refused += 1
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.bodies.append(json.loads(body))
                receiver.paths.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
