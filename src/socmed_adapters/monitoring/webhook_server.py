"""Receiving webhook deliveries: one code path for a captured body (`socmed inbox webhook`) and
for the live HTTP receiver (`socmed inbox listen`).

`receive_delivery` is the whole job for one delivery: the secret from the environment, the
signature checked on the raw body before a byte is parsed, the payload read, the interactions
ingested through the application (idempotent on the platform's message id, so a redelivery
adds nothing), spike alerts raised over the span ingested. A refused delivery never reaches
the store.

`WebhookServer` is a stdlib `ThreadingHTTPServer` serving, under a path prefix:

| path | GET | POST |
|---|---|---|
| `/meta` | `hub.challenge` when `hub.verify_token` is `SOCMED_META_VERIFY_TOKEN` | a delivery |
| `/x` | the CRC answer to `crc_token` | a delivery |
| `/tiktok` | 405 (TikTok has no handshake) | a delivery |
| `/linkedin` | the `challengeCode` validation | a delivery |

Answers: 200 with JSON counts; 400 malformed payload or request (also when signed: deep
nesting, NaN, numbers or times out of range, lone surrogates, wrong types; platforms retry a
500 forever); 401 no signature header; 403 a signature (or verify token) that does not match,
or a stale TikTok timestamp; 404 unknown path; 405 any other method (OPTIONS, TRACE,
CONNECT, ...) with `Allow`; 408 a body that stops arriving; 411 no Content-Length; 413 a
body over the limit; 503 the platform's secret is not set; 500 a one-line JSON error when
storage (or anything else) fails, never a traceback. On a stop, idle connections are shut at
once and a request still arriving gets STOP_GRACE seconds. Requests are handled in threads, but
ingestion is serialised with one lock around the one application: the store sees one writer
from this process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from attrs import frozen

from socmed_adapters.monitoring.webhook_payloads import WebhookBatch
from socmed_adapters.monitoring.webhooks import (
    ALL_FAMILIES,
    HEADERS,
    LABELS,
    LINKEDIN,
    META,
    TIKTOK,
    VERIFY_TOKEN_ENV,
    WebhookSource,
    X,
    linkedin_challenge,
    meta_challenge,
    secret_for,
    verified_batch,
    x_crc_response,
)
from socmed_domain.errors import (
    InvalidInputError,
    PermissionDeniedError,
    SocmedError,
    quoted,
)
from socmed_domain.i18n import render
from socmed_domain.identity.principal import ActorRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionsUnavailable
from socmed_domain.platforms import Platform

#: Bodies larger than this are answered 413 (read and dropped, never kept or parsed).
DEFAULT_MAX_BODY = 1024 * 1024
#: A refused body up to this size is still read (and dropped) so the client sees the answer
#: instead of a reset connection; beyond it the connection is simply closed.
DRAIN_LIMIT = 16 * 1024 * 1024
#: Seconds a client may stay silent mid-request before its connection is dropped.
REQUEST_TIMEOUT = 30
#: Seconds a request already under way (its request line received) may take to finish after
#: a stop (SIGTERM): then its connection is shut down. Idle connections are shut at once, so
#: slow or silent clients cannot keep a stopping receiver alive.
STOP_GRACE = 3.0
#: The methods the receiver answers; every other one gets 405 with `Allow`.
METHODS = ("GET", "POST")
#: Signature refusals and their HTTP status.
REFUSALS = {"error.webhook_unsigned": 401, "error.webhook_bad_signature": 403,
            "error.webhook_stale": 403, "error.webhook_verify_token": 403,
            "error.webhook_no_secret": 503}
_SIZE = re.compile(r"^\s*(\d+)\s*(?:([kmg])(?:i?b)?|b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """'1MB', '512KB', '2m', '65536': bytes, with K, M and G as powers of 1024."""
    match = _SIZE.match(text)
    if not match or int(match.group(1)) <= 0:
        raise InvalidInputError("error.webhook_size", value=text)
    power = " kmg".index((match.group(2) or " ").lower())
    return int(match.group(1)) << (10 * power)


@frozen
class DeliveryReport:
    """What one accepted delivery did."""

    family: str
    received: int
    new: int
    duplicates: int
    opened: int
    skipped: int
    unread: int
    alerts: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.family]

    def as_json(self) -> dict[str, Any]:
        return {"platform": self.family, "received": self.received, "new": self.new,
                "duplicates": self.duplicates, "conversations_opened": self.opened,
                "skipped": self.skipped, "unread": self.unread, "alerts": list(self.alerts)}


def receive_delivery(family: str, body: bytes, signature: str | None, actor: ActorRef,
                     app: Callable[[], Any], *, alerts: bool = True,
                     environ: Mapping[str, str] | None = None, now: datetime | None = None,
                     lock: threading.Lock | None = None,
                     mentions: MentionReader | None = None,
                     source: str = "body") -> DeliveryReport:
    """Verify, read and ingest one delivery, then raise spike alerts over its time span.
    `source` names the body in error messages (the captured file's path, or "body").

    Instagram announces @mentions by id only; with `mentions` (an Instagram client's
    `mentioned`, see `mention_reader`) their text is read from the API before ingesting.

    `app` is called only once the delivery is verified and read, so a refused delivery does
    not even open (or create) the store. `lock` serialises the writing part when deliveries
    arrive on several threads."""
    batch = verified_batch(family, body, signature, secret_for(family, environ),
                           now or datetime.now(UTC), source)
    if mentions is not None:
        read_mentions(batch, mentions)
    with lock or nullcontext():
        application = app()
        report = application.inbox.ingest_interactions(actor, WebhookSource(batch).interactions())
        raised: tuple[str, ...] = ()
        # Over the whole delivery, repeats included: alerts are recorded once, and a
        # redelivery after a failed check runs the check again.
        times = [item.received_at for item in batch.interactions]
        if alerts and times:
            raised = tuple(application.inbox.raise_spike_alerts(actor, min(times), max(times)))
    return DeliveryReport(family, report.received, report.new, report.duplicates,
                          report.conversations_opened, batch.skipped, batch.unread, raised)


MentionReader = Callable[[str, str], InboundInteraction | None]


def read_mentions(batch: WebhookBatch, read: MentionReader) -> None:
    """Turn the delivery's Instagram mention ids into interactions. One the API cannot read
    now stays counted as unread (the response says so); one Instagram no longer has is
    skipped."""
    for media_id, comment_id in batch.mention_ids:
        try:
            found = read(media_id, comment_id)
        except InteractionsUnavailable:
            continue
        batch.unread -= 1
        if found is None:
            batch.skipped += 1
        else:
            batch.interactions.append(found)
    batch.mention_ids.clear()


def mention_reader(environ: Mapping[str, str] | None = None) -> MentionReader | None:
    """Instagram's `mentioned` with the configured credentials; None when Instagram has
    none (its mentions then stay counted as unread)."""
    from socmed_adapters.interactions.instagram import InstagramInteractions
    from socmed_adapters.platforms.credentials import CredentialsError, load_credentials

    try:
        credentials = load_credentials(environ).get(Platform.INSTAGRAM)
    except CredentialsError:
        return None
    return None if credentials is None else InstagramInteractions(credentials).mentioned


class WebhookServer(ThreadingHTTPServer):
    """The receiver: one application, one lock, one log line per request."""

    daemon_threads = False  # a stop waits for the requests in flight...
    block_on_close = True  # ...in server_close()

    def __init__(self, address: tuple[str, int], app: Any, actor: ActorRef, *,
                 prefix: str = "/webhooks", max_body: int = DEFAULT_MAX_BODY,
                 alerts: bool = True, log: Callable[[str], None] | None = None,
                 lang: str = "en", environ: Mapping[str, str] | None = None,
                 mentions: MentionReader | None = None) -> None:
        self.app, self.actor, self.alerts, self.lang = app, actor, alerts, lang
        self.mentions = mentions
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.max_body = max_body
        self.log = log
        self.environ = environ
        self.lock = threading.Lock()
        self.stopping = False
        #: Each open connection's state: 'idle' (no request under way), 'reading' (a request
        #: line received, headers or body arriving) or 'busy' (being answered).
        self._connections: dict[Any, str] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, WebhookHandler)

    def connection_state(self, connection: Any, state: str | None) -> bool:
        """Record a connection's state (None: closed); False when the receiver is stopping,
        so the handler closes the connection after the request in hand."""
        with self._connections_lock:
            if state is None:
                self._connections.pop(connection, None)
            else:
                self._connections[connection] = state
            return not self.stopping

    def _shut(self, states: set[str]) -> int:
        """Shut down the connections in `states` (their blocked reads return at once)."""
        import socket
        from contextlib import suppress

        with self._connections_lock:
            chosen = [c for c, state in self._connections.items() if state in states]
        for connection in chosen:
            with suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
        return len(chosen)

    def stop_connections(self, grace: float = STOP_GRACE) -> None:
        """After serve_forever() returned: idle connections are shut now, requests under way
        get `grace` seconds to finish, deliveries being stored are always finished."""
        import time

        with self._connections_lock:
            self.stopping = True
        self._shut({"idle"})
        end = time.monotonic() + grace
        while time.monotonic() < end:
            with self._connections_lock:
                waiting = any(s in ("idle", "reading") for s in self._connections.values())
            if not waiting:
                break
            time.sleep(0.05)
        self._shut({"idle", "reading"})

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}{self.prefix}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """An error outside a request's own handling (mostly a client gone mid-answer): one
        log line, not socketserver's traceback."""
        error = sys.exc_info()[1]
        if error is None or isinstance(error, ConnectionError | TimeoutError):
            return
        self.note("inbox.listen_refused", platform="-", status=500,
                  reason=f"{type(error).__name__}: {_first_line(error)}")

    def note(self, code: str, **params: Any) -> None:
        if self.log is not None:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            self.log(f"{stamp} {render(code, self.lang, **params)}")


class _Answer(Exception):
    """Ends a request with this status and JSON body (or plain text)."""

    def __init__(self, status: int, body: Any, allow: str = "") -> None:
        super().__init__(status)
        self.status, self.body, self.allow = status, body, allow


class WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookServer
    server_version = "socmed-webhooks"
    sys_version = ""
    timeout = REQUEST_TIMEOUT

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def __getattr__(self, name: str) -> Any:
        """Every other method (OPTIONS, TRACE, CONNECT, anything) is answered 405 with
        `Allow` in JSON, rather than http.server's 501 HTML page."""
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    # ------------------------------------------------------- connection states

    def setup(self) -> None:
        super().setup()
        if not self.server.connection_state(self.connection, "idle"):
            self.close_connection = True

    def parse_request(self) -> bool:
        self.server.connection_state(self.connection, "reading")
        return super().parse_request()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        finally:
            if not self.server.connection_state(self.connection, "idle"):
                self.close_connection = True  # stopping: no further request on it

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.connection_state(self.connection, None)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """http.server's own access log is off: the server logs one line per delivery."""

    # ---------------------------------------------------------------- dispatch

    def _handle(self, method: str) -> None:
        family = ""
        try:
            if method not in METHODS:
                family = self._family_or_none()
                allowed = "POST" if family == TIKTOK else ", ".join(METHODS)
                raise _Answer(405, self._error("error.webhook_method", method=method,
                                               allowed=allowed), allow=allowed)
            family = self._family()
            if method == "POST":
                self._deliver(family)
            elif method == "GET":
                self._handshake(family)
            else:
                allowed = "POST" if family == TIKTOK else "GET, POST"
                raise _Answer(405, self._error("error.webhook_method", method=method,
                                               allowed=allowed), allow=allowed)
        except _Answer as answer:  # logged first, so the log is complete once answered
            if family:
                self.server.note("inbox.listen_refused", platform=LABELS[family],
                                 status=answer.status, reason=_reason(answer.body))
            self._send(answer.status, answer.body, answer.allow)
        except Exception as error:
            detail = _first_line(error)
            body = self._error("error.webhook_failed", error=type(error).__name__,
                               detail=detail)
            self.server.note("inbox.listen_refused", platform=LABELS.get(family, "-"),
                             status=500, reason=body["error"])
            self._send(500, body)

    def _family_or_none(self) -> str:
        try:
            return self._family()
        except _Answer:
            return ""

    def _family(self) -> str:
        path = urlsplit(self.path).path.rstrip("/")
        prefix = self.server.prefix
        name = path[len(prefix) + 1:] if path.startswith(prefix + "/") else ""
        if name not in ALL_FAMILIES:
            raise _Answer(404, self._error("error.webhook_path", path=path or "/",
                                           paths=", ".join(f"{prefix}/{f}"
                                                           for f in ALL_FAMILIES)))
        return name

    def _params(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))

    def _error(self, code: str, **params: Any) -> dict[str, str]:
        return {"error": render(code, self.server.lang,
                                **{name: quoted(name, value) for name, value in params.items()})}

    def _refused(self, error: SocmedError) -> _Answer:
        status = REFUSALS.get(error.code, 400 if isinstance(error, InvalidInputError) else 500)
        return _Answer(status, {"error": error.message(self.server.lang)})

    # --------------------------------------------------------------- handshakes

    def _handshake(self, family: str) -> None:
        params = self._params()
        env = self.server.environ if self.server.environ is not None else os.environ
        try:
            if family == META:
                answer: Any = meta_challenge(params, env.get(VERIFY_TOKEN_ENV, "").strip())
            elif family == X:
                answer = x_crc_response(params.get("crc_token", ""), secret_for(X, env))
            elif family == LINKEDIN:
                answer = linkedin_challenge(params.get("challengeCode", ""),
                                            secret_for(LINKEDIN, env))
            else:
                raise _Answer(405, self._error("error.webhook_method", method="GET",
                                               allowed="POST"), allow="POST")
        except SocmedError as error:
            raise self._refused(error) from None
        self.server.note("inbox.listen_handshake", platform=LABELS[family])
        self._send(200, answer)

    # --------------------------------------------------------------- deliveries

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").strip().lower() not in ("", "identity"):
            raise _Answer(411, self._error("error.webhook_length"))
        raw = self.headers.get("Content-Length")
        if raw is None:
            raise _Answer(411, self._error("error.webhook_length"))
        if not raw.strip().isdigit():
            raise _Answer(400, self._error("error.webhook_length"))
        length = int(raw)
        if length > self.server.max_body:
            self.close_connection = True
            if length <= DRAIN_LIMIT:  # let the client finish sending and read the answer
                left = length
                while left > 0 and (chunk := self.rfile.read(min(left, 65536))):
                    left -= len(chunk)
            raise _Answer(413, self._error("error.webhook_too_large", size=length,
                                           limit=self.server.max_body))
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise _Answer(408, self._error("error.webhook_timeout",
                                           seconds=self.timeout)) from None
        if len(body) != length:
            raise _Answer(400, self._error("error.webhook_length"))
        return body

    def _deliver(self, family: str) -> None:
        body = self._body()
        server = self.server
        server.connection_state(self.connection, "busy")  # stored even while stopping
        try:
            report = receive_delivery(
                family, body, self.headers.get(HEADERS[family]), server.actor,
                lambda: server.app, alerts=server.alerts, environ=server.environ,
                lock=server.lock, mentions=server.mentions)
        except (PermissionDeniedError, InvalidInputError) as error:
            if error.code.startswith("error.webhook_") or isinstance(error, InvalidInputError):
                raise self._refused(error) from None
            raise
        server.note("inbox.listen_delivery", platform=report.label, new=report.new,
                    duplicates=report.duplicates, received=report.received,
                    skipped=report.skipped, unread=report.unread)
        for alert in report.alerts:
            server.note("inbox.alert", alert=alert)
        self._send(200, report.as_json())

    # ------------------------------------------------------------------- output

    def _send(self, status: int, body: Any, allow: str = "") -> None:
        if isinstance(body, str):
            data, kind = body.encode(), "text/plain; charset=utf-8"
        else:
            data, kind = json.dumps(body, ensure_ascii=False).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if allow:
            self.send_header("Allow", allow)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _first_line(error: BaseException) -> str:
    """An error's first line, shortened: database errors go on with the statement, which
    is no one's business outside the server."""
    lines = str(error).strip().splitlines()
    return " ".join(lines[0].split())[:300] if lines else type(error).__name__


def _reason(body: Any) -> str:
    return str(body.get("error", "")) if isinstance(body, dict) else str(body)


def serve(server: WebhookServer, poll_interval: float = 0.2) -> None:
    """Serve until SIGTERM or SIGINT (handled when called from the main thread) or until
    `server.shutdown()`; then finish the requests in flight and close the socket."""
    installed: dict[signal.Signals, Any] = {}

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever() to return: never call it on its own thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            installed[sig] = signal.signal(sig, stop)
    try:
        server.serve_forever(poll_interval=poll_interval)
    finally:
        for sig, previous in installed.items():
            signal.signal(sig, previous)
        server.stop_connections()  # idle and slow clients cannot hold the stop up
        server.server_close()  # joins the request threads (block_on_close)
