"""`socmed serve`: start the HTTP API on uvicorn, on the same store as the CLI.

This command only starts the server. It names the app by its import path
("socmed_web.asgi:create") and never imports socmed_web itself: the CLI and the web are two
entry points of equal standing and neither imports the other (an import-linter contract).
"""

from __future__ import annotations

import os

import click

from socmed_cli.context import CliState, pass_state

APP = "socmed_web.asgi:create"

#: uvicorn's own lines (started, listening on, shutting down) as JSON lines like the
#: request log; the formatter is named by its import path, like the app.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "socmed_web.logs.JsonLines"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr"}},
    "loggers": {"uvicorn.error": {"handlers": ["stderr"], "level": "INFO",
                                  "propagate": False}},
}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep 127.0.0.1 behind a reverse proxy).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--behind-tls", is_flag=True, default=False,
              help="A TLS reverse proxy is in front: Secure cookies, HSTS, and the proxy's "
              "X-Forwarded-* headers trusted from 127.0.0.1 (or $FORWARDED_ALLOW_IPS).")
@click.option("--graceful-timeout", type=click.IntRange(1, 600), default=30,
              show_default=True, help="Seconds SIGTERM waits for requests in flight.")
@click.option("--process-webhooks-as", "worker_as", metavar="MEMBER", default=None,
              help="Also process the webhook deliveries this server records, in its own "
              "process, as MEMBER (otherwise run 'socmed worker').")
@click.option("--notify", "with_notifier", is_flag=True,
              help="Also run the notifier in the server's process (otherwise run "
              "'socmed notify run --loop' or 'socmed worker --notify').")
@pass_state
def serve(state: CliState, host: str, port: int, workers: int, behind_tls: bool,
          graceful_timeout: int, worker_as: str | None, with_notifier: bool) -> None:
    """Serve the API (/api/v1, OpenAPI at /api/schema) until SIGTERM or Ctrl-C.

    SIGTERM stops accepting connections and finishes the requests in flight first.
    Request logs are JSON lines on stderr.

    \b
    Example:
      socmed serve --port 8000 --workers 2
      socmed --database-url postgresql://socmed@db/socmed serve --behind-tls
      socmed serve --process-webhooks-as adi.admin
    """
    import uvicorn

    # the workers (separate processes) read the store configuration from the environment
    if state.data_dir is not None:
        os.environ["SOCMED_HOME"] = str(state.data_dir)
    if state.database_url:
        os.environ["SOCMED_DATABASE_URL"] = state.database_url
    if behind_tls:
        os.environ["SOCMED_BEHIND_TLS"] = "1"
    if worker_as:
        from socmed_cli.context import os_user

        os.environ["SOCMED_SERVE_WORKER_AS"] = worker_as
        os.environ["SOCMED_SERVE_OS_USER"] = os_user()
    if with_notifier:
        os.environ["SOCMED_SERVE_NOTIFY"] = "1"
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                proxy_headers=behind_tls, log_config=LOG_CONFIG, access_log=False,
                timeout_graceful_shutdown=graceful_timeout, server_header=False)
