"""/api/v1/session, /api/v1/tokens, /api/v1/me and the Marketing Manager's invitations.

Signing in issues a new session id every time (a session id fixed by someone else before the
sign-in is never reused: the identity service mints it) and sets it as a Secure (behind TLS),
HttpOnly, SameSite=Strict cookie, with the CSRF token beside it in a readable cookie and in the
body. Signing out ends the session in the store, so the cookie is worthless even if kept.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from typing import Any

from litestar import Request, Response, Router, delete, get, post
from litestar.datastructures import Cookie

from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.principal import Scope
from socmed_web import bodies as b
from socmed_web.auth import SESSION_COOKIE, cookie_max_age, csrf_token, session_cookies
from socmed_web.openapi import COMMAND, READ
from socmed_web.web import command, context, enum_value, plain, read, who

Req = Request[Any, Any, Any]


def request_cookies(request: Req, token: str | None, max_age: int) -> list[Cookie]:
    """`auth.session_cookies`, Secure behind TLS or on an https request."""
    secure = context(request).secure_cookies or request.url.scheme == "https"
    return session_cookies(token, max_age, secure=secure)


@post("/session", responses=COMMAND, sync_to_thread=True, status_code=201)
def sign_in(request: Req, data: b.SignIn) -> Response[Any]:
    """Sign in with member, password and (for approving roles) a TOTP code."""
    ctx = context(request)
    signed = ctx.identity.sign_in(data.member_id, data.password, data.otp)
    previous = request.cookies.get(SESSION_COOKIE)
    if previous and previous != signed.session_token:
        # whatever session the browser carried before is ended, never promoted
        with suppress(SocmedError):
            ctx.identity.sign_out(previous)
    now = ctx.services.clock()
    age = cookie_max_age(signed.expires_at, now)
    body = {"member_id": signed.principal.member_id, "via": signed.principal.via,
            "expires_at": plain(signed.expires_at),
            "csrf_token": csrf_token(signed.session_token)}
    return Response(body, status_code=201,
                    cookies=request_cookies(request, signed.session_token, age))


@delete("/session", responses=COMMAND, sync_to_thread=True, status_code=200)
def sign_out(request: Req) -> Response[Any]:
    """End this session (the cookie is cleared and the session ended in the store)."""
    auth = who(request)
    if auth.session_token is not None:
        context(request).identity.sign_out(auth.session_token)
    return Response({"signed_out": auth.session_token is not None},
                    cookies=request_cookies(request, None, 0))


@get("/me", responses=READ, sync_to_thread=True)
def me(request: Req) -> Response[Any]:
    """Who this request is, as which role, and how it was authenticated."""
    app = context(request).services.app
    return read(request, lambda p: {"member_id": p.member_id, "via": p.via,
                                    "scope": p.scope.value,
                                    "role": app.actor(p, reading=True).role.value})


@post("/tokens", responses=COMMAND, sync_to_thread=True)
def create_token(request: Req, data: b.NewToken) -> Response[Any]:
    """A token for the caller (the secret is shown once, in this answer only)."""
    scope: Scope = enum_value(Scope, data.scope, "scope")
    if not 1 <= data.expires_in_days <= 366:
        raise InvalidInputError("error.number_range", field="expires_in_days",
                                value=data.expires_in_days, low=1, high=366)
    identity = context(request).identity
    return command(request, data, lambda p: identity.create_token(
        p, data.name, scope, timedelta(days=data.expires_in_days)), status=201)


@get("/tokens", responses=READ, sync_to_thread=True)
def list_tokens(request: Req) -> Response[Any]:
    """The caller's tokens (never their secrets)."""
    identity = context(request).identity
    return read(request, lambda p: list(identity.list_tokens(p)))


@delete("/tokens/{token_id:str}", responses=COMMAND, sync_to_thread=True, status_code=200)
def revoke_token(request: Req, token_id: str) -> Response[Any]:
    identity = context(request).identity
    return command(request, {"token_id": token_id},
                   lambda p: identity.revoke_token(p, token_id))


@post("/team/invites", responses=COMMAND, sync_to_thread=True)
def invite(request: Req, data: b.Invite) -> Response[Any]:
    """A one-time set-up code for a member (Marketing Manager; shown once)."""
    identity = context(request).identity
    return command(request, data, lambda p: identity.invite(p, data.member_id), status=201)


@post("/account/setup", responses=COMMAND, sync_to_thread=True, status_code=200)
def set_up_account(request: Req, data: b.SetUp) -> Response[Any]:
    """Set one's password with the one-time code of an invitation (no sign-in needed: the
    code is the proof); every open session of the member ends."""
    context(request).identity.set_up_account(data.member_id, data.code, data.password)
    return Response({"member_id": data.member_id})


@post("/account/totp", responses=COMMAND, sync_to_thread=True)
def enrol_totp(request: Req, data: b.Empty) -> Response[Any]:
    """Start enrolling a TOTP app: the secret and its otpauth URI, shown once."""
    identity = context(request).identity
    return command(request, data, lambda p: identity.enrol_totp(p), status=201)


@post("/account/totp/confirm", responses=COMMAND, sync_to_thread=True)
def confirm_totp(request: Req, data: b.Code) -> Response[Any]:
    """Complete the enrolment with a code from the app; sign in again with a code."""
    identity = context(request).identity
    return command(request, data, lambda p: identity.confirm_totp(p, data.code))


router = Router("/api/v1", tags=["identity"], route_handlers=[
    sign_in, sign_out, me, create_token, list_tokens, revoke_token, invite, set_up_account,
    enrol_totp, confirm_totp])
