"""What the OpenAPI document says every route may answer besides its success: problems."""

from __future__ import annotations

from typing import Any

from attrs import field, frozen
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme

from socmed_web.problems import PROBLEM_JSON


@frozen
class Problem:
    """An RFC 9457 problem: `code` is the catalogue code, `detail` the message in the
    request's language, `params` the values the message was made from (a nested message
    as `{"rendered": {"en": ..., "id": ...}}`), so a client can render it again."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    params: dict[str, Any] = field(factory=dict)


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON,
                        description=description, generate_examples=False)


_COMMON = {
    400: _spec("Malformed request"),
    401: _spec("Not signed in"),
    403: _spec("The role or the object's scope does not allow it"),
    404: _spec("No such resource (or not visible to this member)"),
    405: _spec("Method not allowed"),
    409: _spec("The workflow state does not allow it, or a concurrent write"),
    422: _spec("A value is malformed or breaks a rule"),
    500: _spec("Unexpected failure (an incident id is logged)"),
}
READ: dict[int, ResponseSpec] = dict(_COMMON)
COMMAND: dict[int, ResponseSpec] = {
    **_COMMON,
    412: _spec("If-Match names a version that is no longer current"),
    413: _spec("Body too large"),
    428: _spec("Precondition required"),
}

COMPONENTS = Components(security_schemes={
    "bearer": SecurityScheme(type="http", scheme="bearer",
                             description="An API token from POST /api/v1/tokens"),
    "session": SecurityScheme(type="apiKey", name="socmed_session", security_scheme_in="cookie",
                              description="The session cookie from POST /api/v1/session; "
                              "changes also need the X-CSRF-Token header"),
})
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
