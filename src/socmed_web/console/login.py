"""Sign in (member, password, authenticator code), sign out, the language switch.

Signing in calls `app.identity.sign_in` once and sets the same cookies the API sets (a new
session id every time, HttpOnly, SameSite=Strict; Secure behind TLS); a refusal shows the
identity service's message next to the form. Signing out ends the session in the store.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.errors import SocmedError
from socmed_domain.i18n import LANGUAGES
from socmed_web.auth import SESSION_COOKIE, cookie_max_age
from socmed_web.console.base import (
    HEADERS,
    LANG_COOKIE,
    Req,
    checked,
    error_message,
    page,
    redirect,
    safe_next,
)
from socmed_web.routes.session import request_cookies
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


@get("/login", sync_to_thread=True, include_in_schema=False)
def login_page(request: Req, next: str | None = None, out: bool = False) -> Any:
    return page(request, "console/login.html", next=safe_next(next), member_id="",
                signed_out=out)


@post("/login", sync_to_thread=True, include_in_schema=False)
def login(request: Req, data: Form) -> Any:
    ctx = context(request)
    member_id = str(data.get("member_id", "")).strip()
    target = safe_next(str(data.get("next", "/")))
    try:
        signed = ctx.identity.sign_in(member_id, str(data.get("password", "")),
                                      str(data.get("otp", "")).strip() or None)
    except SocmedError as error:
        return page(request, "console/login.html", status_code=401, next=target,
                    member_id=member_id, signed_out=False,
                    error=error_message(request, error))
    previous = request.cookies.get(SESSION_COOKIE)
    if previous and previous != signed.session_token:
        with suppress(SocmedError):  # a session carried before is ended, never promoted
            ctx.identity.sign_out(previous)
    age = cookie_max_age(signed.expires_at, ctx.services.clock())
    answer = redirect(target)
    answer.cookies.extend(request_cookies(request, signed.session_token, age))
    return answer


@post("/logout", sync_to_thread=True, include_in_schema=False)
def logout(request: Req, data: Form) -> Any:
    checked(request, data)
    context(request).identity.sign_out(request.cookies[SESSION_COOKIE])
    answer = redirect("/login?out=1")
    answer.cookies.extend(request_cookies(request, None, 0))
    return answer


@get("/lang/{code:str}", sync_to_thread=False, include_in_schema=False)
def switch_language(request: Req, code: str, next: str | None = None) -> Response[Any]:
    """The member's language, kept in a cookie for a year (a preference, not a change to
    the store, so a plain link switches it)."""
    chosen = code if code in LANGUAGES else "en"
    answer = redirect(safe_next(next))
    secure = context(request).secure_cookies or request.url.scheme == "https"
    answer.cookies.append(Cookie(key=LANG_COOKIE, value=chosen, max_age=365 * 86400,
                                 path="/", httponly=True, secure=secure, samesite="lax"))
    answer.headers.update(HEADERS)
    return answer
