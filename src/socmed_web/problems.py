"""Errors as RFC 9457 problems: the domain's code, its message in the request's language.

Every refusal the domain raises (`SocmedError`) becomes an `application/problem+json` body
with the catalogue code (`code`), the HTTP status its kind maps to and the message rendered
in the language the request asked for (`Accept-Language: id` -> Bahasa Indonesia). Litestar's
own refusals (a malformed body, an unknown route) are rendered the same way from the same
catalogue; anything unexpected is a 500 naming an incident id that the log line carries, never
a traceback.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)

from socmed_adapters.i18n import render
from socmed_domain.access.rules import StaleVersionError
from socmed_domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    SocmedError,
)
from socmed_domain.i18n import LANGUAGES

log = logging.getLogger("socmed_web")

PROBLEM_JSON = "application/problem+json"

#: The HTTP status of each kind of refusal (the most specific class wins).
STATUS_OF: tuple[tuple[type[SocmedError], int], ...] = (
    (NotAuthenticatedError, 401),
    (StaleVersionError, 412),
    (NotFoundError, 404),
    (PermissionDeniedError, 403),
    (ConflictError, 409),
    (InvalidStateError, 409),
    (RuleViolationError, 422),
    (InvalidInputError, 422),
)
#: Codes whose status is not that of their class (the identity service's sign-in refusals).
STATUS_OF_CODE: dict[str, int] = {
    "error.sign_in_required": 401,
    "error.csrf": 403,
    "error.idempotency_reused": 422,
    "error.idempotency_pending": 409,
    "error.precondition_required": 428,
}


def request_lang(request: Request[Any, Any, Any]) -> str:
    """The best of the catalogue's languages for the request's Accept-Language (q-values
    respected; English when nothing matches)."""
    header = request.headers.get("accept-language", "")
    best, best_q = "en", -1.0
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower().split("-")[0]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if tag in LANGUAGES and q > 0 and q - index * 1e-6 > best_q:
            best, best_q = tag, q - index * 1e-6
    return best


def problem(request: Request[Any, Any, Any], status: int, code: str, detail: str,
            headers: dict[str, str] | None = None, **extra: Any) -> Response[Any]:
    lang = request_lang(request)
    body = {"type": f"urn:socmed:problem:{code}", "title": code, "status": status,
            "detail": detail, "code": code, "instance": request.url.path, **extra}
    return Response(body, status_code=status, media_type=PROBLEM_JSON,
                    headers={"Content-Language": lang, **(headers or {})})


def status_of(error: SocmedError) -> int:
    if error.code in STATUS_OF_CODE:
        return STATUS_OF_CODE[error.code]
    for cls, status in STATUS_OF:
        if isinstance(error, cls):
            return status
    return 400


def domain_problem(request: Request[Any, Any, Any], error: SocmedError) -> Response[Any]:
    from socmed_adapters.i18n import BABEL

    lang = request_lang(request)
    status = status_of(error)
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(error, StaleVersionError):
        extra["current_version"] = error.current
        headers["ETag"] = f'"{error.current}"'
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="socmed"'
    extra["params"] = problem_params(error.params)
    return problem(request, status, error.code, error.message(lang, BABEL), headers, **extra)


def problem_params(params: dict[str, Any]) -> dict[str, Any]:
    """The error's parameters as JSON, so a client (the CLI in remote mode) can render the
    same line from the code in any language: a nested message (a finding, a translated
    term) is sent rendered in every language as ``{"rendered": {"en": ..., "id": ...}}``."""
    from socmed_web.web import plain

    def one(value: Any) -> Any:
        if isinstance(value, tuple) and value and all(hasattr(v, "message") for v in value):
            return {"rendered": {lang: "; ".join(v.message(lang) for v in value)
                                 for lang in LANGUAGES}}
        if hasattr(value, "message") and callable(value.message):
            return {"rendered": {lang: value.message(lang) for lang in LANGUAGES}}
        return plain(value)
    return {str(name): one(value) for name, value in params.items()}


def http_problem(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """Litestar's own refusals, in the catalogue's words."""
    lang = request_lang(request)
    if isinstance(error, NotFoundException):
        return problem(request, 404, "error.route_not_found",
                       render("error.route_not_found", lang))
    if isinstance(error, MethodNotAllowedException):
        return problem(request, 405, "error.method_not_allowed",
                       render("error.method_not_allowed", lang, method=request.method),
                       headers=dict(error.headers or {}))
    if isinstance(error, ValidationException):
        fields = sorted({str(e.get("key", "")) for e in (error.extra or [])
                         if isinstance(e, dict)} - {""})
        what = ", ".join(fields) or "body"
        return problem(request, 400, "error.bad_request",
                       render("error.bad_request", lang, detail=what),
                       invalid=[{"name": f} for f in fields])
    if error.status_code == 413:
        return problem(request, 413, "error.body_too_large",
                       render("error.body_too_large", lang))
    if error.status_code >= 500:
        return internal_problem(request, error)
    return problem(request, error.status_code, "error.bad_request",
                   render("error.bad_request", lang, detail=str(error.status_code)))


def internal_problem(request: Request[Any, Any, Any], error: BaseException) -> Response[Any]:
    incident = uuid.uuid4().hex[:12]
    log.error("unhandled error", extra={"incident": incident, "path": request.url.path,
                                        "error_type": type(error).__name__},
              exc_info=error)
    return problem(request, 500, "error.internal",
                   render("error.internal", request_lang(request), incident=incident),
                   incident=incident)


def handle(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """The one exception handler of the app."""
    if isinstance(error, SocmedError):
        return domain_problem(request, error)
    if isinstance(error, HTTPException):
        return http_problem(request, error)
    return internal_problem(request, error)
