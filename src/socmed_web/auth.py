"""Who sends a request: a bearer token or a session cookie, proven by the identity service.

The principal is established here and nowhere else: `Authorization: Bearer <secret>` asks
`identity.token_principal`, the session cookie asks `identity.session_principal`, and a
request with neither is refused (401). A member deactivated, a session signed out or a token
revoked fails on the very next request, because every request asks the identity service
again (nothing about the member is cached in the cookie; the server's short cache of proven
principals, `CachedPrincipals`, is emptied by every access event).

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
from typing import Any, Protocol, cast

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


def authenticate_cached(request: Request[Any, Any, Any],
                        identity: Identity) -> Authenticated | None:
    """`authenticate` answered from the cache of proven principals alone: the request's
    principal if its token or session is cached (and current), None when proving it would
    need the identity service (a miss, an expired entry, a change of access, a
    cookie-authenticated change, no credentials at all), which `authenticate` then does."""
    cached = getattr(identity, "cached", None)
    if cached is None:
        return None
    secret = bearer(request)
    if secret is not None:
        principal = cached("token", secret)
        return Authenticated(principal) if principal is not None else None
    if request.method not in SAFE_METHODS:
        return None
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        return None
    principal = cached("session", session)
    return Authenticated(principal, session) if principal is not None else None


class CachedPrincipals:
    """The identity service, with the principals that sessions and tokens prove cached for
    a few seconds, as long as nothing about access changed.

    A cached principal is used only while the kernel's `access_generation` is the one it
    was proven at: every Team or MemberAccess event (a deactivation, a token revoked, a
    sign-in, a lock-out, by this process or, as the projection follower reports, another)
    bumps it and empties the cache, and a sign-out drops its session here. So a member
    deactivated fails on the next request, as when every request asked the identity
    service. Without a follower running (`kernel.access_followed`), nothing is cached.
    `ttl` is measured on the application's clock, so an expired or idle session still ends
    on time (and the session's last-seen time is still touched every minute or so)."""

    def __init__(self, identity: Identity, kernel: Any, clock: Any,
                 ttl: timedelta = timedelta(seconds=5), size: int = 10_000) -> None:
        self.identity = identity
        self.kernel = kernel
        self.clock = clock
        self.ttl = ttl
        self.size = size
        self._cache: dict[tuple[str, str], tuple[Principal, int, datetime]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.identity, name)  # every other method as it is

    def cached(self, kind: str, secret: str) -> Principal | None:
        """The principal `secret` proved, if it is cached and still current; None
        otherwise (nothing is proven here)."""
        if not self.kernel.access_followed:
            return None
        hit = self._cache.get((kind, secret))
        if (hit is not None and hit[1] == self.kernel.access_generation
                and self.clock() < hit[2]):
            return hit[0]
        return None

    def _cached(self, kind: str, secret: str, prove: Any) -> Principal:
        if not self.kernel.access_followed:
            return cast(Principal, prove(secret))
        key = (kind, secret)
        now = self.clock()
        hit = self._cache.get(key)
        generation = self.kernel.access_generation
        if hit is not None and hit[1] == generation and now < hit[2]:
            return hit[0]
        principal = cast(Principal, prove(secret))  # refusals are not cached
        if len(self._cache) >= self.size:
            self._cache.clear()
        self._cache[key] = (principal, generation, now + self.ttl)
        return principal

    def session_principal(self, session_token: str) -> Principal:
        return self._cached("session", session_token, self.identity.session_principal)

    def token_principal(self, secret: str) -> Principal:
        return self._cached("token", secret, self.identity.token_principal)

    def sign_out(self, session_token: str) -> None:
        self._cache.pop(("session", session_token), None)
        self.identity.sign_out(session_token)
        self._cache.pop(("session", session_token), None)

    def revoke_token(self, actor: ActorRef, token_id: str) -> None:
        self.identity.revoke_token(actor, token_id)
        self._cache.clear()  # the revocation's event bumps the generation too


def cookie_max_age(expires_at: datetime, now: datetime) -> int:
    return max(0, int((expires_at - now).total_seconds()))
