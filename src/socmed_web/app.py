"""`create_app(services)`: the HTTP API over the services one composition root built.

The app is Litestar: handlers under /api/v1 (socmed_web.routes), one exception handler that
turns every refusal into an RFC 9457 problem, request logs as JSON lines, security headers on
every answer, and the OpenAPI 3.1 document at /api/schema. Other packages' routers (the
webhooks, single sign-on) are passed in `routers` and mounted beside ours; the web console's
pages (socmed_web.console) are mounted at / with their templates and static files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.types import ControllerRouterHandler

from socmed_adapters.bootstrap import Services
from socmed_web import problems
from socmed_web.auth import CachedPrincipals, Identity
from socmed_web.idempotency import IdempotencyStore
from socmed_web.logs import RequestLogMiddleware, SecurityHeadersMiddleware
from socmed_web.openapi import COMPONENTS, SECURITY
from socmed_web.web import WebContext

#: Largest request body the API reads (commands are small; media do not go through it).
MAX_BODY = 1_000_000


def behind_tls_from_env() -> bool:
    return os.environ.get("SOCMED_BEHIND_TLS", "").lower() in ("1", "true", "yes")


def create_app(services: Services, *, identity: Identity | None = None,
               routers: Sequence[ControllerRouterHandler] = (),
               behind_tls: bool | None = None) -> Litestar:
    """The API app over `services` (from `socmed_adapters.bootstrap.bootstrap`).

    `identity` is the application's identity service (`services.app.identity`) unless
    another object with its interface is given;
    `routers` are mounted as they are (other entry points' routes); `behind_tls` (default
    $SOCMED_BEHIND_TLS) makes cookies Secure and adds HSTS."""
    from socmed_adapters.log_head import LogHead
    from socmed_adapters.projections.follower import Follower
    from socmed_web import console
    from socmed_web.routes import (
        configuration,
        content,
        media,
        more,
        operations,
        planning,
        reads,
        session,
    )
    from socmed_web.routes import notify as notifications

    chosen: Identity = identity if identity is not None else services.app.identity
    tls = behind_tls_from_env() if behind_tls is None else behind_tls
    # The read models are kept current by a follower thread while the app runs (started
    # and stopped with it), and the principals sessions and tokens prove are cached until
    # an access event: a read then costs its own query and little else (docs/decisions.md,
    # "Reads from a projection follower").
    follower = Follower(services.projector, poll_seconds=follower_poll_seconds())
    ctx = WebContext(services=services,
                     identity=CachedPrincipals(chosen, services.app, services.clock),
                     idempotency=IdempotencyStore(services.engine, services.storage.schema),
                     secure_cookies=tls, follower=follower,
                     inline_reads=services.storage.kind == "sqlite",
                     log_head=LogHead(services))
    ours: list[Router] = [session.router, content.router, *planning.routers, *reads.routers,
                          *more.routers, notifications.router, *configuration.routers,
                          *media.routers, *operations.routers]
    app = Litestar(
        route_handlers=[*ours, *console.routers(), *routers],
        template_config=console.template_config(),
        state=State({"socmed": ctx}),
        exception_handlers={Exception: problems.handle},
        request_max_body_size=MAX_BODY,
        openapi_config=OpenAPIConfig(
            title="socmed API", version="1", path="/api/schema",
            description="SOP-0042 social media management: every command and read model. "
            "Errors are RFC 9457 problems; see docs/api.md.",
            components=COMPONENTS, security=SECURITY,
            render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])]),
        debug=False,
        logging_config=None,
        on_startup=[follower.start],
        on_shutdown=[follower.stop],
    )
    # Around Litestar's whole handler (not as route middleware), so an unknown path or a
    # refused method gets the headers and a log line too.
    app.asgi_handler = RequestLogMiddleware(app.asgi_handler,
                                            SecurityHeadersMiddleware(hsts=tls).headers)
    return app


def follower_poll_seconds() -> float:
    """How often the follower looks for other processes' events without a notification
    ($SOCMED_FOLLOW_POLL seconds, default 0.05; PostgreSQL also wakes it by LISTEN/NOTIFY)."""
    try:
        return max(0.005, float(os.environ.get("SOCMED_FOLLOW_POLL", "0.05")))
    except ValueError:
        return 0.05


def app_state(app: Litestar) -> Any:
    return app.state.socmed
