"""What the local Instagram and Facebook servers share: the Meta Graph API's versioned paths,
error envelope and cursor paging.

A stand-in for development, demos and tests (see `common`): it speaks the documented
shapes and faults, and is never the platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from socmed_adapters.platforms.local.common import (
    EXPIRED_TOKEN,
    RATE_LIMIT,
    UNAVAILABLE,
    Fault,
    LocalPlatformServer,
    Recorded,
    Reply,
)


class LocalGraphServer(LocalPlatformServer):
    """What Instagram and Facebook share: versioned paths and the Graph error envelope."""

    version = "v24.0"

    @property
    def api_url(self) -> str:
        return f"{self.url}/{self.version}"

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
