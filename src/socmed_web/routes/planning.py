"""/api/v1/campaigns, /api/v1/strategy and /api/v1/calendar (SOP stage 1, the calendar)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request, Response, Router, get, post

from socmed_domain.errors import InvalidInputError
from socmed_domain.months import Month
from socmed_domain.planning.campaign import CampaignPlan, CampaignStatus, Period
from socmed_domain.planning.goals import Goal, GoalKind
from socmed_web import bodies as b
from socmed_web.openapi import COMMAND, READ
from socmed_web.routes.steps import ref_command
from socmed_web.web import command, context, enum_value, parse_time, read, zone_param

Req = Request[Any, Any, Any]


def _planning(request: Req) -> Any:
    return context(request).services.app.planning


def _plan(data: b.CampaignPlanIn) -> CampaignPlan:
    start, end = parse_time(data.start, "start"), parse_time(data.end, "end")
    assert start is not None and end is not None
    kinds = {k.value for k in GoalKind}
    try:
        budget = Decimal(data.budget_idr.replace("_", "").strip())
    except InvalidOperation:
        raise InvalidInputError("error.bad_request", detail="budget_idr") from None
    return CampaignPlan(
        name=data.name, period=Period(start, end),
        goals=tuple(Goal(GoalKind(g.strip().lower())) if g.strip().lower() in kinds
                    else Goal(GoalKind.CUSTOM, g.strip()) for g in data.goals),
        platforms=tuple(b.platforms(data.platforms)), key_messages=tuple(data.messages),
        budget_idr=budget, special=data.special)


@get("/campaigns", responses=READ, sync_to_thread=True)
def list_campaigns(request: Req, status: str | None = None,
                   as_of: str | None = None) -> Response[Any]:
    """Campaigns (an agency: those it is assigned to); `as_of`: as they stood then."""
    wanted = enum_value(CampaignStatus, status, "status")
    moment = parse_time(as_of, "as_of")
    if moment is not None:
        models = context(request).services.read_models
        return read(request, lambda who: {"items": list(
            models.campaigns_as_of(who, moment, wanted)), "next": None})
    return read(request, lambda who: {"items": list(
        _planning(request).list_campaigns_for(who, wanted)), "next": None})


@get("/campaigns/{ref:str}", responses=READ, sync_to_thread=True)
def show_campaign(request: Req, ref: str) -> Response[Any]:
    """One campaign; its ETag is the campaign's version."""
    return read(request, lambda who: _planning(request).get_campaign_for(who, ref),
                etag=lambda detail: detail.version)


@post("/campaigns", responses=COMMAND, sync_to_thread=True)
def plan_campaign(request: Req, data: b.CampaignPlanIn) -> Response[Any]:
    plan = _plan(data)
    return command(request, data, lambda who: {
        "campaign_id": _planning(request).plan_campaign(who, plan)}, status=201)


@post("/campaigns/{ref:str}/revise", responses=COMMAND, sync_to_thread=True)
def revise_campaign(request: Req, ref: str, data: b.ReviseCampaign) -> Response[Any]:
    plan = _plan(data.plan)
    return command(request, data, lambda who: _planning(request).revise_campaign_plan(
        who, ref, plan, data.note))


approve_campaign = ref_command("/campaigns/{ref:str}/approve", "approve_campaign",
                               b.Comment, "comment", _planning)
start_campaign = ref_command("/campaigns/{ref:str}/start", "start_campaign",
                             b.Note, "note", _planning)
complete_campaign = ref_command("/campaigns/{ref:str}/complete", "complete_campaign",
                                b.Note, "note", _planning)
cancel_campaign = ref_command("/campaigns/{ref:str}/cancel", "cancel_campaign",
                              b.Reason, "reason", _planning)
assign_agency = ref_command("/campaigns/{ref:str}/agencies", "assign_agency",
                            b.Agency, "member_id", _planning)


@post("/campaigns/{ref:str}/agencies/remove", responses=COMMAND, sync_to_thread=True)
def unassign_agency(request: Req, ref: str, data: b.Agency) -> Response[Any]:
    return command(request, data, lambda who: _planning(request).unassign_agency(
        who, ref, data.member_id, data.reason))


@get("/strategy", responses=READ, sync_to_thread=True)
def strategy(request: Req) -> Response[Any]:
    """The strategy: every version, the one in force, the one worked on."""
    models = context(request).services.read_models
    return read(request, lambda who: models.strategy_for(who),
                etag=lambda detail: detail.version)


@get("/calendar", responses=READ, sync_to_thread=True)
def calendar(request: Req, month: str, platform: str | None = None,
             campaign: str | None = None, tz: str | None = None,
             as_of: str | None = None) -> Response[Any]:
    """The month's posts in time order (an agency: its campaigns' posts); the month's days
    are those of `tz` (default WIB); `as_of`: as the calendar stood then."""
    moment = parse_time(as_of, "as_of")
    chosen = Month.parse(month)
    zone = zone_param(tz)
    which = b.platforms([platform])[0].value if platform else None
    services = context(request).services

    def month_for(who: Any) -> Any:
        campaign_id = str(services.app.planning.resolve_campaign(campaign)) if campaign \
            else None
        if moment is not None:
            return {"items": services.read_models.calendar_for_as_of(
                who, moment, chosen, zone, which, campaign_id), "next": None}
        return {"items": services.read_models.calendar_for(who, chosen, zone, which,
                                                           campaign_id), "next": None}
    return read(request, month_for)


routers = [Router("/api/v1", tags=["planning"], route_handlers=[
    list_campaigns, show_campaign, plan_campaign, revise_campaign, approve_campaign,
    start_campaign, complete_campaign, cancel_campaign, assign_agency, unassign_agency,
    strategy, calendar])]
