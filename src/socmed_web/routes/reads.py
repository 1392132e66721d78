"""The rest of /api/v1: team, audit log, publication log and publishing, incidents, inbox,
metrics, reports and projections status."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from attrs import frozen
from litestar import Request, Response, Router, get, post

from socmed_domain.crisis.incident import IncidentCategory
from socmed_domain.errors import InvalidInputError
from socmed_domain.months import Month
from socmed_domain.roles import Role
from socmed_web import bodies as b
from socmed_web.openapi import COMMAND, READ
from socmed_web.routes.steps import ref_command
from socmed_web.web import (
    check_limit,
    command,
    context,
    enum_value,
    int_cursor,
    models,
    page,
    parse_time,
    read,
    read_async,
    time_cursor,
    zone_param,
)

Req = Request[Any, Any, Any]


def _services(request: Req) -> Any:
    return context(request).services


# ------------------------------------------------------------------ team

@get("/team/members", responses=READ)
async def members(request: Req) -> Response[Any]:
    """The team: handles, names, roles, active or not."""
    return await read_async(request, lambda who: {
        "items": list(models(request).team_for(who)), "next": None})


@post("/team/members", responses=COMMAND, sync_to_thread=True)
def add_member(request: Req, data: b.AddMember) -> Response[Any]:
    role = enum_value(Role, data.role, "role")
    team = _services(request).app.team
    return command(request, data, lambda who: team.add_member(
        who, data.member_id, data.name, role), status=201)


@post("/team/members/{member:str}/role", responses=COMMAND, sync_to_thread=True)
def change_role(request: Req, member: str, data: b.ChangeRole) -> Response[Any]:
    role = enum_value(Role, data.role, "role")
    team = _services(request).app.team
    return command(request, data, lambda who: team.change_role(who, member, role,
                                                               data.reason))


@post("/team/members/{member:str}/deactivate", responses=COMMAND, sync_to_thread=True)
def deactivate(request: Req, member: str, data: b.Reason) -> Response[Any]:
    team = _services(request).app.team
    return command(request, data, lambda who: team.deactivate_member(who, member,
                                                                     data.reason))


# ------------------------------------------------------------- audit log

@get("/audit", responses=READ)
async def audit_log(request: Req, item: str | None = None, actor: str | None = None,
              type: str | None = None, since: str | None = None,
              until: str | None = None, as_of: str | None = None, via: str | None = None,
              limit: int = 100, after: str | None = None) -> Response[Any]:
    """Every recorded event matching the filters (Marketing Manager and Legal), oldest
    first; `as_of` gives the log as it stood then; `via` how the actor was established
    (session, sso, token, local-cli, library); keyset-paged by position."""
    from socmed_domain.event_types import event_type_names

    if type is not None and type not in event_type_names():
        raise InvalidInputError("error.unknown_event_type", value=type, hint="")
    start, end = parse_time(since, "since"), parse_time(until, "until")
    moment = parse_time(as_of, "as_of")
    size, cursor = check_limit(limit), int_cursor(after)
    services = _services(request)

    def entries(who: Any) -> Any:
        item_id = str(services.app.content.resolve(item)) if item else None
        return page(models(request).audit_log_rows(
            who, item_id=item_id, member=actor, event_type=type, since=start, until=end,
            as_of=moment, via=via, limit=size + 1, after=cursor), size,
            lambda row: row["position"], rendered=True)
    return await read_async(request, entries)


# ------------------------------------------------------------ publication

@get("/publications", responses=READ)
async def publication_log(request: Req, since: str | None = None,
                          until: str | None = None, platform: str | None = None,
                          limit: int = 50, after: str | None = None,
                          as_of: str | None = None) -> Response[Any]:
    """Published posts in time order, keyset-paged; `as_of`: the log as it stood then."""
    start, end = parse_time(since, "since"), parse_time(until, "until")
    which = b.platforms([platform])[0].value if platform else None
    size, cursor = check_limit(limit), time_cursor(after)
    moment = parse_time(as_of, "as_of")
    if moment is not None:
        as_of_models = _services(request).read_models  # ListingReads
        return await read_async(request, lambda who: page(as_of_models.publication_page_as_of(
            who, moment, since=start, until=end, platform=which, limit=size + 1,
            after=cursor), size, lambda r: (r["published_at"], r["platform"])))
    return await read_async(request, lambda who: page(models(request).publication_page(
        who, since=start, until=end, platform=which, limit=size + 1, after=cursor), size,
        lambda r: (r["published_at"], r["platform"])))


@post("/publish/due", responses=COMMAND, sync_to_thread=True)
def publish_due(request: Req, data: b.Empty) -> Response[Any]:
    """Publish every approved item whose slot has come (Social Media Admin)."""
    publication = _services(request).app.publication
    return command(request, data, lambda who: list(publication.publish_due(who)))


# -------------------------------------------------------------- incidents

@get("/incidents", responses=READ)
async def incidents(request: Req, open_only: bool = False,
                    as_of: str | None = None) -> Response[Any]:
    """The incidents in the order they were opened; `as_of`: as they stood then."""
    moment = parse_time(as_of, "as_of")
    if moment is not None:
        as_of_models = _services(request).read_models  # ListingReads
        return await read_async(request, lambda who: {"items": list(
            as_of_models.incidents_as_of(who, moment, open_only)), "next": None})
    return await read_async(request, lambda who: {
        "items": list(models(request).incidents_for(who, open_only)), "next": None})


@get("/incidents/{ref:str}", responses=READ)
async def incident(request: Req, ref: str) -> Response[Any]:
    """The SOP's incident report: timeline, decisions, statements, response times."""
    return await read_async(request, lambda who: models(request).incident_for(who, ref))


@get("/incidents/{ref:str}/history", responses=READ)
async def incident_history(request: Req, ref: str) -> Response[Any]:
    return await read_async(request, lambda who: list(
        models(request).incident_history_for(who, ref)))


@post("/incidents", responses=COMMAND, sync_to_thread=True)
def open_incident(request: Req, data: b.OpenIncident) -> Response[Any]:
    category = enum_value(IncidentCategory, data.category, "category")
    service = _services(request).app.incidents
    return command(request, data, lambda who: {"incident_id": service.open_incident(
        who, data.title, category, data.description)}, status=201)


@frozen(kw_only=True)
class Summary:
    summary: str


def _incidents(request: Req) -> Any:
    return _services(request).app.incidents


resolve_incident = ref_command("/incidents/{ref:str}/resolve", "resolve_incident",
                               Summary, "summary", _incidents)
close_incident = ref_command("/incidents/{ref:str}/close", "close_incident",
                             b.Note, "note", _incidents)


# ------------------------------------------------------------------ inbox

@frozen(kw_only=True)
class Assign:
    assignee: str
    note: str = ""


@frozen(kw_only=True)
class Text:
    text: str


@get("/inbox", responses=READ, sync_to_thread=True)
def inbox(request: Req, status: list[str] | None = None, platform: str | None = None,
          assignee: str | None = None, tag: str | None = None,
          priority: str | None = None, sentiment: str | None = None,
          limit: int = 200, as_of: str | None = None) -> Response[Any]:
    """Conversations, latest activity first (default: all but closed). Audience handles
    and texts are withheld (null) for roles whose work does not need them. `as_of`: the
    inbox as it stood then."""
    from socmed_domain.monitoring.conversation import ConversationStatus

    chosen = tuple(enum_value(ConversationStatus, s, "status").value for s in status or ())
    if not chosen:
        chosen = tuple(s.value for s in ConversationStatus
                       if s is not ConversationStatus.CLOSED)
    which = b.platforms([platform])[0].value if platform else None
    size = check_limit(limit)
    services = _services(request)
    moment = parse_time(as_of, "as_of")
    if moment is not None:
        return read(request, lambda who: {"items": services.read_models.inbox_page_as_of(
            who, moment, status=chosen, platform=which, assignee=assignee, tag=tag,
            priority=priority, sentiment=sentiment, limit=size), "next": None})
    return read(request, lambda who: {"items": services.read_models.inbox_page(
        who, services, status=chosen, platform=which, assignee=assignee, tag=tag,
        priority=priority, sentiment=sentiment, limit=size), "next": None})


@post("/inbox/{ref:str}/assign", responses=COMMAND, sync_to_thread=True)
def assign(request: Req, ref: str, data: Assign) -> Response[Any]:
    service = _services(request).app.inbox
    return command(request, data, lambda who: service.assign_conversation(
        who, ref, data.assignee, data.note))


def _inbox(request: Req) -> Any:
    return _services(request).app.inbox


note = ref_command("/inbox/{ref:str}/note", "note", Text, "text", _inbox,
                   "note_conversation")
close = ref_command("/inbox/{ref:str}/close", "close", b.Note, "note", _inbox,
                    "close_conversation")


# ------------------------------------------------- metrics, reports, projections

@get("/metrics/latest", responses=READ, sync_to_thread=True)
def metrics_latest(request: Req, as_of: str | None = None,
                   platform: str | None = None) -> Response[Any]:
    """The latest value of each platform's metrics before `as_of` (default: now)."""
    services = _services(request)
    moment = parse_time(as_of, "as_of") or services.clock()
    which = b.platforms([platform])[0].value if platform else None
    return read(request, lambda who: {"items": services.read_models.metrics_latest_for(
        who, moment + timedelta(microseconds=1), which), "next": None})


@get("/reports/monthly", responses=READ, sync_to_thread=True)
def monthly_report(request: Req, month: str, tz: str | None = None) -> Response[Any]:
    """The monthly report (the same figures as `socmed report monthly --format json`), its
    days and times in `tz` (default WIB)."""
    chosen = Month.parse(month)
    zone = zone_param(tz)
    services = _services(request)
    return read(request, lambda who: json.loads(services.read_models.monthly_report_for(
        who, services, chosen, zone)))


@get("/projections", responses=READ)
async def projections(request: Req) -> Response[Any]:
    """Each read model's position against the event log's head."""
    return await read_async(request, lambda who: {
        "items": models(request).projections_for(who), "next": None})


routers = [Router("/api/v1", tags=["operations"], route_handlers=[
    members, add_member, change_role, deactivate, audit_log, publication_log, publish_due,
    incidents, incident, incident_history, open_incident, resolve_incident, close_incident,
    inbox, assign, note, close, metrics_latest, monthly_report, projections])]
