"""/api/v1/configuration: the company's rules as data (issue 17), as `socmed config` has them:
the version in force (or any), every version, the TOML export, and applying a configuration
(the Marketing Manager) given as the JSON `show` returns, as TOML text, or as a pack name."""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Request, Response, Router, get, post

from socmed_adapters.configuration_file import (
    configuration_from_dict,
    configuration_to_toml,
    read_pack,
)
from socmed_domain.errors import InvalidInputError
from socmed_web.openapi import COMMAND, READ
from socmed_web.web import command, context, read, who

Req = Request[Any, Any, Any]


def _service(request: Req) -> Any:
    return context(request).services.app.configuration


@frozen(kw_only=True)
class ConfigurationIn:
    """Exactly one of `configuration` (the JSON of `GET /configuration`'s `configuration`),
    `toml` (a configuration file's text) or `pack` (banking, food, telecom)."""

    configuration: dict[str, Any] | None = None
    toml: str | None = None
    pack: str | None = None
    reason: str = ""


def _chosen(data: ConfigurationIn) -> tuple[Any, str]:
    given = [name for name in ("configuration", "toml", "pack")
             if getattr(data, name) is not None]
    if len(given) != 1:
        raise InvalidInputError("error.bad_request",
                                detail="give exactly one of configuration, toml, pack")
    if data.pack is not None:
        return read_pack(data.pack), f"pack {data.pack}"
    if data.toml is not None:
        import tomllib

        try:
            parsed = tomllib.loads(data.toml)
        except (tomllib.TOMLDecodeError, RecursionError) as error:
            raise InvalidInputError("error.bad_request", detail=f"toml: {error}") from None
        return configuration_from_dict(parsed, "toml"), "api (toml)"
    return configuration_from_dict(dict(data.configuration or {}), "configuration"), "api"


@get("/configuration", responses=READ, sync_to_thread=True)
def show(request: Req, version: int | None = None) -> Response[Any]:
    """A configuration version (default: the one in force; 0 is the built-in default), with
    who applied it, when, why, from where and which sections changed."""
    return read(request, lambda who: _service(request).show(who, version))


@get("/configuration/history", responses=READ, sync_to_thread=True)
def history(request: Req) -> Response[Any]:
    """Every configuration version, oldest first."""
    return read(request, lambda who: _service(request).history(who))


@get("/configuration/export", responses=READ, sync_to_thread=True)
def export(request: Req, version: int | None = None) -> Response[Any]:
    """A configuration version as a TOML file (what `POST /configuration/apply` takes back
    as `toml`)."""
    shown = _service(request).show(who(request).principal, version)
    return Response(configuration_to_toml(shown.configuration), media_type="application/toml")


@post("/configuration/apply", responses=COMMAND, sync_to_thread=True)
def apply(request: Req, data: ConfigurationIn) -> Response[Any]:
    """Put a configuration in force as the next version (Marketing Manager); a problem is a
    422 naming the field and what is allowed, and nothing is applied."""
    chosen, source = _chosen(data)
    return command(request, data, lambda who: {"version": _service(request).apply(
        who, chosen, data.reason, source)}, status=201)


routers = [Router("/api/v1", tags=["configuration"], route_handlers=[
    show, history, export, apply])]
