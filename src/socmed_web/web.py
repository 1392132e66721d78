"""What every handler shares: authenticate, call one service method, render through the one
converter; commands add If-Match and Idempotency-Key.

A handler is three lines: parse its input (Litestar does the body, `parse_*` the query), call
`read(request, lambda who: <one service or read-model method>)` or
`command(request, data, lambda who: <one service method>)`, and return what that gives.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from anyio.to_thread import run_sync
from attrs import define, has
from litestar import Request, Response

from socmed_adapters.bootstrap import Services
from socmed_domain.access.rules import expecting_version
from socmed_domain.errors import InvalidInputError
from socmed_domain.identity.principal import Principal
from socmed_domain.transcoding import converter
from socmed_web.auth import Authenticated, Identity, authenticate, authenticate_cached
from socmed_web.idempotency import IdempotencyStore, fingerprint

#: Largest page a listing returns.
MAX_LIMIT = 500


@define
class WebContext:
    """What the app holds for its handlers (in `app.state.socmed`)."""

    services: Services
    identity: Identity
    idempotency: IdempotencyStore
    secure_cookies: bool
    follower: Any = None  # the projection follower (socmed_adapters.projections.follower)
    #: Whether bounded reads may run in the event loop (`read_async`): the embedded SQLite
    #: store, where a read is microseconds of local I/O; on PostgreSQL every query is a
    #: network round trip, which would hold up every other request of the worker.
    inline_reads: bool = False
    #: The event log's head, read cheaply (socmed_adapters.log_head.LogHead)
    log_head: Any = None

    def read_models_current(self) -> bool:
        """Whether the read models have applied every event committed so far, by this
        process (`written`) or any other (the log's head): then a read needs no catch-up
        and waits for nothing."""
        follower = self.follower
        if follower is None or not follower.running:
            return False
        position = follower.position
        if position < getattr(self.services.app, "written", 0):
            return False
        head = (self.log_head.head() if self.log_head is not None
                else self.services.projector.head())
        return bool(position >= head)


def context(request: Request[Any, Any, Any]) -> WebContext:
    ctx: WebContext = request.app.state.socmed
    return ctx


#: Types `plain` returns as they are (checked first, by exact type: a page of 50 summaries
#: is some thousand values, most of them these).
_AS_IS = frozenset({str, int, float, bool, type(None)})

#: The one converter, with the JSON edge's forms of the values it leaves to the transcoder
#: (times as ISO 8601 text, decimals and UUIDs as text): cattrs generates one unstructure
#: function per class, so a page of summaries is turned into JSON-ready data in one pass
#: instead of a recursive walk over every value (the answers are the same).
_json = converter.copy()
_json.register_unstructure_hook(datetime, lambda value: value.isoformat())
_json.register_unstructure_hook(date, lambda value: value.isoformat())
_json.register_unstructure_hook(Decimal, str)
_json.register_unstructure_hook(UUID, str)


class Plain(dict[str, Any]):
    """Data `plain` already made JSON-ready (a listing's page): `plain` returns it as is."""


def plain(value: Any) -> Any:
    """JSON-ready data from a value object, through the one cattrs converter."""
    kind = type(value)
    if kind in _AS_IS or kind is Plain:
        return value
    if kind is dict:
        return {k if type(k) is str else str(plain(k)): plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if has(kind):
        # JSON-ready but for what msgspec writes as plain already does (tuples and sets
        # as arrays, non-text keys as text, durations as ISO 8601): the same bytes.
        return _json.unstructure(value)
    return _finish(value)


def _finish(value: Any) -> Any:
    """What the converter left for the edge: mappings with other keys, sets, enums, times
    (a value typed `Any` may hold any of them)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict and all(type(k) is str for k in value):
        return {k: v if type(v) in _AS_IS else _finish(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        if all(type(v) in _AS_IS for v in value):
            return value  # msgspec writes a tuple as the array a list is
        return [_finish(v) for v in value]
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if has(kind):
        return plain(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


#: A TOTP code sent with one request: the step-up of a principal without a second factor
#: (an API token) for that request only (docs/security.md).
STEP_UP_HEADER = "x-socmed-totp"


def who(request: Request[Any, Any, Any]) -> Authenticated:
    auth: Authenticated = authenticate(request, context(request).identity)
    code = request.headers.get(STEP_UP_HEADER)
    if code is not None and not auth.principal.second_factor:
        stepped = context(request).services.app.identity.step_up(auth.principal, code)
        auth = Authenticated(stepped, auth.session_token)
    request.state.via_kind = auth.principal.via_kind  # for the request log (no secret)
    return auth


def read(request: Request[Any, Any, Any], call: Callable[[Principal], Any],
         etag: Callable[[Any], int] | None = None) -> Response[Any]:
    """A read: the principal, one call, the rendered result (with its ETag for an item)."""
    return _answer(call(who(request).principal), etag)


def _answer(result: Any, etag: Callable[[Any], int] | None) -> Response[Any]:
    headers = {"ETag": f'"{etag(result)}"'} if etag is not None else {}
    return Response(plain(result), headers=headers)


#: Set while a read runs in the event loop after its request found the read models current
#: (`models` then skips the catch-up: it was just checked).
_current: ContextVar[bool] = ContextVar("socmed_read_models_current", default=False)


async def read_async(request: Request[Any, Any, Any], call: Callable[[Principal], Any],
                     etag: Callable[[Any], int] | None = None) -> Response[Any]:
    """`read` for a read whose work is bounded (a keyset page of a read model, one item's
    events): in the event loop when nothing in it can wait, on the thread pool otherwise.

    Nothing waits when the principal is in the cache of proven principals and the read
    models have applied every event committed before this request (one max(id) on the
    log): the read is then a few hundred microseconds of CPU, which the hop to a worker
    thread and back (and the threads' contention for the GIL) would cost as much again.
    Anything else (a principal to prove, which may touch the session; the follower behind
    the log; a step-up code; PostgreSQL, where each query is a round trip) runs on the
    thread pool exactly as `read` always has."""
    ctx = context(request)
    if ctx.inline_reads and request.headers.get(STEP_UP_HEADER) is None:
        auth = authenticate_cached(request, ctx.identity)
        if auth is not None and ctx.read_models_current():
            request.state.via_kind = auth.principal.via_kind
            token = _current.set(True)
            try:
                return _answer(call(auth.principal), etag)
            finally:
                _current.reset(token)
    return await run_sync(read, request, call, etag)


def models(request: Request[Any, Any, Any]) -> Any:
    """The read models (socmed_adapters.queries.ReadModels), caught up first (a reader
    sees every event committed before the read) unless this read already found them
    current (`read_async`)."""
    services = context(request).services
    if _current.get():
        from socmed_adapters.queries import ReadModels

        return ReadModels(services.app, services.projector)
    return services.read_models


def if_match(request: Request[Any, Any, Any]) -> int | None:
    """The version named by If-Match (`"7"`, `W/"7"` or `*` for any)."""
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    text = raw.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 12:
        raise InvalidInputError("error.bad_request", detail="If-Match")
    return int(text)


def command(request: Request[Any, Any, Any], data: Any, call: Callable[[Principal], Any],
            status: int = 200) -> Response[Any]:
    """A command: the principal, If-Match as the expected version of the aggregate it
    changes, Idempotency-Key so a retry does the work once, one call, the rendered result."""
    principal = who(request).principal
    expected = if_match(request)
    ctx = context(request)
    key = request.headers.get("idempotency-key")
    # the request's fingerprint matters only to a retry with the same key
    print_ = (fingerprint(request.method, request.url.path, _finish(plain(data)))
              if key is not None else "")

    def run() -> tuple[int, Any]:
        with expecting_version(expected):
            result = call(principal)
        return status, {} if result is None else plain(result)

    code, body = ctx.idempotency.run(principal.member_id, key, print_, run)
    return Response(body, status_code=code)


async def command_async(request: Request[Any, Any, Any], data: Any,
                        call: Callable[[Principal], Any], status: int = 200,
                        bounded: bool = True) -> Response[Any]:
    """`command` for a bounded command (one aggregate's transition: no media to read, no
    platform to call): in the event loop when nothing in it can wait long, on the thread
    pool otherwise.

    Nothing waits long on the embedded SQLite store (`inline_reads`) when the principal is
    a bearer token's, cached (a cookie-authenticated change is proven in full, with its CSRF
    token), with no Idempotency-Key (a retry may wait for the first attempt) and no step-up
    code: the command is then a few hundred microseconds of CPU and a local commit, which
    the hop to a worker thread and back cost as much again (docs/decisions.md, "Commands
    over HTTP"). `bounded` False (a draft naming media to read, say): the thread pool."""
    ctx = context(request)
    if (bounded and ctx.inline_reads and request.headers.get(STEP_UP_HEADER) is None
            and request.headers.get("idempotency-key") is None
            and authenticate_cached(request, ctx.identity) is not None):
        return command(request, data, call, status)
    return await run_sync(command, request, data, call, status)


# ------------------------------------------------------------- paging

def page(items: list[Any], limit: int, cursor_of: Callable[[Any], Any],
         *, rendered: bool = False) -> dict[str, Any]:
    """A page of a listing: the items and the cursor of the next page (None at the end);
    `rendered`: the items are JSON-ready already (socmed_adapters.page_rows)."""
    more = len(items) > limit
    shown = items[:limit]
    nxt = encode_cursor(cursor_of(shown[-1])) if more and shown else None
    return Plain(items=shown if rendered else [plain(v) for v in shown], next=nxt)


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError("error.number_range", field="limit", value=limit, low=1,
                                high=MAX_LIMIT)
    return limit


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(plain(value)).encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> Any:
    if not text:
        return None
    try:
        padded = text + "=" * (-len(text) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise InvalidInputError("error.bad_request", detail="after") from None


def time_cursor(text: str | None) -> tuple[datetime, str] | None:
    """A (time, id) keyset cursor."""
    raw = decode_cursor(text)
    if raw is None:
        return None
    try:
        at, key = raw
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None or not isinstance(key, str):
            raise ValueError
        return moment, key
    except (TypeError, ValueError):
        raise InvalidInputError("error.bad_request", detail="after") from None


def int_cursor(text: str | None) -> int | None:
    raw = decode_cursor(text)
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise InvalidInputError("error.bad_request", detail="after")
    return raw


def parse_time(text: str | None, field: str) -> datetime | None:
    from socmed_domain.timezones import parse_time as parse

    return parse(text, field=field) if text is not None else None


def zone_param(text: str | None) -> Any:
    """The zone named by a `tz` query parameter ('WIB', 'Asia/Makassar', ...), else WIB:
    which days a month's listing spans depends on it, as with the CLI's --tz."""
    from socmed_domain.timezones import DEFAULT_ZONE, zone_named

    return zone_named(text) if text is not None else DEFAULT_ZONE


def enum_value(cls: type[enum.Enum], text: str | None, field: str) -> Any:
    if text is None:
        return None
    try:
        return cls(text)
    except ValueError:
        raise InvalidInputError("error.invalid_choice_web", field=field, value=text,
                                choices=", ".join(m.value for m in cls)) from None
