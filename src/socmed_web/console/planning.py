"""Planning in the console: a campaign's page and the strategy's page, each read and
approved where it is shown (SOP stage 1), reached from the Marketing Manager's "My work".

Each page is one read (`planning.get_campaign_for`, `ReadModels.strategy_for`) and each button
one command (`planning.approve_campaign`, `approve_strategy`, `send_back_strategy`). Approving
binds what the page showed: the form carries the aggregate's version (and the strategy's
version number), and the command runs under `expecting_version`, so a campaign or strategy
changed while the page was open is refused by the domain (`error.stale_version`) and the page
says so next to the button; the domain decides who may.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.access.rules import expecting_version
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.principal import Principal
from socmed_domain.roles import Action, may
from socmed_web.console.base import (
    Req,
    checked,
    error_message,
    member,
    page,
    redirect,
    role_of,
)
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _planning(request: Req) -> Any:
    return context(request).services.app.planning


def _shown(data: dict[str, Any], key: str) -> int:
    """A whole number the page put in a hidden field (what it showed)."""
    value = str(data.get(key, "")).strip()
    if not value.isdigit() or len(value) > 12:
        raise InvalidInputError("error.bad_request", detail=key)
    return int(value)


def _may(request: Req, principal: Principal, action: Action) -> bool:
    """Whether to show the buttons (the domain's role matrix; the command still decides)."""
    from socmed_domain.roles import Role

    return may(Role(role_of(request, principal)), action)


# ------------------------------------------------------------------ a campaign

def _campaign_page(request: Req, principal: Principal, ref: str,
                   errors: dict[str, str] | None = None, status_code: int = 200) -> Any:
    planning = _planning(request)
    detail = planning.get_campaign_for(principal, ref)
    history = planning.campaign_history(detail.summary.campaign_id)
    return page(request, "console/campaign.html", principal, status_code=status_code,
                detail=detail, summary=detail.summary, plan=detail.plan, history=history,
                errors=errors or {}, may_approve=_may(request, principal,
                                                      Action.APPROVE_CAMPAIGN))


@get("/campaigns/{ref:str}", sync_to_thread=True, include_in_schema=False)
def show_campaign(request: Req, ref: str) -> Any:
    return _campaign_page(request, member(request), ref)


@post("/campaigns/{ref:str}/approve", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def approve_campaign(request: Req, ref: str, data: Form) -> Any:
    """Approve the plan at the version the page showed."""
    principal = checked(request, data)
    try:
        shown = _shown(data, "version")
        with expecting_version(shown):
            _planning(request).approve_campaign(principal, ref, str(data.get("comment", "")))
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _campaign_page(request, principal, ref, {"approve": error_message(
            request, error)}, status_code=status_of(error))
    return redirect(f"/campaigns/{ref}")


# ------------------------------------------------------------------ the strategy

def _strategy_page(request: Req, principal: Principal, number: int | None = None,
                   errors: dict[str, str] | None = None, status_code: int = 200) -> Any:
    services = context(request).services
    detail = services.read_models.strategy_for(principal)
    chosen = number or detail.current
    if not 1 <= chosen <= len(detail.versions):
        raise InvalidInputError("error.strategy_version_unknown", version=chosen,
                                latest=detail.current)
    return page(request, "console/strategy.html", principal, status_code=status_code,
                detail=detail, chosen=detail.versions[chosen - 1], errors=errors or {},
                may_approve=_may(request, principal, Action.APPROVE_STRATEGY))


@get("/strategy", sync_to_thread=True, include_in_schema=False)
def show_strategy(request: Req, version: int | None = None) -> Any:
    """A version of the strategy (default: the one worked on) and the list of versions."""
    return _strategy_page(request, member(request), version)


def _decide(request: Req, data: dict[str, Any], control: str, call: Any) -> Any:
    """Approve or send back the version the page showed, at the strategy's version the page
    was drawn from."""
    principal = checked(request, data)
    number = None
    try:
        number = _shown(data, "version_number")
        with expecting_version(_shown(data, "version")):
            call(principal, number)
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _strategy_page(request, principal, None, {control: error_message(
            request, error)}, status_code=status_of(error))
    return redirect(f"/strategy?version={number}")


@post("/strategy/approve", sync_to_thread=True, include_in_schema=False, status_code=200)
def approve_strategy(request: Req, data: Form) -> Any:
    return _decide(request, data, "approve", lambda p, n: _planning(request).approve_strategy(
        p, n, str(data.get("comment", ""))))


@post("/strategy/send-back", sync_to_thread=True, include_in_schema=False, status_code=200)
def send_back_strategy(request: Req, data: Form) -> Any:
    return _decide(request, data, "send_back", lambda p, n: _planning(
        request).send_back_strategy(p, n, str(data.get("comment", ""))))


HANDLERS = [show_campaign, approve_campaign, show_strategy, approve_strategy,
            send_back_strategy]
