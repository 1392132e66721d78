"""The ASGI factory uvicorn calls in each worker: `uvicorn socmed_web.asgi:create --factory`.

The store is configured as the CLI configures it: `$SOCMED_DATABASE_URL` (PostgreSQL) or
`$SOCMED_HOME` / the default data dir (the embedded SQLite store). `socmed serve` sets these
from its own options before starting uvicorn. The store must exist (`socmed init` first).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from litestar import Litestar, Router

from socmed_adapters.bootstrap import Services, bootstrap
from socmed_web.app import behind_tls_from_env, create_app
from socmed_web.logs import configure_logging


def create() -> Litestar:
    configure_logging()
    data_dir = os.environ.get("SOCMED_HOME")
    services = bootstrap(Path(data_dir) if data_dir else None,
                         database_url=os.environ.get("SOCMED_DATABASE_URL") or None,
                         create=False)
    routers, on_startup, on_shutdown = _mounted_routers(services)
    app = create_app(services, routers=routers)
    app.on_startup.extend(on_startup)
    app.on_shutdown.extend([*on_shutdown, services.close])
    return app


def _mounted_routers(services: Services) -> tuple[list[Router], list[Any], list[Any]]:
    """The webhooks (always) and single sign-on (when $SOCMED_OIDC_* configure it).

    Deliveries are recorded by every server; they are processed in this process only when
    `socmed serve --process-webhooks-as MEMBER` set $SOCMED_SERVE_WORKER_AS (as that member,
    established by direct store access like `socmed worker`), otherwise by `socmed worker`."""
    from socmed_domain.identity.principal import Principal
    from socmed_web.sso import sso_router_from_env
    from socmed_web.webhooks import webhook_router, webhooks_with_worker

    routers: list[Router] = []
    on_startup: list[Any] = []
    on_shutdown: list[Any] = []
    member = os.environ.get("SOCMED_SERVE_WORKER_AS")
    if member:
        principal = Principal(member, f"local-cli:{os.environ.get('SOCMED_SERVE_OS_USER', '')}")
        router, on_startup, on_shutdown = webhooks_with_worker(services, principal)
        routers.append(router)
    else:
        from socmed_adapters.jobs.hooks import webhook_waker

        # On PostgreSQL a delivery recorded wakes a `socmed worker --queue` (a job).
        routers.append(webhook_router(services, on_recorded=webhook_waker(services)))
    if os.environ.get("SOCMED_SERVE_NOTIFY") == "1":
        # the notifier in this process (`socmed serve --notify`); with several workers each
        # runs one, and the tracked position and the claims keep every notification once
        from socmed_adapters.notifications.notifier import Notifier, NotifierThread

        holder: list[NotifierThread] = []

        def start_notifier() -> None:
            holder.append(NotifierThread(Notifier(services)).start())

        def stop_notifier() -> None:
            for thread in holder:
                thread.stop()

        on_startup.append(start_notifier)
        on_shutdown.append(stop_notifier)
    sso = sso_router_from_env(services.app.identity, secure_cookies=behind_tls_from_env(),
                              clock=services.clock)
    if sso is not None:
        routers.append(sso)
    return routers, on_startup, on_shutdown
