"""/api/v1 routes for the commands that used to work on the store only: the audit chain's
verification and export bundle, ingesting interactions (a JSON Lines upload) and spike
alerts, importing metrics, the access policy, unlocking a member and changing one's own
password. Each calls one service method (or, for the audit chain, the one adapter function
the CLI calls, after the domain's role check); refusals are RFC 9457 problems.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
from attrs import field, frozen
from cattrs import BaseValidationError
from litestar import Request, Response, Router, get, post

from socmed_domain.errors import InvalidInputError
from socmed_domain.evaluation.metrics import MetricSnapshot
from socmed_domain.roles import Role
from socmed_domain.transcoding import converter
from socmed_web import bodies as b
from socmed_web.openapi import COMMAND, READ
from socmed_web.routes.media import UploadOperation
from socmed_web.web import command, context, parse_time, plain, read, who, zone_param

Req = Request[Any, Any, Any]

#: The window `POST /metrics/fetch` reads by default (as `socmed metrics fetch`).
FETCH_WINDOW = timedelta(days=30)
#: The largest JSON Lines upload `POST /inbox/ingest` reads (about 100,000 interactions).
INGEST_MAX = 64 * 1024 * 1024


def _app(request: Req) -> Any:
    return context(request).services.app


# ------------------------------------------------------------------ audit chain

@get("/audit/verify", responses=READ, sync_to_thread=True)
def audit_verify(request: Req) -> Response[Any]:
    """Recompute the hash chain over the whole event log (`socmed audit verify`): how many
    events were checked, the head, and the problems found (none when intact). Roles that
    may read the audit log."""
    from socmed_adapters.audit.verify import verify_as

    services = context(request).services
    return read(request, lambda who: verify_as(services, who))


@post("/audit/checkpoint", responses=COMMAND, sync_to_thread=True, status_code=200)
def audit_checkpoint(request: Req, data: b.Empty) -> Response[Any]:
    """Sign the audit chain's head now with the server's checkpoint key, keep it in the
    store and append it to the server's witness, if one is configured (`socmed audit
    checkpoint`): the position and link signed, whether a checkpoint was written (false:
    that position had one already) and the witness. The Marketing Manager only."""
    from socmed_adapters.audit.checkpoint import sign_checkpoint_as

    services = context(request).services
    return command(request, data, lambda who: sign_checkpoint_as(services, who))


@get("/audit/bundle", responses=READ, sync_to_thread=True, media_type="application/zip")
def audit_bundle(request: Req, since: str | None = None,
                 until: str | None = None) -> Response[bytes]:
    """The events of [since, until) with their manifest, as a zip of `events.jsonl` and
    `manifest.json` (`socmed audit export`; `socmed audit verify-bundle` checks it)."""
    from socmed_adapters.audit.export import export_bundle_zip

    start, end = parse_time(since, "since"), parse_time(until, "until")
    services = context(request).services
    body = export_bundle_zip(services, who(request).principal, start, end)
    return Response(body, media_type="application/zip", headers={
        "Content-Disposition": 'attachment; filename="audit-bundle.zip"'})


# ------------------------------------------------------------------ inbox

class IngestOperation(UploadOperation):
    """The ingest's body in the OpenAPI document: JSON Lines text (sent as text/plain or
    application/x-ndjson; the body is read as JSON Lines whatever its type says)."""

    def __post_init__(self) -> None:
        from litestar.openapi.spec import OpenAPIMediaType, RequestBody, Schema
        from litestar.openapi.spec.enums import OpenAPIType

        text = Schema(type=OpenAPIType.STRING)
        self.request_body = RequestBody(required=True, content={
            "text/plain": OpenAPIMediaType(schema=text)})


def _interactions(path: Path) -> Iterator[Any]:
    from socmed_adapters.monitoring.files import FileSource

    source = FileSource(path, "jsonl")
    source.check()  # a bad line is refused before anything is stored
    return source.interactions()


@post("/inbox/ingest", responses=COMMAND, operation_class=IngestOperation, status_code=200,
      request_max_body_size=INGEST_MAX)
async def ingest(request: Req) -> Response[Any]:
    """Ingest interactions sent as JSON Lines (one object a line, the fields of
    `socmed inbox ingest`); the whole body is checked first, so a bad line (named by its
    number) stores nothing, and repeats are skipped."""
    principal = (await anyio.to_thread.run_sync(who, request)).principal
    body = await request.body()
    inbox = _app(request).inbox

    def run() -> Any:
        with tempfile.TemporaryDirectory(prefix="socmed-ingest-") as folder:
            path = Path(folder) / "upload.jsonl"
            path.write_bytes(body)
            return inbox.ingest_interactions(principal, _interactions(path))

    return Response(plain(await anyio.to_thread.run_sync(run)))


@frozen(kw_only=True)
class Window:
    since: str
    until: str


@post("/inbox/alerts", responses=COMMAND, sync_to_thread=True)
def spike_alerts(request: Req, data: Window) -> Response[Any]:
    """Record each spike of negative messages whose window ends in [since, until]
    (what `socmed inbox ingest` checks after an ingest); answers the new alert ids."""
    since, until = parse_time(data.since, "since"), parse_time(data.until, "until")
    return command(request, data, lambda who: list(_app(request).inbox.raise_spike_alerts(
        who, since, until)))


@frozen(kw_only=True)
class Fetch:
    """The window: comments, messages and mentions received from `since` (default two days
    ago), on posts published from `posts_since` (default 30 days ago); ISO 8601 times."""

    since: str | None = None
    posts_since: str | None = None
    platforms: list[str] = field(factory=list)


@post("/inbox/fetch", responses=COMMAND, sync_to_thread=True, status_code=200)
def fetch(request: Req, data: Fetch) -> Response[Any]:
    """Fetch from the platforms' APIs with the server's publishing credentials and ingest
    (`socmed inbox fetch`): every platform is read before anything is stored, so one that
    fails leaves the inbox as it was. Answers which platforms were read and the counts."""
    from socmed_adapters.interactions.source import interactions_from_config
    from socmed_adapters.reports.monthly_source import SqlReportSource
    from socmed_domain.evaluation.sources import PostRef

    services = context(request).services
    now = services.clock()
    start = parse_time(data.since, "since") or now - timedelta(days=2)
    posts_from = parse_time(data.posts_since, "posts_since") or now - timedelta(days=30)
    chosen = b.platforms(data.platforms) or None

    def run(who: Any) -> Any:
        posts: dict[Any, list[PostRef]] = {}
        for found in SqlReportSource(services.projector).published_posts(posts_from, now):
            posts.setdefault(found.platform, []).append(PostRef(found.post_id,
                                                                found.published_at))
        source = interactions_from_config(clock=services.clock, since=start, posts=posts,
                                          platforms=chosen)
        try:
            report = services.app.inbox.fetch_interactions(who, source)
        finally:
            source.close()
        read = [p.value for p in (chosen or source.platforms) if p in source.platforms]
        return {"platforms": read, "since": start, "report": report}
    return command(request, data, run)


# ------------------------------------------------------------------ metrics

@frozen(kw_only=True)
class MetricsImport:
    """Snapshots as the converter writes them: `platform`, `post_id` ("" for the account),
    `measured_at` (ISO 8601 with an offset) and `values` (the metric names of
    docs/reporting.md)."""

    snapshots: list[dict[str, Any]]
    source: str = "api"


@post("/metrics/import", responses=COMMAND, sync_to_thread=True)
def metrics_import(request: Req, data: MetricsImport) -> Response[Any]:
    """Record a batch of snapshots atomically (`socmed metrics import`): a bad one refuses
    the whole batch; snapshots that say nothing new are skipped."""
    try:
        snapshots = [converter.structure(s, MetricSnapshot) for s in data.snapshots]
    except (BaseValidationError, ValueError, TypeError, KeyError):
        raise InvalidInputError("error.bad_request", detail="snapshots") from None
    return command(request, data, lambda who: _app(request).evaluation.record_metrics(
        who, snapshots, data.source))


@frozen(kw_only=True)
class MetricsFetch:
    """Posts published from `since` (ISO 8601; default 30 days ago) on `platforms`."""

    since: str | None = None
    platforms: list[str] = field(factory=list)


@post("/metrics/fetch", responses=COMMAND, sync_to_thread=True, status_code=200)
def metrics_fetch(request: Req, data: MetricsFetch) -> Response[Any]:
    """Fetch the insights of the posts published since `since`, and the accounts' followers,
    with the server's publishing credentials, and record them (`socmed metrics fetch`); a
    platform that fails records nothing."""
    from socmed_adapters.metrics.source import metrics_source_from_config
    from socmed_adapters.reports.monthly_source import SqlReportSource

    services = context(request).services
    now = services.clock()
    start = parse_time(data.since, "since") or now - FETCH_WINDOW
    chosen = b.platforms(data.platforms) or None

    def run(who: Any) -> Any:
        source = metrics_source_from_config(clock=services.clock)
        try:
            posts = SqlReportSource(services.projector).published_posts(start, now)
            result = services.app.evaluation.fetch_metrics(who, source, posts, chosen)
        finally:
            source.close()
        read = [p.value for p in (chosen or source.platforms) if p in source.platforms]
        return {"platforms": read, "result": result}
    return command(request, data, run)


# ------------------------------------------------------------------ calendar

@frozen(kw_only=True)
class CalendarPlan:
    month: str
    platforms: list[str] = field(factory=list)
    dry_run: bool = False
    tz: str | None = None


@post("/calendar/plan", responses=COMMAND, sync_to_thread=True, status_code=200)
def calendar_plan(request: Req, data: CalendarPlan) -> Response[Any]:
    """Fill the month with ideas up to the strategy's cadence targets (`socmed calendar
    plan`; Digital Marketing), all or nothing; with `dry_run`, only what it would plan."""
    from socmed_adapters.calendar.planner import plan_month
    from socmed_domain.months import Month

    chosen, zone = Month.parse(data.month), zone_param(data.tz)
    wanted = b.platforms(data.platforms)
    services = context(request).services

    def plan(who: Any) -> Any:
        entries = services.read_models.calendar_month(chosen, zone)
        return {"items": plan_month(services.app, who, chosen, zone, entries,
                                    dry_run=data.dry_run, platforms=wanted)}
    return command(request, data, plan)


# ------------------------------------------------------------------ access

@frozen(kw_only=True)
class PolicyIn:
    """The fields to change; those left out keep their value."""

    require_authentication: bool | None = None
    second_factor_roles: list[str] | None = None
    lockout_threshold: int | None = None
    lockout_minutes: int | None = None
    reason: str = ""


def _policy(policy: Any) -> dict[str, Any]:
    return {"require_authentication": policy.require_authentication,
            "second_factor_roles": [r.value for r in policy.second_factor_roles],
            "lockout_threshold": policy.lockout_threshold,
            "lockout_minutes": policy.lockout_minutes}


@get("/team/policy", responses=READ, sync_to_thread=True)
def show_policy(request: Req) -> Response[Any]:
    """The store's access policy (`socmed team policy`)."""
    return read(request, lambda who: _policy(_app(request).identity.policy()))


@post("/team/policy", responses=COMMAND, sync_to_thread=True)
def set_policy(request: Req, data: PolicyIn) -> Response[Any]:
    """Change the access policy (Marketing Manager, with the second factor the policy asks;
    an audited event)."""
    roles = None
    if data.second_factor_roles is not None:
        known = {role.value: role for role in Role}
        unknown = [r for r in data.second_factor_roles if r not in known]
        if unknown:
            raise InvalidInputError("error.invalid_choice_web", field="second_factor_roles",
                                    value=", ".join(unknown), choices=", ".join(known))
        roles = [known[r] for r in data.second_factor_roles]
    return command(request, data, lambda who: _policy(_app(request).identity.set_policy(
        who, require_authentication=data.require_authentication, second_factor_roles=roles,
        lockout_threshold=data.lockout_threshold, lockout_minutes=data.lockout_minutes,
        reason=data.reason)))


@post("/team/members/{member:str}/unlock", responses=COMMAND, sync_to_thread=True)
def unlock(request: Req, member: str, data: b.Reason) -> Response[Any]:
    """End a member's lock-out before its time (Marketing Manager; audited)."""
    return command(request, data, lambda who: _app(request).identity.unlock(
        who, member, data.reason))


@frozen(kw_only=True)
class SsoUnlink:
    issuer: str
    reason: str


@post("/team/members/{member:str}/sso/unlink", responses=COMMAND, sync_to_thread=True)
def sso_unlink(request: Req, member: str, data: SsoUnlink) -> Response[Any]:
    """Remove a member's single sign-on identity at `issuer` (the member, or a Marketing
    Manager; audited): it signs them in no more and its sessions end."""
    return command(request, data, lambda who: _app(request).identity.unlink_sso(
        who, member, data.issuer, data.reason))


@frozen(kw_only=True)
class PasswordChange:
    current: str
    new: str


@post("/account/password", responses=COMMAND, sync_to_thread=True, status_code=200)
def change_password(request: Req, data: PasswordChange) -> Response[Any]:
    """Change one's own password (knowing the current one); every session of the member
    ends. Not kept for a retried request (an Idempotency-Key is not used here: its stored
    fingerprint would be an unsalted hash of the passwords); sending it again after it
    succeeded is refused, as the current password changed."""
    _app(request).identity.change_password(who(request).principal, data.current, data.new)
    return Response({})


routers = [Router("/api/v1", tags=["operations"], route_handlers=[
    audit_verify, audit_checkpoint, audit_bundle, ingest, fetch, spike_alerts, metrics_import,
    metrics_fetch, calendar_plan, show_policy, set_policy, unlock, sso_unlink, change_password])]
