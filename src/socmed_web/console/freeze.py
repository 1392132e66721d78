"""The freeze banner every console page shows while an incident's freeze on publishing
holds: the layout asks `freezes` once per request."""

from __future__ import annotations

from typing import Any

from litestar import Request

from socmed_web.web import context


def freezes(request: Request[Any, Any, Any]) -> tuple[tuple[str, str], ...]:
    """(ref, title) of the incidents whose freeze holds (asked once per request)."""
    cached = getattr(request.state, "freezes", None)
    if cached is None:
        cached = context(request).services.read_models.freezes()  # the incidents model
        request.state.freezes = cached
    return tuple(cached)
