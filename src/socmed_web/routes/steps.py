"""One route definition for the API's many one-field transitions of a thing named by `ref`
(a note, a comment, a reason): written out, each was the same five lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request, Response, post

from socmed_web.openapi import COMMAND
from socmed_web.web import command, command_async


def ref_command(path: str, name: str, body: type, field: str,
                service: Callable[[Request[Any, Any, Any]], Any],
                method: str | None = None, *, bounded: bool = False) -> Any:
    """A POST route at `path` (with a `{ref:str}`) whose command is
    `service(request).<method or name>(who, ref, data.<field>)` on a `body`: the many
    one-field transitions (note, comment, reason) differ only in these. The handler is named
    `name` and takes `body`, as one written out would, so the OpenAPI document is the same.
    `bounded`: the transition is one aggregate's and calls nothing outside the store, so
    it may run in the event loop (`command_async`)."""
    def call(request: Request[Any, Any, Any], ref: str, data: Any) -> Any:
        return lambda who: getattr(service(request), method or name)(
            who, ref, getattr(data, field))

    if bounded:
        async def on_loop(request: Request[Any, Any, Any], ref: str,
                          data: Any) -> Response[Any]:
            return await command_async(request, data, call(request, ref, data))
        handler: Any = on_loop
    else:
        def on_thread(request: Request[Any, Any, Any], ref: str,
                      data: Any) -> Response[Any]:
            return command(request, data, call(request, ref, data))
        handler = on_thread
    handler.__name__ = handler.__qualname__ = name
    handler.__annotations__ = {**handler.__annotations__, "data": body}
    if bounded:
        return post(path, responses=COMMAND)(handler)
    return post(path, responses=COMMAND, sync_to_thread=True)(handler)
