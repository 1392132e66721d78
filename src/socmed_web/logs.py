"""Request logs as JSON lines, and the security headers of every answer.

A log line says what an operator needs and nothing a log reader should not see: the method,
the route's path *template* (`/api/v1/content/{ref}`, not the id typed), the status, the
time taken, how the caller was authenticated (`session`, `token`, ...; never the secret or
the member), and a request id also sent back as `X-Request-Id`. No query strings, bodies,
cookies or headers: they can hold tokens, names or message texts of the audience.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("socmed_web.requests")


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the record's extras."""

    FIELDS = ("method", "route", "status", "duration_ms", "via", "request_id", "incident",
              "path", "error_type")

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")
        self._encode = json.JSONEncoder(default=str).encode

    def formatTime(self, record: logging.LogRecord,
                   datefmt: str | None = None) -> str:
        """The record's second as text, formatted once per second (every request logs)."""
        second = int(record.created)
        if self._second[0] != second or datefmt is not None:
            text = super().formatTime(record, datefmt or "%Y-%m-%dT%H:%M:%S%z")
            if datefmt is not None:
                return text
            self._second = (second, text)
        return self._second[1]

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"at": self.formatTime(record),
                                "level": record.levelname, "logger": record.name,
                                "message": record.getMessage()}
        for name in self.FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            line["error_type"] = record.exc_info[0].__name__  # the type, never the traceback
        return self._encode(line)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the server's loggers (called by the ASGI factory)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger("socmed_web")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _route(scope: Scope) -> str:
    """The matched route's template (ids typed by the client are left out)."""
    return str(scope.get("path_template") or "(unrouted)")


class RequestLogMiddleware:
    """The request log line and `X-Request-Id`; with `headers` (a SecurityHeadersMiddleware's),
    also the security headers an answer does not set itself, in the same pass over the
    answer's start (one wrapper less on every request)."""

    def __init__(self, app: ASGIApp,
                 headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.app = app
        self.headers = headers or []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = os.urandom(8).hex()  # 16 hex digits, as uuid4().hex[:16] gave
        status = 500

        security = self.headers

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if security:
                    present = {k.lower() for k, _ in headers}
                    headers.extend((k, v) for k, v in security if k not in present)
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if log.isEnabledFor(logging.INFO):
                state = scope.get("state", {})
                # the record made and handled as `log.info` does, without looking up the
                # caller's frame (a log line says nothing of it)
                log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, "request", (),
                                          None, extra={
                    "method": scope.get("method"), "route": _route(scope), "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "via": state.get("via_kind", "-") if isinstance(state, dict) else "-",
                    "request_id": request_id}))


CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"


class SecurityHeadersMiddleware:
    """Headers every answer carries (HSTS only behind TLS: over plain HTTP it means
    nothing, and a browser would keep it for the host)."""

    def __init__(self, hsts: bool) -> None:
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cache-control", b"no-store"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security",
                                 b"max-age=31536000; includeSubDomains"))

    def middleware(self, app: ASGIApp) -> ASGIApp:
        headers = self.headers

        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    present = {k.lower() for k, _ in message.get("headers", [])}
                    extra = [(k, v) for k, v in headers if k not in present]
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                await send(message)

            await app(scope, receive, sending)

        return wrapped
