"""Who sends a request: a bearer token or a session cookie, proven by the identity service.

The principal is established here and nowhere else: `Authorization: Bearer <secret>` asks
`identity.token_principal`, the session cookie asks `identity.session_principal`, and a
request with neither is refused (401). A member deactivated, a session signed out or a token
revoked fails on the very next request, because every request asks the identity service
again (nothing about the member is cached in the cookie).

Cookie-authenticated changes need a CSRF token (`X-CSRF-Token`): a browser sends the session
cookie on any cross-site form post, but a page of another site cannot read the token. The
token is a keyed digest of the session secret, handed out at sign-in (in the body and in a
readable `socmed_csrf` cookie), so nothing needs storing and it changes with every session.
Token-authenticated requests carry no ambient credential and need none.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from attrs import frozen
from litestar import Request
from litestar.datastructures import Cookie

from socmed_domain.errors import PermissionDeniedError, SocmedError
from socmed_domain.identity.principal import ActorRef, Principal, Scope

SESSION_COOKIE = "socmed_session"
CSRF_COOKIE = "socmed_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Identity(Protocol):
    """The part of `app.identity` (socmed_domain.identity.service) the API calls."""

    def sign_in(self, member_id: str, password: str, otp: str | None = None) -> Any: ...
    def session_principal(self, session_token: str) -> Principal: ...
    def sign_out(self, session_token: str) -> None: ...
    def token_principal(self, secret: str) -> Principal: ...
    def create_token(self, actor: ActorRef, name: str, scope: Scope,
                     expires_in: timedelta) -> Any: ...
    def list_tokens(self, actor: ActorRef) -> Sequence[Any]: ...
    def revoke_token(self, actor: ActorRef, token_id: str) -> None: ...
    def invite(self, actor: ActorRef, member_id: str) -> Any: ...
    def set_up_account(self, member_id: str, code: str, password: str) -> None: ...
    def enrol_totp(self, actor: ActorRef) -> Any: ...
    def confirm_totp(self, actor: ActorRef, code: str) -> None: ...


class SignInRequiredError(SocmedError):
    """A request that needs a member came with no credentials at all."""

    code = "error.sign_in_required"


class CsrfError(PermissionDeniedError):
    code = "error.csrf"


@frozen
class Authenticated:
    """A request's principal and how it was proven (the cookie's session secret, if any)."""

    principal: Principal
    session_token: str | None = None


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: only someone who holds the session secret (the server,
    and the browser that signed in, which is given it) can compute it."""
    return hmac.new(b"socmed-csrf-v1", session_token.encode(), hashlib.sha256).hexdigest()


def session_cookies(token: str | None, max_age: int, *, secure: bool) -> list[Cookie]:
    """The session cookie (HttpOnly) and its CSRF token (readable) a sign-in sets, whichever
    route signed in (the API, the console, single sign-on); no token clears both."""
    return [
        Cookie(key=SESSION_COOKIE, value=token or "", max_age=max_age, path="/",
               httponly=True, secure=secure, samesite="strict"),
        Cookie(key=CSRF_COOKIE, value=csrf_token(token) if token else "", max_age=max_age,
               path="/", httponly=False, secure=secure, samesite="strict"),
    ]


def bearer(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authenticate(request: Request[Any, Any, Any], identity: Identity) -> Authenticated:
    """The request's principal, or a refusal (401 without or with bad credentials, 403 for a
    cookie-authenticated change without its CSRF token)."""
    secret = bearer(request)
    if secret is not None:
        return Authenticated(identity.token_principal(secret))
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        raise SignInRequiredError()
    principal = identity.session_principal(session)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token(session).encode()):
            raise CsrfError(actor=principal.member_id)
    return Authenticated(principal, session)


def cookie_max_age(expires_at: datetime, now: datetime) -> int:
    return max(0, int((expires_at - now).total_seconds()))
