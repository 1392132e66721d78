"""The webhook endpoints: `/webhooks/meta|x|tiktok|linkedin` as a Litestar `Router`.

| path | GET | POST |
|---|---|---|
| `/meta` | `hub.challenge` when `hub.verify_token` is `SOCMED_META_VERIFY_TOKEN` | a delivery |
| `/x` | the CRC answer to `crc_token` | a delivery |
| `/tiktok` | 405 (TikTok has no handshake) | a delivery |
| `/linkedin` | the `challengeCode` validation | a delivery |

A POST is answered only once the delivery is durably recorded (`Receiver.receive`: a
committed row with the raw body and the signature verdict); a worker processes it later
(`socmed worker`, or in this process). Answers: 200 `{"delivery", "platform", "state"}`;
400 a signed body that can never be read (recorded as refused: platforms retry a 500 for
days); 401 no signature header, 403 a signature (or verify token) that does not match or a
stale TikTok timestamp (recorded as refused); 503 the platform's secret is not set (recorded
as refused), or more than `max_concurrent` deliveries at once (not recorded); 404 an unknown
platform; 405 any other method, with `Allow`; 408 a body that stops arriving for
`body_timeout` seconds; 413 a body over `max_body` (nothing recorded, nothing read past the
declared length); 500 a one-line JSON error when storage fails (nothing recorded, the
platform delivers again). Never a traceback.

The router is mounted by the main server (`socmed serve`); `create_webhook_app` is the
small app `socmed inbox listen` serves alone. Parsing and rules stay out of here: this
module reads the request and renders the `Receiver`'s answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from litestar import Litestar, Request, Response, Router, route
from litestar.enums import HttpMethod

from socmed_adapters.monitoring.webhook_delivery import DEFAULT_MAX_BODY
from socmed_adapters.monitoring.webhook_inbox import WebhookInbox
from socmed_adapters.monitoring.webhook_receiver import Answer, Receiver
from socmed_adapters.monitoring.webhooks import ALL_FAMILIES, HEADERS, LABELS, TIKTOK
from socmed_domain.errors import quoted
from socmed_domain.i18n import render

if TYPE_CHECKING:
    from socmed_adapters.bootstrap import Services

log = logging.getLogger("socmed.webhooks")

#: Seconds a client may take to send a body.
BODY_TIMEOUT = 10.0
#: Deliveries handled at once; beyond, 503 with Retry-After (the platforms retry).
MAX_CONCURRENT = 256
METHODS = ("GET", "POST")
_ALL_METHODS = [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
                HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE]


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class WebhookEndpoints:
    """The state behind the router: the receiver, the limits, the log."""

    def __init__(self, receiver: Receiver, *, prefix: str = "/webhooks",
                 max_body: int = DEFAULT_MAX_BODY, body_timeout: float = BODY_TIMEOUT,
                 max_concurrent: int = MAX_CONCURRENT, lang: str = "en",
                 log_line: Callable[[str], None] | None = None) -> None:
        self.receiver = receiver
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.max_concurrent = max_concurrent
        self.lang = lang
        self.log_line = log_line
        self.in_flight = 0

    def note(self, code: str, **params: Any) -> None:
        if self.log_line is None and not log.isEnabledFor(logging.INFO):
            return  # not rendered for no one (a line per request is not free)
        text = render(code, self.lang, **params)
        if self.log_line is not None:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            self.log_line(f"{stamp} {text}")
        else:
            log.info(text)

    def error(self, code: str, **params: Any) -> dict[str, str]:
        return {"error": render(code, self.lang,
                                **{name: quoted(name, value) for name, value in params.items()})}

    def answer(self, family: str, status: int, body: Any, allow: str = "",
               close: bool = False) -> Response[Any]:
        if status >= 400 and family:
            reason = body.get("error", "") if isinstance(body, dict) else str(body)
            self.note("inbox.listen_refused", platform=LABELS.get(family, "-"),
                      status=status, reason=reason)
        headers: dict[str, str] = {}
        if allow:
            headers["Allow"] = allow
        if status == 503 and isinstance(body, dict) and "delivery" not in body:
            headers["Retry-After"] = "1"
        if close:
            headers["Connection"] = "close"
        if isinstance(body, str):
            return Response(body, status_code=status, media_type="text/plain",
                            headers=headers)
        return Response(body, status_code=status, media_type="application/json",
                        headers=headers)

    async def read_body(self, request: Request[Any, Any, Any]) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and declared.strip().isdigit() \
                and int(declared) > self.max_body:
            raise _TooLarge(int(declared))
        chunks: list[bytes] = []
        size = 0
        async with asyncio.timeout(self.body_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > self.max_body:
                    raise _TooLarge(size)
                chunks.append(chunk)
        return b"".join(chunks)

    async def handle(self, request: Request[Any, Any, Any], family: str) -> Response[Any]:
        method = request.method.upper()
        if family not in ALL_FAMILIES:
            paths = ", ".join(f"{self.prefix}/{f}" for f in ALL_FAMILIES)
            return self.answer("", 404, self.error("error.webhook_path",
                                                   path=request.url.path, paths=paths))
        allowed = "POST" if family == TIKTOK else ", ".join(METHODS)
        if method not in METHODS or (method == "GET" and family == TIKTOK):
            return self.answer(family, 405, self.error("error.webhook_method", method=method,
                                                       allowed=allowed), allow=allowed)
        if method == "GET":
            params = {k: v for k, v in request.query_params.items()}
            handshake = self.receiver.handshake(family, params)
            if handshake.status == 200:
                self.note("inbox.listen_handshake", platform=LABELS[family])
            return self.answer(family, handshake.status, handshake.body)
        if self.in_flight >= self.max_concurrent:
            return self.answer(family, 503, self.error("error.webhooks_busy",
                                                       limit=self.max_concurrent), close=True)
        self.in_flight += 1
        try:
            return await self._deliver(request, family)
        finally:
            self.in_flight -= 1

    async def _deliver(self, request: Request[Any, Any, Any], family: str) -> Response[Any]:
        declared = request.headers.get("content-length")
        if declared is not None and not declared.strip().isdigit():
            return self.answer(family, 400, self.error("error.webhook_length"), close=True)
        try:
            body = await self.read_body(request)
        except _TooLarge as large:
            return self.answer(family, 413, self.error("error.webhook_too_large",
                                                       size=large.size, limit=self.max_body),
                               close=True)
        except TimeoutError:
            return self.answer(family, 408, self.error("error.webhook_timeout",
                                                       seconds=self.body_timeout), close=True)
        if declared is not None and len(body) != int(declared):
            return self.answer(family, 400, self.error("error.webhook_length"), close=True)
        try:
            answer: Answer = await self.receiver.receive(
                family, body, request.headers.get(HEADERS[family]))
        except Exception as error:  # storage down: nothing kept, the platform retries
            return self.answer(family, 500, self.error(
                "error.webhook_failed", error=type(error).__name__, detail=_first_line(error)))
        if answer.status == 200:
            self.note("webhooks.recorded", platform=LABELS[family], delivery=answer.delivery)
        return self.answer(family, answer.status, answer.body)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return " ".join(lines[0].split())[:300] if lines else type(error).__name__


def endpoints_router(endpoints: WebhookEndpoints) -> Router:
    """The Litestar router over prepared endpoints."""

    @route("/{family:str}", http_method=_ALL_METHODS, request_max_body_size=None,
           include_in_schema=False)
    async def webhook(request: Request[Any, Any, Any]) -> Response[Any]:
        return await endpoints.handle(request, str(request.path_params["family"]))

    return Router(path=endpoints.prefix or "/", route_handlers=[webhook])


def webhook_router(services: Services, *, environ: Mapping[str, str] | None = None,
                   on_recorded: Callable[[], None] | None = None, lang: str = "en",
                   log_line: Callable[[str], None] | None = None,
                   **limits: Any) -> Router:
    """`/webhooks/...` for the main server: deliveries recorded in the store's webhook inbox
    (processed by `socmed worker`, or by `start_worker` in the server's process; pass the
    worker thread's `wake` as `on_recorded`). `limits`: prefix, max_body, body_timeout,
    max_concurrent."""
    receiver = Receiver(WebhookInbox.of(services), environ=environ, lang=lang,
                        on_recorded=on_recorded)
    return endpoints_router(WebhookEndpoints(receiver, lang=lang, log_line=log_line,
                                             **limits))


def create_webhook_app(services: Services, **options: Any) -> Litestar:
    """An app serving only the webhooks (`socmed inbox listen`); options as `webhook_router`."""
    return Litestar(route_handlers=[webhook_router(services, **options)], openapi_config=None,
                    logging_config=None)


#: The environment variable through which `socmed inbox listen` hands its options to
#: `listen_app` (uvicorn builds the app from its import string: the CLI and the web entry
#: point never import each other).
OPTIONS_ENV = "SOCMED_WEBHOOKS_OPTIONS"


def listen_app() -> Litestar:
    """The app `socmed inbox listen` serves: the webhooks of the store named in
    $SOCMED_WEBHOOKS_OPTIONS (JSON: data_dir, database_url, prefix, max_body, body_timeout,
    max_concurrent, lang, quiet, and member when deliveries are processed in this process
    as that member)."""
    import json
    import os
    import sys

    from socmed_adapters.bootstrap import bootstrap

    options = json.loads(os.environ[OPTIONS_ENV])
    services = bootstrap(options.get("data_dir"), database_url=options.get("database_url"))
    lang = options.get("lang", "en")

    def line(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    log_line = None if options.get("quiet") else line
    limits = {key: options[key] for key in ("prefix", "max_body", "body_timeout",
                                            "max_concurrent") if key in options}
    started: list[Callable[[], None]] = []
    stopping: list[Callable[[], None]] = []
    if options.get("member"):
        def processed(delivery: Any, report: Any) -> None:
            if log_line is not None:
                stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                log_line(f"{stamp} " + render(
                    "worker.processed", lang, delivery=delivery.id, platform=report.label,
                    new=report.new, duplicates=report.duplicates, received=report.received,
                    skipped=report.skipped, unread=report.unread))
                for alert in report.alerts:
                    log_line(f"{stamp} " + render("inbox.alert", lang, alert=alert))

        router, started, stopping = webhooks_with_worker(
            services, options["member"], lang=lang, log_line=log_line,
            worker_options={"alerts": options.get("alerts", True), "on_done": processed,
                            "poll": float(options.get("poll", 1.0))}, **limits)
    else:
        router = webhook_router(services, lang=lang, log_line=log_line, **limits)

    def stopped() -> None:
        for hook in stopping:
            hook()
        services.close()
        line(render("inbox.listen_stopped", lang))

    return Litestar(route_handlers=[router], openapi_config=None, logging_config=None,
                    on_startup=started, on_shutdown=[stopped])


def webhooks_with_worker(services: Services, actor: Any, *,
                         worker_options: Mapping[str, Any] | None = None, **options: Any
                         ) -> tuple[Router, list[Callable[[], None]], list[Callable[[], None]]]:
    """The webhook router plus on_startup and on_shutdown hooks that run the worker in this
    process as `actor` (a member id or an authenticated Principal), woken by each delivery
    recorded. For `socmed serve`: `Litestar([..., router], on_startup=start,
    on_shutdown=stop)`."""
    from socmed_adapters.monitoring.webhook_worker import WebhookWorker, WorkerThread

    settings = dict(worker_options or {})
    poll = float(settings.pop("poll", 1.0))
    thread = WorkerThread(WebhookWorker.of(services, actor, **settings), poll=poll)
    router = webhook_router(services, on_recorded=thread.wake, **options)
    def start() -> None:
        thread.start()

    def stop() -> None:
        thread.stop()

    return router, [start], [stop]

