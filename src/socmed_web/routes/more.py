"""The remaining commands of /api/v1: the strategy's life, the incident's steps, the
inbox's replies and tags, and settling an unknown publication outcome."""

from __future__ import annotations

from typing import Any, TypeVar

from attrs import field, frozen
from litestar import Request, Response, Router, post

from socmed_domain.crisis.incident import (
    EscalationTarget,
    IncidentCategory,
    PdpRecipient,
    PostIncidentReview,
    ResponseKind,
)
from socmed_domain.errors import InvalidInputError
from socmed_domain.evaluation.meeting import EvaluationMeeting
from socmed_domain.monitoring.interaction import Tag
from socmed_domain.monitoring.sla import Priority
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.transcoding import converter
from socmed_web import bodies as b
from socmed_web.openapi import COMMAND
from socmed_web.routes.steps import ref_command
from socmed_web.web import command, context, enum_value, parse_time

Req = Request[Any, Any, Any]
T = TypeVar("T")


def _app(request: Req) -> Any:
    return context(request).services.app


# ------------------------------------------------------------------ strategy

@frozen(kw_only=True)
class StrategyIn:
    """`plan` is a StrategyPlan as the one converter writes it (the shape of
    `GET /api/v1/strategy`'s versions' `plan`)."""

    plan: dict[str, Any]
    note: str = ""


@frozen(kw_only=True)
class StrategyRevision:
    plan: dict[str, Any]
    reason: str
    evaluation_ref: str = ""


@frozen(kw_only=True)
class VersionDecision:
    version: int
    comment: str = ""


def _structured(raw: dict[str, Any], cls: type[T], field_name: str) -> T:
    """A value object from its JSON through the one converter (the shape the API's reads
    show); what does not fit is a 422, never a 500."""
    try:
        return converter.structure(raw, cls)
    except Exception as error:  # cattrs names what did not fit
        raise InvalidInputError("error.bad_request",
                                detail=f"{field_name}: {type(error).__name__}") from None


def _strategy_plan(raw: dict[str, Any]) -> StrategyPlan:
    return _structured(raw, StrategyPlan, "plan")


@post("/strategy/draft", responses=COMMAND, sync_to_thread=True)
def draft_strategy(request: Req, data: StrategyIn) -> Response[Any]:
    plan = _strategy_plan(data.plan)
    return command(request, data, lambda who: _app(request).planning.draft_strategy(who, plan),
                   status=201)


@post("/strategy/edit", responses=COMMAND, sync_to_thread=True)
def edit_strategy(request: Req, data: StrategyIn) -> Response[Any]:
    plan = _strategy_plan(data.plan)
    return command(request, data, lambda who: _app(request).planning.edit_strategy(
        who, plan, data.note))


@post("/strategy/submit", responses=COMMAND, sync_to_thread=True)
def submit_strategy(request: Req, data: b.Note) -> Response[Any]:
    return command(request, data, lambda who: _app(request).planning.submit_strategy(
        who, data.note))


@post("/strategy/approve", responses=COMMAND, sync_to_thread=True)
def approve_strategy(request: Req, data: VersionDecision) -> Response[Any]:
    """Approve the version the approver read (its number)."""
    return command(request, data, lambda who: _app(request).planning.approve_strategy(
        who, data.version, data.comment))


@post("/strategy/send-back", responses=COMMAND, sync_to_thread=True)
def send_back_strategy(request: Req, data: VersionDecision) -> Response[Any]:
    return command(request, data, lambda who: _app(request).planning.send_back_strategy(
        who, data.version, data.comment))


@post("/strategy/revise", responses=COMMAND, sync_to_thread=True)
def revise_strategy(request: Req, data: StrategyRevision) -> Response[Any]:
    plan = _strategy_plan(data.plan)
    return command(request, data, lambda who: {"version": _app(request).planning.revise_strategy(
        who, plan, data.reason, data.evaluation_ref)})


@frozen(kw_only=True)
class EvaluationIn:
    """`meeting` is an EvaluationMeeting as the one converter writes it."""

    meeting: dict[str, Any]


@post("/strategy/evaluations", responses=COMMAND, sync_to_thread=True)
def record_evaluation(request: Req, data: EvaluationIn) -> Response[Any]:
    """Record the evaluation meeting on the strategy in force (SOP stage 5)."""
    meeting = _structured(data.meeting, EvaluationMeeting, "meeting")
    return command(request, data, lambda who: {"ref": _app(
        request).evaluation.record_evaluation(who, meeting)}, status=201)


# ----------------------------------------------------------------- incidents

@frozen(kw_only=True)
class ReviewIn:
    """`review` is a PostIncidentReview as the one converter writes it."""

    review: dict[str, Any]


@post("/incidents/{ref:str}/review", responses=COMMAND, sync_to_thread=True)
def review_incident(request: Req, ref: str, data: ReviewIn) -> Response[Any]:
    review = _structured(data.review, PostIncidentReview, "review")
    return command(request, data, lambda who: _app(request).incidents.review_incident(
        who, ref, review))

@frozen(kw_only=True)
class Classify:
    level: int
    reason: str = ""
    category: str | None = None


@frozen(kw_only=True)
class Escalate:
    to: str
    note: str = ""


@frozen(kw_only=True)
class Act:
    kind: str
    text: str
    content: str | None = None


@frozen(kw_only=True)
class Statement:
    content: str
    note: str = ""


@frozen(kw_only=True)
class PdpNotice:
    to: str
    sent: str
    summary: str


@post("/incidents/{ref:str}/classify", responses=COMMAND, sync_to_thread=True)
def classify(request: Req, ref: str, data: Classify) -> Response[Any]:
    category = enum_value(IncidentCategory, data.category, "category")
    return command(request, data, lambda who: _app(request).incidents.classify_incident(
        who, ref, data.level, data.reason, category=category))


@post("/incidents/{ref:str}/escalate", responses=COMMAND, sync_to_thread=True)
def escalate(request: Req, ref: str, data: Escalate) -> Response[Any]:
    target = enum_value(EscalationTarget, data.to, "to")
    return command(request, data, lambda who: _app(request).incidents.escalate_incident(
        who, ref, target, data.note))


@post("/incidents/{ref:str}/acknowledge", responses=COMMAND, sync_to_thread=True)
def acknowledge(request: Req, ref: str, data: Escalate) -> Response[Any]:
    target = enum_value(EscalationTarget, data.to, "to")
    return command(request, data, lambda who: _app(request).incidents.acknowledge_incident(
        who, ref, target, data.note))


@post("/incidents/{ref:str}/act", responses=COMMAND, sync_to_thread=True)
def act(request: Req, ref: str, data: Act) -> Response[Any]:
    kind = enum_value(ResponseKind, data.kind, "kind")
    return command(request, data, lambda who: _app(request).incidents.log_incident_action(
        who, ref, kind, data.text, data.content))


@post("/incidents/{ref:str}/statement", responses=COMMAND, sync_to_thread=True)
def statement(request: Req, ref: str, data: Statement) -> Response[Any]:
    return command(request, data, lambda who: {"content_id": _app(
        request).incidents.link_statement(who, ref, data.content, data.note)})


def _incidents(request: Req) -> Any:
    return _app(request).incidents


freeze = ref_command("/incidents/{ref:str}/freeze", "freeze", b.Reason, "reason", _incidents,
                     "freeze_publishing")
release = ref_command("/incidents/{ref:str}/release", "release", b.Reason, "reason",
                      _incidents, "release_publishing")


@post("/incidents/{ref:str}/pdp-notice", responses=COMMAND, sync_to_thread=True)
def pdp_notice(request: Req, ref: str, data: PdpNotice) -> Response[Any]:
    recipient = enum_value(PdpRecipient, data.to, "to")
    sent = parse_time(data.sent, "sent")
    return command(request, data, lambda who: _app(request).incidents.record_pdp_notice(
        who, ref, recipient, sent, data.summary))


# --------------------------------------------------------------------- inbox

@frozen(kw_only=True)
class Reply:
    text: str = ""
    template: str = ""
    lang: str = "id"
    params: dict[str, str] = field(factory=dict)


@frozen(kw_only=True)
class Tags:
    tags: list[str] = field(factory=list)
    priority: str | None = None
    reason: str = ""


@post("/inbox/{ref:str}/reply", responses=COMMAND, sync_to_thread=True)
def reply(request: Req, ref: str, data: Reply) -> Response[Any]:
    """Answer through the platform, or hold the reply for approval during a crisis."""
    if data.lang not in ("id", "en"):
        raise InvalidInputError("error.invalid_choice_web", field="lang", value=data.lang,
                                choices="id, en")
    return command(request, data, lambda who: {"outcome": _app(
        request).inbox.reply_to_conversation(who, ref, data.text, template=data.template,
                                             lang=data.lang, values=dict(data.params))})


@post("/inbox/{ref:str}/approve-reply", responses=COMMAND, sync_to_thread=True)
def approve_reply(request: Req, ref: str, data: b.Empty) -> Response[Any]:
    return command(request, data, lambda who: _app(request).inbox.approve_reply(who, ref))


@post("/inbox/{ref:str}/tag", responses=COMMAND, sync_to_thread=True)
def tag(request: Req, ref: str, data: Tags) -> Response[Any]:
    """Tags (and, with `priority`, the priority) of a conversation."""
    tags = [enum_value(Tag, t, "tags") for t in data.tags]
    priority = enum_value(Priority, data.priority, "priority")
    if priority is not None:
        return command(request, data, lambda who: _app(request).inbox.prioritise_conversation(
            who, ref, priority, data.reason))
    return command(request, data, lambda who: _app(request).inbox.tag_conversation(
        who, ref, tags))


@post("/inbox/{ref:str}/reopen", responses=COMMAND, sync_to_thread=True)
def reopen(request: Req, ref: str, data: b.Reason) -> Response[Any]:
    return command(request, data, lambda who: _app(request).inbox.reopen_conversation(
        who, ref, data.reason))


@post("/inbox/sla-check", responses=COMMAND, sync_to_thread=True)
def sla_check(request: Req, data: b.Empty) -> Response[Any]:
    """Record every SLA clock of an open conversation that has run out."""
    return command(request, data, lambda who: [
        {"conversation": ref, "clock": clock} for ref, clock in
        _app(request).inbox.flag_sla_breaches(who)])


@frozen(kw_only=True)
class Erase:
    subject: str
    reason: str


@post("/privacy/erase", responses=COMMAND, sync_to_thread=True)
def erase(request: Req, data: Erase) -> Response[Any]:
    """Erase an audience member's personal data by destroying their key (Legal)."""
    return command(request, data, lambda who: {"key_id": _app(
        request).inbox.erase_personal_data(who, data.subject, data.reason)})


# --------------------------------------------------------------- publication

@post("/content/{ref:str}/plan-slot", responses=COMMAND, sync_to_thread=True)
def plan_slot(request: Req, ref: str, data: b.Schedule) -> Response[Any]:
    """Pencil an idea or draft into the calendar (nothing is booked for publishing)."""
    when = parse_time(data.at, "at")
    chosen = b.platforms(data.platforms)
    return command(request, data, lambda who: _app(request).content.plan_slot(
        who, ref, when, chosen))


@frozen(kw_only=True)
class Reconcile:
    platform: str
    note: str
    post_id: str | None = None
    url: str | None = None
    absent: bool = False


@post("/content/{ref:str}/reconcile", responses=COMMAND, sync_to_thread=True)
def reconcile(request: Req, ref: str, data: Reconcile) -> Response[Any]:
    """Settle an unknown outcome: the post was found (`post_id`, `url`) or is `absent`."""
    platform = b.platforms([data.platform])[0]
    if data.absent == bool(data.post_id):
        raise InvalidInputError("error.bad_request", detail="post_id or absent")
    services = context(request).services
    receipt = None if data.absent else PostReceipt(post_id=data.post_id or "",
                                                   url=data.url or "",
                                                   published_at=services.clock())
    return command(request, data, lambda who: services.app.publication.reconcile(
        who, ref, platform, receipt, data.note))


routers = [Router("/api/v1", tags=["commands"], route_handlers=[
    draft_strategy, edit_strategy, submit_strategy, approve_strategy, send_back_strategy,
    revise_strategy, record_evaluation, review_incident, erase, plan_slot, classify,
    escalate, acknowledge, act, statement, freeze, release,
    pdp_notice, reply, approve_reply, tag, reopen, sla_check, reconcile])]
