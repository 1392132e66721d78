"""Team and settings (Marketing Manager): the members, adding one, an invitation (the
one-time set-up code shown once on the answer page), a role change, a deactivation, and the
store's access policy (sign-in required, the roles that need a second factor, lock-out).

Each form is one command of `app.team` or `app.identity`; the domain decides who may, and a
refusal is shown next to the form that caused it.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.principal import Principal
from socmed_domain.roles import Role
from socmed_web.console.base import Req, checked, error_message, member, page, redirect
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _many(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInputError("error.unknown_choice", kind="role", value=value,
                                choices=", ".join(r.value for r in Role)) from None


def _team_page(request: Req, principal: Principal, errors: dict[str, str] | None = None,
               code: Any = None, invited: str | None = None, status_code: int = 200) -> Any:
    services = context(request).services
    members = services.read_models.team_for(principal)
    return page(request, "console/team.html", principal, status_code=status_code,
                members=members, policy=services.app.identity.policy(),
                roles=[r.value for r in Role], errors=errors or {}, code=code,
                invited=invited)


@get("/team", sync_to_thread=True, include_in_schema=False)
def team_page(request: Req) -> Any:
    return _team_page(request, member(request))


def _act(request: Req, data: dict[str, Any], control: str, call: Any) -> Any:
    principal = checked(request, data)
    try:
        call(principal)
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _team_page(request, principal, {control: error_message(request, error)},
                          status_code=status_of(error))
    return redirect("/team")


@post("/team/members", sync_to_thread=True, include_in_schema=False, status_code=200)
def add_member(request: Req, data: Form) -> Any:
    team = context(request).services.app.team
    return _act(request, data, "add", lambda p: team.add_member(
        p, str(data.get("member_id", "")).strip(), str(data.get("name", "")).strip(),
        _role(str(data.get("role", "")))))


@post("/team/members/{member_id:str}/invite", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def invite(request: Req, member_id: str, data: Form) -> Any:
    """The one-time set-up code, shown on this answer only (never stored in clear)."""
    principal = checked(request, data)
    try:
        code = context(request).services.app.identity.invite(principal, member_id)
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _team_page(request, principal, {f"invite_{member_id}": error_message(
            request, error)}, status_code=status_of(error))
    return _team_page(request, principal, code=code, invited=member_id)


@post("/team/members/{member_id:str}/role", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def change_role(request: Req, member_id: str, data: Form) -> Any:
    team = context(request).services.app.team
    return _act(request, data, f"role_{member_id}", lambda p: team.change_role(
        p, member_id, _role(str(data.get("role", ""))), str(data.get("reason", ""))))


@post("/team/members/{member_id:str}/deactivate", sync_to_thread=True,
      include_in_schema=False, status_code=200)
def deactivate(request: Req, member_id: str, data: Form) -> Any:
    team = context(request).services.app.team
    return _act(request, data, f"deactivate_{member_id}", lambda p: team.deactivate_member(
        p, member_id, str(data.get("reason", ""))))


def _number(data: dict[str, Any], key: str) -> int | None:
    value = str(data.get(key, "")).strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInputError("error.unknown_choice", kind=key, value=value,
                                choices="a whole number")
    return int(value)


@post("/team/policy", sync_to_thread=True, include_in_schema=False, status_code=200)
def set_policy(request: Req, data: Form) -> Any:
    identity = context(request).services.app.identity
    return _act(request, data, "policy", lambda p: identity.set_policy(
        p, require_authentication=bool(data.get("require_authentication")),
        second_factor_roles=[_role(r) for r in _many(data, "second_factor_roles")],
        lockout_threshold=_number(data, "lockout_threshold"),
        lockout_minutes=_number(data, "lockout_minutes"), reason=str(data.get("reason", ""))))


@get("/team/configuration", sync_to_thread=True, include_in_schema=False)
def configuration_page(request: Req, version: int | None = None) -> Any:
    """The store's configuration in force (or `version`), read-only: who applied it, when,
    why, and what each section holds (`socmed config show`; `config apply` changes it)."""
    import json

    from socmed_adapters.configuration_file import configuration_to_dict

    principal = member(request)
    shown = context(request).services.app.configuration.show(principal, version)
    sections = [(name, json.dumps(value, ensure_ascii=False, indent=2, default=str))
                for name, value in configuration_to_dict(shown.configuration).items()
                if name not in ("name", "description")]
    return page(request, "console/configuration.html", principal, shown=shown,
                sections=sections)


HANDLERS = [team_page, configuration_page, add_member, invite, change_role, deactivate, set_policy]
