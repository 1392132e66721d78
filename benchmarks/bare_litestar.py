"""The baseline of bench_http: a bare Litestar app whose one endpoint returns a constant.

Served the same way as the API (uvicorn, same workers, no access log), it shows what the
framework, the server and the load generator cost on this machine before any socmed work:
no authentication, no store, no middleware.

uvicorn benchmarks.bare_litestar:create --factory
"""

from __future__ import annotations

from litestar import Litestar, get

CONSTANT = {"items": [], "next": None}


@get("/constant", sync_to_thread=False)
def constant() -> dict[str, object]:
    return CONSTANT


def create() -> Litestar:
    return Litestar(route_handlers=[constant], debug=False, logging_config=None)
