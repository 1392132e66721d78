"""The incident room: the incidents (level, status, freeze), and one incident's room: level
and reasons, the timeline, escalations with their acknowledgements, the UU PDP 3x24 h
countdown, the statements (a linked statement goes through Legal's review on its item page,
the sign-off `publication_hold` asks for), and the commands of the room (classify, escalate,
acknowledge, freeze, release, link a statement, resolve). The freeze banner of every page
is `socmed_web.console.freeze`. Each handler reads one report or calls one command; a
refusal is shown next to the control that caused it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.crisis.incident import EscalationTarget, IncidentCategory
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.principal import Principal
from socmed_web.console.base import Req, checked, error_message, member, page, redirect
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _incidents(request: Req) -> Any:
    return context(request).services.app.incidents


@get("/incidents", sync_to_thread=True, include_in_schema=False)
def incidents_page(request: Req, all: bool = False) -> Any:
    principal = member(request)
    rows = context(request).services.read_models.incidents_for(principal, open_only=not all)
    return page(request, "console/incidents.html", principal, rows=rows, all=all,
                categories=[c.value for c in IncidentCategory], errors={})


@post("/incidents", sync_to_thread=True, include_in_schema=False, status_code=200)
def open_incident(request: Req, data: Form) -> Any:
    principal = checked(request, data)
    try:
        category = _enum(IncidentCategory, str(data.get("category", "")), "category")
        new_id = _incidents(request).open_incident(principal, str(data.get("title", "")),
                                                   category, str(data.get("description", "")))
    except SocmedError as error:
        from socmed_web.problems import status_of

        rows = context(request).services.read_models.incidents_for(principal, open_only=True)
        return page(request, "console/incidents.html", principal, rows=rows, all=False,
                    categories=[c.value for c in IncidentCategory],
                    errors={"open": error_message(request, error)},
                    status_code=status_of(error))
    return redirect(f"/incidents/{str(new_id)[:8]}")


def _enum(kind: Any, value: str, name: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise InvalidInputError("error.unknown_choice", kind=name, value=value,
                                choices=", ".join(k.value for k in kind)) from None


def _countdown(left: timedelta) -> str:
    minutes = int(abs(left) / timedelta(minutes=1))
    sign = "-" if left < timedelta(0) else ""
    return f"{sign}{minutes // (60 * 24)} d {(minutes // 60) % 24} h {minutes % 60:02d} min"


def _room(request: Req, principal: Principal, ref: str, errors: dict[str, str] | None = None,
          status_code: int = 200) -> Any:
    services = context(request).services
    report = services.read_models.incident_for(principal, ref)
    pdp_left = (_countdown(report.pdp.due - services.clock())
                if report.pdp.due is not None else None)
    return page(request, "console/incident.html", principal, status_code=status_code,
                report=report, pdp_left=pdp_left, errors=errors or {},
                targets=[t.value for t in EscalationTarget], levels=(1, 2, 3, 4))


@get("/incidents/{ref:str}", sync_to_thread=True, include_in_schema=False)
def incident_room(request: Req, ref: str) -> Any:
    principal = member(request)
    return _room(request, principal, ref)


def _act(request: Req, ref: str, data: dict[str, Any], control: str, call: Any) -> Any:
    principal = checked(request, data)
    try:
        call(principal)
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _room(request, principal, ref, {control: error_message(request, error)},
                     status_of(error))
    return redirect(f"/incidents/{ref}")


def _level(data: dict[str, Any]) -> int:
    value = str(data.get("level", ""))
    if not value.isdigit():
        raise InvalidInputError("error.unknown_choice", kind="level", value=value,
                                choices="1, 2, 3, 4")
    return int(value)


@post("/incidents/{ref:str}/classify", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def classify(request: Req, ref: str, data: Form) -> Any:
    return _act(request, ref, data, "classify", lambda p: _incidents(
        request).classify_incident(p, ref, _level(data), str(data.get("reason", ""))))


@post("/incidents/{ref:str}/escalate", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def escalate(request: Req, ref: str, data: Form) -> Any:
    return _act(request, ref, data, "escalate", lambda p: _incidents(
        request).escalate_incident(p, ref, _enum(EscalationTarget, str(data.get(
            "target", "")), "target"), str(data.get("note", ""))))


@post("/incidents/{ref:str}/acknowledge", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def acknowledge(request: Req, ref: str, data: Form) -> Any:
    target = str(data.get("target", ""))
    return _act(request, ref, data, f"ack_{target}", lambda p: _incidents(
        request).acknowledge_incident(p, ref, _enum(EscalationTarget, target, "target"),
                                      str(data.get("note", ""))))


@post("/incidents/{ref:str}/freeze", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def freeze(request: Req, ref: str, data: Form) -> Any:
    return _act(request, ref, data, "freeze", lambda p: _incidents(request).freeze_publishing(
        p, ref, str(data.get("reason", ""))))


@post("/incidents/{ref:str}/release", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def release(request: Req, ref: str, data: Form) -> Any:
    return _act(request, ref, data, "freeze", lambda p: _incidents(request).release_publishing(
        p, ref, str(data.get("reason", ""))))


@post("/incidents/{ref:str}/statement", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def link_statement(request: Req, ref: str, data: Form) -> Any:
    return _act(request, ref, data, "statement", lambda p: _incidents(request).link_statement(
        p, ref, str(data.get("item", "")).strip(), str(data.get("note", ""))))


@post("/incidents/{ref:str}/resolve", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def resolve(request: Req, ref: str, data: Form) -> Any:
    return _act(request, ref, data, "resolve", lambda p: _incidents(request).resolve_incident(
        p, ref, str(data.get("summary", ""))))


HANDLERS = [incidents_page, open_incident, incident_room, classify, escalate, acknowledge,
            freeze, release, link_statement, resolve]
