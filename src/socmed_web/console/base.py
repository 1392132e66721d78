"""What every console page shares: the member signed in (session cookie), the language, the
CSRF check of forms, the layout's context and the refusal pages.

A console page is a view of one read model or the answer to one application command; this
module holds no rule of the domain. Who the member is comes from the session cookie the API
issues (`socmed_web.auth`), asked of the identity service on every request; forms carry the
session's CSRF token in a hidden field (htmx requests send it as the API's header too).
"""

from __future__ import annotations

import hmac
from functools import cache
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException
from litestar.response import Redirect, Template

from socmed_domain.errors import NotAuthenticatedError, PermissionDeniedError, SocmedError
from socmed_domain.i18n import LANGUAGES, Catalogue
from socmed_domain.identity.principal import Principal
from socmed_web.auth import CSRF_HEADER, SESSION_COOKIE, SignInRequiredError, csrf_token
from socmed_web.console.messages import MESSAGES
from socmed_web.problems import request_lang, status_of
from socmed_web.web import context

Req = Request[Any, Any, Any]

LANG_COOKIE = "socmed_lang"

#: The console's own policy: scripts and styles only from this server (htmx is vendored),
#: forms only to it, never framed. Set on every console answer (the app's API policy is
#: `default-src 'none'`).
CONSOLE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
               "base-uri 'none'")
HEADERS = {"Content-Security-Policy": CONSOLE_CSP}


@cache
def catalogue() -> Catalogue:
    """The one catalogue (domain + reports) extended with the console's texts."""
    from socmed_adapters.i18n import catalogue as adapters
    from socmed_web.console.messages_more import MESSAGES as MORE

    return adapters().extended("socmed_web.console.messages", MESSAGES).extended(
        "socmed_web.console.messages_more", MORE)


def text(code: str, lang: str, /, **params: Any) -> str:
    from socmed_adapters.i18n import BABEL

    return catalogue().render(code, lang, BABEL, **params)


def lang_of(request: Req) -> str:
    """The member's chosen language (cookie set by the switch), else the browser's."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGUAGES else request_lang(request)


class SignInNeededError(SocmedError):
    """A console page was asked for without a valid session: the answer is the sign-in
    page (a redirect), not a problem document."""

    code = "error.sign_in_required"


class FormExpiredError(PermissionDeniedError):
    """A form post without the session's CSRF token (403)."""

    code = "console.error.csrf"


def session_of(request: Req) -> tuple[Principal, str]:
    """The principal of the request's session cookie and the session secret; a missing,
    expired or ended session sends the browser to the sign-in page."""
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        raise SignInNeededError()
    try:
        principal = context(request).identity.session_principal(session)
    except NotAuthenticatedError:
        raise SignInNeededError() from None
    request.state.via_kind = principal.via_kind
    return principal, session


def member(request: Req) -> Principal:
    return session_of(request)[0]


def checked(request: Req, form: dict[str, Any]) -> Principal:
    """The principal of a form post, refused unless the form (or htmx's header) carries the
    session's CSRF token."""
    principal, session = session_of(request)
    sent = str(form.get("csrf_token") or request.headers.get(CSRF_HEADER, ""))
    if not hmac.compare_digest(sent.encode(), csrf_token(session).encode()):
        raise FormExpiredError()
    return principal


def role_of(request: Req, principal: Principal) -> str:
    return str(context(request).services.app.actor(principal, reading=True).role.value)


def page(request: Req, template: str, principal: Principal | None = None,
         status_code: int = 200, **values: Any) -> Template:
    """A page in the layout: the language, who is signed in, the navigation's counts."""
    lang = lang_of(request)
    values.setdefault("error", None)
    layout: dict[str, Any] = {"lang": lang, "path": request.url.path, "me": None,
                              "role": None, "csrf": "", "counts": {}, "nav_total": 0,
                              "freezes": ()}
    if principal is not None:
        from socmed_web.console.navigation import nav_counts

        session = request.cookies.get(SESSION_COOKIE, "")
        layout.update(me=principal.member_id, role=role_of(request, principal),
                      csrf=csrf_token(session))
        counts = nav_counts(request, principal)
        layout.update(counts=counts, nav_total=sum(counts.values()))
        from socmed_web.console.freeze import freezes

        layout["freezes"] = freezes(request)
    return Template(template_name=template, context={**layout, **values}, media_type="text/html",
                    status_code=status_code, headers=HEADERS)


def redirect(path: str) -> Redirect:
    return Redirect(path=path, status_code=303, headers=HEADERS)


def safe_next(target: str | None) -> str:
    """A local path to go back to (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def error_message(request: Req, error: SocmedError) -> str:
    from socmed_adapters.i18n import BABEL

    lang = lang_of(request)
    if error.code in MESSAGES:
        return text(error.code, lang)
    return error.message(lang, BABEL)


def handle(request: Req, error: Exception) -> Response[Any]:
    """The console's one exception handler: no session -> the sign-in page; a refusal ->
    a page with the domain's message in the member's language; never a traceback."""
    if isinstance(error, SignInNeededError | SignInRequiredError):
        target = "/login?next=" + quote(request.url.path, safe="/")
        if request.headers.get("hx-request"):
            return Response("", status_code=200, headers={"HX-Redirect": target, **HEADERS})
        return redirect(target)
    lang = lang_of(request)
    if isinstance(error, SocmedError):
        status, message = status_of(error), error_message(request, error)
    elif isinstance(error, NotFoundException):
        status, message = 404, text("console.error.not_found", lang)
    elif isinstance(error, HTTPException) and error.status_code < 500:
        status, message = error.status_code, text("error.bad_request", lang,
                                                  detail=str(error.detail))
    else:
        from socmed_web.problems import internal_problem

        answer = internal_problem(request, error)
        status, message = 500, str(answer.content["detail"])
    principal = None
    if not isinstance(error, FormExpiredError):
        try:
            principal = member(request)
        except SocmedError:
            principal = None
    response: Response[Any] = page(request, "console/error.html", principal,
                                   status_code=status, message=message)
    return response
