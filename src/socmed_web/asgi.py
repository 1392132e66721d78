"""The ASGI factory uvicorn calls in each worker: `uvicorn socmed_web.asgi:create --factory`.

The store is configured as the CLI configures it: `$SOCMED_DATABASE_URL` (PostgreSQL) or
`$SOCMED_HOME` / the default data dir (the embedded SQLite store). `socmed serve` sets these
from its own options before starting uvicorn. The store must exist (`socmed init` first).
"""

from __future__ import annotations

import os
from pathlib import Path

from litestar import Litestar

from socmed_adapters.bootstrap import bootstrap
from socmed_web.app import create_app
from socmed_web.logs import configure_logging


def create() -> Litestar:
    configure_logging()
    data_dir = os.environ.get("SOCMED_HOME")
    services = bootstrap(Path(data_dir) if data_dir else None,
                         database_url=os.environ.get("SOCMED_DATABASE_URL") or None,
                         create=False)
    app = create_app(services)
    app.on_shutdown.append(lambda: services.close())
    return app
